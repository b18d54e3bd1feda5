"""Answer saves written together: the saves of one call (the gateway sends the saves that arrive together as one
SaveAnswers call) go in one statement and one commit.

An exam day is hundreds of candidates saving at once, each save one small statement and one commit. Written one by
one, each paid a round trip, a statement and a commit (a WAL flush) of its own. `write_saves` writes a call's saves
in one statement; each save still gets its own row back (status, deadline, the stored answer) and its caller decides
as if it were written alone. Two saves of the same question of an attempt go in order, in successive statements (one
statement cannot upsert a row twice). A statement the database refuses as a whole is written again one save at a
time, so one bad save fails alone.
"""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import asyncpg

# Saves in one statement ($1: a JSON array of saves, each with its index `i`; $2 grace): one row per save, in no
# particular order, with the attempt's status and deadline (NULL when the attempt does not exist) and the stored
# answer's columns when the save was applied (NULL when the attempt no longer takes answers, or a newer save of the
# question is stored). The attempts are share-locked (a submit waits for the saves, or the saves see the attempt
# submitted) in id order, and the answers written in (attempt, question) order, so two batches never wait on each
# other in a circle. Each applied save leaves its audit row.
SAVE_MANY = """
WITH input AS (
    SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(i int, attempt_id uuid, question_id text, option_ids text[],
                                                      pairs jsonb, text text, number float8, client_seq bigint,
                                                      saved_at timestamptz)
), a AS (
    SELECT id, status, deadline FROM attempts WHERE id IN (SELECT attempt_id FROM input) ORDER BY id FOR SHARE
), saved AS (
    INSERT INTO answers (attempt_id, question_id, option_ids, pairs, text, number, client_seq, saved_at)
    SELECT a.id, input.question_id, input.option_ids, input.pairs, input.text, input.number, input.client_seq,
           input.saved_at
      FROM input JOIN a ON a.id = input.attempt_id
     WHERE a.status = 'in_progress' AND input.saved_at <= a.deadline + $2::interval
     ORDER BY a.id, input.question_id
    ON CONFLICT (attempt_id, question_id) DO UPDATE SET option_ids = excluded.option_ids,
        pairs = excluded.pairs, text = excluded.text, number = excluded.number,
        client_seq = greatest(answers.client_seq, excluded.client_seq), saved_at = excluded.saved_at
    WHERE excluded.client_seq = 0 OR excluded.client_seq >= answers.client_seq
    RETURNING *
), audited AS (
    INSERT INTO attempt_audit (attempt_id, kind, at, detail)
    SELECT attempt_id, 'answer_saved', saved_at, jsonb_build_object('question_id', question_id, 'client_seq', client_seq)
      FROM saved
)
SELECT input.i, a.status, a.deadline, saved.*
  FROM input LEFT JOIN a ON a.id = input.attempt_id
  LEFT JOIN saved ON saved.attempt_id = input.attempt_id AND saved.question_id = input.question_id
"""


@dataclass(frozen=True)
class Save:
    attempt_id: uuid.UUID
    question_id: str
    option_ids: list[str]
    pairs: dict[str, str]
    text: str
    number: float | None
    client_seq: int
    at: datetime  # the server's time of the save: the deadline is checked against it

    def as_json(self, i: int) -> dict:
        return {"i": i, "attempt_id": str(self.attempt_id), "question_id": self.question_id,
                "option_ids": self.option_ids, "pairs": self.pairs, "text": self.text, "number": self.number,
                "client_seq": self.client_seq, "saved_at": self.at.isoformat()}


async def save_rows(conn: asyncpg.Connection, saves: list[Save], grace: timedelta) -> list[asyncpg.Record]:
    """Write `saves` (no two of the same question of an attempt) in one statement: their rows, in their order."""
    rows = await conn.fetch(SAVE_MANY, json.dumps([s.as_json(i) for i, s in enumerate(saves)]), grace)
    by_index = {r["i"]: r for r in rows}
    return [by_index[i] for i in range(len(saves))]


async def write_saves(pool: asyncpg.Pool, saves: list[Save], grace: timedelta) -> list[asyncpg.Record | Exception]:
    """Each save's row (see SAVE_MANY), in their order, or the error that kept it from being written. Saves of one
    question of an attempt are written in the order given."""
    outcomes: list[asyncpg.Record | Exception | None] = [None] * len(saves)
    pending = list(range(len(saves)))
    while pending:
        now, later, questions = [], [], set()
        for n in pending:
            key = (saves[n].attempt_id, saves[n].question_id)
            (later if key in questions else now).append(n)
            questions.add(key)
        for n, outcome in zip(now, await _write(pool, [saves[n] for n in now], grace)):
            outcomes[n] = outcome
        pending = later
    return outcomes  # type: ignore[return-value]


async def _write(pool: asyncpg.Pool, saves: list[Save], grace: timedelta) -> list[asyncpg.Record | Exception]:
    try:
        async with pool.acquire() as conn:
            return list(await save_rows(conn, saves, grace))
    except asyncpg.PostgresError as exc:
        if len(saves) == 1:
            return [exc]
        # the database refused the statement (a deadlock with another call, a value it cannot store): one bad save
        # must not fail the others
        return [(await _write(pool, [save], grace))[0] for save in saves]
    except Exception as exc:  # noqa: BLE001 (no connection, a timeout: every save of the call fails with it)
        return [exc] * len(saves)
