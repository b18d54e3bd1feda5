"""Every SQL statement of sessions, each a named function (tables: services/sessions/migrations/)."""
from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta
from typing import Any

import asyncpg

from gramota.shared import personal_data

Conn = asyncpg.Connection | asyncpg.Pool

# --- forms (the exam as published, cached from `exam published`) ---------------------------------------------------


async def cache_form(conn: Conn, exam_id: str, title: str, time_limit: int, pass_score: float, form_version: int,
                     questions: list[dict], rules: dict, draw_rules: list[dict]) -> None:
    """Store the exam's form unless a newer version is stored already."""
    await conn.execute(
        """
        INSERT INTO exam_forms (exam_id, title, time_limit_seconds, pass_score, form_version, questions, settings, rules)
        VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8::jsonb)
        ON CONFLICT (exam_id) DO UPDATE SET title = excluded.title, time_limit_seconds = excluded.time_limit_seconds,
            pass_score = excluded.pass_score, form_version = excluded.form_version, questions = excluded.questions,
            settings = excluded.settings, rules = excluded.rules, cached_at = now()
        WHERE exam_forms.form_version <= excluded.form_version
        """,
        uuid.UUID(exam_id), title, time_limit, pass_score, form_version, json.dumps(questions), json.dumps(rules),
        json.dumps(draw_rules),
    )


async def form(conn: Conn, exam_id: uuid.UUID) -> asyncpg.Record | None:
    return await conn.fetchrow("SELECT * FROM exam_forms WHERE exam_id = $1", exam_id)


async def exam_title(conn: Conn, exam_id: uuid.UUID) -> str | None:
    return await conn.fetchval("SELECT title FROM exam_forms WHERE exam_id = $1", exam_id)


async def candidate_exams(conn: Conn, candidate_id: str) -> list[asyncpg.Record]:
    """Every cached exam with the candidate's use of it: attempts used, the open one, the last end and the last one."""
    return await conn.fetch(
        """
        SELECT f.exam_id, f.title, f.time_limit_seconds, f.settings, f.rules, jsonb_array_length(f.questions) AS pool_size,
               s.used, s.open_id, s.last_end, s.last_id
        FROM exam_forms f
        LEFT JOIN LATERAL (
            SELECT count(*) AS used, max(submitted_at) AS last_end,
                   (array_agg(id) FILTER (WHERE status = 'in_progress'))[1] AS open_id,
                   (array_agg(id ORDER BY started_at DESC))[1] AS last_id
            FROM attempts a WHERE a.exam_id = f.exam_id AND a.candidate_id = $1
        ) s ON true
        ORDER BY f.title, f.exam_id
        """,
        candidate_id,
    )


# --- starting ---------------------------------------------------------------------------------------------------------


async def lock_start(conn: asyncpg.Connection, candidate_id: str, exam_id: uuid.UUID) -> None:
    """One start at a time per candidate and exam, so two clicks never count as two attempts; and the candidate's
    erasure lock, shared, so an erasure never overlaps a start (both until the transaction ends)."""
    await conn.execute(f"SELECT pg_advisory_xact_lock(hashtext($1)), {personal_data.lock_expression('$2')}",
                       f"{candidate_id}/{exam_id}", candidate_id)


# A start's reads in one round trip: the form's version stamp, the candidate's accommodation and erasure, one row per past
# attempt of this exam (a single row of NULL attempt columns when there is none).
_HISTORY = """
SELECT f.form_version, f.cached_at AS form_cached_at, acc.extra_percent AS acc_extra_percent,
       acc.extra_minutes AS acc_extra_minutes,
       EXISTS (SELECT 1 FROM erased_candidates e WHERE e.candidate_id = $1) AS erased, a.*
  FROM (SELECT 1) AS one
  LEFT JOIN exam_forms f ON f.exam_id = $2
  LEFT JOIN accommodations acc ON acc.user_id = $1
  LEFT JOIN attempts a ON a.candidate_id = $1 AND a.exam_id = $2
 ORDER BY a.started_at
"""


async def start_history(conn: asyncpg.Connection, candidate_id: str, exam_id: uuid.UUID) -> list[asyncpg.Record]:
    return await conn.fetch(_HISTORY, candidate_id, exam_id)


# A new attempt and its `started` audit row in one statement.
_START = """
WITH attempt AS (
    INSERT INTO attempts (id, exam_id, candidate_id, candidate, status, started_at, deadline, questions,
                          attempt_number, navigation, extra_seconds)
    VALUES ($1, $2, $3, $4::jsonb, 'in_progress', $5, $6, $7::jsonb, $8, $9, $10)
    RETURNING *
), audited AS (
    INSERT INTO attempt_audit (attempt_id, kind, at, detail) SELECT id, 'started', started_at, $11::jsonb FROM attempt
)
SELECT * FROM attempt
"""


async def insert_attempt(conn: asyncpg.Connection, attempt_id: uuid.UUID, exam_id: uuid.UUID, candidate_id: str,
                         candidate: dict, started_at: datetime, deadline: datetime, questions: list[dict], number: int,
                         navigation: str, extra_seconds: int, audit: dict) -> asyncpg.Record:
    return await conn.fetchrow(_START, attempt_id, exam_id, candidate_id, json.dumps(candidate), started_at, deadline,
                               json.dumps(questions), number, navigation, extra_seconds, json.dumps(audit))


# --- attempts -----------------------------------------------------------------------------------------------------------


async def attempt(conn: asyncpg.Connection, attempt_id: uuid.UUID, lock: str = "") -> asyncpg.Record | None:
    """The attempt with its exam's title (`lock`: "SHARE" or "UPDATE" to lock the attempt's row)."""
    return await conn.fetchrow(
        "SELECT a.*, f.title FROM attempts a JOIN exam_forms f USING (exam_id) WHERE a.id = $1"
        + (f" FOR {lock} OF a" if lock else ""), attempt_id)


async def paper(conn: Conn, attempt_id: uuid.UUID) -> asyncpg.Record | None:
    """The attempt's fixed part: owner, navigation, questions."""
    return await conn.fetchrow("SELECT candidate_id, navigation, questions FROM attempts WHERE id = $1", attempt_id)


async def answers(conn: Conn, attempt_id: uuid.UUID) -> list[asyncpg.Record]:
    return await conn.fetch("SELECT * FROM answers WHERE attempt_id = $1", attempt_id)


async def answered_question_ids(conn: Conn, attempt_id: uuid.UUID) -> set[str]:
    return {r["question_id"] for r in await conn.fetch("SELECT question_id FROM answers WHERE attempt_id = $1",
                                                       attempt_id)}


async def stored_answer(conn: Conn, attempt_id: uuid.UUID, question_id: str) -> asyncpg.Record | None:
    return await conn.fetchrow("SELECT * FROM answers WHERE attempt_id = $1 AND question_id = $2",
                               attempt_id, question_id)


async def set_flags(conn: Conn, attempt_id: uuid.UUID, flagged: list[str]) -> None:
    await conn.execute("UPDATE attempts SET flagged = $2 WHERE id = $1", attempt_id, flagged)


async def extend(conn: Conn, attempt_id: uuid.UUID, minutes: int) -> asyncpg.Record:
    return await conn.fetchrow(
        "UPDATE attempts SET deadline = deadline + make_interval(mins => $2), extra_seconds = extra_seconds + $2 * 60"
        " WHERE id = $1 RETURNING *", attempt_id, minutes)


async def audit(conn: Conn, attempt_id: uuid.UUID, kind: str, at: datetime, detail: dict | None = None) -> None:
    await conn.execute("INSERT INTO attempt_audit (attempt_id, kind, at, detail) VALUES ($1, $2, $3, $4::jsonb)",
                       attempt_id, kind, at, json.dumps(detail or {}))


async def audit_entries(conn: Conn, attempt_id: uuid.UUID) -> list[asyncpg.Record]:
    return await conn.fetch("SELECT kind, at, detail FROM attempt_audit WHERE attempt_id = $1 ORDER BY id", attempt_id)


# --- saving answers -----------------------------------------------------------------------------------------------------

# Saves in one statement ($1: a JSON array of saves, each with its index `i`; $2 grace): one row per save, in no
# particular order, with the attempt's status and deadline (NULL when the attempt does not exist) and the stored
# answer's columns when the save was applied (NULL when the attempt no longer takes answers, or a newer save of the
# question is stored). The attempts are share-locked (a submit waits for the saves, or the saves see the attempt
# submitted) in id order, and the answers written in (attempt, question) order, so two batches never wait on each
# other in a circle. Each applied save leaves its audit row.
_SAVE_MANY = """
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


async def save_rows(conn: asyncpg.Connection, saves: list[dict[str, Any]], grace: timedelta) -> list[asyncpg.Record]:
    """Write `saves` (each a dict of _SAVE_MANY's input columns; no two of the same question of an attempt) in one
    statement: their rows (see _SAVE_MANY), in their order."""
    rows = await conn.fetch(_SAVE_MANY, json.dumps([{**s, "i": i} for i, s in enumerate(saves)]), grace)
    by_index = {r["i"]: r for r in rows}
    return [by_index[i] for i in range(len(saves))]


# --- submitting ---------------------------------------------------------------------------------------------------------

# An attempt closed, with its audit row, in one statement ($1 attempt, $2 submitted_at, $3 auto, $4 audit kind, $5 now):
# the closed attempt with its exam's title.
_CLOSE = """
WITH updated AS (
    UPDATE attempts SET status = 'submitted', submitted_at = $2, auto_submitted = $3 WHERE id = $1 RETURNING *
), audited AS (
    INSERT INTO attempt_audit (attempt_id, kind, at, detail) SELECT id, $4, $5, '{}'::jsonb FROM updated
)
SELECT updated.*, (SELECT title FROM exam_forms f WHERE f.exam_id = updated.exam_id) AS title FROM updated
"""


async def close(conn: asyncpg.Connection, attempt_id: uuid.UUID, submitted_at: datetime, auto: bool,
                at: datetime) -> asyncpg.Record:
    return await conn.fetchrow(_CLOSE, attempt_id, submitted_at, auto, "auto_submitted" if auto else "submitted", at)


# Overdue attempts closed at once ($1 ids, $2 now): each stamped at its own deadline (the time it ran out, not the
# sweeper's), each with its audit row; the closed attempts with their exams' titles.
_CLOSE_OVERDUE = """
WITH updated AS (
    UPDATE attempts SET status = 'submitted', submitted_at = LEAST(deadline, $2), auto_submitted = true
    WHERE id = ANY($1::uuid[]) AND status = 'in_progress' RETURNING *
), audited AS (
    INSERT INTO attempt_audit (attempt_id, kind, at, detail) SELECT id, 'auto_submitted', $2, '{}'::jsonb FROM updated
)
SELECT updated.*, f.title FROM updated JOIN exam_forms f USING (exam_id)
"""


async def close_overdue(conn: asyncpg.Connection, attempt_ids: list[uuid.UUID], now: datetime) -> list[asyncpg.Record]:
    return await conn.fetch(_CLOSE_OVERDUE, attempt_ids, now)


async def answers_of(conn: Conn, attempt_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[asyncpg.Record]]:
    """The stored answers of several attempts, by attempt."""
    out: dict[uuid.UUID, list[asyncpg.Record]] = {a: [] for a in attempt_ids}
    for r in await conn.fetch("SELECT * FROM answers WHERE attempt_id = ANY($1::uuid[])", attempt_ids):
        out[r["attempt_id"]].append(r)
    return out


async def overdue(conn: asyncpg.Connection, before: datetime, limit: int) -> list[asyncpg.Record]:
    """Open attempts whose deadline is before `before`, oldest first, locked (skipping those another sweeper holds)."""
    return await conn.fetch(
        "SELECT a.*, f.title FROM attempts a JOIN exam_forms f USING (exam_id)"
        " WHERE a.status = 'in_progress' AND a.deadline < $1 ORDER BY a.deadline LIMIT $2 FOR UPDATE OF a SKIP LOCKED",
        before, limit)


# --- accommodations -----------------------------------------------------------------------------------------------------


async def set_accommodation(conn: asyncpg.Connection, user_id: str, extra_percent: int, extra_minutes: int,
                            set_by: str, note: str, at: datetime) -> asyncpg.Record:
    """The candidate's accommodation, replaced, and the change kept in its audit."""
    row = await conn.fetchrow(
        """
        INSERT INTO accommodations (user_id, extra_percent, extra_minutes, set_by, note, updated_at)
        VALUES ($1, $2, $3, $4, $5, $6)
        ON CONFLICT (user_id) DO UPDATE SET extra_percent = excluded.extra_percent,
            extra_minutes = excluded.extra_minutes, set_by = excluded.set_by, note = excluded.note,
            updated_at = excluded.updated_at
        RETURNING *
        """,
        user_id, extra_percent, extra_minutes, set_by, note, at,
    )
    await conn.execute(
        "INSERT INTO accommodation_audit (user_id, extra_percent, extra_minutes, set_by, note, at)"
        " VALUES ($1, $2, $3, $4, $5, $6)", user_id, extra_percent, extra_minutes, set_by, note, at)
    return row


# --- personal data ------------------------------------------------------------------------------------------------------


async def candidate_attempts(conn: Conn, candidate_id: str) -> list[asyncpg.Record]:
    return await conn.fetch("SELECT a.*, f.title FROM attempts a JOIN exam_forms f USING (exam_id)"
                            " WHERE a.candidate_id = $1 ORDER BY a.started_at, a.id", candidate_id)


async def accommodation(conn: Conn, user_id: str) -> asyncpg.Record | None:
    return await conn.fetchrow("SELECT * FROM accommodations WHERE user_id = $1", user_id)


async def accommodation_changes(conn: Conn, user_id: str) -> list[asyncpg.Record]:
    return await conn.fetch("SELECT * FROM accommodation_audit WHERE user_id = $1 ORDER BY id", user_id)


async def erase(conn: asyncpg.Connection, candidate_id: str) -> int:
    """Blank what identifies the candidate (in the caller's erasing transaction): how many records changed."""
    blank = json.dumps(personal_data.anonymised_snapshot({}))
    changed = [
        await conn.execute("UPDATE attempts SET candidate = candidate || $2::jsonb"
                           " WHERE candidate_id = $1 AND NOT candidate @> $2::jsonb", candidate_id, blank),
        await conn.execute("UPDATE attempt_audit SET detail = jsonb_set(detail, '{reason}', '\"\"')"
                           " WHERE attempt_id IN (SELECT id FROM attempts WHERE candidate_id = $1)"
                           " AND coalesce(detail->>'reason', '') <> ''", candidate_id),
        await conn.execute("DELETE FROM accommodations WHERE user_id = $1", candidate_id),
        await conn.execute("UPDATE accommodation_audit SET note = '' WHERE user_id = $1 AND note <> ''", candidate_id),
    ]
    return sum(int(status.rsplit(" ", 1)[1]) for status in changed)

