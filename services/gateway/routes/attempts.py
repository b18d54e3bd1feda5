"""Attempts: start, answer, submit, and the result once scored."""
from __future__ import annotations

import asyncio
import json
from typing import Annotated, Literal

import grpc
from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field

from gramota.contracts.certificates.v1 import certificates_pb2
from gramota.contracts.events.v1 import events_pb2
from gramota.contracts.scoring.v1 import scoring_pb2
from gramota.contracts.sessions.v1 import sessions_pb2
from gramota.contracts.testbank.v1 import testbank_pb2

from .. import repository
from ..auth import Admin, Candidate, CurrentUser, Principal
from ..languages import request_language
from ..problems import Problem
from .common import INT64_MAX, Svc, iso

router = APIRouter(prefix="/api/v1")


# --- attempts ------------------------------------------------------------------------------------
class OptionOut(BaseModel):
    id: str
    text: str


class QuestionOut(BaseModel):
    id: str
    type: str
    text: str
    options: list[OptionOut]
    targets: list[OptionOut] = Field([], description="matching only: the right column")


class AnswerOut(BaseModel):
    question_id: str
    option_ids: list[str] = []
    pairs: dict[str, str] = {}
    text: str = ""
    number: float | None = None
    client_seq: int = 0
    saved_at: str | None


class SubscoreOut(BaseModel):
    competence: str = Field(description="the competence's code, e.g. digcomp/4.2")
    name: str = Field(description="the competence's name in the request's language (its code when unknown)")
    area: str = Field("", description="the competence area's code, e.g. digcomp/4")
    area_name: str = ""
    points: float | None = Field(None, description="null for results scored before points were kept")
    max_points: float | None = None
    percent: float


class AreaCheckOut(BaseModel):
    area: str = Field(description="the competence area's code, e.g. practice")
    area_name: str = Field(description="its name in the request's language (its code when unknown)")
    percent: float = Field(description="the candidate's percent in the area")
    minimum: float = Field(description="the exam's minimum percent for the area")
    met: bool


class ResultChangeOut(BaseModel):
    at: str | None
    reason: str = Field(description="why the result was scored again (a corrected or voided question)")
    score_before: float
    score_after: float
    passed_before: bool
    passed_after: bool


class AttemptOut(BaseModel):
    id: str
    exam_id: str
    exam_title: str
    status: Literal["in_progress", "submitted", "scored"]
    started_at: str | None
    deadline: str | None = Field(None, description="the server's deadline; the page counts down to it")
    server_time: str | None = Field(None, description="the server's clock when this was made (for the countdown)")
    submitted_at: str | None = None
    auto_submitted: bool = False
    navigation: Literal["free", "sequential"] = "free"
    attempt_number: int = 1
    extra_seconds: int = 0
    questions: list[QuestionOut] = []
    answers: list[AnswerOut] = []
    flagged_question_ids: list[str] = []
    score: float | None = Field(None, description="percent, once scored")
    passed: bool | None = None
    pass_score: float | None = Field(None, description="percent needed to pass, once scored")
    subscores: list[SubscoreOut] = Field([], description="per competence once scored, sorted by area")
    area_checks: list[AreaCheckOut] = Field([], description="the exam's minimums per area, once scored: a result at "
                                            "the pass score that misses one is not passed")
    certificate_serial: str | None = None
    changes: list[ResultChangeOut] = Field([], description="what rescoring changed in this result, oldest first")
    practice: bool = Field(False, description="once scored: the exam is a practice exam, so a pass issues no "
                                              "certificate")


def _answer_out(x: sessions_pb2.SavedAnswer) -> AnswerOut:
    return AnswerOut(question_id=x.question_id, option_ids=list(x.option_ids), pairs=dict(x.pairs), text=x.text,
                     number=x.number if x.HasField("number") else None, client_seq=x.client_seq, saved_at=iso(x.saved_at))


def _attempt_out(a: sessions_pb2.Attempt, *, with_questions: bool = True) -> AttemptOut:
    return AttemptOut(
        id=a.id, exam_id=a.exam_id, exam_title=a.exam_title,
        status="in_progress" if a.status == sessions_pb2.ATTEMPT_STATUS_IN_PROGRESS else "submitted",
        started_at=iso(a.started_at), deadline=iso(a.deadline), server_time=iso(a.server_time),
        submitted_at=iso(a.submitted_at), auto_submitted=a.auto_submitted,
        navigation="sequential" if a.navigation == "sequential" else "free", attempt_number=a.attempt_number or 1,
        extra_seconds=a.extra_seconds,
        questions=[QuestionOut(id=q.id, type=q.type, text=q.text, options=[OptionOut(id=o.id, text=o.text) for o in q.options],
                               targets=[OptionOut(id=o.id, text=o.text) for o in q.targets])
                   for q in a.questions] if with_questions else [],
        answers=[_answer_out(x) for x in a.answers],
        flagged_question_ids=list(a.flagged_question_ids),
    )


def _candidate(principal: Principal) -> events_pb2.Candidate:
    """The candidate as the attempt records them: the account as read for this request."""
    return events_pb2.Candidate(user_id=principal.user_id, full_name=principal.full_name,
                                federal_district=principal.federal_district, region=principal.region,
                                organization=principal.organization)


@router.post("/exams/{exam_id}/attempts", status_code=201, response_model=AttemptOut, tags=["attempts"])
async def start_attempt(svc: Svc, principal: Candidate, exam_id: str) -> AttemptOut:
    candidate = _candidate(principal)
    attempt = await svc.sessions.StartAttempt(sessions_pb2.StartAttemptRequest(exam_id=exam_id, candidate=candidate), timeout=10)
    return _attempt_out(attempt)


def _owner_filter(principal: Principal) -> str:
    """Candidates see only their own attempts; an admin sees any. Other roles never reach here."""
    return "" if principal.role == "admin" else principal.user_id


async def subscores_out(request: Request, result: scoring_pb2.Result, lang: str) -> list[SubscoreOut]:
    """The result's competences with their names in `lang`, sorted by area as the framework orders them."""
    framework = await request.app.state.competences.get()
    rows = []
    for x in result.subscores:
        area = framework.area_of(x.competence, x.area)
        known = x.max_points > 0
        rows.append((framework.sort_key(x.competence, area), SubscoreOut(
            competence=x.competence, name=framework.competence_name(x.competence, lang), area=area,
            area_name=framework.area_name(area, lang) if area else "", points=round(x.points, 2) if known else None,
            max_points=round(x.max_points, 2) if known else None, percent=x.percent)))
    return [out for _, out in sorted(rows, key=lambda r: r[0])]


@router.get("/attempts/{attempt_id}", response_model=AttemptOut, tags=["attempts"])
async def get_attempt(request: Request, svc: Svc, principal: CurrentUser, attempt_id: str,
                      lang: Annotated[str | None, Query(description="ru (default) or en: the language of "
                                                                    "competence names; else Accept-Language")] = None,
                      ) -> AttemptOut:
    if principal.role not in ("candidate", "admin"):
        raise Problem(403, "forbidden", "only the candidate who took the attempt, or an admin, can see it")
    attempt = await svc.sessions.GetAttempt(
        sessions_pb2.GetAttemptRequest(attempt_id=attempt_id, candidate_id=_owner_filter(principal)), timeout=10)
    out = _attempt_out(attempt)
    if attempt.status != sessions_pb2.ATTEMPT_STATUS_SUBMITTED:
        return out
    try:
        result = await svc.scoring.GetResult(scoring_pb2.GetResultRequest(attempt_id=attempt.id), timeout=5)
    except grpc.aio.AioRpcError as exc:
        if exc.code() == grpc.StatusCode.NOT_FOUND:
            return out  # submitted, not scored yet
        raise
    out.status, out.score, out.passed = "scored", result.score_percent, result.passed
    out.pass_score = result.pass_score if result.HasField("pass_score") else None
    language = request_language(request, lang)
    out.subscores = await subscores_out(request, result, language)
    framework = await request.app.state.competences.get()
    out.area_checks = [AreaCheckOut(area=c.area, area_name=framework.area_name(c.area, language), percent=c.percent,
                                    minimum=c.minimum, met=c.met) for c in result.area_checks]
    out.changes = [ResultChangeOut(at=iso(c.changed_at), reason=c.reason, score_before=c.percent_before,
                                   score_after=c.percent_after, passed_before=c.passed_before,
                                   passed_after=c.passed_after) for c in result.changes]
    out.questions = []  # the exam is over: the page shows the result, not the questions
    exam = await svc.testbank.GetExam(testbank_pb2.GetExamRequest(exam_id=attempt.exam_id), timeout=5)
    out.practice = exam.settings.practice
    if result.passed and not out.practice:
        try:
            cert = await svc.certificates.FindByAttempt(
                certificates_pb2.FindByAttemptRequest(attempt_id=attempt.id), timeout=5)
            out.certificate_serial = cert.serial
        except grpc.aio.AioRpcError as exc:
            if exc.code() != grpc.StatusCode.NOT_FOUND:
                raise
    return out


class AnswerIn(BaseModel):
    """Which fields count depends on the question's type (see events.v1.Answer)."""

    option_ids: list[str] = Field([], max_length=50, description="choice, true/false: the chosen; ordering: all, in order")
    pairs: dict[str, str] = Field({}, max_length=50, description="matching: left option id -> target id")
    text: str = Field("", max_length=1000, description="short answer")
    number: float | None = Field(None, description="numeric")
    client_seq: int = Field(0, ge=0, le=INT64_MAX, description="the page numbers its saves; a lower one than stored is ignored")


class AnswerSaved(BaseModel):
    question_id: str
    applied: bool = Field(description="false: a newer save of this question was already stored")
    option_ids: list[str]
    saved_at: str | None
    stored: AnswerOut


@router.put("/attempts/{attempt_id}/answers/{question_id}", response_model=AnswerSaved, tags=["attempts"])
async def save_answer(svc: Svc, principal: Candidate, attempt_id: str, question_id: str, body: AnswerIn) -> Response:
    reply = await svc.saves.save(sessions_pb2.SaveAnswerRequest(
        attempt_id=attempt_id, candidate_id=principal.user_id, question_id=question_id, option_ids=body.option_ids,
        pairs=body.pairs, text=body.text, number=body.number, client_seq=body.client_seq))
    # serialised here: a returned model would be dumped, validated again against response_model and dumped once
    # more on every save (response_model stays for the documented schema)
    saved = AnswerSaved(question_id=question_id, applied=reply.applied, option_ids=list(reply.stored.option_ids),
                        saved_at=iso(reply.saved_at), stored=_answer_out(reply.stored))
    return Response(saved.model_dump_json(), media_type="application/json")


class FlagIn(BaseModel):
    flagged: bool


class FlagsOut(BaseModel):
    flagged_question_ids: list[str]


@router.put("/attempts/{attempt_id}/flags/{question_id}", response_model=FlagsOut, tags=["attempts"])
async def flag_question(svc: Svc, principal: Candidate, attempt_id: str, question_id: str, body: FlagIn) -> FlagsOut:
    """Flag a question for review (or unflag it)."""
    reply = await svc.sessions.SetFlag(sessions_pb2.SetFlagRequest(
        attempt_id=attempt_id, candidate_id=principal.user_id, question_id=question_id, flagged=body.flagged), timeout=10)
    return FlagsOut(flagged_question_ids=list(reply.flagged_question_ids))


class PageEventIn(BaseModel):
    kind: Literal["focus_lost", "focus_regained", "resumed"]


class PageEventOut(BaseModel):
    kind: str
    at: str | None = Field(description="the server's time of the event")


@router.post("/attempts/{attempt_id}/events", status_code=201, response_model=PageEventOut, tags=["attempts"])
async def record_event(svc: Svc, principal: Candidate, attempt_id: str, body: PageEventIn) -> PageEventOut:
    """What the exam page noticed (the window lost or regained focus, the page was reopened), for the audit trail."""
    reply = await svc.sessions.RecordEvent(sessions_pb2.RecordEventRequest(
        attempt_id=attempt_id, candidate_id=principal.user_id, kind=body.kind), timeout=10)
    return PageEventOut(kind=body.kind, at=iso(reply.at))


@router.post("/attempts/{attempt_id}/submit", status_code=202, response_model=AttemptOut, tags=["attempts"])
async def submit_attempt(svc: Svc, principal: Candidate, attempt_id: str) -> AttemptOut:
    attempt = await svc.sessions.SubmitAttempt(
        sessions_pb2.SubmitAttemptRequest(attempt_id=attempt_id, candidate_id=principal.user_id), timeout=10)
    return _attempt_out(attempt, with_questions=False)  # the page has them; the reply confirms status and answers


# --- the candidate's exams -------------------------------------------------------------------------
class CandidateExamOut(BaseModel):
    exam_id: str
    title: str
    time_limit_seconds: int
    question_count: int
    attempts_allowed: int = Field(description="0: unlimited")
    attempts_used: int
    attempts_left: int | None = Field(description="null: unlimited")
    availability: Literal["available", "in_progress", "cooldown", "exhausted", "not_open", "closed"]
    open_attempt_id: str | None = None
    last_attempt_id: str | None = None
    next_start_at: str | None = Field(None, description="while a cooldown runs: when the next attempt may start")
    opens_at: str | None = None
    closes_at: str | None = None
    practice: bool = Field(False, description="a practice exam: a result, never a certificate")


async def candidate_exams(svc, user_id: str) -> list[CandidateExamOut]:
    reply, exams = await asyncio.gather(
        svc.sessions.ListCandidateExams(sessions_pb2.ListCandidateExamsRequest(candidate_id=user_id), timeout=10),
        svc.testbank.ListExams(testbank_pb2.ListExamsRequest(), timeout=10))
    practice = {x.id for x in exams.exams if x.settings.practice}
    return [CandidateExamOut(practice=e.exam_id in practice,
        exam_id=e.exam_id, title=e.title, time_limit_seconds=e.time_limit_seconds, question_count=e.question_count,
        attempts_allowed=e.attempts_allowed, attempts_used=e.attempts_used,
        attempts_left=None if e.attempts_left < 0 else e.attempts_left, availability=e.availability,
        open_attempt_id=e.open_attempt_id or None, last_attempt_id=e.last_attempt_id or None,
        next_start_at=iso(e.next_start_at), opens_at=iso(e.opens_at), closes_at=iso(e.closes_at)) for e in reply.exams]


@router.get("/my/exams", response_model=list[CandidateExamOut], tags=["attempts"])
async def my_exams(svc: Svc, principal: Candidate) -> list[CandidateExamOut]:
    """The published exams the candidate may sit, with attempts left and the attempt to resume."""
    return await candidate_exams(svc, principal.user_id)


# --- admins: accommodations, extensions, the audit trail ----------------------------------------------
class AccommodationIn(BaseModel):
    extra_percent: int = Field(0, ge=0, le=400, description="extra time as a share of every exam's time limit")
    extra_minutes: int = Field(0, ge=0, le=1440, description="extra minutes on top, for every exam")
    note: str = Field("", max_length=500)


class AccommodationOut(BaseModel):
    user_id: str
    extra_percent: int
    extra_minutes: int
    updated_at: str | None
    set_by: str


@router.put("/candidates/{user_id}/accommodation", response_model=AccommodationOut, tags=["attempts"])
async def set_accommodation(request: Request, svc: Svc, admin: Admin, user_id: str, body: AccommodationIn) -> AccommodationOut:
    """Extra time of a candidate, applied to every attempt they start from now on (audited)."""
    row = await repository.get_user(request.app.state.pool, user_id)
    if row is None or row["role"] != "candidate":
        raise Problem(404, "candidate_not_found", f"no candidate {user_id}")
    a = await svc.sessions.SetAccommodation(sessions_pb2.SetAccommodationRequest(
        user_id=str(row["id"]), extra_percent=body.extra_percent, extra_minutes=body.extra_minutes,
        set_by=admin.username, note=body.note), timeout=10)
    return AccommodationOut(user_id=a.user_id, extra_percent=a.extra_percent, extra_minutes=a.extra_minutes,
                            updated_at=iso(a.updated_at), set_by=a.set_by)


class ExtendIn(BaseModel):
    minutes: int = Field(ge=1, le=600)
    reason: str = Field("", max_length=500)


@router.post("/attempts/{attempt_id}/extend", response_model=AttemptOut, tags=["attempts"])
async def extend_attempt(svc: Svc, admin: Admin, attempt_id: str, body: ExtendIn) -> AttemptOut:
    """More time for one running attempt (audited)."""
    attempt = await svc.sessions.ExtendAttempt(sessions_pb2.ExtendAttemptRequest(
        attempt_id=attempt_id, minutes=body.minutes, extended_by=admin.username, reason=body.reason), timeout=10)
    return _attempt_out(attempt, with_questions=False)  # the page has them; the reply confirms status and answers


class AuditEntryOut(BaseModel):
    kind: str
    at: str | None
    detail: dict


class AuditOut(BaseModel):
    attempt_id: str
    entries: list[AuditEntryOut]


@router.get("/attempts/{attempt_id}/audit", response_model=AuditOut, tags=["attempts"])
async def attempt_audit(svc: Svc, admin: Admin, attempt_id: str) -> AuditOut:
    """Started, answers saved, focus lost/regained, resumed, extended, submitted: with the server's timestamps."""
    trail = await svc.sessions.GetAudit(sessions_pb2.GetAuditRequest(attempt_id=attempt_id), timeout=10)
    return AuditOut(attempt_id=trail.attempt_id,
                    entries=[AuditEntryOut(kind=e.kind, at=iso(e.at), detail=json.loads(e.detail_json or "{}"))
                             for e in trail.entries])
