"""asyncpg pools, one schema per service, and versioned SQL migrations applied under an advisory lock."""
from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path
from typing import Any

import asyncpg
from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_delay, wait_exponential

log = logging.getLogger(__name__)

SHARED_MIGRATIONS = Path(__file__).parent / "migrations"


def jsonb(value: Any) -> Any:
    """A json/jsonb column's value as Python (asyncpg hands them over as text unless a codec is set)."""
    return json.loads(value) if isinstance(value, str) else value


class PooledConnection(asyncpg.Connection):
    """Released to the pool without asyncpg's reset query (advisory unlock, CLOSE ALL, UNLISTEN, RESET ALL): one
    round trip less on every acquire/release, which an answer save feels. Safe because pooled connections carry no
    session state here: locks are transaction-scoped (pg_advisory_xact_lock), cursors live in transactions,
    nothing runs SET, and a listener is removed (UNLISTEN) before its connection goes back; asyncpg still rolls
    back an open transaction and drops local listeners on release."""

    def get_reset_query(self) -> str:
        return ""


async def create_pool(database_url: str, schema: str, *, max_size: int = 10) -> asyncpg.Pool:
    """A pool whose connections see the service's own schema first; waits (bounded) for the server."""
    async for attempt in AsyncRetrying(
        stop=stop_after_delay(60),
        wait=wait_exponential(multiplier=0.1, max=2),
        retry=retry_if_exception_type((OSError, asyncpg.CannotConnectNowError)),
        reraise=True,
    ):
        with attempt:
            return await asyncpg.create_pool(
                database_url,
                min_size=1,
                max_size=max_size,
                connection_class=PooledConnection,
                # a startup parameter, so no SET is needed (hence direct connections, not PgBouncer, which
                # refuses unknown startup parameters)
                server_settings={"search_path": schema, "application_name": f"gramota-{schema}"},
                command_timeout=30,
            )
    raise AssertionError("unreachable")


def _lock_key(schema: str) -> int:
    return int.from_bytes(hashlib.sha256(f"gramota-migrate:{schema}".encode()).digest()[:8], "big", signed=True)


def _migration_files(service_dir: Path) -> list[tuple[str, Path]]:
    """The shared tables (outbox, inbox) first, then the service's own, in file-name order."""
    files = [(f"shared/{p.name}", p) for p in sorted(SHARED_MIGRATIONS.glob("*.sql"))]
    files += [(p.name, p) for p in sorted((service_dir / "migrations").glob("*.sql"))]
    return files


async def migrate(database_url: str, schema: str, service_dir: Path) -> list[str]:
    """Apply pending migrations to `schema`; safe to run from several replicas at once."""
    conn = await asyncpg.connect(database_url)
    try:
        await conn.execute("SELECT pg_advisory_lock($1)", _lock_key(schema))
        try:
            await conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
            await conn.execute(f'SET search_path TO "{schema}"')
            await conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                " version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
            )
            done = {r["version"] for r in await conn.fetch("SELECT version FROM schema_migrations")}
            applied = []
            for version, path in _migration_files(service_dir):
                if version in done:
                    continue
                async with conn.transaction():
                    await conn.execute(path.read_text(encoding="utf-8"))
                    await conn.execute("INSERT INTO schema_migrations (version) VALUES ($1)", version)
                applied.append(version)
                log.info("migration applied", extra={"schema": schema, "version": version})
            return applied
        finally:
            await conn.execute("SELECT pg_advisory_unlock($1)", _lock_key(schema))
    finally:
        await conn.close()
