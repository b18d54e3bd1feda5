-- What a result was scored against and from, so it can be rescored and analysed.
ALTER TABLE results
    ADD COLUMN key_version   int     NOT NULL DEFAULT 0,          -- AnswerKey.form_version
    ADD COLUMN first_attempt boolean NOT NULL DEFAULT true,       -- the candidate's first result for this exam
    ADD COLUMN subscores     jsonb   NOT NULL DEFAULT '{}'::jsonb, -- competence -> percent
    ADD COLUMN marks         float8[],                            -- points per exam_items position; NULL: not drawn
    ADD COLUMN submission    bytea;                               -- the AttemptSubmitted payload, to rescore
CREATE INDEX results_candidate ON results (candidate_id, exam_id, submitted_at);

-- Every change rescoring made, with before and after.
CREATE TABLE result_changes (
    id                bigserial   PRIMARY KEY,
    result_id         uuid        NOT NULL REFERENCES results (id),
    changed_at        timestamptz NOT NULL,
    reason            text        NOT NULL,
    key_version_before int        NOT NULL,
    key_version_after  int        NOT NULL,
    points_before     float8      NOT NULL,
    points_after      float8      NOT NULL,
    percent_before    float8      NOT NULL,
    percent_after     float8      NOT NULL,
    passed_before     boolean     NOT NULL,
    passed_after      boolean     NOT NULL
);
CREATE INDEX result_changes_result ON result_changes (result_id);

-- The items of an exam in a fixed order: results.marks[position] is the mark of exam_items[position].
CREATE TABLE exam_items (
    exam_id      uuid   NOT NULL,
    position     int    NOT NULL,          -- 1-based, as PostgreSQL arrays
    item_id      text   NOT NULL,
    item_version int    NOT NULL,
    competence   text   NOT NULL,
    max_points   float8 NOT NULL,
    PRIMARY KEY (exam_id, position),
    UNIQUE (exam_id, item_id)
);

-- Analytics read model, updated in the same transaction as each result (and each rescoring).
-- One row per exam, place and day: pass rates for any period/group are sums over few rows.
CREATE TABLE pass_rate_cells (
    exam_id          uuid   NOT NULL,
    federal_district text   NOT NULL,
    region           text   NOT NULL,
    organization     text   NOT NULL,
    day              date   NOT NULL,
    attempts         bigint NOT NULL DEFAULT 0,
    passed           bigint NOT NULL DEFAULT 0,
    first_attempts   bigint NOT NULL DEFAULT 0,
    first_passed     bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (exam_id, federal_district, region, organization, day)
);
CREATE INDEX pass_rate_cells_day ON pass_rate_cells (day);

-- The same counts over all time: what a pass-rate query without a period reads (a few hundred rows).
CREATE TABLE pass_rate_totals (
    exam_id          uuid   NOT NULL,
    federal_district text   NOT NULL,
    region           text   NOT NULL,
    organization     text   NOT NULL,
    attempts         bigint NOT NULL DEFAULT 0,
    passed           bigint NOT NULL DEFAULT 0,
    first_attempts   bigint NOT NULL DEFAULT 0,
    first_passed     bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (exam_id, federal_district, region, organization)
);

-- Subscore sums per exam, place, day and competence: mean subscore = sum_percent / results.
CREATE TABLE competence_cells (
    exam_id          uuid   NOT NULL,
    federal_district text   NOT NULL,
    region           text   NOT NULL,
    day              date   NOT NULL,
    competence       text   NOT NULL,
    results          bigint NOT NULL DEFAULT 0,
    sum_percent      float8 NOT NULL DEFAULT 0,
    PRIMARY KEY (exam_id, federal_district, region, day, competence)
);

-- Joint counts of (an item's mark, the rest of the test) per exam, place and item: every item statistic
-- Moodle reports (including the sorted pairing behind discriminative efficiency) follows from these few
-- thousand rows per exam instead of a pass over every result.
CREATE TABLE item_cells (
    exam_id          uuid   NOT NULL,
    federal_district text   NOT NULL,
    region           text   NOT NULL,
    position         int    NOT NULL,
    mark             float8 NOT NULL,   -- rounded to 4 decimals
    rest             float8 NOT NULL,   -- the result's total minus this mark, rounded to 4 decimals
    results          bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (exam_id, federal_district, region, position, mark, rest)
);
