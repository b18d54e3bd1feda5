-- Accounts: e-mail, lockout counters, erasure; login sessions with rotating refresh tokens; the admin audit trail.
ALTER TABLE users ADD COLUMN email           text;
ALTER TABLE users ADD COLUMN failed_logins   integer     NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN locked_until    timestamptz;
ALTER TABLE users ADD COLUMN last_login_at   timestamptz;
ALTER TABLE users ADD COLUMN erased_at       timestamptz;
ALTER TABLE users ADD COLUMN updated_at      timestamptz NOT NULL DEFAULT now();

-- One row per login. The refresh token is "<session id>.<secret>"; only a SHA-256 of the current secret is kept.
-- A refresh replaces the hash (rotation); presenting an older secret of the same session means the token was
-- copied, and revokes the whole session. Access tokens carry the session id, so revoking a session (logout,
-- reuse, the user disabled) stops its access tokens at once.
CREATE TABLE auth_sessions (
    id                 uuid PRIMARY KEY,
    user_id            uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    refresh_hash       bytea       NOT NULL,
    created_at         timestamptz NOT NULL DEFAULT now(),
    refreshed_at       timestamptz,
    expires_at         timestamptz NOT NULL,
    revoked_at         timestamptz,
    revoked_reason     text
);
CREATE INDEX auth_sessions_user ON auth_sessions (user_id) WHERE revoked_at IS NULL;

-- Every mutating request by an admin: who, what, on which path, with which outcome.
CREATE TABLE admin_audit (
    id          bigserial PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    admin_id    uuid        NOT NULL,
    admin_login text        NOT NULL,
    method      text        NOT NULL,
    path        text        NOT NULL,
    status      integer     NOT NULL,
    target_user uuid,
    address     text        NOT NULL DEFAULT ''
);
CREATE INDEX admin_audit_at ON admin_audit (at);
CREATE INDEX admin_audit_target ON admin_audit (target_user) WHERE target_user IS NOT NULL;

-- an e-mail belongs to one account (bulk imports report the second one as an error)
CREATE UNIQUE INDEX users_email ON users (lower(email)) WHERE email IS NOT NULL;
