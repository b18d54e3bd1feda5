"""Scoring: an `attempt submitted` scored against the bank's answer key and stored with its read-model counts
(one transaction with the `result scored` event); rescoring an exam against a corrected key."""
from __future__ import annotations

import logging
import uuid
from dataclasses import replace

import asyncpg

from gramota.contracts.events.v1 import events_pb2
from gramota.contracts.scoring.v1 import scoring_pb2 as pb
from gramota.contracts.testbank.v1 import testbank_pb2, testbank_pb2_grpc
from gramota.shared import personal_data
from gramota.shared.clock import Clock, SystemClock
from gramota.shared.consumer import Delivery
from gramota.shared.errors import parse_uuid
from gramota.shared.events import from_timestamp

from . import events, repository
from .domain import Response, Score, score_attempt
from .events import result_scored
from .results import (
    Counted,
    area_checks_json,
    competence_scores_json,
    counted_of,
    item_scores_json,
    keyed_items,
    marks_array,
    result_day,
    subscores_json,
)

log = logging.getLogger(__name__)


class AnswerKeys:
    """Answer keys from the test bank, kept per exam for a while (`max_age` seconds). A key correction moves the
    exam's pins: a submission answered on a version newer than the kept key asks again at once, and so does
    rescoring (`fresh=True`); `max_age` bounds how long any other replica keeps an old key."""

    def __init__(self, testbank: testbank_pb2_grpc.TestBankStub, clock: Clock | None = None,
                 max_age: float = 30.0) -> None:
        self._testbank = testbank
        self._clock = clock or SystemClock()
        self._max_age = max_age
        self._cache: dict[str, tuple[testbank_pb2.AnswerKey, float]] = {}

    async def get(self, exam_id: str, *, fresh: bool = False,
                  answered: dict[str, int] | None = None) -> testbank_pb2.AnswerKey:
        cached = None if fresh else self._cache.get(exam_id)
        now = self._clock.now().timestamp()
        if cached is not None:
            key, at = cached
            versions = {k.item_id: k.item_version for k in key.items}
            if now - at <= self._max_age and all(v <= versions.get(i, v) for i, v in (answered or {}).items()):
                return key
        key = await self._testbank.GetAnswerKey(testbank_pb2.GetAnswerKeyRequest(exam_id=exam_id), timeout=10)
        self._cache[exam_id] = (key, now)
        return key


def answered_versions(msg: events_pb2.AttemptSubmitted) -> dict[str, int]:
    """item id -> the version the candidate answered (as drawn at the start of the attempt)."""
    return {a.question_id: a.item_version for a in msg.answers if a.item_version}


def score_submission(key: testbank_pb2.AnswerKey, msg: events_pb2.AttemptSubmitted) -> Score:
    answers = {
        a.question_id: Response(option_ids=tuple(a.option_ids), pairs=dict(a.pairs), text=a.text,
                                number=a.number if a.HasField("number") else None)
        for a in msg.answers
    }
    return score_attempt(keyed_items(key, answered_versions(msg)), answers, key.pass_score,
                         drawn=list(msg.question_ids) or None, area_minimums=dict(key.settings.area_minimums))


class ResultScoring:
    def __init__(self, keys: AnswerKeys, clock: Clock) -> None:
        self.keys = keys
        self.clock = clock

    async def on_attempt_submitted(self, delivery: Delivery) -> None:
        msg: events_pb2.AttemptSubmitted = delivery.payload
        if await delivery.already_processed():
            return
        key = await self.keys.get(msg.exam_id, answered=answered_versions(msg))
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
            marks = marks_array(score, await repository.exam_item_positions(conn, exam_id, keyed_items(key)))
            # first attempt as far as the results seen so far tell; `rebuild-analytics` settles late arrivals
            first = not await repository.has_earlier_result(conn, c.user_id, exam_id, submitted_at)
            inserted = await repository.insert_result(
                conn, result_id, uuid.UUID(msg.attempt_id), exam_id, key.title, c.user_id, c.full_name,
                c.federal_district, c.region, c.organization, score.points, score.max_points, score.percent,
                score.passed, submitted_at, now, item_scores_json(score), key.form_version, first,
                subscores_json(score), marks, msg.SerializeToString(), competence_scores_json(score), key.pass_score,
                area_checks_json(score),
            )
            if not inserted:  # the same attempt under another event id: it already has its result
                return
            await repository.count_in_read_model(conn, Counted(
                exam_id, c.federal_district, c.region, c.organization, result_day(submitted_at), score.passed, first,
                {s.competence: s.percent for s in score.subscores if s.competence}, marks))
            if score.passed:  # people who passed count once each: their earliest pass
                await repository.settle_first_pass(conn, c.user_id, exam_id)
            await events.publish_scored(conn, result_scored(result_id, msg, key, score, now))
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
        ids = await repository.rescorable(pool, exam_uuid)
        changed = newly_passed = newly_failed = 0
        for row in ids:
            async with pool.acquire() as conn, conn.transaction():
                r = await repository.result_for_update(conn, row["id"])
                msg = events_pb2.AttemptSubmitted.FromString(r["submission"])
                score = score_submission(key, msg)
                marks = marks_array(score, await repository.exam_item_positions(conn, exam_uuid, keyed_items(key)))
                outcome_changed = not (abs(score.points - r["points"]) < 1e-9 and score.passed == r["passed"]
                                       and abs(score.max_points - r["max_points"]) < 1e-9)
                if not outcome_changed and list(r["marks"] or []) == marks:
                    continue
                if outcome_changed:
                    changed += 1
                    newly_passed += int(score.passed and not r["passed"])
                    newly_failed += int(r["passed"] and not score.passed)
                    await repository.record_change(
                        conn, r["id"], now, reason, r["key_version"], key.form_version, r["points"], score.points,
                        r["score_percent"], score.percent, r["passed"], score.passed,
                    )
                await repository.update_score(
                    conn, r["id"], score.points, score.max_points, score.percent, score.passed, item_scores_json(score),
                    key.form_version, subscores_json(score), marks, competence_scores_json(score), key.pass_score,
                    area_checks_json(score),
                )
                before = counted_of(r)
                await repository.count_in_read_model(conn, before, sign=-1)
                await repository.count_in_read_model(conn, replace(
                    before, passed=score.passed, marks=marks,
                    subscores={s.competence: s.percent for s in score.subscores if s.competence}))
                if not outcome_changed:  # only the item marks moved (the item statistics follow, nobody else)
                    continue
                await repository.settle_first_pass(conn, r["candidate_id"], exam_uuid)
                await events.publish_rescored(conn, result_scored(r["id"], msg, key, score, now), r["passed"],
                                              r["score_percent"], reason)
        log.info("exam rescored", extra={"exam_id": exam_id, "changed": changed, "reason": reason})
        return pb.RescoreResponse(rescored=len(ids), changed=changed, newly_passed=newly_passed,
                                  newly_failed=newly_failed, key_version=key.form_version)
