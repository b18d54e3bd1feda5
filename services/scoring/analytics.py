"""Analytics queries for curators over the read model (pass rates, trends, competence gaps) and the results
(item statistics). Every query is limited to the caller's scope, which the gateway sets from the signed-in user."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

import asyncpg

from gramota.contracts.scoring.v1 import scoring_pb2 as pb
from gramota.shared.errors import InvalidArgument, parse_uuid

from .statistics import item_stats, item_variance, sums_from_cells, test_stats, wilson_interval

GROUP_COLUMNS = {
    pb.GROUP_BY_FEDERAL_DISTRICT: "federal_district",
    pb.GROUP_BY_REGION: "region",
    pb.GROUP_BY_ORGANIZATION: "organization",
}


def _date(value: str, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidArgument("invalid_date", f"{name} must be a date YYYY-MM-DD") from None


@dataclass
class Where:
    """A WHERE clause built from parameters only (column names come from this module, never the caller)."""

    conditions: list[str] = field(default_factory=list)
    args: list[object] = field(default_factory=list)

    def add(self, template: str, *values: object) -> None:
        numbers = []
        for v in values:
            self.args.append(v)
            numbers.append(f"${len(self.args)}")
        self.conditions.append(template.format(*numbers))

    @property
    def sql(self) -> str:
        return " AND ".join(self.conditions) or "true"


def scoped(scope: pb.Scope, filt: pb.ResultFilter, *, day_column: str | None = "day",
           exam_id: str = "", with_organization: bool = True) -> Where:
    w = Where()
    if not scope.unrestricted:
        # a curator with no districts or regions sees nothing, never everything
        w.add("(federal_district = ANY({}) OR region = ANY({}))", list(scope.districts), list(scope.regions))
    exam = filt.exam_id or exam_id
    if exam:
        w.add("exam_id = {}", parse_uuid(exam, "exam_id"))
    if day_column:
        if (d := _date(filt.from_date, "from")) is not None:
            w.add(f"{day_column} >= {{}}", d)
        if (d := _date(filt.to_date, "to")) is not None:
            w.add(f"{day_column} <= {{}}", d)
    if filt.federal_district:
        w.add("federal_district = {}", filt.federal_district)
    if filt.region:
        w.add("region = {}", filt.region)
    if filt.organization and with_organization:
        w.add("organization = {}", filt.organization)
    return w


def pass_rate(key: str, attempts: int, passed: int, first_attempts: int = 0, first_passed: int = 0,
              federal_district: str = "", region: str = "") -> pb.PassRate:
    low, high = wilson_interval(passed, attempts)
    return pb.PassRate(
        key=key, attempts=attempts, passed=passed, pass_rate=passed / attempts if attempts else 0.0,
        wilson_low=low, wilson_high=high, first_attempts=first_attempts, first_passed=first_passed,
        first_attempt_pass_rate=first_passed / first_attempts if first_attempts else 0.0,
        federal_district=federal_district, region=region,
    )


async def pass_rates(pool: asyncpg.Pool, request: pb.GetPassRatesRequest) -> pb.GetPassRatesResponse:
    column = GROUP_COLUMNS.get(request.group_by)
    if column is None:
        raise InvalidArgument("invalid_group_by", "group_by must be federal_district, region or organization")
    # without a period the all-time totals answer (a few hundred rows); with one, the per-day cells
    dated = bool(request.filter.from_date or request.filter.to_date)
    table = "pass_rate_cells" if dated else "pass_rate_totals"
    w = scoped(request.scope, request.filter, exam_id=request.exam_id, day_column="day" if dated else None)
    parents = {"federal_district": "''", "region": "min(federal_district)",
               "organization": "min(federal_district)"}[column]
    parent_region = "min(region)" if column == "organization" else "''"
    rows = await pool.fetch(
        f"""
        SELECT {column} AS key, {parents} AS fd, {parent_region} AS rg, sum(attempts)::bigint AS attempts,
               sum(passed)::bigint AS passed, sum(first_attempts)::bigint AS first_attempts,
               sum(first_passed)::bigint AS first_passed
        FROM {table} WHERE {w.sql}
        GROUP BY {column} HAVING sum(attempts) > 0 ORDER BY {column}
        """,
        *w.args,
    )
    out = [pass_rate(r["key"], r["attempts"], r["passed"], r["first_attempts"], r["first_passed"], r["fd"], r["rg"])
           for r in rows]
    total = pass_rate("total", sum(r.attempts for r in out), sum(r.passed for r in out),
                      sum(r.first_attempts for r in out), sum(r.first_passed for r in out))
    return pb.GetPassRatesResponse(rows=out, total=total)


async def trend(pool: asyncpg.Pool, request: pb.GetTrendRequest) -> pb.GetTrendResponse:
    period = request.period or "week"
    if period not in ("week", "month"):
        raise InvalidArgument("invalid_period", "period must be week or month")
    w = scoped(request.scope, request.filter)
    rows = await pool.fetch(
        f"""
        SELECT date_trunc('{period}', day)::date AS start, sum(attempts)::bigint AS attempts, sum(passed)::bigint AS passed
        FROM pass_rate_cells WHERE {w.sql} GROUP BY 1 HAVING sum(attempts) > 0 ORDER BY 1
        """,
        *w.args,
    )
    points = []
    for r in rows:
        p = pass_rate("", r["attempts"], r["passed"])
        points.append(pb.TrendPoint(period_start=r["start"].isoformat(), attempts=p.attempts, passed=p.passed,
                                    pass_rate=p.pass_rate, wilson_low=p.wilson_low, wilson_high=p.wilson_high))
    return pb.GetTrendResponse(points=points)


async def competence_gaps(pool: asyncpg.Pool, request: pb.GetCompetenceGapsRequest) -> pb.GetCompetenceGapsResponse:
    column = "region" if request.group_by == pb.GROUP_BY_REGION else "federal_district"
    w = scoped(request.scope, request.filter, with_organization=False)
    rows = await pool.fetch(
        f"""
        SELECT {column} AS key, competence, sum(results)::bigint AS results, sum(sum_percent) AS sum_percent
        FROM competence_cells WHERE {w.sql} GROUP BY 1, 2 HAVING sum(results) > 0 ORDER BY 1, 2
        """,
        *w.args,
    )
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
    items = {r["position"]: r for r in await pool.fetch(
        "SELECT position, item_id, item_version, competence, max_points FROM exam_items WHERE exam_id = $1", exam_id)}
    cells: dict[int, list[tuple[float, float, int]]] = {}
    for r in await pool.fetch(
        f"""
        SELECT position, mark, rest, sum(results)::bigint AS results FROM item_cells WHERE {w.sql}
        GROUP BY 1, 2, 3 HAVING sum(results) > 0
        """,
        *w.args,
    ):
        cells.setdefault(r["position"], []).append((r["mark"], r["rest"], r["results"]))
    totals = await pool.fetchrow(
        f"""
        SELECT count(*) AS n, coalesce(sum(points), 0) AS st, coalesce(sum(points * points), 0) AS stt,
               coalesce(avg(max_points), 0) AS max_total
        FROM results WHERE {w.sql}
        """,
        *w.args,
    )
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
