-- Pass rates of people, not attempts: a candidate's earliest passing result at an exam counts them once among the
-- people who passed (people who sat = first attempts). Existing results and cells are settled here.
ALTER TABLE results ADD COLUMN first_pass boolean NOT NULL DEFAULT false;
ALTER TABLE pass_rate_cells ADD COLUMN people_passed bigint NOT NULL DEFAULT 0;
ALTER TABLE pass_rate_totals ADD COLUMN people_passed bigint NOT NULL DEFAULT 0;

UPDATE results r SET first_pass = true FROM (
    SELECT DISTINCT ON (candidate_id, exam_id) id FROM results WHERE passed ORDER BY candidate_id, exam_id, submitted_at, id
) f WHERE r.id = f.id;

UPDATE pass_rate_cells c SET people_passed = f.n FROM (
    SELECT exam_id, federal_district, region, organization, (submitted_at AT TIME ZONE 'UTC')::date AS day, count(*) AS n
    FROM results WHERE first_pass GROUP BY 1, 2, 3, 4, 5
) f WHERE (c.exam_id, c.federal_district, c.region, c.organization, c.day)
        = (f.exam_id, f.federal_district, f.region, f.organization, f.day);

UPDATE pass_rate_totals c SET people_passed = f.n FROM (
    SELECT exam_id, federal_district, region, organization, count(*) AS n FROM results WHERE first_pass GROUP BY 1, 2, 3, 4
) f WHERE (c.exam_id, c.federal_district, c.region, c.organization)
        = (f.exam_id, f.federal_district, f.region, f.organization);
