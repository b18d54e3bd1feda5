"""The gRPC handlers of scoring: each decodes the request, calls its use case, encodes the reply.

Where the work is: scoring.py (scoring a submission, rescoring), analytics.py (the curators' queries); every SQL
statement in repository.py; events in events.py; pure rules in domain.py (scores), results.py (stored form) and
statistics.py (item statistics)."""
from __future__ import annotations

import logging
import uuid

import asyncpg

from gramota.contracts.events.v1 import events_pb2
from gramota.contracts.scoring.v1 import scoring_pb2 as pb
from gramota.contracts.scoring.v1 import scoring_pb2_grpc
from gramota.shared import personal_data
from gramota.shared.clock import Clock, SystemClock
from gramota.shared.db import jsonb
from gramota.shared.errors import NotFound, parse_uuid_or_not_found
from gramota.shared.events import timestamp
from gramota.shared.grpc_runtime import ensure_admin

from . import analytics, repository
from .domain import ERASED, KEPT
from .results import stored_area_checks, stored_competence_scores
from .scoring import ResultScoring

log = logging.getLogger(__name__)


def _change(c: asyncpg.Record) -> pb.ResultChange:
    return pb.ResultChange(
        changed_at=timestamp(c["changed_at"]), reason=c["reason"],
        key_version_before=c["key_version_before"], key_version_after=c["key_version_after"],
        percent_before=c["percent_before"], percent_after=c["percent_after"],
        passed_before=c["passed_before"], passed_after=c["passed_after"])


class ScoringServicer(scoring_pb2_grpc.ScoringServicer):
    def __init__(self, pool: asyncpg.Pool, scoring: ResultScoring | None = None) -> None:
        self.pool = pool
        self.scoring = scoring
        self.clock: Clock = scoring.clock if scoring else SystemClock()

    async def GetResult(self, request: pb.GetResultRequest, context) -> pb.Result:
        async with self.pool.acquire() as conn:
            row = await repository.result_of_attempt(conn, parse_uuid_or_not_found(request.attempt_id, "result"))
            if row is None:
                raise NotFound("result_not_found", f"no result for attempt {request.attempt_id} yet")
            result = self._result(row)
            # what rescoring changed: the candidate's page shows it as a note
            result.changes.extend(_change(c) for c in await repository.changes_of(conn, [row["id"]]))
        return result

    @staticmethod
    def _result(row: asyncpg.Record) -> pb.Result:
        competences = stored_competence_scores(row["competence_scores"], row["subscores"], row["item_scores"])
        return pb.Result(
            id=str(row["id"]), attempt_id=str(row["attempt_id"]), exam_id=str(row["exam_id"]),
            candidate_id=row["candidate_id"], score_percent=row["score_percent"], passed=row["passed"],
            scored_at=timestamp(row["scored_at"]), points=row["points"], max_points=row["max_points"],
            subscores=[pb.Subscore(competence=c.competence, area=c.area, points=c.points, max_points=c.max_points,
                                   percent=c.percent) for c in competences],
            key_version=row["key_version"], pass_score=row["pass_score"],
            area_checks=[pb.AreaCheck(area=c.area, percent=c.percent, minimum=c.minimum, met=c.met)
                         for c in stored_area_checks(row["area_checks"])],
        )

    async def GetPassRates(self, request: pb.GetPassRatesRequest, context) -> pb.GetPassRatesResponse:
        # no scope means an empty one (nothing visible), never everything: the gateway always sets it
        return await analytics.pass_rates(self.pool, request)

    async def GetTrend(self, request: pb.GetTrendRequest, context) -> pb.GetTrendResponse:
        return await analytics.trend(self.pool, request)

    async def GetCompetenceGaps(self, request: pb.GetCompetenceGapsRequest, context) -> pb.GetCompetenceGapsResponse:
        return await analytics.competence_gaps(self.pool, request)

    async def GetItemStatistics(self, request: pb.GetItemStatisticsRequest, context) -> pb.GetItemStatisticsResponse:
        return await analytics.item_statistics(self.pool, request)

    async def Rescore(self, request: pb.RescoreRequest, context) -> pb.RescoreResponse:
        return await self.scoring.rescore(self.pool, request.exam_id, request.reason or "key corrected")

    async def RebuildAnalytics(self, request: pb.RebuildAnalyticsRequest, context) -> pb.RebuildAnalyticsResponse:
        async with self.pool.acquire() as conn:
            return pb.RebuildAnalyticsResponse(results=await repository.rebuild_read_model(conn))

    # --- personal data (admins) ------------------------------------------------------------------
    async def ExportCandidate(self, request: pb.ExportCandidateRequest, context) -> pb.CandidateExport:
        ensure_admin("export a candidate's personal data")
        candidate_id = personal_data.candidate_id_of(request.candidate_id)
        async with self.pool.acquire() as conn:
            rows = await repository.candidate_results(conn, candidate_id)
            changes: dict[uuid.UUID, list] = {}
            for c in await repository.changes_of(conn, [r["id"] for r in rows]):
                changes.setdefault(c["result_id"], []).append(_change(c))
            erased_at = await personal_data.erased_at(conn, candidate_id)
        return pb.CandidateExport(candidate_id=candidate_id, erased_at=timestamp(erased_at) if erased_at else None, results=[
            pb.ResultRecord(
                result=self._result(r), exam_title=r["exam_title"], submitted_at=timestamp(r["submitted_at"]),
                first_attempt=r["first_attempt"], changes=changes.get(r["id"], []),
                candidate=events_pb2.Candidate(user_id=candidate_id, full_name=r["full_name"],
                                               federal_district=r["federal_district"], region=r["region"],
                                               organization=r["organization"], erased=erased_at is not None),
                items=[pb.ItemScore(item_id=i["item_id"], item_version=i.get("item_version", 0),
                                    credit=i.get("credit", 0.0), points=i.get("points", 0.0),
                                    max_points=i.get("max_points", 0.0), competence=i.get("competence", ""))
                       for i in jsonb(r["item_scores"])])
            for r in rows])

    async def EraseCandidate(self, request: events_pb2.EraseCandidateRequest, context) -> events_pb2.CandidateErasure:
        ensure_admin("erase a candidate's personal data")
        candidate_id = personal_data.candidate_id_of(request.candidate_id)
        async with self.pool.acquire() as conn, conn.transaction():
            erased_at = await personal_data.begin_erasure(conn, candidate_id, self.clock.now())
            records = await repository.erase_candidate(conn, candidate_id)
        log.info("candidate erased", extra={"candidate_id": candidate_id, "records": records})
        return personal_data.erasure_reply(candidate_id, erased_at, records, ERASED, KEPT)
