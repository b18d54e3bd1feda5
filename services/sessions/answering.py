"""Answering: saves (many in one statement and one commit), flags and the page's events.

Saves written together: the saves of one call (the gateway sends the saves that arrive together as one SaveAnswers
call) go in one statement and one commit. An exam day is hundreds of candidates saving at once; written one by one,
each save paid a round trip, a statement and a commit (a WAL flush) of its own. `write_saves` writes a call's saves
in one statement (repository.save_rows); each save still gets its own row back (status, deadline, the stored answer)
and is decided as if it were written alone. Two saves of the same question of an attempt go in order, in successive
statements (one statement cannot upsert a row twice). A statement the database refuses as a whole is written again
one save at a time, so one bad save fails alone. A sequential attempt's save checks the answered questions in a
transaction of its own.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import asyncpg

from gramota.contracts.sessions.v1 import sessions_pb2 as pb
from gramota.shared.clock import Clock
from gramota.shared.db import jsonb
from gramota.shared.errors import InvalidArgument, parse_uuid_or_not_found
from gramota.shared.expiring import BoundedCache
from gramota.shared.grpc_runtime import Identity, identity, own_user_id

from . import repository
from .attempts import not_found, owned
from .domain import ensure_accepts_answers, ensure_navigation_allows, normalize_answer

PAGE_EVENTS = ("focus_lost", "focus_regained", "resumed")


@dataclass(frozen=True)
class Paper:
    """An attempt's fixed part: it never changes after the start."""

    id: uuid.UUID
    candidate_id: str
    navigation: str
    questions: dict[str, dict]
    order: list[str]


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

    def as_json(self) -> dict:
        return {"attempt_id": str(self.attempt_id), "question_id": self.question_id, "option_ids": self.option_ids,
                "pairs": self.pairs, "text": self.text, "number": self.number, "client_seq": self.client_seq,
                "saved_at": self.at.isoformat()}


@dataclass(frozen=True)
class Saved:
    """A save's outcome: the answer stored now (`applied`), or the newer one that stayed."""

    applied: bool
    stored: asyncpg.Record


async def write_saves(pool: asyncpg.Pool, saves: list[Save], grace: timedelta) -> list[asyncpg.Record | Exception]:
    """Each save's row (see repository.save_rows), in their order, or the error that kept it from being written.
    Saves of one question of an attempt are written in the order given."""
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
            return list(await repository.save_rows(conn, [s.as_json() for s in saves], grace))
    except asyncpg.PostgresError as exc:
        if len(saves) == 1:
            return [exc]
        # the database refused the statement (a deadlock with another call, a value it cannot store): one bad save
        # must not fail the others
        return [(await _write(pool, [save], grace))[0] for save in saves]
    except Exception as exc:  # noqa: BLE001 (no connection, a timeout: every save of the call fails with it)
        return [exc] * len(saves)


class Answering:
    def __init__(self, pool: asyncpg.Pool, clock: Clock, grace: timedelta) -> None:
        self.pool = pool
        self.clock = clock
        self.grace = grace
        self._papers: BoundedCache[uuid.UUID, Paper] = BoundedCache(50_000)

    async def _paper(self, attempt_id: str, candidate_id: str) -> Paper:
        """The attempt's fixed part (owner, navigation, questions), cached: a save needs no JSON parsing and no extra
        round trip for it. Ownership as in `attempts.owned`."""
        candidate_id = own_user_id(candidate_id)
        aid = parse_uuid_or_not_found(attempt_id, "attempt")
        paper = self._papers.get(aid)
        if paper is None:
            row = await repository.paper(self.pool, aid)
            if row is not None:
                questions = jsonb(row["questions"])
                paper = Paper(aid, row["candidate_id"], row["navigation"], {q["id"]: q for q in questions},
                              [q["id"] for q in questions])
                self._papers.put(aid, paper)
        if paper is None or (candidate_id and paper.candidate_id != candidate_id):
            raise not_found(attempt_id)
        return paper

    async def save_all(self, saves: list[tuple[pb.SaveAnswerRequest, Identity | None]],
                       skip: dict[int, Exception] | None = None) -> list[Saved | Exception]:
        """Each save's outcome, or the error it fails with alone, decided under the identity it carries (`skip`:
        saves already refused, with their error)."""
        outcomes: list[Saved | Exception | None] = [None] * len(saves)
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

    async def _prepared(self, request: pb.SaveAnswerRequest) -> tuple[Paper, Save]:
        paper = await self._paper(request.attempt_id, request.candidate_id)
        question = paper.questions.get(request.question_id)
        if question is None:
            raise InvalidArgument("question_not_in_attempt",
                                  f"question {request.question_id} is not part of this attempt")
        answer = normalize_answer(question, list(request.option_ids), dict(request.pairs), request.text,
                                  request.number if request.HasField("number") else None)
        return paper, Save(paper.id, question["id"], answer.option_ids, answer.pairs, answer.text, answer.number,
                           request.client_seq, self.clock.now())

    async def _save_in_order(self, request: pb.SaveAnswerRequest, paper: Paper, save: Save) -> asyncpg.Record:
        async with self.pool.acquire() as conn, conn.transaction():
            row = await owned(conn, request.attempt_id, request.candidate_id, lock="SHARE")
            ensure_accepts_answers(row["status"], row["deadline"], save.at, self.grace)
            answered = await repository.answered_question_ids(conn, paper.id)
            ensure_navigation_allows("sequential", paper.order, answered, save.question_id)
            return (await repository.save_rows(conn, [save.as_json()], self.grace))[0]

    async def _decided(self, request: pb.SaveAnswerRequest, save: Save, row: asyncpg.Record) -> Saved:
        """The outcome of a written save, or its refusal (the attempt closed or gone)."""
        if row["status"] is None:
            raise not_found(request.attempt_id)
        applied = row["question_id"] is not None
        if not applied:
            ensure_accepts_answers(row["status"], row["deadline"], save.at, self.grace)
            # accepted, but a save numbered lower than the stored one left the browser earlier: it must not
            # overwrite the newer answer (client_seq 0: an unnumbered client, last write wins)
            row = await repository.stored_answer(self.pool, save.attempt_id, save.question_id)
        return Saved(applied, row)

    async def set_flag(self, attempt_id: str, candidate_id: str, question_id: str, flagged: bool) -> list[str]:
        """The attempt's flagged questions after flagging (or unflagging) one."""
        async with self.pool.acquire() as conn, conn.transaction():
            row = await owned(conn, attempt_id, candidate_id, lock="UPDATE")
            ensure_accepts_answers(row["status"], row["deadline"], self.clock.now(), self.grace)
            if question_id not in {q["id"] for q in jsonb(row["questions"])}:
                raise InvalidArgument("question_not_in_attempt", f"question {question_id} is not part of this attempt")
            flags = [f for f in row["flagged"] if f != question_id] + ([question_id] if flagged else [])
            await repository.set_flags(conn, row["id"], flags)
        return flags

    async def record_event(self, attempt_id: str, candidate_id: str, kind: str) -> datetime:
        """The page's event (focus lost, regained, resumed) in the attempt's audit trail; when it was recorded."""
        if kind not in PAGE_EVENTS:
            raise InvalidArgument("unknown_event", f"kind must be one of {', '.join(PAGE_EVENTS)}")
        async with self.pool.acquire() as conn:
            row = await owned(conn, attempt_id, candidate_id)
            now = self.clock.now()
            await repository.audit(conn, row["id"], kind, now)
        return now
