"""Attempts: start, answer, submit, and the result once scored."""
from __future__ import annotations

from typing import Literal

import grpc
from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from gramota.contracts.certificates.v1 import certificates_pb2
from gramota.contracts.events.v1 import events_pb2
from gramota.contracts.scoring.v1 import scoring_pb2
from gramota.contracts.sessions.v1 import sessions_pb2

from .. import users
from ..auth import Candidate, CurrentUser, Principal
from ..problems import Problem
from .common import Svc, iso

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


class AnswerOut(BaseModel):
    question_id: str
    option_ids: list[str]
    saved_at: str | None


class AttemptOut(BaseModel):
    id: str
    exam_id: str
    exam_title: str
    status: Literal["in_progress", "submitted", "scored"]
    started_at: str | None
    deadline: str | None
    submitted_at: str | None = None
    questions: list[QuestionOut] = []
    answers: list[AnswerOut] = []
    score: float | None = Field(None, description="percent, once scored")
    passed: bool | None = None
    certificate_serial: str | None = None


def _attempt_out(a: sessions_pb2.Attempt) -> AttemptOut:
    return AttemptOut(
        id=a.id, exam_id=a.exam_id, exam_title=a.exam_title,
        status="in_progress" if a.status == sessions_pb2.ATTEMPT_STATUS_IN_PROGRESS else "submitted",
        started_at=iso(a.started_at), deadline=iso(a.deadline), submitted_at=iso(a.submitted_at),
        questions=[QuestionOut(id=q.id, type=q.type, text=q.text, options=[OptionOut(id=o.id, text=o.text) for o in q.options])
                   for q in a.questions],
        answers=[AnswerOut(question_id=x.question_id, option_ids=list(x.option_ids), saved_at=iso(x.saved_at))
                 for x in a.answers],
    )


async def _candidate(request: Request, principal: Principal) -> events_pb2.Candidate:
    row = await users.get_user(request.app.state.pool, principal.user_id)
    if row is None:
        raise Problem(401, "unauthenticated", "the account no longer exists")
    return events_pb2.Candidate(user_id=str(row["id"]), full_name=row["full_name"],
                                federal_district=row["federal_district"], region=row["region"],
                                organization=row["organization"])


@router.post("/exams/{exam_id}/attempts", status_code=201, response_model=AttemptOut, tags=["attempts"])
async def start_attempt(request: Request, svc: Svc, principal: Candidate, exam_id: str) -> AttemptOut:
    candidate = await _candidate(request, principal)
    attempt = await svc.sessions.StartAttempt(sessions_pb2.StartAttemptRequest(exam_id=exam_id, candidate=candidate), timeout=10)
    return _attempt_out(attempt)


def _owner_filter(principal: Principal) -> str:
    """Candidates see only their own attempts; an admin sees any. Other roles never reach here."""
    return "" if principal.role == "admin" else principal.user_id


@router.get("/attempts/{attempt_id}", response_model=AttemptOut, tags=["attempts"])
async def get_attempt(svc: Svc, principal: CurrentUser,
                      attempt_id: str) -> AttemptOut:
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
    out.questions = []  # the exam is over: the page shows the result, not the questions
    if result.passed:
        try:
            cert = await svc.certificates.FindByAttempt(
                certificates_pb2.FindByAttemptRequest(attempt_id=attempt.id), timeout=5)
            out.certificate_serial = cert.serial
        except grpc.aio.AioRpcError as exc:
            if exc.code() != grpc.StatusCode.NOT_FOUND:
                raise
    return out


class AnswerIn(BaseModel):
    option_ids: list[str] = Field(max_length=20)


class AnswerSaved(BaseModel):
    question_id: str
    option_ids: list[str]
    saved_at: str | None


@router.put("/attempts/{attempt_id}/answers/{question_id}", response_model=AnswerSaved, tags=["attempts"])
async def save_answer(svc: Svc, principal: Candidate, attempt_id: str, question_id: str, body: AnswerIn) -> AnswerSaved:
    reply = await svc.sessions.SaveAnswer(sessions_pb2.SaveAnswerRequest(
        attempt_id=attempt_id, candidate_id=principal.user_id, question_id=question_id, option_ids=body.option_ids),
        timeout=10)
    return AnswerSaved(question_id=question_id, option_ids=body.option_ids, saved_at=iso(reply.saved_at))


@router.post("/attempts/{attempt_id}/submit", status_code=202, response_model=AttemptOut, tags=["attempts"])
async def submit_attempt(svc: Svc, principal: Candidate, attempt_id: str) -> AttemptOut:
    attempt = await svc.sessions.SubmitAttempt(
        sessions_pb2.SubmitAttemptRequest(attempt_id=attempt_id, candidate_id=principal.user_id), timeout=10)
    out = _attempt_out(attempt)
    out.questions = []
    return out
