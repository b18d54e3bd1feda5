"""Scoring: the `attempt submitted` handler, rescoring, result reads and analytics over gRPC."""
from __future__ import annotations

import json
import logging
import uuid
from dataclasses import replace

import asyncpg

from gramota.contracts.events.v1 import events_pb2
from gramota.contracts.scoring.v1 import scoring_pb2 as pb
from gramota.contracts.scoring.v1 import scoring_pb2_grpc
from gramota.contracts.testbank.v1 import testbank_pb2, testbank_pb2_grpc
from gramota.shared import outbox, personal_data, topics
from gramota.shared.clock import Clock, SystemClock
from gramota.shared.consumer import Delivery
from gramota.shared.errors import NotFound, parse_uuid, parse_uuid_or_not_found
from gramota.shared.events import from_timestamp, timestamp
from gramota.shared.grpc_runtime import ensure_admin

from . import analytics
from .domain import Response, Score, score_attempt
from .results import (
    Counted,
    area_checks_json,
    competence_scores_json,
    count_in_read_model,
    counted_of,
    erase_candidate,
    exam_item_positions,
    item_scores_json,
    keyed_items,
    marks_array,
    rebuild_read_model,
    result_day,
    stored_area_checks,
    stored_competence_scores,
    subscores_json,
)

SERVICE = "scoring"
log = logging.getLogger(__name__)

# What an erasure does here, and what it keeps and why (README: "What is kept, and why").
ERASED = ["the name and organisation stored with every result (and in the submission kept for rescoring)"]
KEPT = [events_pb2.KeptRecord(what="results under the account id: score, outcome, subscores, item marks, rescoring history",
                      why="pass rates, trends and item statistics must keep counting every result; once the gateway "
                          "erases the account the id no longer leads to a person"),
        events_pb2.KeptRecord(what="federal district and region of each result",
                      why="pass rates are reported by them; coarse statistical attributes (8 districts, 89 regions) "
                          "that identify nobody alone")]


class AnswerKeys:
    """Answer keys from the test bank, kept per exam (a published form's key does not change; rescoring
    asks again with `fresh=True` to see a corrected key)."""

    def __init__(self, testbank: testbank_pb2_grpc.TestBankStub) -> None:
        self._testbank = testbank
        self._cache: dict[str, testbank_pb2.AnswerKey] = {}

    async def get(self, exam_id: str, *, fresh: bool = False) -> testbank_pb2.AnswerKey:
        key = None if fresh else self._cache.get(exam_id)
        if key is None:
            key = await self._testbank.GetAnswerKey(testbank_pb2.GetAnswerKeyRequest(exam_id=exam_id), timeout=10)
            self._cache[exam_id] = key
        return key


def score_submission(key: testbank_pb2.AnswerKey, msg: events_pb2.AttemptSubmitted) -> Score:
    answers = {
        a.question_id: Response(option_ids=tuple(a.option_ids), pairs=dict(a.pairs), text=a.text,
                                number=a.number if a.HasField("number") else None)
        for a in msg.answers
    }
    return score_attempt(keyed_items(key), answers, key.pass_score, drawn=list(msg.question_ids) or None,
                         area_minimums=dict(key.settings.area_minimums))


def result_scored(result_id: uuid.UUID, msg: events_pb2.AttemptSubmitted, key: testbank_pb2.AnswerKey,
                  score: Score, scored_at) -> events_pb2.ResultScored:
    return events_pb2.ResultScored(
        result_id=str(result_id), attempt_id=msg.attempt_id, exam_id=msg.exam_id, exam_title=key.title,
        candidate=msg.candidate, score_percent=score.percent, passed=score.passed, scored_at=timestamp(scored_at),
        subscores=[events_pb2.CompetenceScore(competence=s.competence, area=s.area, points=s.points,
                                              max_points=s.max_points, percent=s.percent) for s in score.subscores],
        validity_days=key.settings.validity_days, certificate_language=key.settings.certificate_language or "ru",
    )


class ResultScoring:
    def __init__(self, keys: AnswerKeys, clock: Clock) -> None:
        self.keys = keys
        self.clock = clock

    async def on_attempt_submitted(self, delivery: Delivery) -> None:
        msg: events_pb2.AttemptSubmitted = delivery.payload
        if await delivery.already_processed():
            return
        key = await self.keys.get(msg.exam_id)
        score = score_submission(key, msg)
        now = self.clock.now()
        result_id = uuid.uuid4()
        exam_id = uuid.UUID(msg.exam_id)
        submitted_at = from_timestamp(msg.submitted_at)
        async with delivery.effect() as conn:
            # a submission written before the candidate was erased still carries the name: store it blanked
            if await personal_data.is_erased(conn, msg.candidate.user_id):
                msg.candidate.CopyFrom(personal_data.anonymised(msg.candidate))
            c = msg.candidate
            marks = marks_array(score, await exam_item_positions(conn, exam_id, keyed_items(key)))
            # first attempt as far as the results seen so far tell; `rebuild-analytics` settles late arrivals
            first = not await conn.fetchval(
                "SELECT EXISTS (SELECT 1 FROM results WHERE candidate_id = $1 AND exam_id = $2 AND submitted_at < $3)",
                c.user_id, exam_id, submitted_at)
            inserted = await conn.fetchval(
                """
                INSERT INTO results (id, attempt_id, exam_id, exam_title, candidate_id, full_name, federal_district,
                    region, organization, points, max_points, score_percent, passed, submitted_at, scored_at,
                    item_scores, key_version, first_attempt, subscores, marks, submission, competence_scores,
                    pass_score, area_checks)
                VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16::jsonb,$17,$18,$19::jsonb,$20,$21,
                        $22::jsonb,$23,$24::jsonb)
                ON CONFLICT (attempt_id) DO NOTHING RETURNING true
                """,
                result_id, uuid.UUID(msg.attempt_id), exam_id, key.title, c.user_id, c.full_name,
                c.federal_district, c.region, c.organization, score.points, score.max_points, score.percent,
                score.passed, submitted_at, now, item_scores_json(score), key.form_version, first,
                subscores_json(score), marks, msg.SerializeToString(), competence_scores_json(score), key.pass_score,
                area_checks_json(score),
            )
            if not inserted:  # the same attempt under another event id: it already has its result
                return
            await count_in_read_model(conn, Counted(
                exam_id, c.federal_district, c.region, c.organization, result_day(submitted_at), score.passed, first,
                {s.competence: s.percent for s in score.subscores if s.competence}, marks))
            await outbox.enqueue(conn, topics.RESULT_SCORED, result_scored(result_id, msg, key, score, now),
                                 aggregate_id=msg.attempt_id, producer=SERVICE)
        log.info("attempt scored", extra={"attempt_id": msg.attempt_id, "percent": score.percent, "passed": score.passed})

    async def rescore(self, pool: asyncpg.Pool, exam_id: str, reason: str) -> pb.RescoreResponse:
        """Score every stored submission of the exam again against the key the test bank returns now.

        A result whose points or outcome change is updated, the change recorded in result_changes with
        before/after, the read model moved from the old outcome to the new one, and `result.rescored`
        written to the outbox — all in one transaction per result, so a crash half-way leaves every
        result either fully rescored or untouched, and running it again only finishes the rest.
        """
        exam_uuid = parse_uuid(exam_id, "exam_id")
        key = await self.keys.get(exam_id, fresh=True)
        now = self.clock.now()
        ids = await pool.fetch("SELECT id FROM results WHERE exam_id = $1 AND submission IS NOT NULL ORDER BY id",
                               exam_uuid)
        changed = newly_passed = newly_failed = 0
        for row in ids:
            async with pool.acquire() as conn, conn.transaction():
                r = await conn.fetchrow("SELECT * FROM results WHERE id = $1 FOR UPDATE", row["id"])
                msg = events_pb2.AttemptSubmitted.FromString(r["submission"])
                score = score_submission(key, msg)
                marks = marks_array(score, await exam_item_positions(conn, exam_uuid, keyed_items(key)))
                outcome_changed = not (abs(score.points - r["points"]) < 1e-9 and score.passed == r["passed"]
                                       and abs(score.max_points - r["max_points"]) < 1e-9)
                if not outcome_changed and list(r["marks"] or []) == marks:
                    continue
                if outcome_changed:
                    changed += 1
                    newly_passed += int(score.passed and not r["passed"])
                    newly_failed += int(r["passed"] and not score.passed)
                    await conn.execute(
                        """
                        INSERT INTO result_changes (result_id, changed_at, reason, key_version_before,
                            key_version_after, points_before, points_after, percent_before, percent_after,
                            passed_before, passed_after)
                        VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)
                        """,
                        r["id"], now, reason, r["key_version"], key.form_version, r["points"], score.points,
                        r["score_percent"], score.percent, r["passed"], score.passed,
                    )
                await conn.execute(
                    """
                    UPDATE results SET points = $2, max_points = $3, score_percent = $4, passed = $5,
                        item_scores = $6::jsonb, key_version = $7, subscores = $8::jsonb, marks = $9,
                        competence_scores = $10::jsonb, pass_score = $11, area_checks = $12::jsonb
                    WHERE id = $1
                    """,
                    r["id"], score.points, score.max_points, score.percent, score.passed, item_scores_json(score),
                    key.form_version, subscores_json(score), marks, competence_scores_json(score), key.pass_score,
                    area_checks_json(score),
                )
                before = counted_of(r)
                await count_in_read_model(conn, before, sign=-1)
                await count_in_read_model(conn, replace(
                    before, passed=score.passed, marks=marks,
                    subscores={s.competence: s.percent for s in score.subscores if s.competence}))
                if not outcome_changed:  # only the item marks moved (the item statistics follow, nobody else)
                    continue
                await outbox.enqueue(
                    conn, topics.RESULT_RESCORED,
                    events_pb2.ResultRescored(
                        result=result_scored(r["id"], msg, key, score, now), previously_passed=r["passed"],
                        previous_score_percent=r["score_percent"], reason=reason),
                    aggregate_id=msg.attempt_id, producer=SERVICE,
                )
        log.info("exam rescored", extra={"exam_id": exam_id, "changed": changed, "reason": reason})
        return pb.RescoreResponse(rescored=len(ids), changed=changed, newly_passed=newly_passed,
                                  newly_failed=newly_failed, key_version=key.form_version)


class ScoringServicer(scoring_pb2_grpc.ScoringServicer):
    def __init__(self, pool: asyncpg.Pool, scoring: ResultScoring | None = None) -> None:
        self.pool = pool
        self.scoring = scoring
        self.clock: Clock = scoring.clock if scoring else SystemClock()

    async def GetResult(self, request: pb.GetResultRequest, context) -> pb.Result:
        row = await self.pool.fetchrow(
            "SELECT * FROM results WHERE attempt_id = $1", parse_uuid_or_not_found(request.attempt_id, "result")
        )
        if row is None:
            raise NotFound("result_not_found", f"no result for attempt {request.attempt_id} yet")
        return self._result(row)

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
            return pb.RebuildAnalyticsResponse(results=await rebuild_read_model(conn))

    # --- personal data (admins) ------------------------------------------------------------------
    async def ExportCandidate(self, request: pb.ExportCandidateRequest, context) -> pb.CandidateExport:
        ensure_admin("export a candidate's personal data")
        candidate_id = personal_data.candidate_id_of(request.candidate_id)
        async with self.pool.acquire() as conn:
            rows = await conn.fetch("SELECT * FROM results WHERE candidate_id = $1 ORDER BY submitted_at, id", candidate_id)
            changes: dict[uuid.UUID, list] = {}
            for c in await conn.fetch("SELECT * FROM result_changes WHERE result_id = ANY($1::uuid[]) ORDER BY id",
                                      [r["id"] for r in rows]):
                changes.setdefault(c["result_id"], []).append(pb.ResultChange(
                    changed_at=timestamp(c["changed_at"]), reason=c["reason"],
                    key_version_before=c["key_version_before"], key_version_after=c["key_version_after"],
                    percent_before=c["percent_before"], percent_after=c["percent_after"],
                    passed_before=c["passed_before"], passed_after=c["passed_after"]))
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
                       for i in json.loads(r["item_scores"])])
            for r in rows])

    async def EraseCandidate(self, request: events_pb2.EraseCandidateRequest, context) -> events_pb2.CandidateErasure:
        ensure_admin("erase a candidate's personal data")
        candidate_id = personal_data.candidate_id_of(request.candidate_id)
        async with self.pool.acquire() as conn, conn.transaction():
            erased_at = await personal_data.begin_erasure(conn, candidate_id, self.clock.now())
            records = await erase_candidate(conn, candidate_id)
        log.info("candidate erased", extra={"candidate_id": candidate_id, "records": records})
        return events_pb2.CandidateErasure(candidate_id=candidate_id, erased_at=timestamp(erased_at), records=records,
                                   erased=ERASED, kept=KEPT)
