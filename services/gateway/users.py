"""SQL of the gateway's accounts."""
from __future__ import annotations

import uuid

import asyncpg

from .auth import hash_password, verify_password

USER_COLUMNS = ("id, username, full_name, role, federal_district, region, organization, disabled, created_at, "
                "scope_districts, scope_regions")


async def create_user(pool: asyncpg.Pool, *, username: str, password: str, full_name: str, role: str,
                      federal_district: str = "", region: str = "", organization: str = "",
                      scope_districts: list[str] | None = None, scope_regions: list[str] | None = None,
                      ) -> asyncpg.Record | None:
    """The new user, or None when the username is taken."""
    return await pool.fetchrow(
        f"""
        INSERT INTO users (id, username, password_hash, full_name, role, federal_district, region, organization,
                           scope_districts, scope_regions)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (username) DO NOTHING RETURNING {USER_COLUMNS}
        """,
        uuid.uuid4(), username, hash_password(password), full_name, role, federal_district, region, organization,
        scope_districts or [], scope_regions or [],
    )


async def find_by_username(pool: asyncpg.Pool, username: str) -> asyncpg.Record | None:
    return await pool.fetchrow(f"SELECT {USER_COLUMNS}, password_hash FROM users WHERE username = $1", username)


async def get_user(pool: asyncpg.Pool, user_id: str) -> asyncpg.Record | None:
    try:
        uid = uuid.UUID(user_id)
    except ValueError:
        return None
    return await pool.fetchrow(f"SELECT {USER_COLUMNS} FROM users WHERE id = $1", uid)


async def ensure_admin(pool: asyncpg.Pool, password: str) -> None:
    """The bootstrap admin exists and has the configured password."""
    row = await find_by_username(pool, "admin")
    if row is None:
        await create_user(pool, username="admin", password=password, full_name="Администратор", role="admin")
    elif not verify_password(row["password_hash"], password):
        await pool.execute("UPDATE users SET password_hash = $1 WHERE username = 'admin'", hash_password(password))
