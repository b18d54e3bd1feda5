"""Fixtures of the in-process integration tests: a service's tables in a schema of their own on the real PostgreSQL,
and the sessions service over them."""
from __future__ import annotations

import uuid
from pathlib import Path

import asyncpg
import pytest

from gramota.shared import db
from gramota.shared.clock import ManualClock
from tests.integration.sessions_kit import NoBank

SERVICES = Path(__file__).resolve().parents[2] / "services"


@pytest.fixture
async def schema_pools(database_url):
    """`await schema_pools("sessions")`: a pool on a new schema migrated with that service's migrations (a service
    name under services/, or a folder holding migrations/); `replicas=2` gives two pools on the one schema (two
    replicas); `schema=` names it. Closed after the test."""
    opened: list[asyncpg.Pool] = []

    async def make(service: str | Path, *, max_size: int = 5, replicas: int = 1,
                   schema: str | None = None) -> asyncpg.Pool | list[asyncpg.Pool]:
        folder = service if isinstance(service, Path) else SERVICES / service
        name = schema or f"{folder.name}_{uuid.uuid4().hex[:8]}"
        await db.migrate(database_url, name, folder)
        pools = [await db.create_pool(database_url, name, max_size=max_size) for _ in range(replicas)]
        opened.extend(pools)
        return pools[0] if replicas == 1 else pools

    yield make
    for pool in opened:
        await pool.close()


@pytest.fixture
async def env(schema_pools):
    """The sessions servicer on its own schema, with a manual clock: (servicer, clock, pool)."""
    from gramota.sessions.server import SessionsServicer

    pool = await schema_pools("sessions")
    clock = ManualClock()
    return SessionsServicer(pool, clock, NoBank()), clock, pool
