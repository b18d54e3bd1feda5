"""What the test bank publishes: `exam published` (sessions caches the form) and `exam retired`, through the outbox
in the caller's transaction. It consumes nothing."""
from __future__ import annotations

import asyncpg

from gramota.contracts.events.v1 import events_pb2
from gramota.contracts.testbank.v1 import testbank_pb2 as pb
from gramota.shared import outbox, topics
from gramota.shared.item_types import PB_TO_TYPE

SERVICE = "testbank"


async def exam_published(conn: asyncpg.Connection, form: pb.ExamForm) -> None:
    await outbox.enqueue(
        conn, topics.EXAM_PUBLISHED,
        events_pb2.ExamPublished(
            exam_id=form.exam_id, title=form.title, time_limit_seconds=form.time_limit_seconds,
            pass_score=form.pass_score, form_version=form.form_version, settings=form.settings,
            rules=form.rules,
            questions=[events_pb2.PublishedQuestion(
                item_id=q.item_id, item_version=q.item_version, type=PB_TO_TYPE[q.type], text=q.text,
                options=[events_pb2.PublishedOption(id=o.id, text=o.text) for o in q.options],
                targets=[events_pb2.PublishedOption(id=o.id, text=o.text) for o in q.targets],
                competence=q.competence,
            ) for q in form.questions],
        ),
        aggregate_id=form.exam_id, producer=SERVICE,
    )


async def exam_retired(conn: asyncpg.Connection, exam_id: str) -> None:
    await outbox.enqueue(conn, topics.EXAM_RETIRED, events_pb2.ExamRetired(exam_id=exam_id), aggregate_id=exam_id,
                         producer=SERVICE)
