"""An attempt as the use cases hand it to the server, and the ownership rule every call about one attempt obeys."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import asyncpg

from gramota.shared.errors import NotFound, parse_uuid_or_not_found
from gramota.shared.grpc_runtime import own_user_id

from . import repository


@dataclass(frozen=True)
class AttemptView:
    """What the API shows of an attempt: its row, its exam's title and its stored answers."""

    row: asyncpg.Record
    title: str
    answers: Sequence[asyncpg.Record]


def not_found(attempt_id: str) -> NotFound:
    # someone else's attempt looks exactly like a missing one
    return NotFound("attempt_not_found", f"attempt {attempt_id} does not exist")


async def owned(conn: asyncpg.Connection, attempt_id: str, candidate_id: str, *, lock: str = "") -> asyncpg.Record:
    """The attempt (with its exam's title), if it exists and belongs to the candidate (empty candidate: an admin's
    look; a signed-in candidate's call is about their own attempts whatever it names: `own_user_id`)."""
    candidate_id = own_user_id(candidate_id)
    row = await repository.attempt(conn, parse_uuid_or_not_found(attempt_id, "attempt"), lock)
    if row is None or (candidate_id and row["candidate_id"] != candidate_id):
        raise not_found(attempt_id)
    return row


async def view(conn: asyncpg.Connection, row: asyncpg.Record, title: str | None = None,
               answers: Sequence[asyncpg.Record] | None = None) -> AttemptView:
    """The attempt as shown (`answers`: given when known, e.g. none yet for a new attempt)."""
    if answers is None:
        answers = await repository.answers(conn, row["id"])
    return AttemptView(row, row["title"] if title is None else title, answers)
