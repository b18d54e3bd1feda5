"""Rate limits: token buckets per (bucket, key) in this gateway process, and a `rate_limited(bucket)` dependency.

Per process on purpose: a limit is a brake on guessing and scraping, not an accounting rule; with N replicas an
address gets at most N times the rate, which still stops a password-guessing or serial-enumeration run.
"""
from __future__ import annotations

import math
import time
from collections import OrderedDict
from dataclasses import dataclass

from fastapi import Request

from .problems import Problem

MAX_KEYS = 100_000  # oldest keys are forgotten first, so a flood of distinct keys cannot exhaust memory


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimit:
    """`per_minute` requests a minute per key, with bursts up to the same number."""

    def __init__(self, per_minute: int, clock=time.monotonic) -> None:
        self.per_minute = per_minute
        self._clock = clock
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()

    def take(self, key: str) -> float | None:
        """None when the request may go ahead; otherwise seconds until it may."""
        now = self._clock()
        rate = self.per_minute / 60.0
        bucket = self._buckets.pop(key, None) or _Bucket(float(self.per_minute), now)
        bucket.tokens = min(float(self.per_minute), bucket.tokens + (now - bucket.updated) * rate)
        bucket.updated = now
        self._buckets[key] = bucket
        if len(self._buckets) > MAX_KEYS:
            self._buckets.popitem(last=False)
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return None
        return (1 - bucket.tokens) / rate if rate > 0 else math.inf


def client_address(request: Request) -> str:
    # behind an ingress, uvicorn's --proxy-headers/--forwarded-allow-ips puts the caller's address here
    return request.client.host if request.client else "unknown"


def limits_of(request: Request) -> dict[str, RateLimit]:
    return request.app.state.rate_limits


def check(request: Request, bucket: str, key: str) -> None:
    """Raise 429 too_many_requests (with Retry-After) when `key` has used up `bucket`."""
    wait = limits_of(request)[bucket].take(key)
    if wait is not None:
        seconds = max(1, math.ceil(wait))
        request.state.retry_after = seconds  # the middleware puts it in a Retry-After header
        raise Problem(429, "too_many_requests", f"too many requests; try again in {seconds} s", retry_after=seconds)


def rate_limited(bucket: str):
    """A dependency limiting the caller's address in `bucket` (e.g. Depends(rate_limited("verify")))."""

    async def _limit(request: Request) -> None:
        check(request, bucket, client_address(request))

    return _limit


def make_limits(settings) -> dict[str, RateLimit]:
    return {
        "login_account": RateLimit(settings.login_rate_per_account),
        "login_address": RateLimit(settings.login_rate_per_address),
        "verify": RateLimit(settings.verify_rate_per_address),
    }
