"""gRPC handlers of exam sessions, the use cases behind them, and the deadline sweeper."""
from __future__ import annotations

import asyncio
import json
import logging
import uuid
from datetime import datetime, timedelta

import asyncpg
import grpc

from gramota.contracts.events.v1 import events_pb2
from gramota.contracts.sessions.v1 import sessions_pb2 as pb
from gramota.contracts.sessions.v1 import sessions_pb2_grpc
from gramota.contracts.testbank.v1 import testbank_pb2, testbank_pb2_grpc
from gramota.shared import outbox, topics
from gramota.shared.clock import Clock
from gramota.shared.consumer import Delivery
from gramota.shared.errors import InvalidArgument, NotFound, parse_uuid_or_not_found
from gramota.shared.events import timestamp

from .domain import check_answer, deadline_of, ensure_accepts_answers

SERVICE = "sessions"
log = logging.getLogger(__name__)
_PB_TYPE = {testbank_pb2.ITEM_TYPE_SINGLE_CHOICE: "single_choice", testbank_pb2.ITEM_TYPE_MULTIPLE_CHOICE: "multiple_choice"}


def _json(value):
    return json.loads(value) if isinstance(value, str) else value


async def cache_form(conn: asyncpg.Connection, exam_id: str, title: str, time_limit: int, pass_score: float,
                     form_version: int, questions: list[dict]) -> None:
    await conn.execute(
        """
        INSERT INTO exam_forms (exam_id, title, time_limit_seconds, pass_score, form_version, questions)
        VALUES ($1, $2, $3, $4, $5, $6::jsonb)
        ON CONFLICT (exam_id) DO UPDATE SET title = excluded.title, time_limit_seconds = excluded.time_limit_seconds,
            pass_score = excluded.pass_score, form_version = excluded.form_version, questions = excluded.questions,
            cached_at = now()
        WHERE exam_forms.form_version <= excluded.form_version
        """,
        uuid.UUID(exam_id), title, time_limit, pass_score, form_version, json.dumps(questions),
    )


async def on_exam_published(delivery: Delivery) -> None:
    msg: events_pb2.ExamPublished = delivery.payload
    questions = [
        {"id": q.item_id, "item_version": q.item_version, "type": q.type, "text": q.text,
         "options": [{"id": o.id, "text": o.text} for o in q.options]}
        for q in msg.questions
    ]
    async with delivery.effect() as conn:
        await cache_form(conn, msg.exam_id, msg.title, msg.time_limit_seconds, msg.pass_score, msg.form_version, questions)


class SessionsServicer(sessions_pb2_grpc.SessionsServicer):
    def __init__(self, pool: asyncpg.Pool, clock: Clock, testbank: testbank_pb2_grpc.TestBankStub,
                 grace: timedelta = timedelta(seconds=5)) -> None:
        self.pool = pool
        self.clock = clock
        self.testbank = testbank
        self.grace = grace

    # --- reading -------------------------------------------------------------------------------
    async def _attempt_message(self, conn: asyncpg.Connection, row: asyncpg.Record, title: str) -> pb.Attempt:
        answers = await conn.fetch(
            "SELECT question_id, option_ids, saved_at FROM answers WHERE attempt_id = $1", row["id"]
        )
        return pb.Attempt(
            id=str(row["id"]), exam_id=str(row["exam_id"]), exam_title=title, candidate_id=row["candidate_id"],
            status=pb.ATTEMPT_STATUS_IN_PROGRESS if row["status"] == "in_progress" else pb.ATTEMPT_STATUS_SUBMITTED,
            started_at=timestamp(row["started_at"]), deadline=timestamp(row["deadline"]),
            submitted_at=timestamp(row["submitted_at"]) if row["submitted_at"] else None,
            auto_submitted=row["auto_submitted"],
            questions=[pb.Question(id=q["id"], item_version=q["item_version"], type=q["type"], text=q["text"],
                                   options=[pb.Option(id=o["id"], text=o["text"]) for o in q["options"]])
                       for q in _json(row["questions"])],
            answers=[pb.SavedAnswer(question_id=a["question_id"], option_ids=a["option_ids"],
                                    saved_at=timestamp(a["saved_at"])) for a in answers],
        )

    async def _owned(self, conn: asyncpg.Connection, attempt_id: str, candidate_id: str, *,
                     lock: str = "") -> asyncpg.Record:
        """The attempt, if it exists and belongs to the candidate (empty candidate: an admin's look)."""
        aid = parse_uuid_or_not_found(attempt_id, "attempt")
        row = await conn.fetchrow(
            "SELECT a.*, f.title FROM attempts a JOIN exam_forms f USING (exam_id) WHERE a.id = $1" + (f" FOR {lock} OF a" if lock else ""),
            aid,
        )
        if row is None or (candidate_id and row["candidate_id"] != candidate_id):
            # someone else's attempt looks exactly like a missing one
            raise NotFound("attempt_not_found", f"attempt {attempt_id} does not exist")
        return row

    async def GetAttempt(self, request: pb.GetAttemptRequest, context) -> pb.Attempt:
        async with self.pool.acquire() as conn:
            row = await self._owned(conn, request.attempt_id, request.candidate_id)
            return await self._attempt_message(conn, row, row["title"])

    # --- starting ------------------------------------------------------------------------------
    async def _form(self, conn: asyncpg.Connection, exam_id: uuid.UUID) -> asyncpg.Record:
        form = await conn.fetchrow("SELECT * FROM exam_forms WHERE exam_id = $1", exam_id)
        if form is not None:
            return form
        # the `exam published` event has not arrived yet: ask the bank once and cache its answer
        try:
            remote = await self.testbank.GetExamForm(testbank_pb2.GetExamFormRequest(exam_id=str(exam_id)), timeout=5)
        except grpc.aio.AioRpcError as exc:
            if exc.code() == grpc.StatusCode.NOT_FOUND:
                raise NotFound("exam_not_found", f"no published exam {exam_id}") from None
            raise
        questions = [
            {"id": q.item_id, "item_version": q.item_version, "type": _PB_TYPE[q.type], "text": q.text,
             "options": [{"id": o.id, "text": o.text} for o in q.options]}
            for q in remote.questions
        ]
        await cache_form(conn, remote.exam_id, remote.title, remote.time_limit_seconds, remote.pass_score,
                         remote.form_version, questions)
        return await conn.fetchrow("SELECT * FROM exam_forms WHERE exam_id = $1", exam_id)

    async def StartAttempt(self, request: pb.StartAttemptRequest, context) -> pb.Attempt:
        exam_id = parse_uuid_or_not_found(request.exam_id, "exam")
        c = request.candidate
        if not c.user_id:
            raise InvalidArgument("invalid_candidate", "candidate.user_id is required")
        async with self.pool.acquire() as conn:
            form = await self._form(conn, exam_id)
            async with conn.transaction():
                open_row = await conn.fetchrow(
                    "SELECT a.*, $3::text AS title FROM attempts a WHERE candidate_id = $1 AND exam_id = $2 AND status = 'in_progress'",
                    c.user_id, exam_id, form["title"],
                )
                if open_row is not None:
                    await self._audit(conn, open_row["id"], "resumed")
                    return await self._attempt_message(conn, open_row, form["title"])
                now = self.clock.now()
                attempt_id = uuid.uuid4()
                deadline = deadline_of(now, form["time_limit_seconds"])
                candidate = {"full_name": c.full_name, "federal_district": c.federal_district,
                             "region": c.region, "organization": c.organization}
                row = await conn.fetchrow(
                    """
                    INSERT INTO attempts (id, exam_id, candidate_id, candidate, status, started_at, deadline, questions)
                    VALUES ($1, $2, $3, $4::jsonb, 'in_progress', $5, $6, $7::jsonb)
                    ON CONFLICT DO NOTHING
                    RETURNING *
                    """,
                    attempt_id, exam_id, c.user_id, json.dumps(candidate), now, deadline, form["questions"],
                )
                if row is None:  # a concurrent start of the same candidate won the race: resume theirs
                    row = await conn.fetchrow(
                        "SELECT * FROM attempts WHERE candidate_id = $1 AND exam_id = $2 AND status = 'in_progress'",
                        c.user_id, exam_id,
                    )
                    return await self._attempt_message(conn, row, form["title"])
                await self._audit(conn, attempt_id, "started")
                await outbox.enqueue(
                    conn, topics.ATTEMPT_STARTED,
                    events_pb2.AttemptStarted(attempt_id=str(attempt_id), exam_id=str(exam_id), candidate=c,
                                              deadline=timestamp(deadline)),
                    aggregate_id=str(attempt_id), producer=SERVICE,
                )
                return await self._attempt_message(conn, row, form["title"])

    # --- answering -----------------------------------------------------------------------------
    async def SaveAnswer(self, request: pb.SaveAnswerRequest, context) -> pb.SaveAnswerResponse:
        async with self.pool.acquire() as conn, conn.transaction():
            row = await self._owned(conn, request.attempt_id, request.candidate_id, lock="SHARE")
            now = self.clock.now()
            ensure_accepts_answers(row["status"], row["deadline"], now, self.grace)
            question = next((q for q in _json(row["questions"]) if q["id"] == request.question_id), None)
            if question is None:
                raise InvalidArgument("question_not_in_attempt",
                                      f"question {request.question_id} is not part of this attempt")
            chosen = check_answer(question, list(request.option_ids))
            await conn.execute(
                """
                INSERT INTO answers (attempt_id, question_id, option_ids, saved_at) VALUES ($1, $2, $3, $4)
                ON CONFLICT (attempt_id, question_id) DO UPDATE SET option_ids = excluded.option_ids, saved_at = excluded.saved_at
                """,
                row["id"], question["id"], chosen, now,
            )
            await self._audit(conn, row["id"], "answer_saved", {"question_id": question["id"]}, at=now)
        return pb.SaveAnswerResponse(saved_at=timestamp(now))

    # --- submitting ----------------------------------------------------------------------------
    async def SubmitAttempt(self, request: pb.SubmitAttemptRequest, context) -> pb.Attempt:
        async with self.pool.acquire() as conn, conn.transaction():
            row = await self._owned(conn, request.attempt_id, request.candidate_id, lock="UPDATE")
            if row["status"] == "in_progress":
                row = await self._submit(conn, row, auto=False)
            return await self._attempt_message(conn, row, row["title"])

    async def _submit(self, conn: asyncpg.Connection, row: asyncpg.Record, *, auto: bool) -> asyncpg.Record:
        """Close the attempt and announce it with its answers, in the caller's transaction."""
        now = self.clock.now()
        submitted_at = min(now, row["deadline"]) if auto else now
        updated = await conn.fetchrow(
            "UPDATE attempts SET status = 'submitted', submitted_at = $2, auto_submitted = $3 WHERE id = $1"
            " RETURNING *, (SELECT title FROM exam_forms f WHERE f.exam_id = attempts.exam_id) AS title",
            row["id"], submitted_at, auto,
        )
        answers = await conn.fetch("SELECT question_id, option_ids FROM answers WHERE attempt_id = $1", row["id"])
        questions = _json(row["questions"])
        versions = {q["id"]: q["item_version"] for q in questions}
        candidate = _json(row["candidate"])
        await self._audit(conn, row["id"], "auto_submitted" if auto else "submitted", at=now)
        await outbox.enqueue(
            conn, topics.ATTEMPT_SUBMITTED,
            events_pb2.AttemptSubmitted(
                attempt_id=str(row["id"]), exam_id=str(row["exam_id"]),
                candidate=events_pb2.Candidate(user_id=row["candidate_id"], **candidate),
                answers=[events_pb2.Answer(question_id=a["question_id"], item_version=versions.get(a["question_id"], 0),
                                           option_ids=a["option_ids"]) for a in answers],
                started_at=timestamp(row["started_at"]), submitted_at=timestamp(submitted_at),
                auto_submitted=auto, question_ids=[q["id"] for q in questions],
            ),
            aggregate_id=str(row["id"]), producer=SERVICE,
        )
        return updated

    async def _audit(self, conn: asyncpg.Connection, attempt_id: uuid.UUID, kind: str, detail: dict | None = None,
                     at: datetime | None = None) -> None:
        await conn.execute(
            "INSERT INTO attempt_audit (attempt_id, kind, at, detail) VALUES ($1, $2, $3, $4::jsonb)",
            attempt_id, kind, at or self.clock.now(), json.dumps(detail or {}),
        )

    # --- the sweeper -----------------------------------------------------------------------------
    async def sweep_once(self, limit: int = 200) -> int:
        """Submit every open attempt whose deadline plus grace has passed; returns how many."""
        async with self.pool.acquire() as conn, conn.transaction():
            rows = await conn.fetch(
                "SELECT a.*, f.title FROM attempts a JOIN exam_forms f USING (exam_id)"
                " WHERE a.status = 'in_progress' AND a.deadline < $1 ORDER BY a.deadline LIMIT $2 FOR UPDATE OF a SKIP LOCKED",
                self.clock.now() - self.grace, limit,
            )
            for row in rows:
                await self._submit(conn, row, auto=True)
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
