-- The exam's per-area minimums as the result was judged against them: [{area, percent, minimum}] for each area with
-- a minimum that had items drawn, by area. Without it a candidate who passed the total but missed an area's minimum
-- saw "not passed" with no reason. NULL for results scored before it was kept.
ALTER TABLE results ADD COLUMN area_checks jsonb;
