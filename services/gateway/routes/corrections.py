"""Corrections that reach every result: a corrected key applied (or not) to exams that use the item, an item
voided, the plain rescore of an exam, and retiring an item with the exams it affects named first."""
from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from gramota.contracts.scoring.v1 import scoring_pb2
from gramota.contracts.testbank.v1 import testbank_pb2

from ..auth import Admin, Principal
from ..problems import Problem
from .bank import ItemOut, item_out
from .common import Svc, iso

router = APIRouter(prefix="/api/v1")


class RescoreOut(BaseModel):
    exam_id: str | None = None
    rescored: int
    changed: int
    newly_passed: int
    newly_failed: int
    key_version: int


class ExamUseOut(BaseModel):
    exam_id: str
    title: str
    status: Literal["draft", "published", "retired"]
    pinned_version: int
    voided: bool
    withdrawn: bool
    drawable_without: bool = Field(description="the exam's rules can still be filled if this item is retired")
    problem: str = ""


class ItemUsageOut(BaseModel):
    item_id: str
    current_version: int
    exams: list[ExamUseOut]


class CorrectionIn(BaseModel):
    apply: Literal["past", "future", "none"] = Field(
        description="past: the corrected key scores every result of the exams (rescored now) and every later attempt; "
                    "future: later attempts only (answers already given keep the old key); none: the exams keep "
                    "the old version (the decision is recorded)")
    void: bool = Field(False, description="drop the item from every total of the exams (past results rescored)")
    reason: str = Field(min_length=1, max_length=500)
    exam_id: str | None = Field(None, description="only this exam; absent: every exam that uses the item")


class CorrectionOut(BaseModel):
    id: int
    item_id: str
    exam_id: str
    exam_title: str
    from_version: int
    to_version: int
    apply: Literal["past", "future", "none"]
    void: bool
    reason: str
    actor: str
    at: str | None
    key_version: int


class CorrectionsOut(BaseModel):
    corrections: list[CorrectionOut]
    rescores: list[RescoreOut] = Field(default_factory=list, description="one per exam whose past results were rescored")


class RescoreIn(BaseModel):
    reason: str = Field("key corrected", max_length=500)


class RetireIn(BaseModel):
    confirm: bool = Field(False, description="retire even though the exams named in the 409 answer cannot be drawn "
                                             "any more: they are closed to new attempts")


def _correction_out(c: testbank_pb2.KeyCorrection) -> CorrectionOut:
    return CorrectionOut(id=c.id, item_id=c.item_id, exam_id=c.exam_id, exam_title=c.exam_title,
                         from_version=c.from_version, to_version=c.to_version, apply=c.apply, void=c.void,
                         reason=c.reason, actor=c.actor, at=iso(c.at), key_version=c.form_version)


async def rescore_exam(svc: Svc, exam_id: str, reason: str, who: Principal) -> RescoreOut:
    r = await svc.scoring.Rescore(scoring_pb2.RescoreRequest(exam_id=exam_id, reason=f"{reason} (by {who.username})"),
                                  timeout=600)
    return RescoreOut(exam_id=exam_id, rescored=r.rescored, changed=r.changed, newly_passed=r.newly_passed,
                      newly_failed=r.newly_failed, key_version=r.key_version)


@router.post("/exams/{exam_id}/rescore", response_model=RescoreOut, tags=["analytics"])
async def rescore(exam_id: str, svc: Svc, principal: Admin, body: RescoreIn | None = None) -> RescoreOut:
    """The plain way: every item of the exam corrected since it was pinned now scores with its corrected key
    (recorded as a correction applied to past results), and every past result is scored again."""
    reason = body.reason if body else "key corrected"
    await svc.testbank.CorrectKey(testbank_pb2.CorrectKeyRequest(
        exam_id=exam_id, apply="past", reason=reason, actor=principal.username), timeout=30)
    return await rescore_exam(svc, exam_id, reason, principal)


@router.get("/items/{item_id}/usage", response_model=ItemUsageOut, tags=["bank"])
async def item_usage(svc: Svc, admin: Admin, item_id: str) -> ItemUsageOut:
    """Which exams use the item, at which version: what a correction or a retirement would reach."""
    u = await svc.testbank.GetItemUsage(testbank_pb2.GetItemRequest(item_id=item_id), timeout=10)
    return ItemUsageOut(item_id=u.item_id, current_version=u.current_version, exams=[_use_out(e) for e in u.exams])


def _use_out(e: testbank_pb2.ExamUse) -> ExamUseOut:
    return ExamUseOut(exam_id=e.exam_id, title=e.title, status=e.status, pinned_version=e.pinned_version,
                      voided=e.voided, withdrawn=e.withdrawn, drawable_without=e.drawable_without, problem=e.problem)


@router.post("/items/{item_id}/corrections", response_model=CorrectionsOut, tags=["bank"])
async def correct_key(svc: Svc, admin: Admin, item_id: str, body: CorrectionIn) -> CorrectionsOut:
    """After `PUT /items/{id}` saved the corrected version: decide what it does to the exams that use the item."""
    done = await svc.testbank.CorrectKey(testbank_pb2.CorrectKeyRequest(
        item_id=item_id, exam_id=body.exam_id or "", apply=body.apply, void=body.void, reason=body.reason,
        actor=admin.username), timeout=30)
    rescores = []
    if body.apply == "past" or body.void:
        exams = dict.fromkeys(c.exam_id for c in done.corrections if c.exam_published and (c.apply == "past" or c.void))
        for exam_id in exams:
            rescores.append(await rescore_exam(svc, exam_id, body.reason, admin))
    return CorrectionsOut(corrections=[_correction_out(c) for c in done.corrections], rescores=rescores)


@router.get("/items/{item_id}/corrections", response_model=CorrectionsOut, tags=["bank"])
async def list_corrections(svc: Svc, admin: Admin, item_id: str) -> CorrectionsOut:
    done = await svc.testbank.ListKeyCorrections(testbank_pb2.ListKeyCorrectionsRequest(item_id=item_id), timeout=10)
    return CorrectionsOut(corrections=[_correction_out(c) for c in done.corrections])


@router.post("/items/{item_id}/retire", response_model=ItemOut, tags=["bank"])
async def retire_item(svc: Svc, admin: Admin, item_id: str, body: RetireIn | None = None) -> ItemOut:
    """Retired means withdrawn: no exam draws it again. When that leaves a published exam unable to fill its rules,
    the answer is 409 `retire_shortens_exams` naming those exams; send `{"confirm": true}` to retire anyway (the
    exams are closed to new attempts, never drawn short)."""
    confirm = bool(body and body.confirm)
    if not confirm:
        usage = await svc.testbank.GetItemUsage(testbank_pb2.GetItemRequest(item_id=item_id), timeout=10)
        short = [_use_out(e) for e in usage.exams if not e.drawable_without]
        if short:
            raise Problem(409, "retire_shortens_exams",
                          "retiring this item leaves these published exams unable to draw their questions; "
                          "confirm to retire it and close them", affected_exams=[e.model_dump() for e in short])
    return item_out(await svc.testbank.RetireItem(
        testbank_pb2.RetireItemRequest(item_id=item_id, confirm=confirm), timeout=30))
