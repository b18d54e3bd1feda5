"""Starting an attempt (or resuming the open one) and the candidate's list of exams, over the cached forms."""
from __future__ import annotations

import random
import uuid
from dataclasses import dataclass

import asyncpg
import grpc

from gramota.contracts.events.v1 import events_pb2
from gramota.contracts.testbank.v1 import testbank_pb2, testbank_pb2_grpc
from gramota.shared import personal_data
from gramota.shared.clock import Clock
from gramota.shared.db import jsonb
from gramota.shared.draw import DrawImpossible, draw
from gramota.shared.errors import Conflict, InvalidArgument, NotFound, parse_uuid_or_not_found

from . import events, repository
from .attempts import AttemptView, view
from .domain import (
    ExamRules,
    ExamStanding,
    PastAttempt,
    arrange,
    deadline_of,
    ensure_may_start,
    extra_seconds_for,
    standing,
)


@dataclass(frozen=True)
class Form:
    stamp: tuple
    title: str
    time_limit_seconds: int
    rules: ExamRules
    questions: list[dict]
    draw_rules: list[dict]


class Starting:
    def __init__(self, pool: asyncpg.Pool, clock: Clock, testbank: testbank_pb2_grpc.TestBankStub) -> None:
        self.pool = pool
        self.clock = clock
        self.testbank = testbank
        self._forms: dict[uuid.UUID, Form] = {}

    async def _form(self, conn: asyncpg.Connection, exam_id: uuid.UUID, stamp: tuple | None) -> Form:
        """The exam's cached form, parsed once per version (`stamp`: its version and caching time as the history
        query saw them; None when the `exam published` event has not arrived: ask the bank once and cache it)."""
        form = self._forms.get(exam_id)
        if form is not None and stamp is not None and form.stamp == stamp:
            return form
        row = await repository.form(conn, exam_id)
        if row is None:
            try:
                remote = await self.testbank.GetExamForm(testbank_pb2.GetExamFormRequest(exam_id=str(exam_id)), timeout=5)
            except grpc.aio.AioRpcError as exc:
                if exc.code() == grpc.StatusCode.NOT_FOUND:
                    raise NotFound("exam_not_found", f"no published exam {exam_id}") from None
                raise
            await events.cache_published(conn, remote)
            row = await repository.form(conn, exam_id)
        form = Form((row["form_version"], row["cached_at"]), row["title"], row["time_limit_seconds"],
                    ExamRules.from_json(jsonb(row["settings"])), jsonb(row["questions"]), jsonb(row["rules"]))
        self._forms[exam_id] = form
        return form

    async def start(self, exam_id_text: str, c: events_pb2.Candidate) -> AttemptView:
        """A new attempt, drawn and arranged, announced (`attempt started`); or the candidate's open one, resumed."""
        exam_id = parse_uuid_or_not_found(exam_id_text, "exam")
        if not c.user_id:
            raise InvalidArgument("invalid_candidate", "candidate.user_id is required")
        async with self.pool.acquire() as conn, conn.transaction():
            await repository.lock_start(conn, c.user_id, exam_id)
            # the candidate's past attempts, accommodation, erasure and the form's version, in one round trip
            history = await repository.start_history(conn, c.user_id, exam_id)
            first = history[0]
            if first["erased"]:
                c = personal_data.anonymised(c)
            form = await self._form(conn, exam_id, (first["form_version"], first["form_cached_at"])
                                    if first["form_version"] is not None else None)
            past_rows = [r for r in history if r["id"] is not None]
            open_row = next((r for r in past_rows if r["status"] == "in_progress"), None)
            if open_row is not None:
                await repository.audit(conn, open_row["id"], "resumed", self.clock.now())
                return await view(conn, open_row, form.title)
            now = self.clock.now()
            rules = form.rules
            past = [PastAttempt(r["started_at"], r["submitted_at"], tuple(q["id"] for q in jsonb(r["questions"])))
                    for r in past_rows]
            number = ensure_may_start(rules, past, now)
            extra = extra_seconds_for(form.time_limit_seconds, first["acc_extra_percent"], first["acc_extra_minutes"]) \
                if first["acc_extra_percent"] is not None else 0
            attempt_id = uuid.uuid4()
            rng = random.Random(attempt_id.int)  # the draw and the order are stored, so any seed will do
            pool = form.questions
            if form.draw_rules:
                by_id = {q["id"]: q for q in pool}
                seen = {i for p in past for i in p.item_ids}
                try:
                    drawn = set(draw([(r["count"], [i for i in r["item_ids"] if i in by_id]) for r in form.draw_rules],
                                     seen, rng))
                    # the draw picks which questions; their order is the form's unless the exam shuffles
                    pool = [q for q in pool if q["id"] in drawn]
                except DrawImpossible as exc:  # publishing checked the rules; a form that fails is broken
                    raise Conflict("exam_form_invalid", f"the exam's questions cannot be drawn: {exc}") from None
            questions = arrange(pool, rules, rng)
            deadline = deadline_of(now, form.time_limit_seconds, extra, rules.closes_at)
            candidate = {"full_name": c.full_name, "federal_district": c.federal_district,
                         "region": c.region, "organization": c.organization, **({"erased": True} if c.erased else {})}
            row = await repository.insert_attempt(
                conn, attempt_id, exam_id, c.user_id, candidate, now, deadline, questions, number, rules.navigation,
                extra, {"attempt_number": number, "extra_seconds": extra, "deadline": deadline.isoformat()})
            await events.attempt_started(conn, row, c)
            return AttemptView(row, form.title, ())

    async def candidate_exams(self, candidate_id: str) -> list[tuple[asyncpg.Record, ExamStanding]]:
        """Every exam with where the candidate stands on it."""
        rows = await repository.candidate_exams(self.pool, candidate_id)
        now = self.clock.now()
        out = []
        for r in rows:
            draw_rules = jsonb(r["rules"])
            count = sum(d["count"] for d in draw_rules) if draw_rules else r["pool_size"]
            out.append((r, standing(ExamRules.from_json(jsonb(r["settings"])), r["used"] or 0, bool(r["open_id"]),
                                    r["last_end"], count, now)))
        return out
