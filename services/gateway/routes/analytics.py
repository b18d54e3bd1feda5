"""Analytics for curators and admins: pass rates (drill-down), trends, competence gaps, item statistics, as
JSON or CSV; rescoring and rebuilding the read model (admins). A curator's scope is taken from the token and
passed to scoring, which filters on the server; the client's parameters can only narrow it."""
from __future__ import annotations

import io
from datetime import date
from typing import Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from gramota.contracts.scoring.v1 import scoring_pb2
from gramota.shared import csv_safe

from ..auth import Admin, Analyst, Principal
from ..languages import request_language
from .common import Svc

router = APIRouter(prefix="/api/v1")

_GROUP_BY = {"federal_district": scoring_pb2.GROUP_BY_FEDERAL_DISTRICT, "region": scoring_pb2.GROUP_BY_REGION,
             "organization": scoring_pb2.GROUP_BY_ORGANIZATION}
Format = Literal["json", "csv"]


def scope_of(principal: Principal) -> scoring_pb2.Scope:
    s = principal.scope
    return scoring_pb2.Scope(unrestricted=s.unrestricted, districts=list(s.districts), regions=list(s.regions))


def result_filter(exam_id: str | None, date_from: date | None, date_to: date | None, federal_district: str | None,
                  region: str | None, organization: str | None = None) -> scoring_pb2.ResultFilter:
    return scoring_pb2.ResultFilter(
        exam_id=exam_id or "", from_date=date_from.isoformat() if date_from else "",
        to_date=date_to.isoformat() if date_to else "", federal_district=federal_district or "",
        region=region or "", organization=organization or "")


def csv_response(rows: list[BaseModel], filename: str) -> Response:
    out = io.StringIO()
    if rows:
        fields = list(type(rows[0]).model_fields)
        writer = csv_safe.writer(out)
        writer.writerow(fields)
        for row in rows:
            data = row.model_dump()
            writer.writerow([(";".join(v) if isinstance(v, list) else v) for v in (data[f] for f in fields)])
    # a BOM so spreadsheet programs read the Cyrillic names as UTF-8
    return Response("\ufeff" + out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


# --- pass rates ----------------------------------------------------------------------------------
class PassRateOut(BaseModel):
    key: str
    attempts: int
    passed: int
    pass_rate: float = Field(description="0..1")
    wilson_low: float = Field(description="95% Wilson interval, lower bound, 0..1")
    wilson_high: float = Field(description="95% Wilson interval, upper bound, 0..1")
    first_attempts: int = Field(description="people who sat the exam (each person's first attempt)")
    first_attempt_pass_rate: float = Field(description="0..1, people who passed at their first attempt / people who sat")
    federal_district: str = Field("", description="the group's district (when grouped by region or organisation)")
    region: str = Field("", description="the group's region (when grouped by organisation)")
    people_sat: int = Field(0, description="people who sat the exam (= first_attempts)")
    people_passed: int = Field(0, description="people who passed, at any attempt (each counted once)")
    first_passed: int = Field(0, description="people who passed at their first attempt")
    best_attempt_pass_rate: float = Field(0.0, description="0..1, people_passed / people_sat: the pass rate of people")
    people_wilson_low: float = Field(0.0, description="95% Wilson interval of best_attempt_pass_rate, lower bound")
    people_wilson_high: float = Field(0.0, description="95% Wilson interval of best_attempt_pass_rate, upper bound")


def pass_rate_out(r: scoring_pb2.PassRate) -> PassRateOut:
    return PassRateOut(key=r.key, attempts=r.attempts, passed=r.passed, pass_rate=round(r.pass_rate, 4),
                       wilson_low=round(r.wilson_low, 4), wilson_high=round(r.wilson_high, 4),
                       first_attempts=r.first_attempts, first_attempt_pass_rate=round(r.first_attempt_pass_rate, 4),
                       federal_district=r.federal_district, region=r.region, people_sat=r.first_attempts,
                       people_passed=r.people_passed, first_passed=r.first_passed,
                       best_attempt_pass_rate=round(r.best_attempt_pass_rate, 4),
                       people_wilson_low=round(r.people_wilson_low, 4), people_wilson_high=round(r.people_wilson_high, 4))


async def fetch_pass_rates(svc, principal: Principal, group_by: str, flt: scoring_pb2.ResultFilter):
    return await svc.scoring.GetPassRates(scoring_pb2.GetPassRatesRequest(
        group_by=_GROUP_BY[group_by], scope=scope_of(principal), filter=flt), timeout=10)


@router.get("/analytics/pass-rates", response_model=list[PassRateOut], tags=["analytics"])
async def pass_rates(
    svc: Svc, principal: Analyst,
    group_by: Literal["federal_district", "region", "organization"] = "federal_district",
    exam_id: str | None = None,
    date_from: date | None = Query(None, alias="from", description="submitted on or after (YYYY-MM-DD)"),
    date_to: date | None = Query(None, alias="to", description="submitted on or before (YYYY-MM-DD)"),
    federal_district: str | None = Query(None, description="drill down: only this district"),
    region: str | None = Query(None, description="drill down: only this region"),
    format: Format = "json",
):
    reply = await fetch_pass_rates(svc, principal, group_by,
                                   result_filter(exam_id, date_from, date_to, federal_district, region))
    rows = [pass_rate_out(r) for r in reply.rows]
    return csv_response(rows, f"pass-rates-{group_by}.csv") if format == "csv" else rows


# --- trends --------------------------------------------------------------------------------------
class TrendPointOut(BaseModel):
    period_start: str
    attempts: int
    passed: int
    pass_rate: float
    wilson_low: float
    wilson_high: float


async def fetch_trend(svc, principal: Principal, period: str, flt: scoring_pb2.ResultFilter):
    reply = await svc.scoring.GetTrend(scoring_pb2.GetTrendRequest(scope=scope_of(principal), filter=flt,
                                                                   period=period), timeout=10)
    return [TrendPointOut(period_start=p.period_start, attempts=p.attempts, passed=p.passed,
                          pass_rate=round(p.pass_rate, 4), wilson_low=round(p.wilson_low, 4),
                          wilson_high=round(p.wilson_high, 4)) for p in reply.points]


@router.get("/analytics/trend", response_model=list[TrendPointOut], tags=["analytics"])
async def trend(
    svc: Svc, principal: Analyst, period: Literal["week", "month"] = "week", exam_id: str | None = None,
    date_from: date | None = Query(None, alias="from"), date_to: date | None = Query(None, alias="to"),
    federal_district: str | None = None, region: str | None = None, organization: str | None = None,
    format: Format = "json",
):
    rows = await fetch_trend(svc, principal, period,
                             result_filter(exam_id, date_from, date_to, federal_district, region, organization))
    return csv_response(rows, f"trend-{period}.csv") if format == "csv" else rows


# --- competence gaps -----------------------------------------------------------------------------
class CompetenceGapOut(BaseModel):
    key: str
    competence: str
    name: str = Field("", description="the competence's name in the request's language (its code when unknown)")
    results: int
    mean_percent: float


async def fetch_competence_gaps(request: Request, svc, principal: Principal, group_by: str,
                                flt: scoring_pb2.ResultFilter, lang: str):
    reply = await svc.scoring.GetCompetenceGaps(scoring_pb2.GetCompetenceGapsRequest(
        scope=scope_of(principal), filter=flt, group_by=_GROUP_BY[group_by]), timeout=10)
    framework = await request.app.state.competences.get()
    return [CompetenceGapOut(key=c.key, competence=c.competence, name=framework.competence_name(c.competence, lang),
                             results=c.results, mean_percent=round(c.mean_percent, 2)) for c in reply.cells]


@router.get("/analytics/competence-gaps", response_model=list[CompetenceGapOut], tags=["analytics"])
async def competence_gaps(
    request: Request, svc: Svc, principal: Analyst,
    group_by: Literal["federal_district", "region"] = "federal_district",
    exam_id: str | None = None, date_from: date | None = Query(None, alias="from"),
    date_to: date | None = Query(None, alias="to"), federal_district: str | None = None, format: Format = "json",
    lang: str | None = Query(None, description="ru (default) or en: the language of competence names"),
):
    rows = await fetch_competence_gaps(request, svc, principal, group_by,
                                       result_filter(exam_id, date_from, date_to, federal_district, None),
                                       request_language(request, lang))
    return csv_response(rows, f"competence-gaps-{group_by}.csv") if format == "csv" else rows


# --- item statistics -----------------------------------------------------------------------------
class ItemStatisticsOut(BaseModel):
    position: int
    item_id: str
    item_version: int
    competence: str
    attempts: int
    facility_index: float = Field(description="percent")
    standard_deviation: float = Field(description="percent")
    discrimination_index: float = Field(description="percent (item–rest-of-test correlation × 100)")
    discriminative_efficiency: float = Field(description="percent")
    flags: list[str]


class ItemAnalysisOut(BaseModel):
    results: int
    mean_percent: float
    score_sd_percent: float
    cronbach_alpha: float
    error_ratio: float
    standard_error: float
    items: list[ItemStatisticsOut]


@router.get("/analytics/item-statistics", response_model=ItemAnalysisOut, tags=["analytics"])
async def item_statistics(svc: Svc, principal: Analyst, exam_id: str, format: Format = "json"):
    r = await svc.scoring.GetItemStatistics(scoring_pb2.GetItemStatisticsRequest(
        exam_id=exam_id, scope=scope_of(principal)), timeout=60)
    items = [ItemStatisticsOut(
        position=i.position, item_id=i.item_id, item_version=i.item_version, competence=i.competence,
        attempts=i.attempts, facility_index=round(i.facility_index, 2), standard_deviation=round(i.standard_deviation, 2),
        discrimination_index=round(i.discrimination_index, 2),
        discriminative_efficiency=round(i.discriminative_efficiency, 2), flags=list(i.flags)) for i in r.items]
    if format == "csv":
        return csv_response(items, "item-statistics.csv")
    return ItemAnalysisOut(results=r.results, mean_percent=round(r.mean_percent, 2),
                           score_sd_percent=round(r.score_sd_percent, 2), cronbach_alpha=round(r.cronbach_alpha, 2),
                           error_ratio=round(r.error_ratio, 2), standard_error=round(r.standard_error, 2), items=items)


# --- admin: rescoring and the read model ---------------------------------------------------------
@router.post("/analytics/rebuild", tags=["analytics"])
async def rebuild(svc: Svc, principal: Admin) -> dict:
    r = await svc.scoring.RebuildAnalytics(scoring_pb2.RebuildAnalyticsRequest(), timeout=600)
    return {"results": r.results}
