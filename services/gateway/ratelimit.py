"""Rate limits shared by every gateway replica: a token bucket per (bucket, key) in PostgreSQL, and a
`rate_limited(bucket)` dependency.

Each check is one atomic statement (INSERT ... ON CONFLICT DO UPDATE ... RETURNING), so replicas checking the same
key at once queue on its row and together never let through more than one budget. The time is passed in from a
Clock, never PostgreSQL's now(): tests drive it, and a replica whose clock lags cannot refill a bucket backwards.
A bucket refilled to the brim says nothing an absent row would not, so such rows are deleted in bounded batches.
"""
from __future__ import annotations

import asyncio
import hashlib
import logging
import math

import asyncpg
from fastapi import Request

from gramota.shared.clock import Clock, SystemClock

from . import repository
from .problems import Problem

log = logging.getLogger(__name__)

SWEEP_SECONDS = 30.0
SWEEP_BATCH = 5_000
SWEEP_BATCHES = 20        # at most SWEEP_BATCH * SWEEP_BATCHES rows per sweep
CHECK_TIMEOUT = 2.0       # seconds a check may wait for the database before it lets the request through
LONGEST_KEY = 200         # longer keys (a huge username) are kept as their SHA-256: an index entry has a size limit

# the database is down, restarting or out of reach (not: a bug in the statement, which should surface)
UNREACHABLE = (OSError, asyncio.TimeoutError, asyncpg.PostgresConnectionError, asyncpg.OperatorInterventionError,
               asyncpg.InterfaceError)

def stored_key(key: str) -> str:
    if len(key) <= LONGEST_KEY:
        return key
    return "sha256:" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


class RateLimits:
    """The gateway's buckets: `per_minute` requests a minute per key in each, with bursts up to the same number."""

    def __init__(self, pool: asyncpg.Pool, per_minute: dict[str, int], clock: Clock | None = None) -> None:
        self.pool = pool
        self.per_minute = per_minute
        self.clock = clock or SystemClock()

    async def take(self, bucket: str, key: str) -> float | None:
        """None when the request may go ahead; otherwise seconds until it may."""
        capacity = float(self.per_minute[bucket])
        rate = capacity / 60.0
        try:
            row = await repository.take_token(self.pool, bucket, stored_key(key), capacity, rate, self.clock.now(),
                                              CHECK_TIMEOUT)
        except UNREACHABLE as exc:
            # a brake, not a gate: while the gateway's database is unreachable requests go through unlimited
            # (logins fail anyway without it; public verification keeps working)
            log.warning("rate limit not checked: the database is unreachable",
                        extra={"bucket": bucket, "error": type(exc).__name__})
            return None
        if row["allowed"]:
            return None
        return (1 - row["tokens"]) / rate

    async def peek(self, bucket: str, key: str) -> float | None:
        """Like `take`, but takes nothing: for buckets that count only failures (`spend` after one)."""
        capacity = float(self.per_minute[bucket])
        rate = capacity / 60.0
        try:
            tokens = await repository.peek_tokens(self.pool, bucket, stored_key(key), capacity, rate, self.clock.now(),
                                                 CHECK_TIMEOUT)
        except UNREACHABLE as exc:
            log.warning("rate limit not checked: the database is unreachable",
                        extra={"bucket": bucket, "error": type(exc).__name__})
            return None
        if tokens is None or tokens >= 1:
            return None
        return (1 - tokens) / rate

    async def spend(self, bucket: str, key: str) -> None:
        """Count one failure in `bucket` (a bucket checked with `peek`)."""
        await self.take(bucket, key)

    async def sweep(self, batch: int = SWEEP_BATCH, batches: int = SWEEP_BATCHES) -> int:
        """Delete buckets that are full again, `batch` rows a statement, `batches` statements at most."""
        deleted = 0
        now = self.clock.now()
        for _ in range(batches):
            count = await repository.sweep_full_buckets(self.pool, now, batch)
            deleted += count
            if count < batch:
                break
        return deleted

    async def sweep_forever(self, every: float = SWEEP_SECONDS) -> None:
        """The gateway's lifespan task: sweep every `every` seconds until cancelled."""
        while True:
            await asyncio.sleep(every)
            try:
                deleted = await self.sweep()
                if deleted:
                    log.info("rate limit buckets swept", extra={"deleted": deleted})
            except Exception:
                log.warning("could not sweep the rate limit buckets", exc_info=True)


def client_address(request: Request) -> str:
    # behind an ingress, uvicorn's --proxy-headers/--forwarded-allow-ips puts the caller's address here
    return request.client.host if request.client else "unknown"


async def check(request: Request, bucket: str, key: str) -> None:
    """Raise 429 too_many_requests (with Retry-After) when `key` has used up `bucket`."""
    wait = await request.app.state.rate_limits.take(bucket, key)
    if wait is not None:
        _refuse(request, wait)


async def check_failures(request: Request, bucket: str, key: str) -> None:
    """Raise 429 when `key` has used up the failures `bucket` allows; what succeeds is never counted (`failed`)."""
    wait = await request.app.state.rate_limits.peek(bucket, key)
    if wait is not None:
        _refuse(request, wait)


async def failed(request: Request, *buckets: tuple[str, str]) -> None:
    """Count one failure in each (bucket, key)."""
    for bucket, key in buckets:
        await request.app.state.rate_limits.spend(bucket, key)


def _refuse(request: Request, wait: float) -> None:
    seconds = max(1, math.ceil(wait))
    request.state.retry_after = seconds  # the middleware puts it in a Retry-After header
    raise Problem(429, "too_many_requests", f"too many requests; try again in {seconds} s", retry_after=seconds)


def rate_limited(bucket: str):
    """A dependency limiting the caller's address in `bucket` (e.g. Depends(rate_limited("verify")))."""

    async def _limit(request: Request) -> None:
        await check(request, bucket, client_address(request))

    return _limit


def make_limits(pool: asyncpg.Pool, settings, clock: Clock | None = None) -> RateLimits:
    return RateLimits(pool, {
        "login_account": settings.login_rate_per_account,
        "login_address": settings.login_rate_per_address,
        "verify": settings.verify_rate_per_address,
    }, clock)
