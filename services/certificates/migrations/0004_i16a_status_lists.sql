-- Open Badges 3.0: each certificate a stable place in the Bitstring Status Lists (status_seq, numbered in issue
-- order from 0; badge.status_position maps it to a list and a scattered bit) and a random salt for the holder's
-- identity hash in the credential.
CREATE SEQUENCE certificate_status_seq MINVALUE 0 START 0;
ALTER TABLE certificates ADD COLUMN status_seq bigint, ADD COLUMN identity_salt text;
WITH ordered AS (SELECT serial, row_number() OVER (ORDER BY issued_at, serial) - 1 AS n FROM certificates)
UPDATE certificates c SET status_seq = ordered.n FROM ordered WHERE c.serial = ordered.serial;
SELECT setval('certificate_status_seq', COALESCE((SELECT max(status_seq) + 1 FROM certificates), 0), false);
UPDATE certificates SET identity_salt = replace(gen_random_uuid()::text, '-', '');
ALTER TABLE certificates
    ALTER COLUMN status_seq SET DEFAULT nextval('certificate_status_seq'),
    ALTER COLUMN status_seq SET NOT NULL,
    ALTER COLUMN identity_salt SET DEFAULT replace(gen_random_uuid()::text, '-', ''),
    ALTER COLUMN identity_salt SET NOT NULL;
ALTER SEQUENCE certificate_status_seq OWNED BY certificates.status_seq;
CREATE UNIQUE INDEX certificates_status_seq ON certificates (status_seq);
