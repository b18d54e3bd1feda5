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
            row, answers = await self._close(conn, row)
            return AttemptView(row, row["title"], answers)

    async def _close(self, conn: asyncpg.Connection, row: asyncpg.Record) -> tuple[asyncpg.Record, list[asyncpg.Record]]:
        """Close the attempt (by its candidate) and announce it with its answers, in the caller's transaction: the
        closed attempt and its answers. Three round trips: close (+ audit), answers, outbox."""
        now = self.clock.now()
        closed = await repository.close(conn, row["id"], now, False, now)
        answers = await repository.answers(conn, row["id"])
        await events.attempt_submitted(conn, closed, answers)
        return closed, answers

    async def sweep_once(self, limit: int = 500) -> int:
        """Submit up to `limit` open attempts whose deadline plus grace has passed, each stamped at its own deadline;
        returns how many. Four round trips for the lot (when everyone's time runs out in the same second, thousands
        of attempts are overdue at once): the overdue ones locked, closed with their audit rows, their answers read,
        their events written to the outbox."""
        async with self.pool.acquire() as conn, conn.transaction():
            rows = await repository.overdue(conn, self.clock.now() - self.grace, limit)
            if not rows:
                return 0
            closed = await repository.close_overdue(conn, [r["id"] for r in rows], self.clock.now())
            answers = await repository.answers_of(conn, [r["id"] for r in closed])
            await events.attempts_submitted(conn, [(r, answers[r["id"]]) for r in closed])
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
