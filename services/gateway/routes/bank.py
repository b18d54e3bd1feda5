"""The test bank and exams, for admins: items and their versions, competences, import/export, blueprints."""
from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response
from google.protobuf import timestamp_pb2
from pydantic import BaseModel, Field, model_validator

from gramota.contracts.events.v1 import events_pb2
from gramota.contracts.testbank.v1 import testbank_pb2
from gramota.shared.item_types import PB_TO_TYPE, TYPE_TO_PB

from ..auth import Admin, CurrentUser
from ..problems import Problem
from .common import INT32_MAX, Svc

router = APIRouter(prefix="/api/v1")

ItemType = Literal["single_choice", "multiple_choice", "true_false", "ordering", "matching", "short_answer", "numeric"]
MAX_IMPORT_BYTES = 20 * 1024 * 1024


# --- competences ---------------------------------------------------------------------------------
class CompetenceOut(BaseModel):
    code: str
    name_ru: str
    name_en: str


class AreaOut(CompetenceOut):
    competences: list[CompetenceOut]


@router.get("/competences", response_model=list[AreaOut], tags=["bank"])
async def list_competences(svc: Svc, principal: CurrentUser) -> list[AreaOut]:
    """The competency framework: DigComp 2.2 areas and competences, and the programme's practice topics."""
    reply = await svc.testbank.ListCompetences(testbank_pb2.ListCompetencesRequest(), timeout=10)
    return [AreaOut(code=a.code, name_ru=a.name_ru, name_en=a.name_en,
                    competences=[CompetenceOut(code=c.code, name_ru=c.name_ru, name_en=c.name_en)
                                 for c in a.competences]) for a in reply.areas]


# --- items ---------------------------------------------------------------------------------------
class OptionIn(BaseModel):
    id: str = Field("", description="assigned by the bank when empty")
    text: str = ""
    weight: float = Field(0.0, description="choice and true/false: fraction of the credit, -1..1")
    feedback: str = ""
    target: str = Field("", description="matching: the text of the right-hand target")


class AcceptedIn(BaseModel):
    text: str
    weight: float = 1.0
    feedback: str = ""


class NumericIn(BaseModel):
    value: float
    tolerance: float = 0.0
    weight: float = 1.0
    feedback: str = ""


class ItemIn(BaseModel):
    type: ItemType
    text: str = Field(max_length=5000)
    options: list[OptionIn] = Field(default_factory=list, max_length=50)
    competence: str = ""
    external_id: str = ""
    difficulty: int = Field(3, ge=1, le=5)
    tags: list[str] = Field(default_factory=list, max_length=20)
    accepted_texts: list[AcceptedIn] = Field(default_factory=list, max_length=50)
    numeric_answers: list[NumericIn] = Field(default_factory=list, max_length=50)
    extra_targets: list[str] = Field(default_factory=list, max_length=20)
    general_feedback: str = ""
    points: float = Field(1.0, gt=0, le=100)

    def message(self) -> testbank_pb2.CreateItemRequest:
        data = self.model_dump()
        data["type"] = TYPE_TO_PB[self.type]
        return testbank_pb2.CreateItemRequest(**data)


class ItemUpdateIn(ItemIn):
    expected_version: int = Field(0, ge=0, le=INT32_MAX, description="when set, refused unless it is still the current version")


class TargetOut(BaseModel):
    id: str
    text: str


class ItemOut(ItemIn):
    id: str
    version: int
    current_version: int
    retired: bool
    competence_area: str
    targets: list[TargetOut]
    category: str = Field("", description="the GIFT (Moodle) category path it was imported from, below $course$/top")


def item_out(i: testbank_pb2.Item) -> ItemOut:
    return ItemOut(
        id=i.id, version=i.version, current_version=i.current_version, retired=i.retired, type=PB_TO_TYPE[i.type],
        text=i.text, options=[OptionIn(id=o.id, text=o.text, weight=o.weight, feedback=o.feedback, target=o.target)
                              for o in i.options],
        competence=i.competence, competence_area=i.competence_area, external_id=i.external_id,
        difficulty=i.difficulty, tags=list(i.tags),
        accepted_texts=[AcceptedIn(text=a.text, weight=a.weight, feedback=a.feedback) for a in i.accepted_texts],
        numeric_answers=[NumericIn(value=a.value, tolerance=a.tolerance, weight=a.weight, feedback=a.feedback)
                         for a in i.numeric_answers],
        extra_targets=list(i.extra_targets), general_feedback=i.general_feedback, points=i.points,
        targets=[TargetOut(id=t.id, text=t.text) for t in i.targets], category=i.category,
    )


class ItemPage(BaseModel):
    items: list[ItemOut]
    total: int


@router.post("/items", status_code=201, response_model=ItemOut, tags=["bank"])
async def create_item(svc: Svc, admin: Admin, body: ItemIn) -> ItemOut:
    return item_out(await svc.testbank.CreateItem(body.message(), timeout=10))


@router.get("/items", response_model=ItemPage, tags=["bank"])
async def search_items(
    svc: Svc, admin: Admin,
    competence: Annotated[str, Query(description="a competence or an area code")] = "",
    tag: str = "", text: Annotated[str, Query(description="words in the question")] = "",
    type: ItemType | None = None, include_retired: bool = False,
    unassigned: Annotated[bool, Query(description="only items imported without a competence")] = False,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50, offset: Annotated[int, Query(ge=0, le=INT32_MAX)] = 0,
) -> ItemPage:
    reply = await svc.testbank.SearchItems(testbank_pb2.SearchItemsRequest(
        competence=competence, tag=tag, text=text, type=TYPE_TO_PB[type] if type else 0,
        include_retired=include_retired, limit=limit, offset=offset, unassigned=unassigned), timeout=10)
    return ItemPage(items=[item_out(i) for i in reply.items], total=reply.total)


@router.get("/items/{item_id}", response_model=ItemOut, tags=["bank"])
async def get_item(svc: Svc, admin: Admin, item_id: str,
                   version: Annotated[int, Query(ge=0, le=INT32_MAX, description="0: the current version")] = 0) -> ItemOut:
    return item_out(await svc.testbank.GetItem(testbank_pb2.GetItemRequest(item_id=item_id, version=version),
                                               timeout=10))


@router.put("/items/{item_id}", response_model=ItemOut, tags=["bank"])
async def update_item(svc: Svc, admin: Admin, item_id: str, body: ItemUpdateIn) -> ItemOut:
    """Saves a new version; published exams keep the version they pinned."""
    item = ItemIn(**body.model_dump(exclude={"expected_version"}))
    return item_out(await svc.testbank.UpdateItem(testbank_pb2.UpdateItemRequest(
        item_id=item_id, item=item.message(), expected_version=body.expected_version), timeout=10))


@router.get("/items/{item_id}/versions", response_model=list[ItemOut], tags=["bank"])
async def item_versions(svc: Svc, admin: Admin, item_id: str) -> list[ItemOut]:
    reply = await svc.testbank.ListItemVersions(testbank_pb2.ListItemVersionsRequest(item_id=item_id), timeout=10)
    return [item_out(i) for i in reply.items]


# --- import / export -----------------------------------------------------------------------------
class ImportErrorOut(BaseModel):
    line: int = Field(description="GIFT: the question's first line (0 for QTI)")
    item_id: str = Field("", description="QTI: the item's identifier or file")
    reason: str
    skipped: bool = Field(False, description="a question Gramota cannot score (essay, description), not a mistake")


class ImportOut(BaseModel):
    imported: int
    item_ids: list[str]
    errors: list[ImportErrorOut]
    unassigned_item_ids: list[str] = Field(default_factory=list,
                                           description="imported without a competence: no blueprint draws them yet")
    category_competences: dict[str, str] = Field(default_factory=dict,
                                                 description="the bank's category -> competence mapping now")


def category_map_of(raw: str) -> dict[str, str]:
    try:
        mapping = json.loads(raw) if raw.strip() else {}
    except ValueError:
        mapping = None
    if not isinstance(mapping, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in mapping.items()):
        raise Problem(422, "invalid_category_map",
                      'category_map must be a JSON object of category path -> competence code, e.g. '
                      '{"$course$/top/Модуль 1": "digcomp/2.6"}')
    return mapping


async def import_file(svc, format: str, data: bytes, category_map: dict[str, str] | None = None,
                      default_competence: str = "") -> ImportOut:
    if len(data) > MAX_IMPORT_BYTES:
        raise Problem(413, "body_too_large", f"an import file is at most {MAX_IMPORT_BYTES // 1024 // 1024} MB")
    mapping = {"category_competences": category_map or {}, "default_competence": default_competence}
    if format == "gift":
        try:
            request = testbank_pb2.ImportItemsRequest(format=format, content=data.decode("utf-8-sig"), **mapping)
        except UnicodeDecodeError:
            raise Problem(422, "invalid_encoding", "a GIFT file must be UTF-8 text") from None
    else:
        request = testbank_pb2.ImportItemsRequest(format=format, data=data, **mapping)
    reply = await svc.testbank.ImportItems(request, timeout=120)
    return ImportOut(imported=reply.imported, item_ids=list(reply.item_ids),
                     errors=[ImportErrorOut(line=e.line, item_id=e.item_id, reason=e.reason, skipped=e.skipped)
                             for e in reply.errors],
                     unassigned_item_ids=list(reply.unassigned_item_ids),
                     category_competences=dict(reply.category_competences))


@router.post("/bank/import", response_model=ImportOut, tags=["bank"], openapi_extra={"requestBody": {
    "content": {"text/plain": {"schema": {"type": "string"}},
                "application/zip": {"schema": {"type": "string", "format": "binary"}}},
    "description": "the file: GIFT text as Moodle writes it, or QTI 2.1 (a content package zip or one item XML)"}})
async def import_bank(
    svc: Svc, admin: Admin, request: Request,
    format: Annotated[Literal["gift", "qti"], Query(description="the file's format")] = "gift",
    category_map: Annotated[str, Query(max_length=1000, description=(
        "GIFT: a JSON object mapping category paths ($course$/top/... or the part below top) to competence codes; "
        "it also covers sub-categories and is remembered for the bank, so a long mapping can be given over several "
        "imports (at most 1,000 characters each: it travels in the URL)"))] = "",
    default_competence: Annotated[str, Query(max_length=100, description=(
        "GIFT: the competence of questions that no mapping or category path names"))] = "",
) -> ImportOut:
    """Imports every valid question and reports each rejected or skipped one with its line (GIFT) or item id (QTI).

    A mapping or default naming a competence that does not exist refuses the whole file (nothing imported)."""
    return await import_file(svc, format, await request.body(), category_map_of(category_map), default_competence)


class AssignIn(BaseModel):
    item_ids: list[str] = Field(min_length=1, max_length=1000)
    competence: str = Field(min_length=1, max_length=100)


class AssignOut(BaseModel):
    assigned: int


@router.post("/bank/assign-competence", response_model=AssignOut, tags=["bank"])
async def assign_competence(svc: Svc, admin: Admin, body: AssignIn) -> AssignOut:
    """Gives the listed items a competence at once (a new version each): how imported unassigned items join the
    bank that blueprints draw from."""
    reply = await svc.testbank.AssignCompetence(testbank_pb2.AssignCompetenceRequest(
        item_ids=body.item_ids, competence=body.competence), timeout=30)
    return AssignOut(assigned=reply.assigned)


@router.get("/bank/category-map", response_model=dict[str, str], tags=["bank"])
async def category_map(svc: Svc, admin: Admin) -> dict[str, str]:
    """The remembered mapping from GIFT category paths (below $course$/top) to competences."""
    reply = await svc.testbank.GetCategoryMap(testbank_pb2.GetCategoryMapRequest(), timeout=10)
    return dict(reply.category_competences)


@router.get("/bank/export", tags=["bank"], response_class=Response, responses={
    200: {"content": {"text/plain": {}, "application/zip": {}}}})
async def export_bank(
    svc: Svc, admin: Admin, format: Annotated[Literal["gift", "qti"], Query()] = "gift",
    competence: str = "", item_ids: Annotated[list[str] | None, Query()] = None,
) -> Response:
    """Every active item (or those of one competence, or the listed ones) as a GIFT file or a QTI package.

    Items the format cannot hold (ordering in GIFT) are listed in the X-Gramota-Skipped header."""
    reply = await svc.testbank.ExportItems(testbank_pb2.ExportItemsRequest(
        format=format, competence=competence, item_ids=item_ids or []), timeout=120)
    headers = {"X-Gramota-Exported": str(reply.exported),
               "X-Gramota-Skipped": ",".join(s.item_id for s in reply.skipped)}
    if format == "gift":
        headers["Content-Disposition"] = 'attachment; filename="gramota-bank.gift"'
        return Response(reply.content, media_type="text/plain; charset=utf-8", headers=headers)
    headers["Content-Disposition"] = 'attachment; filename="gramota-bank-qti.zip"'
    return Response(reply.data, media_type="application/zip", headers=headers)


# --- exams and blueprints ------------------------------------------------------------------------
class RuleIn(BaseModel):
    count: int = Field(ge=1, le=500)
    competence: str = Field("", description="a competence code (digcomp/2.6) or an area (digcomp/2, practice)")
    tag: str = ""
    difficulty_min: int = Field(1, ge=1, le=5)
    difficulty_max: int = Field(5, ge=1, le=5)
    item_ids: list[str] = Field(default_factory=list, max_length=500)


class RuleOut(RuleIn):
    pool_size: int = Field(0, description="eligible items pinned at publishing")


class SettingsIn(BaseModel):
    attempts_allowed: int = Field(0, ge=0, le=1000, description="0: unlimited")
    cooldown_seconds: int = Field(0, ge=0, le=366 * 86400, description="at most a year")
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    shuffle_questions: bool = False
    shuffle_options: bool = False
    navigation: Literal["free", "sequential"] = "free"
    validity_days: int = Field(0, ge=0, le=36_500, description="0: certificates never expire; at most 100 years")
    certificate_language: Literal["ru", "en"] = "ru"
    area_minimums: dict[str, float] = Field(default_factory=dict, description="area code -> minimum percent")
    practice: bool = Field(False, description="a practice exam: candidates get a result, never a certificate "
                                              "(exams certify by default)")

    def message(self) -> events_pb2.ExamSettings:
        data = self.model_dump(exclude={"opens_at", "closes_at"})
        settings = events_pb2.ExamSettings(**data)
        for name in ("opens_at", "closes_at"):
            value = getattr(self, name)
            if value is not None:
                stamp = timestamp_pb2.Timestamp()
                stamp.FromDatetime(value)
                getattr(settings, name).CopyFrom(stamp)
        return settings


class ExamIn(BaseModel):
    title: str = Field(min_length=1, max_length=300)
    time_limit_seconds: int = Field(ge=60, le=86400)
    pass_score: float = Field(ge=0, le=100, description="percent")
    item_ids: list[str] = Field(default_factory=list, max_length=500, description="a fixed form")
    rules: list[RuleIn] = Field(default_factory=list, max_length=50, description="a blueprint")
    settings: SettingsIn = Field(default_factory=SettingsIn)

    @model_validator(mode="after")
    def _items_or_rules(self) -> "ExamIn":
        if bool(self.item_ids) == bool(self.rules):
            raise ValueError("give either item_ids (a fixed form) or rules (a blueprint)")
        return self


class ExamOut(BaseModel):
    id: str
    title: str
    time_limit_seconds: int
    pass_score: float
    question_count: int
    status: Literal["draft", "published", "retired"]
    rules: list[RuleOut] = Field(default_factory=list)
    settings: SettingsIn | None = None


_EXAM_STATUS = {testbank_pb2.EXAM_STATUS_DRAFT: "draft", testbank_pb2.EXAM_STATUS_PUBLISHED: "published",
                testbank_pb2.EXAM_STATUS_RETIRED: "retired"}


def _exam_out(e: testbank_pb2.Exam) -> ExamOut:
    s = e.settings
    settings = SettingsIn(
        attempts_allowed=s.attempts_allowed, cooldown_seconds=s.cooldown_seconds,
        opens_at=s.opens_at.ToDatetime() if s.HasField("opens_at") else None,
        closes_at=s.closes_at.ToDatetime() if s.HasField("closes_at") else None,
        shuffle_questions=s.shuffle_questions, shuffle_options=s.shuffle_options, navigation=s.navigation or "free",
        validity_days=s.validity_days, certificate_language=s.certificate_language or "ru",
        area_minimums=dict(s.area_minimums), practice=s.practice)
    return ExamOut(id=e.id, title=e.title, time_limit_seconds=e.time_limit_seconds, pass_score=e.pass_score,
                   question_count=e.question_count, status=_EXAM_STATUS[e.status], settings=settings,
                   rules=[RuleOut(count=r.count, competence=r.competence, tag=r.tag,
                                  difficulty_min=r.difficulty_min or 1, difficulty_max=r.difficulty_max or 5,
                                  item_ids=list(r.item_ids), pool_size=r.pool_size) for r in e.rules])


@router.post("/exams", status_code=201, response_model=ExamOut, tags=["exams"])
async def create_exam(svc: Svc, admin: Admin, body: ExamIn) -> ExamOut:
    """A fixed form (item_ids) or a blueprint (rules drawn per candidate), with its settings; a draft."""
    exam = await svc.testbank.CreateExam(testbank_pb2.CreateExamRequest(
        title=body.title, time_limit_seconds=body.time_limit_seconds, pass_score=body.pass_score,
        item_ids=body.item_ids, settings=body.settings.message(),
        rules=[testbank_pb2.BlueprintRule(**r.model_dump()) for r in body.rules]), timeout=10)
    return _exam_out(exam)


@router.get("/exams/{exam_id}", response_model=ExamOut, tags=["exams"])
async def get_exam(svc: Svc, admin: Admin, exam_id: str) -> ExamOut:
    return _exam_out(await svc.testbank.GetExam(testbank_pb2.GetExamRequest(exam_id=exam_id), timeout=10))


@router.post("/exams/{exam_id}/publish", response_model=ExamOut, tags=["exams"])
async def publish_exam(svc: Svc, admin: Admin, exam_id: str) -> ExamOut:
    """Pins the eligible items of every rule; refused (409 blueprint_unsatisfiable) when the bank is short."""
    return _exam_out(await svc.testbank.PublishExam(testbank_pb2.PublishExamRequest(exam_id=exam_id), timeout=30))


@router.get("/exams", response_model=list[ExamOut], tags=["exams"])
async def list_exams(svc: Svc, principal: CurrentUser,
                     include_drafts: Annotated[bool, Query(description="admins only")] = False) -> list[ExamOut]:
    reply = await svc.testbank.ListExams(
        testbank_pb2.ListExamsRequest(include_drafts=include_drafts and principal.role == "admin"), timeout=10)
    exams = [_exam_out(e) for e in reply.exams]
    if principal.role != "admin":  # others see what an exam covers, not which items its pools hold nor how many
        exams = [e for e in exams if e.status == "published"]
        for exam in exams:
            for rule in exam.rules:
                rule.item_ids, rule.pool_size = [], 0
    return exams
