"""The sleep of a background loop that a PostgreSQL NOTIFY cuts short: the outbox relay and the certificate
renderer wake the moment a committed transaction announces work, and poll as a fallback when notices are lost."""
from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

import asyncpg

log = logging.getLogger(__name__)


def _closed(conn: asyncpg.Connection) -> bool:
    try:
        return conn.is_closed()
    except asyncpg.InterfaceError:  # the pool already took the dead connection back
        return True


class Wakeup:
    """LISTENs on `channel` over one pooled connection. A notice that arrives while the loop works is kept, so the
    next `sleep` returns at once instead of missing it."""

    def __init__(self, pool: asyncpg.Pool, channel: str) -> None:
        self._pool = pool
        self._channel = channel
        self._event = asyncio.Event()
        self._conn: asyncpg.Connection | None = None

    def set(self, *_: object) -> None:
        self._event.set()

    async def listen(self) -> None:
        """Subscribe if not subscribed (the first call, or after a database restart closed the connection)."""
        if self._conn is not None and not _closed(self._conn):
            return
        old, self._conn = self._conn, None
        if old is not None:
            with contextlib.suppress(Exception):  # a dead connection: the pool discards it
                await self._pool.release(old)
        conn = await self._pool.acquire()
        try:
            await conn.add_listener(self._channel, self.set)
        except BaseException:
            await self._pool.release(conn)
            raise
        self._conn = conn

    async def sleep(self, seconds: float) -> None:
        """Until a notice (or `set`) since the last wake, at most `seconds`."""
        try:
            await asyncio.wait_for(self._event.wait(), timeout=seconds)
        except TimeoutError:
            pass
        self._event.clear()

    async def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(Exception):
                await conn.remove_listener(self._channel, self.set)
            with contextlib.suppress(Exception):
                await self._pool.release(conn)


async def run_woken(wakeup: Wakeup, step: Callable[[], Awaitable[bool]], *, idle_seconds: float, what: str,
                    stopping: asyncio.Event | None = None) -> None:
    """The loop of a notice-driven background task: `step` returns True when there may be more to do at once;
    otherwise sleep until a notice or `idle_seconds`. A failure is logged and retried with a growing back-off.
    Runs until cancelled (or `stopping` is set)."""
    backoff = 0.2
    try:
        while stopping is None or not stopping.is_set():
            try:
                # (again) after a database restart: without it the loop would only poll
                await wakeup.listen()
                busy = await step()
                backoff = 0.2
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("%s failed; will retry", what, extra={"backoff_s": backoff})
                await wakeup.sleep(backoff)
                backoff = min(backoff * 2, 5.0)
                continue
            if not busy:
                await wakeup.sleep(idle_seconds)
    finally:
        await wakeup.close()
