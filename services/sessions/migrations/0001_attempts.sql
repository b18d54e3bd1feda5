-- Forms cached from `exam published` (no keys), attempts, their answers and their audit trail.
CREATE TABLE exam_forms (
    exam_id            uuid PRIMARY KEY,
    title              text        NOT NULL,
    time_limit_seconds int         NOT NULL,
    pass_score         float8      NOT NULL,
    form_version       int         NOT NULL,
    questions          jsonb       NOT NULL,
    cached_at          timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE attempts (
    id             uuid PRIMARY KEY,
    exam_id        uuid        NOT NULL REFERENCES exam_forms (exam_id),
    candidate_id   text        NOT NULL,
    candidate      jsonb       NOT NULL,  -- name, district, region, organisation at start
    status         text        NOT NULL CHECK (status IN ('in_progress', 'submitted')),
    started_at     timestamptz NOT NULL,
    deadline       timestamptz NOT NULL,
    submitted_at   timestamptz,
    auto_submitted boolean     NOT NULL DEFAULT false,
    questions      jsonb       NOT NULL   -- the drawn questions, in the candidate's order, without keys
);
CREATE INDEX attempts_candidate ON attempts (candidate_id, exam_id);
CREATE INDEX attempts_open_by_deadline ON attempts (deadline) WHERE status = 'in_progress';
-- one open attempt per candidate and exam: a second start resumes it
CREATE UNIQUE INDEX attempts_one_open ON attempts (candidate_id, exam_id) WHERE status = 'in_progress';

CREATE TABLE answers (
    attempt_id  uuid        NOT NULL REFERENCES attempts (id),
    question_id text        NOT NULL,
    option_ids  text[]      NOT NULL,
    saved_at    timestamptz NOT NULL,
    PRIMARY KEY (attempt_id, question_id)
);

CREATE TABLE attempt_audit (
    id          bigserial PRIMARY KEY,
    attempt_id  uuid        NOT NULL REFERENCES attempts (id),
    kind        text        NOT NULL,
    at          timestamptz NOT NULL,
    detail      jsonb       NOT NULL DEFAULT '{}'
);
CREATE INDEX attempt_audit_by_attempt ON attempt_audit (attempt_id, id);
