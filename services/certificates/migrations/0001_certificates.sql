-- Issued certificates; one per attempt (the unique attempt_id makes a redelivered result harmless).
CREATE TABLE certificates (
    serial            text PRIMARY KEY,
    attempt_id        uuid        NOT NULL UNIQUE,
    result_id         uuid        NOT NULL,
    exam_id           uuid        NOT NULL,
    exam_title        text        NOT NULL,
    holder_user_id    text        NOT NULL,
    holder_name       text        NOT NULL,  -- as it was at issue; later profile edits never change it
    score_percent     float8      NOT NULL,
    issued_at         timestamptz NOT NULL,
    expires_at        timestamptz,
    status            text        NOT NULL DEFAULT 'valid' CHECK (status IN ('valid', 'revoked')),
    revoked_at        timestamptz,
    revocation_reason text,
    pdf               bytea       NOT NULL
);
CREATE INDEX certificates_holder ON certificates (holder_user_id);
