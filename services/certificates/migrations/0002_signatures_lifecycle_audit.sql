-- Signatures, suspension, reissue links, per-competence results, the signing keys' public halves, and
-- the audit of verifications.
ALTER TABLE certificates DROP CONSTRAINT certificates_status_check;
ALTER TABLE certificates ADD CONSTRAINT certificates_status_check CHECK (status IN ('valid', 'revoked', 'suspended'));
ALTER TABLE certificates
    ADD COLUMN language           text  NOT NULL DEFAULT 'ru',
    ADD COLUMN competences        jsonb NOT NULL DEFAULT '[]',
    ADD COLUMN key_id             text,
    ADD COLUMN payload            bytea,   -- the exact canonical bytes that were signed
    ADD COLUMN signature          bytea,
    ADD COLUMN pdf_sha256         bytea,
    ADD COLUMN suspended_at       timestamptz,
    ADD COLUMN suspension_reason  text,
    ADD COLUMN replaces_serial    text REFERENCES certificates (serial),
    ADD COLUMN replaced_by_serial text REFERENCES certificates (serial);
-- a reissue keeps the attempt, so one attempt may now have one live certificate and its revoked predecessors
ALTER TABLE certificates DROP CONSTRAINT certificates_attempt_id_key;
CREATE UNIQUE INDEX certificates_one_original_per_attempt ON certificates (attempt_id) WHERE replaces_serial IS NULL;

-- Public halves of every key the service has signed with; old ones stay so old certificates keep verifying.
-- private_seed is only filled for a development key generated on first start (production: CERT_SIGNING_KEY).
CREATE TABLE signing_keys (
    key_id       text PRIMARY KEY,
    public_key   bytea       NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    private_seed text
);

CREATE TABLE verifications (
    id             bigserial PRIMARY KEY,
    at             timestamptz NOT NULL,
    serial         text        NOT NULL,
    method         text        NOT NULL,
    status         text        NOT NULL,
    user_id        text,
    client_address text
);
CREATE INDEX verifications_serial ON verifications (serial, at DESC);
