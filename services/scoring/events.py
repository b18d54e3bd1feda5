"""What scoring consumes (`attempt submitted`: scoring.ResultScoring scores it) and publishes (`result scored`,
`result rescored`; certificates issues and revokes on them), through the outbox in the caller's transaction."""
from __future__ import annotations

import uuid

import asyncpg

from gramota.contracts.events.v1 import events_pb2
from gramota.contracts.testbank.v1 import testbank_pb2
from gramota.shared import outbox, topics
from gramota.shared.events import timestamp

from .domain import Score

SERVICE = "scoring"


def result_scored(result_id: uuid.UUID, msg: events_pb2.AttemptSubmitted, key: testbank_pb2.AnswerKey,
                  score: Score, scored_at) -> events_pb2.ResultScored:
    return events_pb2.ResultScored(
        result_id=str(result_id), attempt_id=msg.attempt_id, exam_id=msg.exam_id, exam_title=key.title,
        candidate=msg.candidate, score_percent=score.percent, passed=score.passed, scored_at=timestamp(scored_at),
        subscores=[events_pb2.CompetenceScore(competence=s.competence, area=s.area, points=s.points,
                                              max_points=s.max_points, percent=s.percent,
                                              name=key.competence_names.get(s.competence or s.area, ""))
                   for s in score.subscores],
        validity_days=key.settings.validity_days, certificate_language=key.settings.certificate_language or "ru",
        practice=key.settings.practice,
    )


async def publish_scored(conn: asyncpg.Connection, msg: events_pb2.ResultScored) -> None:
    await outbox.enqueue(conn, topics.RESULT_SCORED, msg, aggregate_id=msg.attempt_id, producer=SERVICE)


async def publish_rescored(conn: asyncpg.Connection, result: events_pb2.ResultScored, previously_passed: bool,
                           previous_score_percent: float, reason: str) -> None:
    await outbox.enqueue(
        conn, topics.RESULT_RESCORED,
        events_pb2.ResultRescored(result=result, previously_passed=previously_passed,
                                  previous_score_percent=previous_score_percent, reason=reason),
        aggregate_id=result.attempt_id, producer=SERVICE)
