"""What sessions consumes (`exam published`: the form it caches) and publishes (`attempt started`, `attempt
submitted`, through the outbox in the caller's transaction)."""
from __future__ import annotations

from datetime import datetime

import asyncpg

from gramota.contracts.events.v1 import events_pb2
from gramota.contracts.testbank.v1 import testbank_pb2
from gramota.shared import outbox, topics
from gramota.shared.consumer import Delivery
from gramota.shared.db import jsonb
from gramota.shared.events import from_timestamp, timestamp
from gramota.shared.item_types import type_name

from . import repository
from .domain import ExamRules

SERVICE = "sessions"


def _when(ts) -> datetime | None:
    return from_timestamp(ts) if ts.seconds or ts.nanos else None


def rules_of(settings: events_pb2.ExamSettings) -> ExamRules:
    return ExamRules(attempts_allowed=settings.attempts_allowed, cooldown_seconds=settings.cooldown_seconds,
                     opens_at=_when(settings.opens_at) if settings.HasField("opens_at") else None,
                     closes_at=_when(settings.closes_at) if settings.HasField("closes_at") else None,
                     shuffle_questions=settings.shuffle_questions, shuffle_options=settings.shuffle_options,
                     navigation=settings.navigation or "free")


def question_json(q, type_name: str) -> dict:
    """A published question as the form stores it (without its key)."""
    return {"id": q.item_id, "item_version": q.item_version, "type": type_name, "text": q.text,
            "options": [{"id": o.id, "text": o.text} for o in q.options],
            "targets": [{"id": o.id, "text": o.text} for o in q.targets]}


async def cache_form(conn: asyncpg.Connection, exam_id: str, title: str, time_limit: int, pass_score: float,
                     form_version: int, questions: list[dict], rules: ExamRules | None = None,
                     draw_rules: list[dict] | None = None) -> None:
    await repository.cache_form(conn, exam_id, title, time_limit, pass_score, form_version, questions,
                                (rules or ExamRules()).to_json(), draw_rules or [])


async def cache_published(conn: asyncpg.Connection, form: events_pb2.ExamPublished | testbank_pb2.ExamForm) -> None:
    """Cache a form as the `exam published` event or the bank's GetExamForm reply carries it."""
    questions = [question_json(q, q.type if isinstance(q.type, str) else type_name(q.type)) for q in form.questions]
    await cache_form(conn, form.exam_id, form.title, form.time_limit_seconds, form.pass_score, form.form_version,
                     questions, rules_of(form.settings), [{"count": r.count, "item_ids": list(r.item_ids)}
                                                          for r in form.rules])


async def on_exam_published(delivery: Delivery) -> None:
    async with delivery.effect() as conn:
        await cache_published(conn, delivery.payload)


async def attempt_started(conn: asyncpg.Connection, attempt: asyncpg.Record, candidate: events_pb2.Candidate) -> None:
    await outbox.enqueue(
        conn, topics.ATTEMPT_STARTED,
        events_pb2.AttemptStarted(attempt_id=str(attempt["id"]), exam_id=str(attempt["exam_id"]), candidate=candidate,
                                  deadline=timestamp(attempt["deadline"])),
        aggregate_id=str(attempt["id"]), producer=SERVICE)


async def attempt_submitted(conn: asyncpg.Connection, attempt: asyncpg.Record, answers: list[asyncpg.Record]) -> None:
    """`attempt`: the closed attempt's row; `answers`: its stored answers."""
    await outbox.enqueue(conn, topics.ATTEMPT_SUBMITTED, _submitted(attempt, answers), aggregate_id=str(attempt["id"]),
                         producer=SERVICE)


async def attempts_submitted(conn: asyncpg.Connection, closed: list[tuple[asyncpg.Record, list[asyncpg.Record]]]) -> None:
    """`attempt_submitted` for many closed attempts (each with its answers) in one statement."""
    await outbox.enqueue_many(conn, [(topics.ATTEMPT_SUBMITTED, _submitted(a, answers), str(a["id"])) for a, answers in closed],
                              producer=SERVICE)


def _submitted(attempt: asyncpg.Record, answers: list[asyncpg.Record]) -> events_pb2.AttemptSubmitted:
    questions = jsonb(attempt["questions"])
    versions = {q["id"]: q["item_version"] for q in questions}
    return events_pb2.AttemptSubmitted(
            attempt_id=str(attempt["id"]), exam_id=str(attempt["exam_id"]),
            candidate=events_pb2.Candidate(user_id=attempt["candidate_id"], **jsonb(attempt["candidate"])),
            answers=[events_pb2.Answer(question_id=a["question_id"], item_version=versions.get(a["question_id"], 0),
                                       option_ids=a["option_ids"], pairs=jsonb(a["pairs"]), text=a["text"],
                                       number=a["number"]) for a in answers],
            started_at=timestamp(attempt["started_at"]), submitted_at=timestamp(attempt["submitted_at"]),
            auto_submitted=attempt["auto_submitted"], question_ids=[q["id"] for q in questions],
        )
