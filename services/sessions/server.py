"""The gRPC handlers of sessions: each decodes the request, calls its use case, encodes the reply.

Where the work is: starting.py (start, list of exams), answering.py (saves, flags, page events), submitting.py
(submit, the sweeper), admin.py (accommodations, extensions, audit, export, erasure); every SQL statement in
repository.py; events consumed and published in events.py; pure rules in domain.py."""
from __future__ import annotations

import json
import logging
from datetime import timedelta

import asyncpg
import grpc
from google.rpc import status_pb2

from gramota.contracts.events.v1 import events_pb2
from gramota.contracts.sessions.v1 import sessions_pb2 as pb
from gramota.contracts.sessions.v1 import sessions_pb2_grpc
from gramota.contracts.testbank.v1 import testbank_pb2_grpc
from gramota.shared import personal_data
from gramota.shared.clock import Clock
from gramota.shared.db import jsonb
from gramota.shared.errors import DomainError, InvalidArgument, Unauthenticated
from gramota.shared.events import timestamp
from gramota.shared.grpc_runtime import Identity, VerifiedIdentities, identity

from .admin import Admin
from .answering import Answering, Saved
from .attempts import AttemptView, owned, view
from .domain import ERASED, GRACE, KEPT
from .starting import Starting
from .submitting import Submitting

MAX_SAVES_PER_CALL = 500  # the gateway sends at most 64
log = logging.getLogger(__name__)


def _ts(value):
    return timestamp(value) if value else None


def saved_answer(a: asyncpg.Record) -> pb.SavedAnswer:
    return pb.SavedAnswer(question_id=a["question_id"], option_ids=a["option_ids"], saved_at=timestamp(a["saved_at"]),
                          pairs=jsonb(a["pairs"]), text=a["text"], number=a["number"], client_seq=a["client_seq"])


def save_reply(outcome: Saved) -> pb.SaveAnswerResponse:
    return pb.SaveAnswerResponse(saved_at=timestamp(outcome.stored["saved_at"]), applied=outcome.applied,
                                 stored=saved_answer(outcome.stored))


def audit_entry(e: asyncpg.Record) -> pb.AuditEntry:
    return pb.AuditEntry(kind=e["kind"], at=timestamp(e["at"]),
                         detail_json=json.dumps(jsonb(e["detail"]), ensure_ascii=False))


def accommodation(row: asyncpg.Record) -> pb.Accommodation:
    return pb.Accommodation(user_id=row["user_id"], extra_percent=row["extra_percent"],
                            extra_minutes=row["extra_minutes"], updated_at=timestamp(row["updated_at"]),
                            set_by=row["set_by"])


class SessionsServicer(sessions_pb2_grpc.SessionsServicer):
    def __init__(self, pool: asyncpg.Pool, clock: Clock, testbank: testbank_pb2_grpc.TestBankStub,
                 grace: timedelta = GRACE, identities: VerifiedIdentities | None = None) -> None:
        self.pool = pool
        self.identities = identities  # checks the identity each item of a SaveAnswers call carries (None: refused)
        self.clock = clock
        self.grace = grace
        self.starting = Starting(pool, clock, testbank)
        self.answering = Answering(pool, clock, grace)
        self.submitting = Submitting(pool, clock, grace)
        self.admin = Admin(pool, clock)

    def attempt(self, v: AttemptView) -> pb.Attempt:
        """The attempt as the API shows it."""
        row = v.row
        return pb.Attempt(
            id=str(row["id"]), exam_id=str(row["exam_id"]), exam_title=v.title, candidate_id=row["candidate_id"],
            status=pb.ATTEMPT_STATUS_IN_PROGRESS if row["status"] == "in_progress" else pb.ATTEMPT_STATUS_SUBMITTED,
            started_at=timestamp(row["started_at"]), deadline=timestamp(row["deadline"]),
            submitted_at=_ts(row["submitted_at"]), auto_submitted=row["auto_submitted"],
            questions=[pb.Question(id=q["id"], item_version=q["item_version"], type=q["type"], text=q["text"],
                                   options=[pb.Option(id=o["id"], text=o["text"]) for o in q["options"]],
                                   targets=[pb.Option(id=o["id"], text=o["text"]) for o in q.get("targets", ())])
                       for q in jsonb(row["questions"])],
            answers=[saved_answer(a) for a in v.answers],
            navigation=row["navigation"], attempt_number=row["attempt_number"], extra_seconds=row["extra_seconds"],
            server_time=timestamp(self.clock.now()), flagged_question_ids=list(row["flagged"]),
        )

    # --- candidates ------------------------------------------------------------------------------
    async def GetAttempt(self, request: pb.GetAttemptRequest, context) -> pb.Attempt:
        async with self.pool.acquire() as conn:
            return self.attempt(await view(conn, await owned(conn, request.attempt_id, request.candidate_id)))

    async def StartAttempt(self, request: pb.StartAttemptRequest, context) -> pb.Attempt:
        return self.attempt(await self.starting.start(request.exam_id, request.candidate))

    async def ListCandidateExams(self, request: pb.ListCandidateExamsRequest, context) -> pb.ListCandidateExamsResponse:
        return pb.ListCandidateExamsResponse(exams=[
            pb.CandidateExam(
                exam_id=str(r["exam_id"]), title=r["title"], time_limit_seconds=r["time_limit_seconds"],
                question_count=s.question_count, attempts_allowed=s.attempts_allowed, attempts_used=s.attempts_used,
                attempts_left=s.attempts_left, open_attempt_id=str(r["open_id"] or ""),
                last_attempt_id=str(r["last_id"] or ""), next_start_at=_ts(s.next_start_at),
                opens_at=_ts(s.opens_at), closes_at=_ts(s.closes_at), availability=s.availability)
            for r, s in await self.starting.candidate_exams(request.candidate_id)])

    async def SaveAnswers(self, request: pb.SaveAnswersRequest, context) -> pb.SaveAnswersResponse:
        """Each item decided as it would be alone, under the identity it carries."""
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
        outcomes = await self.answering.save_all(saves, skip=refused)
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
                reply.outcomes.add(saved=save_reply(outcome))
        return reply

    async def SetFlag(self, request: pb.SetFlagRequest, context) -> pb.SetFlagResponse:
        return pb.SetFlagResponse(flagged_question_ids=await self.answering.set_flag(
            request.attempt_id, request.candidate_id, request.question_id, request.flagged))

    async def RecordEvent(self, request: pb.RecordEventRequest, context) -> pb.RecordEventResponse:
        return pb.RecordEventResponse(at=timestamp(await self.answering.record_event(
            request.attempt_id, request.candidate_id, request.kind)))

    async def SubmitAttempt(self, request: pb.SubmitAttemptRequest, context) -> pb.Attempt:
        return self.attempt(await self.submitting.submit(request.attempt_id, request.candidate_id))

    # --- admins ----------------------------------------------------------------------------------
    async def SetAccommodation(self, request: pb.SetAccommodationRequest, context) -> pb.Accommodation:
        return accommodation(await self.admin.set_accommodation(request.user_id, request.extra_percent,
                                                                request.extra_minutes, request.set_by, request.note))

    async def ExtendAttempt(self, request: pb.ExtendAttemptRequest, context) -> pb.Attempt:
        return self.attempt(await self.admin.extend(request.attempt_id, request.minutes, request.extended_by,
                                                    request.reason))

    async def GetAudit(self, request: pb.GetAuditRequest, context) -> pb.AuditTrail:
        row, entries = await self.admin.audit(request.attempt_id)
        return pb.AuditTrail(attempt_id=str(row["id"]), entries=[audit_entry(e) for e in entries])

    async def ExportCandidate(self, request: pb.ExportCandidateRequest, context) -> pb.CandidateExport:
        record = await self.admin.export(request.candidate_id)
        current = record.accommodation
        return pb.CandidateExport(
            candidate_id=record.candidate_id,
            attempts=[pb.AttemptRecord(attempt=self.attempt(v), audit=[audit_entry(e) for e in trail],
                                       candidate=events_pb2.Candidate(user_id=record.candidate_id,
                                                                      **jsonb(v.row["candidate"])))
                      for v, trail in record.attempts],
            accommodation=accommodation(current) if current else None,
            accommodation_changes=[pb.AccommodationChange(extra_percent=c["extra_percent"], extra_minutes=c["extra_minutes"],
                                                          set_by=c["set_by"], note=c["note"], at=timestamp(c["at"]))
                                   for c in record.accommodation_changes],
            erased_at=_ts(record.erased_at))

    async def EraseCandidate(self, request: events_pb2.EraseCandidateRequest, context) -> events_pb2.CandidateErasure:
        candidate_id, erased_at, records = await self.admin.erase(request.candidate_id)
        return personal_data.erasure_reply(candidate_id, erased_at, records, ERASED, KEPT)

    # --- the sweeper (run by __main__ beside the server) -------------------------------------------
    async def sweep_once(self, limit: int = 500) -> int:
        return await self.submitting.sweep_once(limit)
