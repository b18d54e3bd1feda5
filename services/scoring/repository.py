"""Every SQL statement of scoring, each a named function (tables: services/scoring/migrations/): results, their
changes, the analytics read model and the curators' queries over it.

The read model (pass_rate_cells, pass_rate_totals, competence_cells, item_cells) is changed in the same transaction
as the result it counts, so it is never behind the results table; `rebuild_read_model` recomputes it from the
results.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import date, datetime

import asyncpg

from gramota.contracts.events.v1 import events_pb2
from gramota.contracts.scoring.v1 import scoring_pb2 as pb
from gramota.shared.errors import InvalidArgument, parse_uuid
from gramota.shared.personal_data import anonymised

from .domain import KeyedItem
from .results import Counted, counted_of, result_day

Conn = asyncpg.Connection | asyncpg.Pool


def _r4(value: float) -> float:
    return round(value, 4)


# --- results ------------------------------------------------------------------------------------------------------------


async def result_of_attempt(conn: Conn, attempt_id: uuid.UUID) -> asyncpg.Record | None:
    return await conn.fetchrow("SELECT * FROM results WHERE attempt_id = $1", attempt_id)


async def has_earlier_result(conn: Conn, candidate_id: str, exam_id: uuid.UUID, before: datetime) -> bool:
    return await conn.fetchval(
        "SELECT EXISTS (SELECT 1 FROM results WHERE candidate_id = $1 AND exam_id = $2 AND submitted_at < $3)",
        candidate_id, exam_id, before)


async def insert_result(conn: asyncpg.Connection, *args) -> bool:
    """A new result (columns in the order of the INSERT below); False when the attempt has one already."""
    return bool(await conn.fetchval(
        """
        INSERT INTO results (id, attempt_id, exam_id, exam_title, candidate_id, full_name, federal_district,
            region, organization, points, max_points, score_percent, passed, submitted_at, scored_at,
            item_scores, key_version, first_attempt, subscores, marks, submission, competence_scores,
            pass_score, area_checks)
        VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16::jsonb,$17,$18,$19::jsonb,$20,$21,
                $22::jsonb,$23,$24::jsonb)
        ON CONFLICT (attempt_id) DO NOTHING RETURNING true
        """, *args))


async def rescorable(conn: Conn, exam_id: uuid.UUID) -> list[asyncpg.Record]:
    """The ids of the exam's results whose submission is kept, in id order."""
    return await conn.fetch("SELECT id FROM results WHERE exam_id = $1 AND submission IS NOT NULL ORDER BY id", exam_id)


async def result_for_update(conn: asyncpg.Connection, result_id: uuid.UUID) -> asyncpg.Record:
    return await conn.fetchrow("SELECT * FROM results WHERE id = $1 FOR UPDATE", result_id)


async def record_change(conn: asyncpg.Connection, *args) -> None:
    """One rescoring's before and after (columns in the order of the INSERT below)."""
    await conn.execute(
        """
        INSERT INTO result_changes (result_id, changed_at, reason, key_version_before,
            key_version_after, points_before, points_after, percent_before, percent_after,
            passed_before, passed_after)
        VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)
        """, *args)


async def update_score(conn: asyncpg.Connection, *args) -> None:
    """A result's score replaced (columns in the order of the UPDATE below)."""
    await conn.execute(
        """
        UPDATE results SET points = $2, max_points = $3, score_percent = $4, passed = $5,
            item_scores = $6::jsonb, key_version = $7, subscores = $8::jsonb, marks = $9,
            competence_scores = $10::jsonb, pass_score = $11, area_checks = $12::jsonb
        WHERE id = $1
        """, *args)


async def candidate_results(conn: Conn, candidate_id: str) -> list[asyncpg.Record]:
    return await conn.fetch("SELECT * FROM results WHERE candidate_id = $1 ORDER BY submitted_at, id", candidate_id)


async def changes_of(conn: Conn, result_ids: list[uuid.UUID]) -> list[asyncpg.Record]:
    return await conn.fetch("SELECT * FROM result_changes WHERE result_id = ANY($1::uuid[]) ORDER BY id", result_ids)


async def exam_item_positions(conn: asyncpg.Connection, exam_id: uuid.UUID, key: list[KeyedItem]) -> dict[str, int]:
    """Each keyed item's fixed position in results.marks; items new to the exam are appended."""
    rows = await conn.fetch("SELECT item_id, position FROM exam_items WHERE exam_id = $1", exam_id)
    positions = {r["item_id"]: r["position"] for r in rows}
    missing = [k for k in key if k.item_id not in positions]
    if missing:
        # serialise first-time registration of an exam's items between concurrent consumers
        await conn.execute("SELECT pg_advisory_xact_lock(hashtext($1::text))", str(exam_id))
        rows = await conn.fetch("SELECT item_id, position FROM exam_items WHERE exam_id = $1", exam_id)
        positions = {r["item_id"]: r["position"] for r in rows}
        for k in key:
            if k.item_id not in positions:
                positions[k.item_id] = len(positions) + 1
                await conn.execute(
                    "INSERT INTO exam_items (exam_id, position, item_id, item_version, competence, max_points) "
                    "VALUES ($1,$2,$3,$4,$5,$6)",
                    exam_id, positions[k.item_id], k.item_id, k.item_version, k.competence, k.points or 1.0)
    return positions


# --- the read model ----------------------------------------------------------------------------------------------------


async def count_in_read_model(conn: asyncpg.Connection, r: Counted, sign: int = 1) -> None:
    """Add (sign=1) or take away (sign=-1) one result's contribution to the analytics cells."""
    counts = (sign, sign * int(r.passed), sign * int(r.first_attempt), sign * int(r.first_attempt and r.passed),
              sign * int(r.first_pass))
    await conn.execute(
        """
        INSERT INTO pass_rate_cells AS c (exam_id, federal_district, region, organization, day,
                                          attempts, passed, first_attempts, first_passed, people_passed)
        VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)
        ON CONFLICT (exam_id, federal_district, region, organization, day) DO UPDATE SET
            attempts = c.attempts + EXCLUDED.attempts, passed = c.passed + EXCLUDED.passed,
            first_attempts = c.first_attempts + EXCLUDED.first_attempts,
            first_passed = c.first_passed + EXCLUDED.first_passed,
            people_passed = c.people_passed + EXCLUDED.people_passed
        """,
        r.exam_id, r.federal_district, r.region, r.organization, r.day, *counts,
    )
    await conn.execute(
        """
        INSERT INTO pass_rate_totals AS c (exam_id, federal_district, region, organization,
                                           attempts, passed, first_attempts, first_passed, people_passed)
        VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)
        ON CONFLICT (exam_id, federal_district, region, organization) DO UPDATE SET
            attempts = c.attempts + EXCLUDED.attempts, passed = c.passed + EXCLUDED.passed,
            first_attempts = c.first_attempts + EXCLUDED.first_attempts,
            first_passed = c.first_passed + EXCLUDED.first_passed,
            people_passed = c.people_passed + EXCLUDED.people_passed
        """,
        r.exam_id, r.federal_district, r.region, r.organization, *counts,
    )
    if r.subscores:
        await conn.executemany(
            """
            INSERT INTO competence_cells AS c (exam_id, federal_district, region, day, competence, results, sum_percent)
            VALUES ($1,$2,$3,$4,$5,$6,$7)
            ON CONFLICT (exam_id, federal_district, region, day, competence) DO UPDATE SET
                results = c.results + EXCLUDED.results, sum_percent = c.sum_percent + EXCLUDED.sum_percent
            """,
            [(r.exam_id, r.federal_district, r.region, r.day, comp, sign, sign * pct)
             for comp, pct in sorted(r.subscores.items())],
        )
    total = sum(m for m in r.marks if m is not None)
    cells = [(r.exam_id, r.federal_district, r.region, pos, _r4(m), _r4(total - m), sign)
             for pos, m in enumerate(r.marks, start=1) if m is not None]
    if cells:
        await conn.executemany(
            """
            INSERT INTO item_cells AS c (exam_id, federal_district, region, position, mark, rest, results)
            VALUES ($1,$2,$3,$4,$5,$6,$7)
            ON CONFLICT (exam_id, federal_district, region, position, mark, rest) DO UPDATE SET
                results = c.results + EXCLUDED.results
            """,
            cells,
        )


async def settle_first_pass(conn: asyncpg.Connection, candidate_id: str, exam_id: uuid.UUID) -> None:
    """Mark the candidate's earliest passing result at the exam as the one that counts them among the people who
    passed (and no other), moving `people_passed` in the read model when the mark moves: after a new result, a
    late-arriving earlier one, or a rescoring that turned a pass into a fail or back."""
    rows = await conn.fetch(
        "SELECT id, passed, first_pass, federal_district, region, organization, submitted_at FROM results"
        " WHERE candidate_id = $1 AND exam_id = $2 ORDER BY submitted_at, id FOR UPDATE", candidate_id, exam_id)
    first = next((r["id"] for r in rows if r["passed"]), None)
    for r in rows:
        should = r["id"] == first
        if should == r["first_pass"]:
            continue
        delta = 1 if should else -1
        await conn.execute("UPDATE results SET first_pass = $2 WHERE id = $1", r["id"], should)
        place = (exam_id, r["federal_district"], r["region"], r["organization"])
        await conn.execute(
            "UPDATE pass_rate_cells SET people_passed = people_passed + $6 WHERE exam_id = $1 AND federal_district = $2"
            " AND region = $3 AND organization = $4 AND day = $5", *place, result_day(r["submitted_at"]), delta)
        await conn.execute(
            "UPDATE pass_rate_totals SET people_passed = people_passed + $5 WHERE exam_id = $1 AND federal_district = $2"
            " AND region = $3 AND organization = $4", *place, delta)


async def rebuild_read_model(conn: asyncpg.Connection) -> int:
    """Recompute first attempts and every analytics cell from the results table, in one transaction."""
    async with conn.transaction():
        await conn.execute("LOCK TABLE pass_rate_cells, pass_rate_totals, competence_cells, item_cells IN EXCLUSIVE MODE")
        # first attempt: the earliest submission of each candidate for each exam
        await conn.execute(
            """
            UPDATE results r SET first_attempt = f.first FROM (
                SELECT id, row_number() OVER (PARTITION BY candidate_id, exam_id ORDER BY submitted_at, id) = 1 AS first
                FROM results) f
            WHERE r.id = f.id AND r.first_attempt IS DISTINCT FROM f.first
            """
        )
        # first pass: the earliest passing submission of each candidate for each exam (one person who passed)
        await conn.execute(
            """
            UPDATE results r SET first_pass = f.first FROM (
                SELECT id, passed AND row_number() OVER (PARTITION BY candidate_id, exam_id, passed
                                                          ORDER BY submitted_at, id) = 1 AS first
                FROM results) f
            WHERE r.id = f.id AND r.first_pass IS DISTINCT FROM f.first
            """
        )
        await conn.execute("TRUNCATE pass_rate_cells, pass_rate_totals, competence_cells, item_cells")
        await conn.execute(
            """
            INSERT INTO pass_rate_cells (exam_id, federal_district, region, organization, day,
                                         attempts, passed, first_attempts, first_passed, people_passed)
            SELECT exam_id, federal_district, region, organization, (submitted_at AT TIME ZONE 'UTC')::date,
                   count(*), count(*) FILTER (WHERE passed), count(*) FILTER (WHERE first_attempt),
                   count(*) FILTER (WHERE first_attempt AND passed), count(*) FILTER (WHERE first_pass)
            FROM results GROUP BY 1, 2, 3, 4, 5
            """
        )
        await conn.execute(
            """
            INSERT INTO pass_rate_totals (exam_id, federal_district, region, organization,
                                          attempts, passed, first_attempts, first_passed, people_passed)
            SELECT exam_id, federal_district, region, organization, sum(attempts), sum(passed), sum(first_attempts),
                   sum(first_passed), sum(people_passed)
            FROM pass_rate_cells GROUP BY 1, 2, 3, 4
            """
        )
        await conn.execute(
            """
            INSERT INTO competence_cells (exam_id, federal_district, region, day, competence, results, sum_percent)
            SELECT exam_id, federal_district, region, (submitted_at AT TIME ZONE 'UTC')::date, s.key,
                   count(*), sum(s.value::float8)
            FROM results, jsonb_each_text(subscores) s GROUP BY 1, 2, 3, 4, 5
            """
        )
        await conn.execute(
            """
            INSERT INTO item_cells (exam_id, federal_district, region, position, mark, rest, results)
            SELECT exam_id, federal_district, region, u.pos, round(u.m::numeric, 4)::float8,
                   round((t.total - u.m)::numeric, 4)::float8, count(*)
            FROM results
            CROSS JOIN LATERAL (SELECT sum(m) AS total FROM unnest(marks) m) t
            CROSS JOIN LATERAL unnest(marks) WITH ORDINALITY AS u(m, pos)
            WHERE u.m IS NOT NULL
            GROUP BY 1, 2, 3, 4, 5, 6
            """
        )
        return await conn.fetchval("SELECT count(*) FROM results")


# --- personal data -------------------------------------------------------------------------------------------------------


async def erase_candidate(conn: asyncpg.Connection, candidate_id: str) -> int:
    """Blank the name and organisation of the candidate's results, in the caller's transaction (after
    `personal_data.begin_erasure`); returns how many results changed. Each result stays counted: it moves in the
    read model from its organisation to the blank one (district and region totals do not move), and its stored
    submission is rewritten blanked, so a rescoring and the events it sends carry no name either."""
    changed = 0
    for r in await conn.fetch("SELECT * FROM results WHERE candidate_id = $1 ORDER BY id FOR UPDATE", candidate_id):
        submission = r["submission"]
        if submission is not None:
            msg = events_pb2.AttemptSubmitted.FromString(submission)
            if not msg.candidate.erased:
                msg.candidate.CopyFrom(anonymised(msg.candidate))
                submission = msg.SerializeToString()
        if not r["full_name"] and not r["organization"] and submission == r["submission"]:
            continue
        if r["organization"]:
            counted = counted_of(r)
            await count_in_read_model(conn, counted, sign=-1)
            await count_in_read_model(conn, replace(counted, organization=""))
        await conn.execute("UPDATE results SET full_name = '', organization = '', submission = $2 WHERE id = $1",
                           r["id"], submission)
        changed += 1
    return changed


# --- the curators' queries ----------------------------------------------------------------------------------------------

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


async def pass_rate_groups(conn: Conn, column: str, dated: bool, w: Where) -> list[asyncpg.Record]:
    """Attempts and passes grouped by `column` (a GROUP_COLUMNS value), each with its parent district and region:
    without a period the all-time totals answer (a few hundred rows); with one (`dated`), the per-day cells."""
    table = "pass_rate_cells" if dated else "pass_rate_totals"
    parents = {"federal_district": "''", "region": "min(federal_district)",
               "organization": "min(federal_district)"}[column]
    parent_region = "min(region)" if column == "organization" else "''"
    return await conn.fetch(
        f"""
        SELECT {column} AS key, {parents} AS fd, {parent_region} AS rg, sum(attempts)::bigint AS attempts,
               sum(passed)::bigint AS passed, sum(first_attempts)::bigint AS first_attempts,
               sum(first_passed)::bigint AS first_passed, sum(people_passed)::bigint AS people_passed
        FROM {table} WHERE {w.sql}
        GROUP BY {column} HAVING sum(attempts) > 0 ORDER BY {column}
        """,
        *w.args,
    )


async def trend_periods(conn: Conn, period: str, w: Where) -> list[asyncpg.Record]:
    """Attempts and passes per week or month (`period`, checked by the caller)."""
    return await conn.fetch(
        f"""
        SELECT date_trunc('{period}', day)::date AS start, sum(attempts)::bigint AS attempts, sum(passed)::bigint AS passed
        FROM pass_rate_cells WHERE {w.sql} GROUP BY 1 HAVING sum(attempts) > 0 ORDER BY 1
        """,
        *w.args,
    )


async def competence_groups(conn: Conn, column: str, w: Where) -> list[asyncpg.Record]:
    return await conn.fetch(
        f"""
        SELECT {column} AS key, competence, sum(results)::bigint AS results, sum(sum_percent) AS sum_percent
        FROM competence_cells WHERE {w.sql} GROUP BY 1, 2 HAVING sum(results) > 0 ORDER BY 1, 2
        """,
        *w.args,
    )


async def exam_items(conn: Conn, exam_id: uuid.UUID) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT position, item_id, item_version, competence, max_points FROM exam_items WHERE exam_id = $1", exam_id)


async def item_cells(conn: Conn, w: Where) -> list[asyncpg.Record]:
    """The joint (mark, rest) counts of each item position."""
    return await conn.fetch(
        f"""
        SELECT position, mark, rest, sum(results)::bigint AS results FROM item_cells WHERE {w.sql}
        GROUP BY 1, 2, 3 HAVING sum(results) > 0
        """,
        *w.args,
    )


async def score_totals(conn: Conn, w: Where) -> asyncpg.Record:
    """The results' count, sum and sum of squares of points, and the mean maximum."""
    return await conn.fetchrow(
        f"""
        SELECT count(*) AS n, coalesce(sum(points), 0) AS st, coalesce(sum(points * points), 0) AS stt,
               coalesce(avg(max_points), 0) AS max_total
        FROM results WHERE {w.sql}
        """,
        *w.args,
    )
