-- One result per attempt (the unique attempt_id makes a redelivered submission harmless).
CREATE TABLE results (
    id               uuid PRIMARY KEY,
    attempt_id       uuid        NOT NULL UNIQUE,
    exam_id          uuid        NOT NULL,
    exam_title       text        NOT NULL,
    candidate_id     text        NOT NULL,
    full_name        text        NOT NULL,
    federal_district text        NOT NULL,
    region           text        NOT NULL,
    organization     text        NOT NULL,
    points           float8      NOT NULL,
    max_points       float8      NOT NULL,
    score_percent    float8      NOT NULL,
    passed           boolean     NOT NULL,
    submitted_at     timestamptz NOT NULL,
    scored_at        timestamptz NOT NULL,
    item_scores      jsonb       NOT NULL  -- [{item_id, item_version, credit, competence}] as scored
);
CREATE INDEX results_exam ON results (exam_id, scored_at);
CREATE INDEX results_district ON results (federal_district, region, organization);
