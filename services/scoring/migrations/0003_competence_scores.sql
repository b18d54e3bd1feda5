-- What a candidate's result page shows: per competence its area, points, max points and percent, and the pass
-- score the result was judged against. NULL for results scored before: they are read from `subscores`
-- (competence -> percent) and item_scores. `subscores` stays as it is, for the read model and older readers.
ALTER TABLE results
    ADD COLUMN competence_scores jsonb,   -- [{competence, area, points, max_points, percent}], sorted by competence
    ADD COLUMN pass_score        float8;  -- percent needed to pass (AnswerKey.pass_score)
