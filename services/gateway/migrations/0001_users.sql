-- Accounts of the web: officials, HR officers, curators and admins.
CREATE TABLE users (
    id               uuid PRIMARY KEY,
    username         text        NOT NULL UNIQUE,
    password_hash    text        NOT NULL,
    full_name        text        NOT NULL,
    role             text        NOT NULL CHECK (role IN ('candidate', 'hr', 'curator', 'admin')),
    federal_district text        NOT NULL DEFAULT '',
    region           text        NOT NULL DEFAULT '',
    organization     text        NOT NULL DEFAULT '',
    disabled         boolean     NOT NULL DEFAULT false,
    created_at       timestamptz NOT NULL DEFAULT now()
);
