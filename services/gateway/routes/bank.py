"""The test bank and exams, for admins."""
from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Body, Query
from pydantic import BaseModel, Field

from gramota.contracts.testbank.v1 import testbank_pb2

from ..auth import Admin, CurrentUser
from .common import Svc

router = APIRouter(prefix="/api/v1")


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
