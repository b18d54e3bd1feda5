-- Rate limits shared by every gateway replica: one token bucket per (bucket, key), e.g. ('verify', '203.0.113.7').
-- UNLOGGED: a brake on guessing, not a record. After a crash PostgreSQL empties it, and every bucket starts full.
CREATE UNLOGGED TABLE rate_limit_buckets (
    bucket     text        NOT NULL,   -- login_account | login_address | verify
    key        text        NOT NULL,   -- the address or the username (SHA-256 when very long)
    tokens     float8      NOT NULL,   -- left after the last check
    updated_at timestamptz NOT NULL,   -- when they were counted (the gateway's clock)
    allowed    boolean     NOT NULL,   -- the last check's answer
    full_at    timestamptz NOT NULL,   -- when the bucket is full again: from then on the row can go
    PRIMARY KEY (bucket, key)
);
CREATE INDEX rate_limit_buckets_full_at ON rate_limit_buckets (full_at);
