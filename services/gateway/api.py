"""The public REST contract, /api/v1. Thin: checks who may do what, then calls the services."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Annotated, Literal

import grpc
from fastapi import APIRouter, Body, Depends, Query, Request, Response
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel, Field

from gramota.contracts.certificates.v1 import certificates_pb2
from gramota.contracts.events.v1 import events_pb2
from gramota.contracts.scoring.v1 import scoring_pb2
from gramota.contracts.sessions.v1 import sessions_pb2
from gramota.contracts.testbank.v1 import testbank_pb2

from . import users
from .auth import DUMMY_HASH, Admin, Analyst, Candidate, CurrentUser, Principal, issue_token, verify_password
from .clients import Services
from .problems import Problem

router = APIRouter(prefix="/api/v1")


def services(request: Request) -> Services:
    return request.app.state.services


Svc = Annotated[Services, Depends(services)]


def _iso(ts) -> str | None:
    if ts is None or (ts.seconds == 0 and ts.nanos == 0):
        return None
    return ts.ToDatetime(tzinfo=timezone.utc).isoformat().replace("+00:00", "Z")


# --- auth and users ------------------------------------------------------------------------------
class Token(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int
    role: str


@router.post("/auth/token", response_model=Token, tags=["auth"])
async def login(request: Request, form: Annotated[OAuth2PasswordRequestForm, Depends()]) -> Token:
    pool = request.app.state.pool
    row = await users.find_by_username(pool, form.username)
    ok = verify_password(row["password_hash"] if row else DUMMY_HASH, form.password)
    if row is None or not ok or row["disabled"]:
        raise Problem(401, "invalid_credentials", "wrong username or password")
    principal = Principal(str(row["id"]), row["username"], row["role"], row["full_name"])
    settings = request.app.state.settings
    token, ttl = issue_token(settings.jwt_secret, principal, settings.access_token_minutes)
    return Token(access_token=token, expires_in=ttl, role=row["role"])


class UserIn(BaseModel):
    username: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]{2,63}$", description="lower-case login, 3-64 characters")
    password: str = Field(min_length=8, max_length=256)
    full_name: str = Field(min_length=1, max_length=200)
    role: Literal["candidate", "hr", "curator", "admin"]
    federal_district: str = Field("", max_length=200)
    region: str = Field("", max_length=200)
    organization: str = Field("", max_length=300)


class UserOut(BaseModel):
    id: str
    username: str
    full_name: str
    role: str
    federal_district: str
    region: str
    organization: str


def _user_out(row) -> UserOut:
    return UserOut(id=str(row["id"]), username=row["username"], full_name=row["full_name"], role=row["role"],
                   federal_district=row["federal_district"], region=row["region"], organization=row["organization"])


@router.post("/users", status_code=201, response_model=UserOut, tags=["users"])
async def create_user(request: Request, body: UserIn, admin: Admin) -> UserOut:
    row = await users.create_user(request.app.state.pool, **body.model_dump())
    if row is None:
        raise Problem(409, "username_taken", f"the username {body.username!r} is already taken")
    return _user_out(row)


@router.get("/me", response_model=UserOut, tags=["users"])
async def me(request: Request, principal: CurrentUser) -> UserOut:
    row = await users.get_user(request.app.state.pool, principal.user_id)
    if row is None:
        raise Problem(401, "unauthenticated", "the account no longer exists")
    return _user_out(row)


# --- bank and exams ------------------------------------------------------------------------------
class ImportErrorOut(BaseModel):
    line: int
    reason: str


class ImportOut(BaseModel):
    imported: int
    item_ids: list[str]
    errors: list[ImportErrorOut]


@router.post("/bank/import", response_model=ImportOut, tags=["bank"])
async def import_bank(
    svc: Svc, admin: Admin,
    content: Annotated[str, Body(media_type="text/plain", description="the file's text, e.g. GIFT as Moodle writes it")],
    format: Annotated[Literal["gift"], Query(description="the file's format")] = "gift",
) -> ImportOut:
    reply = await svc.testbank.ImportItems(testbank_pb2.ImportItemsRequest(format=format, content=content), timeout=60)
    return ImportOut(imported=reply.imported, item_ids=list(reply.item_ids),
                     errors=[ImportErrorOut(line=e.line, reason=e.reason) for e in reply.errors])


class ExamIn(BaseModel):
    title: str = Field(min_length=1, max_length=300)
    time_limit_seconds: int = Field(ge=60, le=86400)
    pass_score: float = Field(ge=0, le=100, description="percent")
    item_ids: list[str] = Field(min_length=1, max_length=500)


class ExamOut(BaseModel):
    id: str
    title: str
    time_limit_seconds: int
    pass_score: float
    question_count: int
    status: Literal["draft", "published", "retired"]


_EXAM_STATUS = {testbank_pb2.EXAM_STATUS_DRAFT: "draft", testbank_pb2.EXAM_STATUS_PUBLISHED: "published",
                testbank_pb2.EXAM_STATUS_RETIRED: "retired"}


def _exam_out(e: testbank_pb2.Exam) -> ExamOut:
    return ExamOut(id=e.id, title=e.title, time_limit_seconds=e.time_limit_seconds, pass_score=e.pass_score,
                   question_count=e.question_count, status=_EXAM_STATUS[e.status])


@router.post("/exams", status_code=201, response_model=ExamOut, tags=["exams"])
async def create_exam(svc: Svc, admin: Admin, body: ExamIn) -> ExamOut:
    exam = await svc.testbank.CreateExam(testbank_pb2.CreateExamRequest(**body.model_dump()), timeout=10)
    return _exam_out(exam)


@router.post("/exams/{exam_id}/publish", response_model=ExamOut, tags=["exams"])
async def publish_exam(svc: Svc, admin: Admin, exam_id: str) -> ExamOut:
    return _exam_out(await svc.testbank.PublishExam(testbank_pb2.PublishExamRequest(exam_id=exam_id), timeout=10))


@router.get("/exams", response_model=list[ExamOut], tags=["exams"])
async def list_exams(svc: Svc, principal: CurrentUser) -> list[ExamOut]:
    reply = await svc.testbank.ListExams(testbank_pb2.ListExamsRequest(), timeout=10)
    return [_exam_out(e) for e in reply.exams]


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
        started_at=_iso(a.started_at), deadline=_iso(a.deadline), submitted_at=_iso(a.submitted_at),
        questions=[QuestionOut(id=q.id, type=q.type, text=q.text, options=[OptionOut(id=o.id, text=o.text) for o in q.options])
                   for q in a.questions],
        answers=[AnswerOut(question_id=x.question_id, option_ids=list(x.option_ids), saved_at=_iso(x.saved_at))
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
    return AnswerSaved(question_id=question_id, option_ids=body.option_ids, saved_at=_iso(reply.saved_at))


@router.post("/attempts/{attempt_id}/submit", status_code=202, response_model=AttemptOut, tags=["attempts"])
async def submit_attempt(svc: Svc, principal: Candidate, attempt_id: str) -> AttemptOut:
    attempt = await svc.sessions.SubmitAttempt(
        sessions_pb2.SubmitAttemptRequest(attempt_id=attempt_id, candidate_id=principal.user_id), timeout=10)
    out = _attempt_out(attempt)
    out.questions = []
    return out


# --- certificates ------------------------------------------------------------------------------
@router.get("/certificates/{serial}/pdf", response_class=Response, tags=["certificates"],
            responses={200: {"content": {"application/pdf": {}}}})
async def certificate_pdf(svc: Svc, principal: CurrentUser, serial: str) -> Response:
    if principal.role not in ("candidate", "hr", "admin"):
        raise Problem(403, "forbidden", "only the holder, HR or an admin can download a certificate")
    doc = await svc.certificates.GetPdf(certificates_pb2.GetCertificateRequest(serial=serial), timeout=10)
    if principal.role == "candidate" and doc.holder_user_id != principal.user_id:
        raise Problem(404, "certificate_not_found", f"no certificate {serial}")
    return Response(doc.content, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="certificate-{doc.serial}.pdf"'})


_VERIFY_STATUS = {certificates_pb2.CERTIFICATE_STATUS_VALID: "valid", certificates_pb2.CERTIFICATE_STATUS_REVOKED: "revoked",
                  certificates_pb2.CERTIFICATE_STATUS_EXPIRED: "expired", certificates_pb2.CERTIFICATE_STATUS_UNKNOWN: "unknown"}


class VerificationOut(BaseModel):
    serial: str
    status: Literal["valid", "revoked", "expired", "unknown"]
    holder_name: str | None = None
    exam_title: str | None = None
    issued_at: str | None = None
    revoked_at: str | None = None
    revocation_reason: str | None = None


async def verify_serial(svc: Services, serial: str) -> VerificationOut:
    v = await svc.certificates.Verify(certificates_pb2.VerifyRequest(serial=serial), timeout=5)
    return VerificationOut(serial=v.serial, status=_VERIFY_STATUS[v.status], holder_name=v.holder_name or None,
                           exam_title=v.exam_title or None, issued_at=_iso(v.issued_at), revoked_at=_iso(v.revoked_at),
                           revocation_reason=v.revocation_reason or None)


@router.get("/verify/{serial}", response_model=VerificationOut, tags=["verification"])
async def verify(svc: Svc, serial: str) -> VerificationOut:
    """Public: anyone may check a certificate. Shows only what is printed on it."""
    return await verify_serial(svc, serial)


# --- analytics ------------------------------------------------------------------------------------
class PassRateOut(BaseModel):
    key: str
    attempts: int
    passed: int
    pass_rate: float = Field(description="0..1")


_GROUP_BY = {"federal_district": scoring_pb2.GROUP_BY_FEDERAL_DISTRICT, "region": scoring_pb2.GROUP_BY_REGION,
             "organization": scoring_pb2.GROUP_BY_ORGANIZATION}


@router.get("/analytics/pass-rates", response_model=list[PassRateOut], tags=["analytics"])
async def pass_rates(
    svc: Svc, principal: Analyst,
    group_by: Literal["federal_district", "region", "organization"] = "federal_district",
    exam_id: str | None = None,
) -> list[PassRateOut]:
    reply = await svc.scoring.GetPassRates(
        scoring_pb2.GetPassRatesRequest(group_by=_GROUP_BY[group_by], exam_id=exam_id or ""), timeout=10)
    return [PassRateOut(key=r.key, attempts=r.attempts, passed=r.passed, pass_rate=round(r.pass_rate, 4)) for r in reply.rows]
