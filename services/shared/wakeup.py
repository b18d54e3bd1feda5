"""The sleep of a background loop that a PostgreSQL NOTIFY cuts short: the outbox relay and the certificate
renderer wake the moment a committed transaction announces work, and poll as a fallback when notices are lost."""
from __future__ import annotations

import asyncio
import contextlib

import asyncpg


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
