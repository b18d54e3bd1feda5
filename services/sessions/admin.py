"""What administrators do: accommodations, extensions, the audit trail, a candidate's export and erasure."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

import asyncpg

from gramota.shared import personal_data
from gramota.shared.clock import Clock
from gramota.shared.errors import Conflict, InvalidArgument
from gramota.shared.grpc_runtime import ensure_admin

from . import repository
from .attempts import AttemptView, owned, view

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CandidateRecord:
    """Everything sessions holds about one candidate."""

    candidate_id: str
    attempts: list[tuple[AttemptView, list[asyncpg.Record]]]  # each attempt with its audit trail
    accommodation: asyncpg.Record | None
    accommodation_changes: list[asyncpg.Record]
    erased_at: datetime | None


class Admin:
    def __init__(self, pool: asyncpg.Pool, clock: Clock) -> None:
        self.pool = pool
        self.clock = clock

    async def set_accommodation(self, user_id: str, extra_percent: int, extra_minutes: int, set_by: str,
                                note: str) -> asyncpg.Record:
        if not user_id:
            raise InvalidArgument("invalid_candidate", "user_id is required")
        if not 0 <= extra_percent <= 400 or not 0 <= extra_minutes <= 1440:
            raise InvalidArgument("invalid_accommodation", "extra_percent is 0..400 and extra_minutes 0..1440")
        async with self.pool.acquire() as conn, conn.transaction():
            return await repository.set_accommodation(conn, user_id, extra_percent, extra_minutes, set_by, note,
                                                      self.clock.now())

    async def extend(self, attempt_id: str, minutes: int, by: str, reason: str) -> AttemptView:
        """More time for a running attempt: an admin's decision, so not capped by the exam window."""
        if not 1 <= minutes <= 600:
            raise InvalidArgument("invalid_extension", "minutes is 1..600")
        async with self.pool.acquire() as conn, conn.transaction():
            row = await owned(conn, attempt_id, "", lock="UPDATE")
            if row["status"] != "in_progress":
                raise Conflict("attempt_submitted", "the attempt has been submitted; it can no longer be extended")
            row = await repository.extend(conn, row["id"], minutes)
            await repository.audit(conn, row["id"], "extended", self.clock.now(),
                                   {"minutes": minutes, "by": by, "reason": reason,
                                    "deadline": row["deadline"].isoformat()})
            return await view(conn, row, await repository.exam_title(conn, row["exam_id"]))

    async def audit(self, attempt_id: str) -> tuple[asyncpg.Record, list[asyncpg.Record]]:
        """The attempt and its audit trail, oldest first."""
        async with self.pool.acquire() as conn:
            row = await owned(conn, attempt_id, "")
            return row, await repository.audit_entries(conn, row["id"])

    async def export(self, candidate: str) -> CandidateRecord:
        ensure_admin("export a candidate's personal data")
        candidate_id = personal_data.candidate_id_of(candidate)
        async with self.pool.acquire() as conn:
            attempts = [(await view(conn, r), await repository.audit_entries(conn, r["id"]))
                        for r in await repository.candidate_attempts(conn, candidate_id)]
            return CandidateRecord(candidate_id, attempts, await repository.accommodation(conn, candidate_id),
                                   await repository.accommodation_changes(conn, candidate_id),
                                   await personal_data.erased_at(conn, candidate_id))

    async def erase(self, candidate: str) -> tuple[str, datetime, int]:
        """Blank what identifies the candidate; idempotent: (candidate id, first erased at, records changed now).
        An attempt still running keeps running: its snapshot is blanked now, so its `attempt submitted` carries no
        name (and scoring's register covers an event already written)."""
        ensure_admin("erase a candidate's personal data")
        candidate_id = personal_data.candidate_id_of(candidate)
        async with self.pool.acquire() as conn, conn.transaction():
            erased_at = await personal_data.begin_erasure(conn, candidate_id, self.clock.now())
            records = await repository.erase(conn, candidate_id)
        log.info("candidate erased", extra={"candidate_id": candidate_id, "records": records})
        return candidate_id, erased_at, records
