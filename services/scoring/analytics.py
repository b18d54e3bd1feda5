"""Analytics queries for curators over the read model (pass rates, trends, competence gaps) and the results
(item statistics). Every query is limited to the caller's scope, which the gateway sets from the signed-in user."""
from __future__ import annotations

import uuid

import asyncpg

from gramota.contracts.scoring.v1 import scoring_pb2 as pb
from gramota.shared.errors import InvalidArgument, parse_uuid

from . import repository
from .repository import GROUP_COLUMNS, scoped
from .statistics import item_stats, item_variance, sums_from_cells, test_stats, wilson_interval


def pass_rate(key: str, attempts: int, passed: int, first_attempts: int = 0, first_passed: int = 0,
              federal_district: str = "", region: str = "", people_passed: int = 0) -> pb.PassRate:
    """Attempts and people: people who sat = their first attempts; people who passed = their earliest passes."""
    low, high = wilson_interval(passed, attempts)
    people_low, people_high = wilson_interval(people_passed, first_attempts)
    return pb.PassRate(
        key=key, attempts=attempts, passed=passed, pass_rate=passed / attempts if attempts else 0.0,
        wilson_low=low, wilson_high=high, first_attempts=first_attempts, first_passed=first_passed,
        first_attempt_pass_rate=first_passed / first_attempts if first_attempts else 0.0,
        federal_district=federal_district, region=region, people_passed=people_passed,
        best_attempt_pass_rate=people_passed / first_attempts if first_attempts else 0.0,
        people_wilson_low=people_low, people_wilson_high=people_high,
    )


async def pass_rates(pool: asyncpg.Pool, request: pb.GetPassRatesRequest) -> pb.GetPassRatesResponse:
    column = GROUP_COLUMNS.get(request.group_by)
    if column is None:
        raise InvalidArgument("invalid_group_by", "group_by must be federal_district, region or organization")
    dated = bool(request.filter.from_date or request.filter.to_date)
    w = scoped(request.scope, request.filter, exam_id=request.exam_id, day_column="day" if dated else None)
    rows = await repository.pass_rate_groups(pool, column, dated, w)
    out = [pass_rate(r["key"], r["attempts"], r["passed"], r["first_attempts"], r["first_passed"], r["fd"], r["rg"],
                     r["people_passed"]) for r in rows]
    total = pass_rate("total", sum(r.attempts for r in out), sum(r.passed for r in out),
                      sum(r.first_attempts for r in out), sum(r.first_passed for r in out),
                      people_passed=sum(r.people_passed for r in out))
    return pb.GetPassRatesResponse(rows=out, total=total)


async def trend(pool: asyncpg.Pool, request: pb.GetTrendRequest) -> pb.GetTrendResponse:
    period = request.period or "week"
    if period not in ("week", "month"):
        raise InvalidArgument("invalid_period", "period must be week or month")
    rows = await repository.trend_periods(pool, period, scoped(request.scope, request.filter))
    points = []
    for r in rows:
        p = pass_rate("", r["attempts"], r["passed"])
        points.append(pb.TrendPoint(period_start=r["start"].isoformat(), attempts=p.attempts, passed=p.passed,
                                    pass_rate=p.pass_rate, wilson_low=p.wilson_low, wilson_high=p.wilson_high))
    return pb.GetTrendResponse(points=points)


async def competence_gaps(pool: asyncpg.Pool, request: pb.GetCompetenceGapsRequest) -> pb.GetCompetenceGapsResponse:
    column = "region" if request.group_by == pb.GROUP_BY_REGION else "federal_district"
    rows = await repository.competence_groups(pool, column, scoped(request.scope, request.filter,
                                                                   with_organization=False))
    return pb.GetCompetenceGapsResponse(
        cells=[pb.CompetenceGap(key=r["key"], competence=r["competence"], results=r["results"],
                                mean_percent=r["sum_percent"] / r["results"]) for r in rows],
        competences=sorted({r["competence"] for r in rows}),
    )


async def item_statistics(pool: asyncpg.Pool, request: pb.GetItemStatisticsRequest) -> pb.GetItemStatisticsResponse:
    """Item statistics from the read model's joint (mark, rest) counts, and test-level figures from the
    results' totals (one indexed aggregate)."""
    exam_id: uuid.UUID = parse_uuid(request.exam_id, "exam_id")
    w = scoped(request.scope, pb.ResultFilter(), day_column=None, exam_id=request.exam_id)
    items = {r["position"]: r for r in await repository.exam_items(pool, exam_id)}
    cells: dict[int, list[tuple[float, float, int]]] = {}
    for r in await repository.item_cells(pool, w):
        cells.setdefault(r["position"], []).append((r["mark"], r["rest"], r["results"]))
    totals = await repository.score_totals(pool, w)
    out, variances = [], []
    for position in sorted(cells):
        meta = items.get(position)
        if meta is None:
            continue
        sums = sums_from_cells(cells[position], meta["max_points"])
        s = item_stats(sums)
        variances.append(item_variance(sums))
        out.append(pb.ItemStatistics(
            position=position, item_id=meta["item_id"], item_version=meta["item_version"],
            competence=meta["competence"], attempts=s.attempts, facility_index=s.facility_index,
            standard_deviation=s.standard_deviation, discrimination_index=s.discrimination_index,
            discriminative_efficiency=s.discriminative_efficiency, flags=list(s.flags),
        ))
    t = test_stats(totals["n"], totals["max_total"], totals["st"], totals["stt"], variances)
    return pb.GetItemStatisticsResponse(
        items=out, results=t.results, mean_percent=t.mean_percent, score_sd_percent=t.score_sd_percent,
        cronbach_alpha=t.cronbach_alpha, error_ratio=t.error_ratio, standard_error=t.standard_error,
    )
