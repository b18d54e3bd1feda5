"""Results and the analytics read model in SQL: writing a result, rescoring it, and keeping the cells in step.

The read model (pass_rate_cells, competence_cells) is changed in the same transaction as the result it
counts, so it is never behind the results table; `rebuild_read_model` recomputes it from the results.
"""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime

import asyncpg

from gramota.contracts.events.v1 import events_pb2
from gramota.contracts.testbank.v1 import testbank_pb2
from gramota.shared.personal_data import anonymised

from .domain import AreaCheck, KeyedItem, NumericValue, Score, ShortText

ITEM_TYPES = {value: name.removeprefix("ITEM_TYPE_").lower() for name, value in testbank_pb2.ItemType.items()}


def keyed_items(key: testbank_pb2.AnswerKey) -> list[KeyedItem]:
    """The test bank's key in the domain's terms."""
    return [
        KeyedItem(
            item_id=k.item_id, item_version=k.item_version, option_weights=dict(k.option_weights),
            competence=k.competence, type=ITEM_TYPES.get(k.type, "single_choice") if k.type else "single_choice",
            correct_order=tuple(k.correct_order), correct_pairs=dict(k.correct_pairs),
            accepted_texts=tuple(ShortText(a.text, a.weight) for a in k.accepted_texts),
            numeric_answers=tuple(NumericValue(a.value, a.tolerance, a.weight) for a in k.numeric_answers),
            points=k.points or 1.0, competence_area=k.competence_area,
        )
        for k in key.items
    ]


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


def marks_array(score: Score, positions: dict[str, int]) -> list[float | None]:
    marks: list[float | None] = [None] * (max(positions.values()) if positions else 0)
    for c in score.items:
        marks[positions[c.item_id] - 1] = c.points
    return marks


def item_scores_json(score: Score) -> str:
    return json.dumps([{"item_id": i.item_id, "item_version": i.item_version, "credit": i.credit,
                        "points": i.points, "max_points": i.max_points, "competence": i.competence}
                       for i in score.items])


def subscores_json(score: Score) -> str:
    """competence -> percent: what the read model counts (and what results scored before 0003 hold alone)."""
    return json.dumps({s.competence: s.percent for s in score.subscores if s.competence})


def competence_scores_json(score: Score) -> str:
    """What the candidate's result shows per competence: its area, points, max points and percent."""
    return json.dumps([{"competence": s.competence, "area": s.area, "points": s.points, "max_points": s.max_points,
                        "percent": s.percent} for s in score.subscores if s.competence], ensure_ascii=False)


def area_checks_json(score: Score) -> str:
    """The area minimums the result was judged against: area, the candidate's percent there, the minimum."""
    return json.dumps([{"area": c.area, "percent": c.percent, "minimum": c.minimum} for c in score.area_checks],
                      ensure_ascii=False)


def stored_area_checks(value: str | list | None) -> list[AreaCheck]:
    """The stored checks (none for a result scored before they were kept)."""
    items = json.loads(value) if isinstance(value, str) else (value or [])
    return [AreaCheck(c["area"], float(c["percent"]), float(c["minimum"])) for c in items]


@dataclass(frozen=True)
class CompetenceScore:
    competence: str
    area: str
    points: float       # 0 with max_points 0: not known (a result scored before points were kept)
    max_points: float
    percent: float


def stored_competence_scores(competence_scores: str | None, subscores: str | None,
                             item_scores: str | None = None) -> list[CompetenceScore]:
    """A stored result's per-competence scores, sorted by competence.

    Results scored before `competence_scores` was kept hold only `subscores` (competence -> percent); their
    points come from item_scores when every item there carries them, and the area stays unknown.
    """
    if competence_scores is not None:
        return sorted((CompetenceScore(c["competence"], c.get("area", ""), c["points"], c["max_points"], c["percent"])
                       for c in json.loads(competence_scores)), key=lambda c: c.competence)
    percents = json.loads(subscores or "{}")
    items = json.loads(item_scores or "[]")
    sums: dict[str, list[float]] = {}
    if all("points" in i and "max_points" in i for i in items):
        for i in items:
            total = sums.setdefault(i.get("competence", ""), [0.0, 0.0])
            total[0] += i["points"]
            total[1] += i["max_points"]
    return [CompetenceScore(code, "", *sums.get(code, (0.0, 0.0)), float(percent))
            for code, percent in sorted(percents.items())]


@dataclass(frozen=True)
class Counted:
    """What one result contributes to the read model."""

    exam_id: uuid.UUID
    federal_district: str
    region: str
    organization: str
    day: date
    passed: bool
    first_attempt: bool
    subscores: dict[str, float]
    marks: list[float | None] = field(default_factory=list)


def counted_of(row: asyncpg.Record) -> Counted:
    """What a stored result contributes to the read model now."""
    return Counted(row["exam_id"], row["federal_district"], row["region"], row["organization"],
                   result_day(row["submitted_at"]), row["passed"], row["first_attempt"], json.loads(row["subscores"]),
                   list(row["marks"] or []))


def _r4(value: float) -> float:
    return round(value, 4)


async def count_in_read_model(conn: asyncpg.Connection, r: Counted, sign: int = 1) -> None:
    """Add (sign=1) or take away (sign=-1) one result's contribution to the analytics cells."""
    counts = (sign, sign * int(r.passed), sign * int(r.first_attempt), sign * int(r.first_attempt and r.passed))
    await conn.execute(
        """
        INSERT INTO pass_rate_cells AS c (exam_id, federal_district, region, organization, day,
                                          attempts, passed, first_attempts, first_passed)
        VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)
        ON CONFLICT (exam_id, federal_district, region, organization, day) DO UPDATE SET
            attempts = c.attempts + EXCLUDED.attempts, passed = c.passed + EXCLUDED.passed,
            first_attempts = c.first_attempts + EXCLUDED.first_attempts,
            first_passed = c.first_passed + EXCLUDED.first_passed
        """,
        r.exam_id, r.federal_district, r.region, r.organization, r.day, *counts,
    )
    await conn.execute(
        """
        INSERT INTO pass_rate_totals AS c (exam_id, federal_district, region, organization,
                                           attempts, passed, first_attempts, first_passed)
        VALUES ($1,$2,$3,$4,$5,$6,$7,$8)
        ON CONFLICT (exam_id, federal_district, region, organization) DO UPDATE SET
            attempts = c.attempts + EXCLUDED.attempts, passed = c.passed + EXCLUDED.passed,
            first_attempts = c.first_attempts + EXCLUDED.first_attempts,
            first_passed = c.first_passed + EXCLUDED.first_passed
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


def result_day(submitted_at: datetime) -> date:
    """Results are counted on their submission date in UTC."""
    return submitted_at.astimezone(UTC).date()


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
        await conn.execute("TRUNCATE pass_rate_cells, pass_rate_totals, competence_cells, item_cells")
        await conn.execute(
            """
            INSERT INTO pass_rate_cells (exam_id, federal_district, region, organization, day,
                                         attempts, passed, first_attempts, first_passed)
            SELECT exam_id, federal_district, region, organization, (submitted_at AT TIME ZONE 'UTC')::date,
                   count(*), count(*) FILTER (WHERE passed), count(*) FILTER (WHERE first_attempt),
                   count(*) FILTER (WHERE first_attempt AND passed)
            FROM results GROUP BY 1, 2, 3, 4, 5
            """
        )
        await conn.execute(
            """
            INSERT INTO pass_rate_totals (exam_id, federal_district, region, organization,
                                          attempts, passed, first_attempts, first_passed)
            SELECT exam_id, federal_district, region, organization, sum(attempts), sum(passed), sum(first_attempts),
                   sum(first_passed)
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
