"""Rate limits in PostgreSQL: a token bucket per (bucket, key) that every gateway replica shares, checked in one
atomic statement with the time passed in (a ManualClock here), full buckets swept away in bounded batches."""
from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from gramota.gateway.ratelimit import RateLimits, stored_key
from gramota.shared.clock import ManualClock


@pytest.fixture
async def gateway_schema(schema_pools):
    """A gateway schema of its own, migrated; two pools on it are two gateway replicas."""
    return await schema_pools("gateway", max_size=8, replicas=2)


async def test_a_rate_limit_lets_a_burst_through_then_refuses_until_tokens_refill(gateway_schema):
    pool, _ = gateway_schema
    clock = ManualClock()
    limits = RateLimits(pool, {"login_account": 3}, clock)
    assert [await limits.take("login_account", "a") for _ in range(3)] == [None, None, None]
    wait = await limits.take("login_account", "a")
    assert wait is not None and 19 <= wait <= 21  # one request every 20 s
    assert await limits.take("login_account", "b") is None  # other keys are not affected
    clock.advance(seconds=10)
    wait = await limits.take("login_account", "a")
    assert wait is not None and 9 <= wait <= 11  # a refused request costs nothing: half a token is back
    clock.advance(seconds=10.5)
    assert await limits.take("login_account", "a") is None and await limits.take("login_account", "a") is not None


async def test_a_failures_only_bucket_is_looked_at_without_taking_and_spent_only_by_failures(gateway_schema):
    pool, _ = gateway_schema
    clock = ManualClock()
    limits = RateLimits(pool, {"login_address": 3}, clock)
    assert [await limits.peek("login_address", "hall") for _ in range(50)] == [None] * 50  # good logins: never counted
    for _ in range(3):
        await limits.spend("login_address", "hall")  # three failures use the budget up
    wait = await limits.peek("login_address", "hall")
    assert wait is not None and 19 <= wait <= 21
    assert await limits.peek("login_address", "elsewhere") is None
    clock.advance(seconds=20.5)
    assert await limits.peek("login_address", "hall") is None  # one failure's worth has refilled


async def test_two_gateway_replicas_share_one_budget(gateway_schema):
    clock = ManualClock()
    replica_a, replica_b = (RateLimits(pool, {"verify": 5}, clock) for pool in gateway_schema)
    # alternating between the replicas: five in all, not five each
    answers = [await (replica_a if i % 2 else replica_b).take("verify", "203.0.113.7") for i in range(8)]
    assert [a is None for a in answers] == [True] * 5 + [False] * 3
    # at the same moment, 40 checks from both replicas at once: exactly the budget gets through
    clock.advance(minutes=5)
    answers = await asyncio.gather(*((replica_a if i % 2 else replica_b).take("verify", "198.51.100.9")
                                     for i in range(40)))
    assert sum(a is None for a in answers) == 5
    # a minute later the bucket is full again, whichever replica asks
    clock.advance(minutes=1)
    assert [await replica_b.take("verify", "198.51.100.9") is None for _ in range(6)] == [True] * 5 + [False]


async def test_a_replica_with_a_lagging_clock_does_not_refill_the_bucket(gateway_schema):
    ahead, behind = ManualClock(), ManualClock()
    behind.advance(seconds=-30)
    replica_a = RateLimits(gateway_schema[0], {"verify": 2}, ahead)
    replica_b = RateLimits(gateway_schema[1], {"verify": 2}, behind)
    assert await replica_a.take("verify", "k") is None and await replica_a.take("verify", "k") is None
    assert await replica_b.take("verify", "k") is not None  # not 30 s of tokens back, nor any
    behind.advance(seconds=30)
    assert await replica_b.take("verify", "k") is not None
    behind.advance(seconds=30)  # now 30 s after the last counted time: one token (2 a minute)
    assert await replica_b.take("verify", "k") is None


async def test_buckets_full_again_are_swept_in_bounded_batches(gateway_schema):
    pool, _ = gateway_schema
    clock = ManualClock()
    limits = RateLimits(pool, {"verify": 60, "login_account": 10}, clock)
    for n in range(25):
        await limits.take("verify", f"10.0.0.{n}")          # 1 token used: full again 1 s later
    for _ in range(10):
        await limits.take("login_account", "busy")          # empty: full again a minute later
    clock.advance(seconds=2)
    assert await limits.sweep(batch=10, batches=2) == 20    # bounded: two batches of ten
    assert await pool.fetchval("SELECT count(*) FROM rate_limit_buckets") == 6  # 5 + the busy one
    assert await limits.sweep(batch=10, batches=2) == 5
    assert [r["key"] for r in await pool.fetch("SELECT key FROM rate_limit_buckets")] == ["busy"]
    assert await limits.take("login_account", "busy") is not None  # its count survived the sweeps
    clock.advance(minutes=2)
    assert await limits.sweep() == 1
    assert await limits.take("verify", "10.0.0.1") is None  # a swept bucket starts full


async def test_a_key_too_long_for_an_index_is_kept_as_its_hash(gateway_schema):
    pool, _ = gateway_schema
    limits = RateLimits(pool, {"login_account": 1}, ManualClock())
    huge = "x" * 100_000
    assert await limits.take("login_account", huge) is None
    assert await limits.take("login_account", huge) is not None
    assert await limits.take("login_account", huge + "y") is None
    assert stored_key(huge).startswith("sha256:") and stored_key("official") == "official"


async def test_when_the_database_is_unreachable_requests_go_through(gateway_schema):
    pool, _ = gateway_schema
    limits = RateLimits(pool, {"verify": 1}, ManualClock(datetime(2026, 1, 1, tzinfo=UTC)))
    await pool.close()
    assert await limits.take("verify", "k") is None and await limits.take("verify", "k") is None
