"""Submitting: by the candidate, or by the sweeper once the deadline and its grace have passed."""
from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

import asyncpg

from gramota.shared.clock import Clock

from . import events, repository
from .attempts import AttemptView, owned, view

log = logging.getLogger(__name__)


class Submitting:
    def __init__(self, pool: asyncpg.Pool, clock: Clock, grace: timedelta) -> None:
        self.pool = pool
        self.clock = clock
        self.grace = grace

    async def submit(self, attempt_id: str, candidate_id: str) -> AttemptView:
        """The attempt, closed and announced (`attempt submitted`); as it is when it was submitted already."""
        async with self.pool.acquire() as conn, conn.transaction():
            row = await owned(conn, attempt_id, candidate_id, lock="UPDATE")
            if row["status"] != "in_progress":
                return await view(conn, row)
            row, answers = await self._close(conn, row, auto=False)
            return AttemptView(row, row["title"], answers)

    async def _close(self, conn: asyncpg.Connection, row: asyncpg.Record, *,
                     auto: bool) -> tuple[asyncpg.Record, list[asyncpg.Record]]:
        """Close the attempt and announce it with its answers, in the caller's transaction: the closed attempt and
        its answers. Three round trips: close (+ audit), answers, outbox."""
        now = self.clock.now()
        closed = await repository.close(conn, row["id"], min(now, row["deadline"]) if auto else now, auto, now)
        answers = await repository.answers(conn, row["id"])
        await events.attempt_submitted(conn, closed, answers)
        return closed, answers

    async def sweep_once(self, limit: int = 200) -> int:
        """Submit every open attempt whose deadline plus grace has passed; returns how many."""
        async with self.pool.acquire() as conn, conn.transaction():
            rows = await repository.overdue(conn, self.clock.now() - self.grace, limit)
            for row in rows:
                await self._close(conn, row, auto=True)
        return len(rows)

    async def run_sweeper(self, every_seconds: float = 1.0) -> None:
        while True:
            try:
                while await self.sweep_once() > 0:
                    pass
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("sweeper pass failed; next pass retries")
            await asyncio.sleep(every_seconds)
