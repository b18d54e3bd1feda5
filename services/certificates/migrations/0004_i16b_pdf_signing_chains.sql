-- The X.509 chain each Ed25519 signing key signs certificate PDFs with (PAdES): an issuer CA and a signing
-- certificate, both ECDSA P-256 with keys derived from that key's seed (certificates/pades.py). Made once per key
-- by the first replica that starts with it; kept after rotation, so older PDFs validate against their own CA.
CREATE TABLE pdf_signing_chains (
    key_id       text PRIMARY KEY REFERENCES signing_keys (key_id),
    signing_cert bytea       NOT NULL,
    ca_cert      bytea       NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);
