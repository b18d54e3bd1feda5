"""Every SQL statement of the gateway, each a named function: users, login sessions (refresh tokens), lockout,
erasure, the admin audit, and the rate limits' token buckets (tables: services/gateway/migrations/)."""
from __future__ import annotations

import secrets
import uuid
from datetime import datetime, timedelta

import asyncpg

from .passwords import NO_PASSWORD, hash_password_off_loop, verify_password_off_loop

USER_COLUMNS = ("id, username, full_name, role, federal_district, region, organization, disabled, created_at, "
                "scope_districts, scope_regions, email, locked_until, last_login_at, erased_at, updated_at")
# what an admin may change with PATCH /users/{id}
EDITABLE = ("full_name", "email", "role", "federal_district", "region", "organization", "scope_districts",
            "scope_regions", "disabled")


def parse_id(user_id: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(user_id)
    except ValueError:
        return None


async def create_user(pool: asyncpg.Pool | asyncpg.Connection, *, username: str, password: str | None, full_name: str,
                      role: str, federal_district: str = "", region: str = "", organization: str = "",
                      email: str | None = None, scope_districts: list[str] | None = None,
                      scope_regions: list[str] | None = None) -> asyncpg.Record | None:
    """The new user, or None when the username (or e-mail) is taken. No password: the account cannot log in
    until an admin sets one."""
    password_hash = await hash_password_off_loop(password) if password else NO_PASSWORD
    try:
        return await pool.fetchrow(
            f"""
            INSERT INTO users (id, username, password_hash, full_name, role, federal_district, region, organization,
                               scope_districts, scope_regions, email)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (username) DO NOTHING
            RETURNING {USER_COLUMNS}
            """,
            uuid.uuid4(), username, password_hash, full_name, role, federal_district, region, organization,
            scope_districts or [], scope_regions or [], email or None,
        )
    except asyncpg.UniqueViolationError:  # the e-mail index
        return None


async def find_by_username(pool: asyncpg.Pool, username: str) -> asyncpg.Record | None:
    return await pool.fetchrow(f"SELECT {USER_COLUMNS}, password_hash, failed_logins FROM users WHERE username = $1",
                               username)


async def get_user(pool: asyncpg.Pool, user_id: str) -> asyncpg.Record | None:
    uid = parse_id(user_id)
    if uid is None:
        return None
    return await pool.fetchrow(f"SELECT {USER_COLUMNS} FROM users WHERE id = $1", uid)


async def list_users(pool: asyncpg.Pool, *, role: str | None, search: str | None, limit: int, offset: int) -> list:
    return await pool.fetch(
        f"""SELECT {USER_COLUMNS} FROM users
             WHERE ($1::text IS NULL OR role = $1)
               AND ($2::text IS NULL OR username ILIKE '%' || $2 || '%' OR full_name ILIKE '%' || $2 || '%')
             ORDER BY created_at, username LIMIT $3 OFFSET $4""",
        role, search, limit, offset)


async def existing_logins_and_emails(pool: asyncpg.Pool, logins: list[str], emails: list[str]) -> tuple[set, set]:
    rows = await pool.fetch("SELECT username, lower(email) AS email FROM users WHERE username = ANY($1) "
                            "OR lower(email) = ANY($2)", logins, [e.lower() for e in emails])
    return {r["username"] for r in rows}, {r["email"] for r in rows if r["email"]}


async def update_user(pool: asyncpg.Pool, user_id: uuid.UUID, changes: dict, password: str | None) -> asyncpg.Record | None:
    """The changed user; disabling (or a new password) also ends every login session of the account."""
    sets, args = [], [user_id]
    for name in EDITABLE:
        if name in changes:
            args.append(changes[name])
            sets.append(f"{name} = ${len(args)}")
    if password:
        args.append(await hash_password_off_loop(password))
        sets.append(f"password_hash = ${len(args)}, failed_logins = 0, locked_until = NULL")
    if changes.get("disabled") is False:
        sets.append("failed_logins = 0, locked_until = NULL")
    async with pool.acquire() as conn, conn.transaction():
        row = await conn.fetchrow(
            f"UPDATE users SET {', '.join(sets + ['updated_at = now()'])} WHERE id = $1 AND erased_at IS NULL "
            f"RETURNING {USER_COLUMNS}", *args)
        if row is not None and (changes.get("disabled") or password):
            await revoke_sessions(conn, user_id, "disabled" if changes.get("disabled") else "password changed")
        return row


async def ensure_admin(pool: asyncpg.Pool, password: str) -> None:
    """The bootstrap admin exists and has the configured password."""
    row = await find_by_username(pool, "admin")
    if row is None:
        await create_user(pool, username="admin", password=password, full_name="Администратор", role="admin")
    elif not await verify_password_off_loop(row["password_hash"], password):
        await pool.execute("UPDATE users SET password_hash = $1 WHERE username = 'admin'",
                           await hash_password_off_loop(password))


# --- lockout -----------------------------------------------------------------------------------------
async def record_failure(pool: asyncpg.Pool, user_id: uuid.UUID, *, max_failures: int, lock_for: timedelta
                         ) -> datetime | None:
    """Count one wrong password; when it is the `max_failures`-th in a row, lock the account and say until when."""
    row = await pool.fetchrow(
        """UPDATE users SET failed_logins = CASE WHEN failed_logins + 1 >= $2 THEN 0 ELSE failed_logins + 1 END,
                            locked_until = CASE WHEN failed_logins + 1 >= $2 THEN now() + $3 ELSE locked_until END
            WHERE id = $1 RETURNING locked_until, locked_until > now() AS locked""",
        user_id, max_failures, lock_for)
    return row["locked_until"] if row and row["locked"] else None


async def record_success(pool: asyncpg.Pool, user_id: uuid.UUID, new_hash: str | None = None) -> None:
    """A good login: the failure count cleared and, with `new_hash`, the password's hash replaced (made again at
    today's Argon2 cost from the password just verified)."""
    await pool.execute("UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = now(), "
                       "password_hash = coalesce($2, password_hash) WHERE id = $1", user_id, new_hash)


# --- login sessions (refresh tokens) -----------------------------------------------------------------
async def open_session(pool: asyncpg.Pool, user_id: uuid.UUID, refresh_hash: bytes, lifetime: timedelta) -> uuid.UUID:
    sid = uuid.uuid4()
    await pool.execute("INSERT INTO auth_sessions (id, user_id, refresh_hash, expires_at) VALUES ($1, $2, $3, now() + $4)",
                       sid, user_id, refresh_hash, lifetime)
    return sid


async def rotate_refresh(pool: asyncpg.Pool, sid: uuid.UUID, presented_hash: bytes, new_hash: bytes,
                         lifetime: timedelta) -> tuple[str, asyncpg.Record | None]:
    """Swap the session's refresh secret: ("ok", user) / ("reused" | "expired" | "revoked" | "unknown", None).
    A secret that was already swapped out means two parties hold the token: the session is revoked."""
    async with pool.acquire() as conn, conn.transaction():
        session = await conn.fetchrow("SELECT * FROM auth_sessions WHERE id = $1 FOR UPDATE", sid)
        if session is None:
            return "unknown", None
        if session["revoked_at"] is not None:
            return "revoked", None
        if not secrets.compare_digest(bytes(session["refresh_hash"]), presented_hash):
            await revoke_session(conn, sid, "refresh token reused")
            return "reused", None
        if session["expires_at"] <= await conn.fetchval("SELECT now()"):
            return "expired", None
        user = await conn.fetchrow(f"SELECT {USER_COLUMNS} FROM users WHERE id = $1", session["user_id"])
        if user is None or user["disabled"] or user["erased_at"] is not None:
            await revoke_session(conn, sid, "account disabled")
            return "revoked", None
        await conn.execute("UPDATE auth_sessions SET refresh_hash = $2, refreshed_at = now(), expires_at = now() + $3 "
                           "WHERE id = $1", sid, new_hash, lifetime)
        return "ok", user


async def revoke_session(conn, sid: uuid.UUID, reason: str, refresh_hash: bytes | None = None) -> bool:
    """End one login session (with `refresh_hash`: only if that is its current refresh secret)."""
    status = await conn.execute(
        "UPDATE auth_sessions SET revoked_at = now(), revoked_reason = $2 "
        "WHERE id = $1 AND revoked_at IS NULL AND ($3::bytea IS NULL OR refresh_hash = $3)", sid, reason, refresh_hash)
    return status.endswith(" 1")


async def revoke_sessions(conn, user_id: uuid.UUID, reason: str) -> int:
    status = await conn.execute("UPDATE auth_sessions SET revoked_at = now(), revoked_reason = $2 "
                                "WHERE user_id = $1 AND revoked_at IS NULL", user_id, reason)
    return int(status.rsplit(" ", 1)[1])


# --- personal data -----------------------------------------------------------------------------------
async def export_user(pool: asyncpg.Pool, user_id: uuid.UUID) -> dict | None:
    """Everything the gateway holds about a user (no password hash, no refresh secrets)."""
    user = await pool.fetchrow(f"SELECT {USER_COLUMNS}, failed_logins FROM users WHERE id = $1", user_id)
    if user is None:
        return None
    sessions = await pool.fetch("SELECT id, created_at, refreshed_at, expires_at, revoked_at, revoked_reason "
                                "FROM auth_sessions WHERE user_id = $1 ORDER BY created_at", user_id)
    audit = await pool.fetch("SELECT at, admin_login, method, path, status FROM admin_audit "
                             "WHERE target_user = $1 OR admin_id = $1 ORDER BY at", user_id)
    return {"user": dict(user), "login_sessions": [dict(s) for s in sessions], "admin_actions": [dict(a) for a in audit]}


async def erase_user(pool: asyncpg.Pool, user_id: uuid.UUID) -> tuple[datetime, bool]:
    """Remove the personal data from the account row; keep the row (ids in other services still point to it).
    Idempotent: (when the account was first erased, whether this call erased it)."""
    async with pool.acquire() as conn, conn.transaction():
        erased_at = await conn.fetchval(
            """UPDATE users SET username = 'erased-' || replace(id::text, '-', ''), full_name = '', email = NULL,
                      federal_district = '', region = '', organization = '', password_hash = $2,
                      scope_districts = '{}', scope_regions = '{}', disabled = true, failed_logins = 0,
                      locked_until = NULL, last_login_at = NULL, erased_at = now(), updated_at = now()
                WHERE id = $1 AND erased_at IS NULL RETURNING erased_at""",
            user_id, NO_PASSWORD)
        if erased_at is None:
            return await conn.fetchval("SELECT erased_at FROM users WHERE id = $1", user_id), False
        # its login sessions go too: they held the times of logins, nothing else
        await conn.execute("DELETE FROM auth_sessions WHERE user_id = $1", user_id)
        return erased_at, True


# --- the admin audit ---------------------------------------------------------------------------------
async def audit(pool: asyncpg.Pool, *, admin_id: str, admin_login: str, method: str, path: str, status: int,
                target_user: str | None, address: str) -> None:
    await pool.execute("INSERT INTO admin_audit (admin_id, admin_login, method, path, status, target_user, address) "
                       "VALUES ($1, $2, $3, $4, $5, $6, $7)",
                       uuid.UUID(admin_id), admin_login, method, path, status,
                       parse_id(target_user) if target_user else None, address)


async def audit_entries(pool: asyncpg.Pool, limit: int, offset: int) -> list:
    return await pool.fetch("SELECT id, at, admin_id, admin_login, method, path, status, target_user, address "
                            "FROM admin_audit ORDER BY id DESC LIMIT $1 OFFSET $2", limit, offset)


async def account_of_token(pool: asyncpg.Pool, user_id: uuid.UUID, session_id: uuid.UUID) -> asyncpg.Record | None:
    """What a request's bearer token stands for: the account and its login session (NULL columns: no such session)."""
    return await pool.fetchrow(
        """
        SELECT u.username, u.role, u.full_name, u.scope_districts, u.scope_regions, u.disabled, u.erased_at,
               u.federal_district, u.region, u.organization, s.revoked_at, s.expires_at
          FROM users u LEFT JOIN auth_sessions s ON s.id = $2 AND s.user_id = u.id
         WHERE u.id = $1
        """, user_id, session_id)


# --- rate limits (ratelimit.py) ------------------------------------------------------------------------------------------

# $1 bucket, $2 key, $3 capacity (= per minute), $4 refill per second, $5 now.
# `avail`: the tokens after refilling since the last check (never more than the capacity, never refilled
# backwards); a request takes one when there is one. `full_at`: when the bucket is full again.
_TAKE = """
INSERT INTO rate_limit_buckets AS b (bucket, key, tokens, updated_at, allowed, full_at)
VALUES ($1, $2, $3::float8 - 1, $5::timestamptz, true, $5::timestamptz + make_interval(secs => 1 / $4::float8))
ON CONFLICT (bucket, key) DO UPDATE SET (tokens, allowed, updated_at, full_at) = (
    SELECT t.left_over, t.avail >= 1, t.at, t.at + make_interval(secs => ($3::float8 - t.left_over) / $4::float8)
    FROM (SELECT a.avail, a.at, CASE WHEN a.avail >= 1 THEN a.avail - 1 ELSE a.avail END AS left_over
          FROM (SELECT LEAST($3::float8, b.tokens + GREATEST(0, extract(epoch FROM $5::timestamptz - b.updated_at))
                                                    * $4::float8) AS avail,
                       GREATEST(b.updated_at, $5::timestamptz) AS at) a) t)
RETURNING tokens, allowed
"""


async def take_token(pool: asyncpg.Pool, bucket: str, key: str, capacity: float, rate: float, now: datetime,
                     timeout: float) -> asyncpg.Record:
    """One token taken from the bucket when it has one, in one atomic statement: (tokens left, allowed)."""
    return await pool.fetchrow(_TAKE, bucket, key, capacity, rate, now, timeout=timeout)


async def peek_tokens(pool: asyncpg.Pool, bucket: str, key: str, capacity: float, rate: float, now: datetime,
                      timeout: float) -> float | None:
    """The tokens the bucket has now, without taking one (None: no row, a full bucket)."""
    return await pool.fetchval(
        """
        SELECT LEAST($3::float8, tokens + GREATEST(0, extract(epoch FROM $5::timestamptz - updated_at)) * $4::float8)
        FROM rate_limit_buckets WHERE bucket = $1 AND key = $2
        """, bucket, key, capacity, rate, now, timeout=timeout)


async def sweep_full_buckets(pool: asyncpg.Pool, now: datetime, batch: int) -> int:
    """Delete one batch of buckets full again by `now`; how many. The outer condition keeps a row another replica has
    just used again."""
    status = await pool.execute(
        """
        DELETE FROM rate_limit_buckets
        WHERE (bucket, key) IN (SELECT bucket, key FROM rate_limit_buckets WHERE full_at <= $1 LIMIT $2)
          AND full_at <= $1
        """, now, batch)
    return int(status.split()[-1])
