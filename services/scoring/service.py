"""Scoring: the `attempt submitted` handler, result reads and pass-rate queries over gRPC."""
from __future__ import annotations

import json
import logging
import uuid

import asyncpg

from gramota.contracts.events.v1 import events_pb2
from gramota.contracts.scoring.v1 import scoring_pb2 as pb
from gramota.contracts.scoring.v1 import scoring_pb2_grpc
from gramota.contracts.testbank.v1 import testbank_pb2, testbank_pb2_grpc
from gramota.shared import outbox, topics
from gramota.shared.clock import Clock
from gramota.shared.consumer import Delivery
from gramota.shared.errors import InvalidArgument, NotFound, parse_uuid, parse_uuid_or_not_found
from gramota.shared.events import from_timestamp, timestamp

from .domain import KeyedItem, score_attempt

SERVICE = "scoring"
log = logging.getLogger(__name__)

GROUP_COLUMNS = {
    pb.GROUP_BY_FEDERAL_DISTRICT: "federal_district",
    pb.GROUP_BY_REGION: "region",
    pb.GROUP_BY_ORGANIZATION: "organization",
}


class AnswerKeys:
    """Answer keys from the test bank, kept per exam and form version (a form never changes)."""

    def __init__(self, testbank: testbank_pb2_grpc.TestBankStub) -> None:
        self._testbank = testbank
        self._cache: dict[str, testbank_pb2.AnswerKey] = {}

    async def get(self, exam_id: str) -> testbank_pb2.AnswerKey:
        key = self._cache.get(exam_id)
        if key is None:
            key = await self._testbank.GetAnswerKey(testbank_pb2.GetAnswerKeyRequest(exam_id=exam_id), timeout=10)
            self._cache[exam_id] = key
        return key


class ResultScoring:
    def __init__(self, keys: AnswerKeys, clock: Clock) -> None:
        self.keys = keys
        self.clock = clock

    async def on_attempt_submitted(self, delivery: Delivery) -> None:
        msg: events_pb2.AttemptSubmitted = delivery.payload
        if await delivery.already_processed():
            return
        key = await self.keys.get(msg.exam_id)
        score = score_attempt(
            [KeyedItem(k.item_id, k.item_version, dict(k.option_weights), k.competence) for k in key.items],
            {a.question_id: list(a.option_ids) for a in msg.answers},
            key.pass_score,
        )
        now = self.clock.now()
        result_id = uuid.uuid4()
        c = msg.candidate
        async with delivery.effect() as conn:
            inserted = await conn.fetchval(
                """
                INSERT INTO results (id, attempt_id, exam_id, exam_title, candidate_id, full_name, federal_district,
                    region, organization, points, max_points, score_percent, passed, submitted_at, scored_at, item_scores)
                VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16::jsonb)
                ON CONFLICT (attempt_id) DO NOTHING RETURNING true
                """,
                result_id, uuid.UUID(msg.attempt_id), uuid.UUID(msg.exam_id), key.title, c.user_id, c.full_name,
                c.federal_district, c.region, c.organization, score.points, score.max_points, score.percent,
                score.passed, from_timestamp(msg.submitted_at), now,
                json.dumps([{"item_id": i.item_id, "item_version": i.item_version, "credit": i.credit,
                             "competence": i.competence} for i in score.items]),
            )
            if not inserted:  # the same attempt under another event id: it already has its result
                return
            await outbox.enqueue(
                conn, topics.RESULT_SCORED,
                events_pb2.ResultScored(
                    result_id=str(result_id), attempt_id=msg.attempt_id, exam_id=msg.exam_id, exam_title=key.title,
                    candidate=c, score_percent=score.percent, passed=score.passed, scored_at=timestamp(now),
                ),
                aggregate_id=msg.attempt_id, producer=SERVICE,
            )
        log.info("attempt scored", extra={"attempt_id": msg.attempt_id, "percent": score.percent, "passed": score.passed})


class ScoringServicer(scoring_pb2_grpc.ScoringServicer):
    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool

    async def GetResult(self, request: pb.GetResultRequest, context) -> pb.Result:
        row = await self.pool.fetchrow(
            "SELECT * FROM results WHERE attempt_id = $1", parse_uuid_or_not_found(request.attempt_id, "result")
        )
        if row is None:
            raise NotFound("result_not_found", f"no result for attempt {request.attempt_id} yet")
        return pb.Result(
            id=str(row["id"]), attempt_id=str(row["attempt_id"]), exam_id=str(row["exam_id"]),
            candidate_id=row["candidate_id"], score_percent=row["score_percent"], passed=row["passed"],
            scored_at=timestamp(row["scored_at"]), points=row["points"], max_points=row["max_points"],
        )

    async def GetPassRates(self, request: pb.GetPassRatesRequest, context) -> pb.GetPassRatesResponse:
        column = GROUP_COLUMNS.get(request.group_by)
        if column is None:
            raise InvalidArgument("invalid_group_by", "group_by must be federal_district, region or organization")
        exam_id = parse_uuid(request.exam_id, "exam_id") if request.exam_id else None
        rows = await self.pool.fetch(
            f"""
            SELECT {column} AS key, count(*) AS attempts, count(*) FILTER (WHERE passed) AS passed
            FROM results WHERE ($1::uuid IS NULL OR exam_id = $1)
            GROUP BY {column} ORDER BY {column}
            """,
            exam_id,
        )
        return pb.GetPassRatesResponse(rows=[
            pb.PassRate(key=r["key"], attempts=r["attempts"], passed=r["passed"],
                        pass_rate=r["passed"] / r["attempts"] if r["attempts"] else 0.0)
            for r in rows
        ])
