-- Exam rules and draw rules cached with the form; every answer type; client sequence numbers; flags;
-- extra time per candidate (accommodations) and per attempt (admin extensions).
ALTER TABLE exam_forms
    ADD COLUMN settings jsonb NOT NULL DEFAULT '{}',
    ADD COLUMN rules    jsonb NOT NULL DEFAULT '[]';

ALTER TABLE attempts
    ADD COLUMN attempt_number int  NOT NULL DEFAULT 1,
    ADD COLUMN navigation     text NOT NULL DEFAULT 'free',
    ADD COLUMN extra_seconds  int  NOT NULL DEFAULT 0,
    ADD COLUMN flagged        text[] NOT NULL DEFAULT '{}';
CREATE INDEX attempts_by_exam_candidate_end ON attempts (candidate_id, exam_id, submitted_at);

ALTER TABLE answers
    ADD COLUMN pairs      jsonb  NOT NULL DEFAULT '{}',
    ADD COLUMN text       text   NOT NULL DEFAULT '',
    ADD COLUMN number     float8,
    ADD COLUMN client_seq bigint NOT NULL DEFAULT 0;

CREATE TABLE accommodations (
    user_id       text PRIMARY KEY,
    extra_percent int         NOT NULL DEFAULT 0 CHECK (extra_percent BETWEEN 0 AND 400),
    extra_minutes int         NOT NULL DEFAULT 0 CHECK (extra_minutes BETWEEN 0 AND 1440),
    set_by        text        NOT NULL,
    note          text        NOT NULL DEFAULT '',
    updated_at    timestamptz NOT NULL
);

-- changes to accommodations are audited too (they belong to no attempt)
CREATE TABLE accommodation_audit (
    id            bigserial PRIMARY KEY,
    user_id       text        NOT NULL,
    extra_percent int         NOT NULL,
    extra_minutes int         NOT NULL,
    set_by        text        NOT NULL,
    note          text        NOT NULL DEFAULT '',
    at            timestamptz NOT NULL
);
