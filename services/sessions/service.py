"""gRPC handlers of exam sessions, the use cases behind them, and the deadline sweeper."""
from __future__ import annotations

import asyncio
import json
import logging
import random
import uuid
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import asyncpg
import grpc
from google.rpc import status_pb2

from gramota.contracts.events.v1 import events_pb2
from gramota.contracts.sessions.v1 import sessions_pb2 as pb
from gramota.contracts.sessions.v1 import sessions_pb2_grpc
from gramota.contracts.testbank.v1 import testbank_pb2, testbank_pb2_grpc
from gramota.shared import outbox, personal_data, topics
from gramota.shared.clock import Clock
from gramota.shared.consumer import Delivery
from gramota.shared.draw import DrawImpossible, draw
from gramota.shared.errors import (
    Conflict,
    DomainError,
    InvalidArgument,
    NotFound,
    Unauthenticated,
    parse_uuid_or_not_found,
)
from gramota.shared.events import timestamp
from gramota.shared.grpc_runtime import Identity, VerifiedIdentities, ensure_admin, identity

from .domain import (
    GRACE,
    ExamRules,
    PastAttempt,
    arrange,
    deadline_of,
    ensure_accepts_answers,
    ensure_may_start,
    ensure_navigation_allows,
    extra_seconds_for,
    next_start_allowed_at,
    normalize_answer,
)
from .writer import Save, save_rows, write_saves

SERVICE = "sessions"
MAX_SAVES_PER_CALL = 500  # the gateway sends at most 64
log = logging.getLogger(__name__)
PAGE_EVENTS = ("focus_lost", "focus_regained", "resumed")

# What an erasure does here, and what it keeps and why (README: "What is kept, and why").
ERASED = ["the name and organisation in the snapshot of every attempt",
          "the candidate's extra time (accommodation) and the notes on it",
          "the free-text reasons given for extending the candidate's attempts"]
KEPT = [events_pb2.KeptRecord(what="attempts under the account id: exam, times, questions as shown, answers, audit trail",
                      why="the exam record behind results and issued certificates (appeals, rescoring); once the "
                          "gateway erases the account the id no longer leads to a person"),
        events_pb2.KeptRecord(what="federal district and region in the attempt snapshots",
                      why="coarse statistical attributes (8 districts, 89 regions) that identify nobody alone"),
        events_pb2.KeptRecord(what="the extra minutes granted (accommodation audit, without notes)",
                      why="they explain an attempt's longer deadline in its audit trail")]


def _json(value):
    return json.loads(value) if isinstance(value, str) else value


def _type_name(item_type: int) -> str:
    return testbank_pb2.ItemType.Name(item_type).removeprefix("ITEM_TYPE_").lower()


def _when(ts) -> datetime | None:
    return ts.ToDatetime(tzinfo=UTC) if ts is not None and (ts.seconds or ts.nanos) else None


def rules_of(settings: events_pb2.ExamSettings) -> ExamRules:
    return ExamRules(attempts_allowed=settings.attempts_allowed, cooldown_seconds=settings.cooldown_seconds,
                     opens_at=_when(settings.opens_at) if settings.HasField("opens_at") else None,
                     closes_at=_when(settings.closes_at) if settings.HasField("closes_at") else None,
                     shuffle_questions=settings.shuffle_questions, shuffle_options=settings.shuffle_options,
                     navigation=settings.navigation or "free")


def question_json(q, type_name: str) -> dict:
    return {"id": q.item_id, "item_version": q.item_version, "type": type_name, "text": q.text,
            "options": [{"id": o.id, "text": o.text} for o in q.options],
            "targets": [{"id": o.id, "text": o.text} for o in q.targets]}


async def cache_form(conn: asyncpg.Connection, exam_id: str, title: str, time_limit: int, pass_score: float,
                     form_version: int, questions: list[dict], rules: ExamRules | None = None,
                     draw_rules: list[dict] | None = None) -> None:
    await conn.execute(
        """
        INSERT INTO exam_forms (exam_id, title, time_limit_seconds, pass_score, form_version, questions, settings, rules)
        VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8::jsonb)
        ON CONFLICT (exam_id) DO UPDATE SET title = excluded.title, time_limit_seconds = excluded.time_limit_seconds,
            pass_score = excluded.pass_score, form_version = excluded.form_version, questions = excluded.questions,
            settings = excluded.settings, rules = excluded.rules, cached_at = now()
        WHERE exam_forms.form_version <= excluded.form_version
        """,
        uuid.UUID(exam_id), title, time_limit, pass_score, form_version, json.dumps(questions),
        json.dumps((rules or ExamRules()).to_json()), json.dumps(draw_rules or []),
    )


async def on_exam_published(delivery: Delivery) -> None:
    msg: events_pb2.ExamPublished = delivery.payload
    questions = [question_json(q, q.type) for q in msg.questions]
    draw_rules = [{"count": r.count, "item_ids": list(r.item_ids)} for r in msg.rules]
    async with delivery.effect() as conn:
        await cache_form(conn, msg.exam_id, msg.title, msg.time_limit_seconds, msg.pass_score, msg.form_version,
                         questions, rules_of(msg.settings), draw_rules)




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


@dataclass(frozen=True)
class _Form:
    stamp: tuple
    title: str
    time_limit_seconds: int
    rules: ExamRules
    questions: list[dict]
    draw_rules: list[dict]


@dataclass(frozen=True)
class _Paper:
    id: uuid.UUID
    candidate_id: str
    navigation: str
    questions: dict[str, dict]
    order: list[str]


class _Papers:
    """A bounded LRU of attempts' fixed parts (the least recently used are forgotten first)."""

    def __init__(self, size: int = 50_000) -> None:
        self.size = size
        self._items: OrderedDict[uuid.UUID, _Paper] = OrderedDict()

    def get(self, key: uuid.UUID) -> _Paper | None:
        paper = self._items.get(key)
        if paper is not None:
            self._items.move_to_end(key)
        return paper

    def put(self, key: uuid.UUID, paper: _Paper) -> None:
        self._items[key] = paper
        if len(self._items) > self.size:
            self._items.popitem(last=False)


class SessionsServicer(sessions_pb2_grpc.SessionsServicer):
    def __init__(self, pool: asyncpg.Pool, clock: Clock, testbank: testbank_pb2_grpc.TestBankStub,
                 grace: timedelta = GRACE, identities: VerifiedIdentities | None = None) -> None:
        self.pool = pool
        self.identities = identities  # checks the identity each item of a SaveAnswers call carries (None: refused)
        self.clock = clock
        self.testbank = testbank
        self.grace = grace
        self._papers = _Papers()
        self._forms: dict[uuid.UUID, _Form] = {}

    # --- reading -------------------------------------------------------------------------------
    async def _attempt_message(self, conn: asyncpg.Connection, row: asyncpg.Record, title: str,
                               answers: Sequence[asyncpg.Record] | None = None) -> pb.Attempt:
        """The attempt as the API shows it (`answers`: given when known, e.g. none yet for a new attempt)."""
        if answers is None:
            answers = await conn.fetch("SELECT * FROM answers WHERE attempt_id = $1", row["id"])
        return pb.Attempt(
            id=str(row["id"]), exam_id=str(row["exam_id"]), exam_title=title, candidate_id=row["candidate_id"],
            status=pb.ATTEMPT_STATUS_IN_PROGRESS if row["status"] == "in_progress" else pb.ATTEMPT_STATUS_SUBMITTED,
            started_at=timestamp(row["started_at"]), deadline=timestamp(row["deadline"]),
            submitted_at=timestamp(row["submitted_at"]) if row["submitted_at"] else None,
            auto_submitted=row["auto_submitted"],
            questions=[pb.Question(id=q["id"], item_version=q["item_version"], type=q["type"], text=q["text"],
                                   options=[pb.Option(id=o["id"], text=o["text"]) for o in q["options"]],
                                   targets=[pb.Option(id=o["id"], text=o["text"]) for o in q.get("targets", ())])
                       for q in _json(row["questions"])],
            answers=[self._saved(a) for a in answers],
            navigation=row["navigation"], attempt_number=row["attempt_number"], extra_seconds=row["extra_seconds"],
            server_time=timestamp(self.clock.now()), flagged_question_ids=list(row["flagged"]),
        )

    @staticmethod
    def _saved(a: asyncpg.Record) -> pb.SavedAnswer:
        return pb.SavedAnswer(question_id=a["question_id"], option_ids=a["option_ids"], saved_at=timestamp(a["saved_at"]),
                              pairs=_json(a["pairs"]), text=a["text"], number=a["number"], client_seq=a["client_seq"])

    async def _owned(self, conn: asyncpg.Connection, attempt_id: str, candidate_id: str, *,
                     lock: str = "") -> asyncpg.Record:
        """The attempt, if it exists and belongs to the candidate (empty candidate: an admin's look).

        Defense in depth: a call made for a signed-in user who is not an admin is about that user's own attempts,
        whatever candidate the request names (a gateway bug must not open someone else's attempt)."""
        who = identity.get()
        if who is not None and who.role != "admin":
            candidate_id = who.user_id
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
    async def _form(self, conn: asyncpg.Connection, exam_id: uuid.UUID, stamp: tuple | None) -> "_Form":
        """The exam's cached form, parsed once per version (`stamp`: its version and caching time as the history
        query saw them; None when the `exam published` event has not arrived: ask the bank once and cache it)."""
        form = self._forms.get(exam_id)
        if form is not None and stamp is not None and form.stamp == stamp:
            return form
        row = await conn.fetchrow("SELECT * FROM exam_forms WHERE exam_id = $1", exam_id)
        if row is None:
            try:
                remote = await self.testbank.GetExamForm(testbank_pb2.GetExamFormRequest(exam_id=str(exam_id)), timeout=5)
            except grpc.aio.AioRpcError as exc:
                if exc.code() == grpc.StatusCode.NOT_FOUND:
                    raise NotFound("exam_not_found", f"no published exam {exam_id}") from None
                raise
            await cache_form(conn, remote.exam_id, remote.title, remote.time_limit_seconds, remote.pass_score,
                             remote.form_version, [question_json(q, _type_name(q.type)) for q in remote.questions],
                             rules_of(remote.settings), [{"count": r.count, "item_ids": list(r.item_ids)} for r in remote.rules])
            row = await conn.fetchrow("SELECT * FROM exam_forms WHERE exam_id = $1", exam_id)
        form = _Form((row["form_version"], row["cached_at"]), row["title"], row["time_limit_seconds"],
                     ExamRules.from_json(_json(row["settings"])), _json(row["questions"]), _json(row["rules"]))
        self._forms[exam_id] = form
        return form

    async def StartAttempt(self, request: pb.StartAttemptRequest, context) -> pb.Attempt:
        exam_id = parse_uuid_or_not_found(request.exam_id, "exam")
        c = request.candidate
        if not c.user_id:
            raise InvalidArgument("invalid_candidate", "candidate.user_id is required")
        async with self.pool.acquire() as conn, conn.transaction():
            # one start at a time per candidate and exam, so two clicks never count as two attempts; and the
            # candidate's erasure lock, shared, so an erasure never overlaps a start
            await conn.execute(f"SELECT pg_advisory_xact_lock(hashtext($1)), {personal_data.lock_expression('$2')}",
                               f"{c.user_id}/{exam_id}", c.user_id)
            # the candidate's past attempts, accommodation, erasure and the form's version, in one round trip
            history = await conn.fetch(_HISTORY, c.user_id, exam_id)
            first = history[0]
            if first["erased"]:
                c = personal_data.anonymised(c)
            form = await self._form(conn, exam_id, (first["form_version"], first["form_cached_at"])
                                    if first["form_version"] is not None else None)
            past_rows = [r for r in history if r["id"] is not None]
            open_row = next((r for r in past_rows if r["status"] == "in_progress"), None)
            if open_row is not None:
                await self._audit(conn, open_row["id"], "resumed")
                return await self._attempt_message(conn, open_row, form.title)
            now = self.clock.now()
            rules = form.rules
            past = [PastAttempt(r["started_at"], r["submitted_at"], tuple(q["id"] for q in _json(r["questions"])))
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
            row = await conn.fetchrow(
                _START, attempt_id, exam_id, c.user_id, json.dumps(candidate), now, deadline, json.dumps(questions),
                number, rules.navigation, extra,
                json.dumps({"attempt_number": number, "extra_seconds": extra, "deadline": deadline.isoformat()}),
            )
            await outbox.enqueue(
                conn, topics.ATTEMPT_STARTED,
                events_pb2.AttemptStarted(attempt_id=str(attempt_id), exam_id=str(exam_id), candidate=c,
                                          deadline=timestamp(deadline)),
                aggregate_id=str(attempt_id), producer=SERVICE,
            )
            return await self._attempt_message(conn, row, form.title, answers=())

    async def ListCandidateExams(self, request: pb.ListCandidateExamsRequest, context) -> pb.ListCandidateExamsResponse:
        async with self.pool.acquire() as conn:
            rows = await conn.fetch(
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
                request.candidate_id,
            )
        now = self.clock.now()
        out = []
        for r in rows:
            rules = ExamRules.from_json(_json(r["settings"]))
            used = r["used"] or 0
            draw_rules = _json(r["rules"])
            count = sum(d["count"] for d in draw_rules) if draw_rules else r["pool_size"]
            past = [PastAttempt(now, r["last_end"])] if r["last_end"] else []
            next_at = next_start_allowed_at(rules, past)
            left = max(rules.attempts_allowed - used, 0) if rules.attempts_allowed else -1
            if r["open_id"]:
                availability = "in_progress"
            elif rules.closes_at and now >= rules.closes_at:
                availability = "closed"
            elif rules.opens_at and now < rules.opens_at:
                availability = "not_open"
            elif left == 0:
                availability = "exhausted"
            elif next_at and now < next_at:
                availability = "cooldown"
            else:
                availability = "available"
            out.append(pb.CandidateExam(
                exam_id=str(r["exam_id"]), title=r["title"], time_limit_seconds=r["time_limit_seconds"],
                question_count=count, attempts_allowed=rules.attempts_allowed, attempts_used=used, attempts_left=left,
                open_attempt_id=str(r["open_id"] or ""), last_attempt_id=str(r["last_id"] or ""),
                next_start_at=timestamp(next_at) if availability == "cooldown" else None,
                opens_at=timestamp(rules.opens_at) if rules.opens_at else None,
                closes_at=timestamp(rules.closes_at) if rules.closes_at else None, availability=availability))
        return pb.ListCandidateExamsResponse(exams=out)

    # --- answering -----------------------------------------------------------------------------
    async def _paper(self, attempt_id: str, candidate_id: str) -> "_Paper":
        """The attempt's fixed part (owner, navigation, questions), cached: it never changes after the start, so a
        save needs no JSON parsing and no extra round trip for it. Ownership as in `_owned`."""
        who = identity.get()
        if who is not None and who.role != "admin":
            candidate_id = who.user_id
        aid = parse_uuid_or_not_found(attempt_id, "attempt")
        paper = self._papers.get(aid)
        if paper is None:
            row = await self.pool.fetchrow("SELECT candidate_id, navigation, questions FROM attempts WHERE id = $1", aid)
            if row is not None:
                paper = _Paper(aid, row["candidate_id"], row["navigation"],
                               {q["id"]: q for q in _json(row["questions"])}, [q["id"] for q in _json(row["questions"])])
                self._papers.put(aid, paper)
        if paper is None or (candidate_id and paper.candidate_id != candidate_id):
            raise NotFound("attempt_not_found", f"attempt {attempt_id} does not exist")
        return paper

    async def SaveAnswer(self, request: pb.SaveAnswerRequest, context) -> pb.SaveAnswerResponse:
        [outcome] = await self._save_all([(request, identity.get())])
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    async def SaveAnswers(self, request: pb.SaveAnswersRequest, context) -> pb.SaveAnswersResponse:
        """Each item decided as SaveAnswer would decide it alone, under the identity it carries."""
        if len(request.items) > MAX_SAVES_PER_CALL:
            raise InvalidArgument("too_many_saves", f"at most {MAX_SAVES_PER_CALL} saves go in one call")
        caller = identity.get()
        saves: list[tuple[pb.SaveAnswerRequest, Identity | None]] = []
        refused: dict[int, Exception] = {}
        for n, item in enumerate(request.items):
            who = self.identities.identity(item.identity) if item.identity and self.identities else None
            if item.identity and who is None:
                refused[n] = Unauthenticated("identity_refused", "forwarded identity forged or expired")
            saves.append((item.save, who if item.identity else caller))
        outcomes = await self._save_all(saves, skip=refused)
        reply = pb.SaveAnswersResponse()
        for item, outcome in zip(request.items, outcomes):
            if isinstance(outcome, DomainError):
                reply.outcomes.add(error=outcome.to_status_details())
            elif isinstance(outcome, Exception):
                log.error("answer save failed", exc_info=outcome,
                          extra={"attempt_id": item.save.attempt_id, "correlation_id": item.correlation_id})
                reply.outcomes.add(error=status_pb2.Status(code=grpc.StatusCode.INTERNAL.value[0],
                                                           message="internal error").SerializeToString())
            else:
                reply.outcomes.add(saved=outcome)
        return reply

    async def _save_all(self, saves: list[tuple[pb.SaveAnswerRequest, Identity | None]],
                        skip: dict[int, Exception] | None = None) -> list[pb.SaveAnswerResponse | Exception]:
        """Each save's reply, or the error it fails with alone (`skip`: saves already refused, with their error).

        The saves of free-navigation attempts are written in one statement and one commit (writer.py); a sequential
        attempt's save checks the answered questions in a transaction of its own."""
        outcomes: list[pb.SaveAnswerResponse | Exception | None] = [None] * len(saves)
        together: list[tuple[int, Save]] = []
        for n, (request, who) in enumerate(saves):
            if skip and n in skip:
                outcomes[n] = skip[n]
                continue
            token = identity.set(who)  # ownership: a candidate saves only into their own attempts
            try:
                paper, save = await self._prepared(request)
                if paper.navigation == "sequential":
                    outcomes[n] = await self._decided(request, save, await self._save_in_order(request, paper, save))
                else:
                    together.append((n, save))
            except Exception as exc:  # noqa: BLE001 (the save's own failure: the others go on)
                outcomes[n] = exc
            finally:
                identity.reset(token)
        if together:
            rows = await write_saves(self.pool, [save for _, save in together], self.grace)
            for (n, save), row in zip(together, rows):
                try:
                    outcomes[n] = row if isinstance(row, Exception) else await self._decided(saves[n][0], save, row)
                except Exception as exc:  # noqa: BLE001
                    outcomes[n] = exc
        return outcomes  # type: ignore[return-value]

    async def _prepared(self, request: pb.SaveAnswerRequest) -> tuple["_Paper", Save]:
        paper = await self._paper(request.attempt_id, request.candidate_id)
        question = paper.questions.get(request.question_id)
        if question is None:
            raise InvalidArgument("question_not_in_attempt",
                                  f"question {request.question_id} is not part of this attempt")
        answer = normalize_answer(question, list(request.option_ids), dict(request.pairs), request.text,
                                  request.number if request.HasField("number") else None)
        return paper, Save(paper.id, question["id"], answer.option_ids, answer.pairs, answer.text, answer.number,
                           request.client_seq, self.clock.now())

    async def _save_in_order(self, request: pb.SaveAnswerRequest, paper: "_Paper", save: Save) -> asyncpg.Record:
        async with self.pool.acquire() as conn, conn.transaction():
            row = await self._owned(conn, request.attempt_id, request.candidate_id, lock="SHARE")
            ensure_accepts_answers(row["status"], row["deadline"], save.at, self.grace)
            answered = {r["question_id"] for r in await conn.fetch(
                "SELECT question_id FROM answers WHERE attempt_id = $1", paper.id)}
            ensure_navigation_allows("sequential", paper.order, answered, save.question_id)
            return (await save_rows(conn, [save], self.grace))[0]

    async def _decided(self, request: pb.SaveAnswerRequest, save: Save, row: asyncpg.Record) -> pb.SaveAnswerResponse:
        """The reply to a written save, or its refusal (the attempt closed or gone)."""
        if row["status"] is None:
            raise NotFound("attempt_not_found", f"attempt {request.attempt_id} does not exist")
        applied = row["question_id"] is not None
        if not applied:
            ensure_accepts_answers(row["status"], row["deadline"], save.at, self.grace)
            # accepted, but a save numbered lower than the stored one left the browser earlier: it must not
            # overwrite the newer answer (client_seq 0: an unnumbered client, last write wins)
            row = await self.pool.fetchrow("SELECT * FROM answers WHERE attempt_id = $1 AND question_id = $2",
                                           save.attempt_id, save.question_id)
        return pb.SaveAnswerResponse(saved_at=timestamp(row["saved_at"]), applied=applied, stored=self._saved(row))

    async def SetFlag(self, request: pb.SetFlagRequest, context) -> pb.SetFlagResponse:
        async with self.pool.acquire() as conn, conn.transaction():
            row = await self._owned(conn, request.attempt_id, request.candidate_id, lock="UPDATE")
            ensure_accepts_answers(row["status"], row["deadline"], self.clock.now(), self.grace)
            if request.question_id not in {q["id"] for q in _json(row["questions"])}:
                raise InvalidArgument("question_not_in_attempt",
                                      f"question {request.question_id} is not part of this attempt")
            flagged = [f for f in row["flagged"] if f != request.question_id] + ([request.question_id] if request.flagged else [])
            await conn.execute("UPDATE attempts SET flagged = $2 WHERE id = $1", row["id"], flagged)
        return pb.SetFlagResponse(flagged_question_ids=flagged)

    async def RecordEvent(self, request: pb.RecordEventRequest, context) -> pb.RecordEventResponse:
        if request.kind not in PAGE_EVENTS:
            raise InvalidArgument("unknown_event", f"kind must be one of {', '.join(PAGE_EVENTS)}")
        async with self.pool.acquire() as conn:
            row = await self._owned(conn, request.attempt_id, request.candidate_id)
            now = self.clock.now()
            await self._audit(conn, row["id"], request.kind, at=now)
        return pb.RecordEventResponse(at=timestamp(now))

    # --- admins ----------------------------------------------------------------------------------
    async def SetAccommodation(self, request: pb.SetAccommodationRequest, context) -> pb.Accommodation:
        if not request.user_id:
            raise InvalidArgument("invalid_candidate", "user_id is required")
        if not 0 <= request.extra_percent <= 400 or not 0 <= request.extra_minutes <= 1440:
            raise InvalidArgument("invalid_accommodation", "extra_percent is 0..400 and extra_minutes 0..1440")
        now = self.clock.now()
        async with self.pool.acquire() as conn, conn.transaction():
            row = await conn.fetchrow(
                """
                INSERT INTO accommodations (user_id, extra_percent, extra_minutes, set_by, note, updated_at)
                VALUES ($1, $2, $3, $4, $5, $6)
                ON CONFLICT (user_id) DO UPDATE SET extra_percent = excluded.extra_percent,
                    extra_minutes = excluded.extra_minutes, set_by = excluded.set_by, note = excluded.note,
                    updated_at = excluded.updated_at
                RETURNING *
                """,
                request.user_id, request.extra_percent, request.extra_minutes, request.set_by, request.note, now,
            )
            await conn.execute(
                "INSERT INTO accommodation_audit (user_id, extra_percent, extra_minutes, set_by, note, at)"
                " VALUES ($1, $2, $3, $4, $5, $6)",
                request.user_id, request.extra_percent, request.extra_minutes, request.set_by, request.note, now,
            )
        return pb.Accommodation(user_id=row["user_id"], extra_percent=row["extra_percent"],
                                extra_minutes=row["extra_minutes"], updated_at=timestamp(row["updated_at"]),
                                set_by=row["set_by"])

    async def ExtendAttempt(self, request: pb.ExtendAttemptRequest, context) -> pb.Attempt:
        """More time for a running attempt: an admin's decision, so not capped by the exam window."""
        if not 1 <= request.minutes <= 600:
            raise InvalidArgument("invalid_extension", "minutes is 1..600")
        async with self.pool.acquire() as conn, conn.transaction():
            row = await self._owned(conn, request.attempt_id, "", lock="UPDATE")
            if row["status"] != "in_progress":
                raise Conflict("attempt_submitted", "the attempt has been submitted; it can no longer be extended")
            row = await conn.fetchrow(
                "UPDATE attempts SET deadline = deadline + make_interval(mins => $2), extra_seconds = extra_seconds + $2 * 60"
                " WHERE id = $1 RETURNING *",
                row["id"], request.minutes,
            )
            await self._audit(conn, row["id"], "extended", {"minutes": request.minutes, "by": request.extended_by,
                                                            "reason": request.reason, "deadline": row["deadline"].isoformat()})
            form_title = await conn.fetchval("SELECT title FROM exam_forms WHERE exam_id = $1", row["exam_id"])
            return await self._attempt_message(conn, row, form_title)

    async def GetAudit(self, request: pb.GetAuditRequest, context) -> pb.AuditTrail:
        async with self.pool.acquire() as conn:
            row = await self._owned(conn, request.attempt_id, "")
            return pb.AuditTrail(attempt_id=str(row["id"]), entries=await self._audit_entries(conn, row["id"]))

    @staticmethod
    async def _audit_entries(conn: asyncpg.Connection, attempt_id: uuid.UUID) -> list[pb.AuditEntry]:
        entries = await conn.fetch("SELECT kind, at, detail FROM attempt_audit WHERE attempt_id = $1 ORDER BY id",
                                   attempt_id)
        return [pb.AuditEntry(kind=e["kind"], at=timestamp(e["at"]),
                              detail_json=json.dumps(_json(e["detail"]), ensure_ascii=False)) for e in entries]

    # --- personal data (admins) ------------------------------------------------------------------
    async def ExportCandidate(self, request: pb.ExportCandidateRequest, context) -> pb.CandidateExport:
        ensure_admin("export a candidate's personal data")
        candidate_id = personal_data.candidate_id_of(request.candidate_id)
        async with self.pool.acquire() as conn:
            rows = await conn.fetch("SELECT a.*, f.title FROM attempts a JOIN exam_forms f USING (exam_id)"
                                    " WHERE a.candidate_id = $1 ORDER BY a.started_at, a.id", candidate_id)
            attempts = [pb.AttemptRecord(attempt=await self._attempt_message(conn, r, r["title"]),
                                         candidate=events_pb2.Candidate(user_id=candidate_id, **_json(r["candidate"])),
                                         audit=await self._audit_entries(conn, r["id"])) for r in rows]
            current = await conn.fetchrow("SELECT * FROM accommodations WHERE user_id = $1", candidate_id)
            changes = await conn.fetch("SELECT * FROM accommodation_audit WHERE user_id = $1 ORDER BY id", candidate_id)
            erased_at = await personal_data.erased_at(conn, candidate_id)
        return pb.CandidateExport(
            candidate_id=candidate_id, attempts=attempts,
            accommodation=pb.Accommodation(user_id=candidate_id, extra_percent=current["extra_percent"],
                                           extra_minutes=current["extra_minutes"], set_by=current["set_by"],
                                           updated_at=timestamp(current["updated_at"])) if current else None,
            accommodation_changes=[pb.AccommodationChange(extra_percent=c["extra_percent"], extra_minutes=c["extra_minutes"],
                                                          set_by=c["set_by"], note=c["note"], at=timestamp(c["at"]))
                                   for c in changes],
            erased_at=timestamp(erased_at) if erased_at else None)

    async def EraseCandidate(self, request: events_pb2.EraseCandidateRequest, context) -> events_pb2.CandidateErasure:
        """Blank what identifies the candidate; idempotent. An attempt still running keeps running: its snapshot is
        blanked now, so its `attempt submitted` carries no name (and scoring's register covers an event already
        written)."""
        ensure_admin("erase a candidate's personal data")
        candidate_id = personal_data.candidate_id_of(request.candidate_id)
        blank = json.dumps(personal_data.anonymised_snapshot({}))
        async with self.pool.acquire() as conn, conn.transaction():
            erased_at = await personal_data.begin_erasure(conn, candidate_id, self.clock.now())
            changed = [
                await conn.execute("UPDATE attempts SET candidate = candidate || $2::jsonb"
                                   " WHERE candidate_id = $1 AND NOT candidate @> $2::jsonb", candidate_id, blank),
                await conn.execute("UPDATE attempt_audit SET detail = jsonb_set(detail, '{reason}', '\"\"')"
                                   " WHERE attempt_id IN (SELECT id FROM attempts WHERE candidate_id = $1)"
                                   " AND coalesce(detail->>'reason', '') <> ''", candidate_id),
                await conn.execute("DELETE FROM accommodations WHERE user_id = $1", candidate_id),
                await conn.execute("UPDATE accommodation_audit SET note = '' WHERE user_id = $1 AND note <> ''",
                                   candidate_id),
            ]
        records = sum(int(status.rsplit(" ", 1)[1]) for status in changed)
        log.info("candidate erased", extra={"candidate_id": candidate_id, "records": records})
        return events_pb2.CandidateErasure(candidate_id=candidate_id, erased_at=timestamp(erased_at), records=records,
                                   erased=ERASED, kept=KEPT)

    # --- submitting ----------------------------------------------------------------------------
    async def SubmitAttempt(self, request: pb.SubmitAttemptRequest, context) -> pb.Attempt:
        async with self.pool.acquire() as conn, conn.transaction():
            row = await self._owned(conn, request.attempt_id, request.candidate_id, lock="UPDATE")
            if row["status"] != "in_progress":
                return await self._attempt_message(conn, row, row["title"])
            row, answers = await self._submit(conn, row, auto=False)
            return await self._attempt_message(conn, row, row["title"], answers)

    async def _submit(self, conn: asyncpg.Connection, row: asyncpg.Record, *,
                      auto: bool) -> tuple[asyncpg.Record, list[asyncpg.Record]]:
        """Close the attempt and announce it with its answers, in the caller's transaction: the closed attempt and
        its answers. Three round trips: close (+ audit), answers, outbox."""
        now = self.clock.now()
        submitted_at = min(now, row["deadline"]) if auto else now
        updated = await conn.fetchrow(_CLOSE, row["id"], submitted_at, auto,
                                      "auto_submitted" if auto else "submitted", now)
        answers = await conn.fetch("SELECT * FROM answers WHERE attempt_id = $1", row["id"])
        questions = _json(row["questions"])
        versions = {q["id"]: q["item_version"] for q in questions}
        candidate = _json(row["candidate"])
        await outbox.enqueue(
            conn, topics.ATTEMPT_SUBMITTED,
            events_pb2.AttemptSubmitted(
                attempt_id=str(row["id"]), exam_id=str(row["exam_id"]),
                candidate=events_pb2.Candidate(user_id=row["candidate_id"], **candidate),
                answers=[events_pb2.Answer(question_id=a["question_id"], item_version=versions.get(a["question_id"], 0),
                                           option_ids=a["option_ids"], pairs=_json(a["pairs"]), text=a["text"],
                                           number=a["number"]) for a in answers],
                started_at=timestamp(row["started_at"]), submitted_at=timestamp(submitted_at),
                auto_submitted=auto, question_ids=[q["id"] for q in questions],
            ),
            aggregate_id=str(row["id"]), producer=SERVICE,
        )
        return updated, answers

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
