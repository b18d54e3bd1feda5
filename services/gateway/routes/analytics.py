"""Analytics for curators: pass rates."""
from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from gramota.contracts.scoring.v1 import scoring_pb2

from ..auth import Analyst
from .common import Svc

router = APIRouter(prefix="/api/v1")


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
