"""Erasure of a candidate's personal data, done alike by every service that holds some (sessions, scoring): the
register of erased candidates (each service's own `erased_candidates` table), the per-candidate lock that orders an
erasure against a write of the same candidate's data, and what an erased candidate's snapshot still says.

Why a register: an event written before the erasure (an attempt submitted by the sweeper, an `attempt submitted`
still on its way to scoring) carries the name; the service that writes it checks the register in the same
transaction and stores the blanked form instead, so an erased name never comes back.
"""
from __future__ import annotations

from datetime import datetime

import asyncpg

from gramota.contracts.events.v1 import events_pb2

from .errors import InvalidArgument
from .events import timestamp

# What an erasure blanks in a candidate snapshot. The federal district and region stay: coarse statistical
# attributes that pass rates are counted by (8 districts, 89 regions); the organisation goes, because with the
# region, the exam and the date it can single out one official of a small administration.
ERASED_FIELDS = ("full_name", "organization")


def anonymised(candidate: events_pb2.Candidate) -> events_pb2.Candidate:
    """The candidate as an erased one is known from now on: the id, district and region, marked erased."""
    return events_pb2.Candidate(user_id=candidate.user_id, federal_district=candidate.federal_district,
                                region=candidate.region, erased=True)


def anonymised_snapshot(snapshot: dict) -> dict:
    """The same for a snapshot stored as JSON."""
    return {**snapshot, **dict.fromkeys(ERASED_FIELDS, ""), "erased": True}


def lock_expression(param: str = "$1", shared: bool = True) -> str:
    """SQL taking the candidate's erasure lock (candidate id in `param`), to combine with other statements."""
    kind = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
    return f"{kind}(hashtextextended('erasure:' || {param}::text, 0))"


def _lock_sql(shared: bool) -> str:
    return f"SELECT {lock_expression('$1', shared)}"


async def is_erased(conn: asyncpg.Connection, candidate_id: str) -> bool:
    """Call inside the transaction that writes the candidate's personal fields, before writing them: waits for an
    erasure of the same candidate that is under way, then says whether the candidate is erased (write the
    anonymised form then). Writers share the lock; only an erasure takes it alone."""
    await conn.execute(_lock_sql(shared=True), candidate_id)
    return bool(await conn.fetchval("SELECT true FROM erased_candidates WHERE candidate_id = $1", candidate_id))


async def begin_erasure(conn: asyncpg.Connection, candidate_id: str, now: datetime) -> datetime:
    """First thing in the erasing transaction: takes the candidate's lock alone and records the erasure once.
    Returns when the candidate was first erased."""
    await conn.execute(_lock_sql(shared=False), candidate_id)
    await conn.execute("INSERT INTO erased_candidates (candidate_id, erased_at) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                       candidate_id, now)
    return await erased_at(conn, candidate_id)


async def erased_at(conn: asyncpg.Connection | asyncpg.Pool, candidate_id: str) -> datetime | None:
    return await conn.fetchval("SELECT erased_at FROM erased_candidates WHERE candidate_id = $1", candidate_id)


def candidate_id_of(value: str) -> str:
    """The candidate id of an export or erasure request, or INVALID_ARGUMENT."""
    if not value.strip():
        raise InvalidArgument("invalid_candidate", "candidate_id is required")
    return value


def erasure_reply(candidate_id: str, erased_at: datetime, records: int, erased: tuple[str, ...],
                  kept: tuple[tuple[str, str], ...]) -> events_pb2.CandidateErasure:
    """What an erasure did in one service: `erased`, what it blanks; `kept`, (what it keeps, why)."""
    return events_pb2.CandidateErasure(candidate_id=candidate_id, erased_at=timestamp(erased_at), records=records,
                                       erased=list(erased),
                                       kept=[events_pb2.KeptRecord(what=what, why=why) for what, why in kept])
