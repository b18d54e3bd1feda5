"""The gateway's account cache against the real PostgreSQL: a change made anywhere (another replica, psql) is
forgotten by every listening process; without its listener a process serves nothing from memory."""
from __future__ import annotations

import asyncio
import contextlib
import uuid
from datetime import timedelta

import pytest

from gramota.gateway import repository
from gramota.gateway.account_cache import AccountCache
from tests.conftest import eventually

ACCOUNT = "SELECT u.role, u.disabled FROM users u WHERE u.id = $1"


@pytest.fixture
async def pool(schema_pools):
    return await schema_pools("gateway", schema="gateway", max_size=10)


async def listening(database_url: str) -> tuple[AccountCache, asyncio.Task]:
    cache = AccountCache()
    task = asyncio.create_task(cache.listen(database_url, retry_every=0.1))

    async def ready():
        return cache.listening

    await eventually(ready, timeout=30)
    return cache, task


async def test_a_change_made_elsewhere_is_forgotten_by_every_replica(pool, database_url):
    user = await repository.create_user(pool, username=f"c-{uuid.uuid4().hex[:8]}", password=None, full_name="Кандидат",
                                   role="candidate")
    uid, sid = user["id"], uuid.uuid4()
    replicas = [await listening(database_url) for _ in range(2)]
    try:
        for cache, _ in replicas:
            cache.put(uid, sid, await pool.fetchrow(ACCOUNT, uid), cache.generation)
            assert cache.get(uid, sid)["disabled"] is False
        # an administrator disables the account through some other process (here: plain SQL)
        await pool.execute("UPDATE users SET disabled = true WHERE id = $1", uid)

        async def forgotten():
            return all(cache.get(uid, sid) is None for cache, _ in replicas)

        await eventually(forgotten, timeout=10)
    finally:
        for _, task in replicas:
            task.cancel()


async def test_a_revoked_login_session_is_forgotten(pool, database_url):
    user = await repository.create_user(pool, username=f"c-{uuid.uuid4().hex[:8]}", password=None, full_name="Кандидат",
                                   role="candidate")
    sid = await repository.open_session(pool, user["id"], b"hash", timedelta(hours=1))
    other_sid = uuid.uuid4()
    cache, task = await listening(database_url)
    try:
        row = await pool.fetchrow(ACCOUNT, user["id"])
        cache.put(user["id"], sid, row, cache.generation)
        cache.put(user["id"], other_sid, row, cache.generation)
        async with pool.acquire() as conn:
            await repository.revoke_session(conn, sid, "logout")

        async def gone():
            return cache.get(user["id"], sid) is None

        await eventually(gone, timeout=10)
        assert cache.get(user["id"], other_sid) is not None  # only that login was forgotten
    finally:
        task.cancel()


async def test_without_its_listener_a_process_reads_every_account_from_the_database(pool, database_url):
    cache, task = await listening(database_url)
    uid, sid = uuid.uuid4(), uuid.uuid4()
    try:
        cache.put(uid, sid, {"role": "candidate"}, cache.generation)
        assert cache.get(uid, sid) is not None
        # the listening connection dies (a PostgreSQL restart, a network cut): notices may be missed from now on
        await pool.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                           " WHERE application_name = 'gramota-gateway-accounts'")

        async def dropped_then_back():
            return cache.get(uid, sid) is None and cache.listening

        await eventually(dropped_then_back, timeout=30)
        cache.put(uid, sid, {"role": "candidate"}, cache.generation)  # it caches again once it listens again
        assert cache.get(uid, sid) is not None
    finally:
        task.cancel()


async def test_a_read_that_overlapped_a_change_is_not_kept(database_url):
    cache, task = await listening(database_url)
    try:
        uid, sid = uuid.uuid4(), uuid.uuid4()
        generation = cache.generation       # a request starts reading the account ...
        cache.forget_user(uuid.uuid4())     # ... any change is announced meanwhile ...
        cache.put(uid, sid, {"role": "admin"}, generation)
        assert cache.get(uid, sid) is None  # ... so what it read may be stale and is not kept
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
