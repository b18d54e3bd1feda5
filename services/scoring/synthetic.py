"""Synthetic results for load and demo: N results over all 8 federal districts and the 89 subjects of the
Russian Federation, written with COPY, then the analytics read model rebuilt from them.

    python -m gramota.scoring.synthetic --database-url postgresql://... --results 1000000

Candidates answer 0/1 items with a Rasch-like chance (ability varies by region, difficulty by item), so the
pass rates, competence gaps and item statistics look like real data rather than noise.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import math
import random
import sys
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg

from gramota.shared import db, places

from .repository import rebuild_read_model

SCORING_DIR = Path(__file__).parent

# The federal districts and their subjects, by name, from the one list of places.
DISTRICTS: dict[str, list[str]] = {d.name_ru: [r.name_ru for r in places.regions_of(d.code)] for d in places.DISTRICTS}
ORGANIZATIONS = ("Аппарат правительства", "Министерство цифрового развития", "Администрация областного центра",
                 "Администрация муниципального района")
COMPETENCES = ("1.1 Информационная грамотность", "2.1 Взаимодействие", "2.5 Сетевой этикет",
               "3.1 Создание контента", "4.1 Защита устройств", "4.2 Персональные данные")
COLUMNS = ("id", "attempt_id", "exam_id", "exam_title", "candidate_id", "full_name", "federal_district", "region",
           "organization", "points", "max_points", "score_percent", "passed", "submitted_at", "scored_at",
           "item_scores", "key_version", "first_attempt", "subscores", "marks", "first_pass")


class ReadModel:
    """The analytics cells of the generated results, counted as they are made: the same rows
    `rebuild_read_model` would compute, without a second pass over a million results."""

    def __init__(self) -> None:
        self.cells: dict[tuple, list[int]] = {}
        self.totals: dict[tuple, list[int]] = {}
        self.competences: dict[tuple, list[float]] = {}
        self.items: dict[tuple, int] = {}

    def count(self, row: tuple, subscores: dict[str, float]) -> None:
        exam_id, district, region, organization = row[2], row[6], row[7], row[8]
        passed, first, marks, first_pass = row[12], row[17], row[19], row[20]
        day = row[13].astimezone(UTC).date()
        add = (1, int(passed), int(first), int(first and passed), int(first_pass))
        for table, key in ((self.cells, (exam_id, district, region, organization, day)),
                           (self.totals, (exam_id, district, region, organization))):
            c = table.setdefault(key, [0, 0, 0, 0, 0])
            for i, v in enumerate(add):
                c[i] += v
        for competence, percent in subscores.items():
            c = self.competences.setdefault((exam_id, district, region, day, competence), [0, 0.0])
            c[0] += 1
            c[1] += percent
        total = sum(marks)
        for position, mark in enumerate(marks, start=1):
            key = (exam_id, district, region, position, round(mark, 4), round(total - mark, 4))
            self.items[key] = self.items.get(key, 0) + 1

    async def write(self, conn: asyncpg.Connection, schema: str) -> None:
        await conn.execute("TRUNCATE pass_rate_cells, pass_rate_totals, competence_cells, item_cells")
        for table, records in (
            ("pass_rate_cells", [(*k, *v) for k, v in self.cells.items()]),
            ("pass_rate_totals", [(*k, *v) for k, v in self.totals.items()]),
            ("competence_cells", [(*k, *v) for k, v in self.competences.items()]),
            ("item_cells", [(*k, v) for k, v in self.items.items()]),
        ):
            await conn.copy_records_to_table(table, records=records, schema_name=schema)


@dataclass(frozen=True)
class SyntheticExam:
    id: uuid.UUID
    title: str
    difficulties: list[float]
    competences: list[str]
    pass_score: float = 70.0


def make_exams(count: int, items: int, rng: random.Random) -> list[SyntheticExam]:
    return [SyntheticExam(uuid.UUID(int=rng.getrandbits(128)), f"Синтетический экзамен {n + 1}",
                          [rng.gauss(-0.6, 0.9) for _ in range(items)],
                          [COMPETENCES[i % len(COMPETENCES)] for i in range(items)])
            for n in range(count)]


def progress(done: int, total: int, started: float) -> None:
    width = 40
    filled = int(width * done / total) if total else width
    rate = done / max(1e-9, time.monotonic() - started)
    eta = (total - done) / rate if rate else 0
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {100 * done / total:5.1f}% {done:,}/{total:,} "
                     f"{rate:,.0f}/s ETA {eta:4.0f}s")
    sys.stderr.flush()


def result_rows(exams: list[SyntheticExam], n: int, rng: random.Random, start_day: datetime, days: int):
    """Yield `n` result records; about one candidate in four sits an exam twice (the second time better)."""
    places = [(d, r) for d, regions in DISTRICTS.items() for r in regions]
    region_skill = {r: rng.gauss(0, 0.5) for _, r in places}
    comp_skill = {(r, c): rng.gauss(0, 0.4) for _, r in places for c in COMPETENCES}
    # regions differ in size: a few big ones, many small ones (so small-region intervals are wide)
    weights = [rng.lognormvariate(0, 0.9) for _ in places]
    cumulative = [sum(weights[: i + 1]) for i in range(len(weights))]
    made = 0
    while made < n:
        exam = exams[rng.randrange(len(exams))]
        district, region = rng.choices(places, cum_weights=cumulative)[0]
        organization = ORGANIZATIONS[rng.randrange(len(ORGANIZATIONS))]
        candidate = str(uuid.UUID(int=rng.getrandbits(128)))
        ability = rng.gauss(0.3, 1.0) + region_skill[region]
        first_at = start_day + timedelta(seconds=rng.randrange(days * 86400))
        sittings = 2 if rng.random() < 0.25 and made + 1 < n else 1
        passed_before = False
        for sitting in range(sittings):
            when = first_at + timedelta(days=7 * sitting + rng.randrange(3))
            theta = ability + 0.5 * sitting
            marks = [1.0 if rng.random() < 1 / (1 + math.exp(b - theta - comp_skill[(region, c)])) else 0.0
                     for b, c in zip(exam.difficulties, exam.competences, strict=True)]
            points = sum(marks)
            percent = round(100.0 * points / len(marks), 2)
            by_comp: dict[str, list[float]] = {}
            for m, c in zip(marks, exam.competences, strict=True):
                by_comp.setdefault(c, []).append(m)
            subscores = {c: round(100.0 * sum(v) / len(v), 2) for c, v in by_comp.items()}
            passed = percent >= exam.pass_score
            first_pass, passed_before = passed and not passed_before, passed_before or passed
            yield subscores, (uuid.UUID(int=rng.getrandbits(128)), uuid.UUID(int=rng.getrandbits(128)), exam.id, exam.title,
                   candidate, "Синтетический кандидат", district, region, organization, points, float(len(marks)),
                   percent, passed, when, when + timedelta(seconds=2), "[]", 1, sitting == 0,
                   json.dumps(subscores, ensure_ascii=False), marks, first_pass)
            made += 1


async def load(database_url: str, schema: str, results: int, *, exams: int = 2, items: int = 20, seed: int = 7,
               batch: int = 20_000, quiet: bool = False, exam_ids: list[uuid.UUID] | None = None) -> list[uuid.UUID]:
    """Migrate the scoring schema if needed, COPY `results` synthetic results in, and bring the read model up
    to date: counted while generating into an empty schema, else rebuilt from the whole results table."""
    await db.migrate(database_url, schema, SCORING_DIR)
    rng = random.Random(seed)
    made_exams = make_exams(exams, items, rng)
    if exam_ids:
        made_exams = [SyntheticExam(i, e.title, e.difficulties, e.competences) for i, e in zip(exam_ids, made_exams)]
    conn = await asyncpg.connect(database_url, server_settings={"search_path": schema})
    try:
        fresh = not await conn.fetchval("SELECT EXISTS (SELECT 1 FROM results)")
        for e in made_exams:
            await conn.executemany(
                "INSERT INTO exam_items (exam_id, position, item_id, item_version, competence, max_points) "
                "VALUES ($1,$2,$3,1,$4,1) ON CONFLICT DO NOTHING",
                [(e.id, i + 1, f"synthetic-{e.id.hex[:8]}-{i + 1:02d}", c) for i, c in enumerate(e.competences)])
        started, done, chunk = time.monotonic(), 0, []
        end = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        model = ReadModel() if fresh else None
        for subscores, row in result_rows(made_exams, results, rng, end - timedelta(days=365), 358):
            chunk.append(row)
            if model is not None:
                model.count(row, subscores)
            if len(chunk) >= batch:
                await conn.copy_records_to_table("results", records=chunk, columns=COLUMNS, schema_name=schema)
                done += len(chunk)
                chunk = []
                if not quiet:
                    progress(done, results, started)
        if chunk:
            await conn.copy_records_to_table("results", records=chunk, columns=COLUMNS, schema_name=schema)
            done += len(chunk)
        if not quiet:
            progress(done, results, started)
            sys.stderr.write(f"\nloaded {done:,} results in {time.monotonic() - started:.1f}s\n")
        t = time.monotonic()
        if model is not None:
            await model.write(conn, schema)
        else:  # results were there before: count everything again from the results table
            await rebuild_read_model(conn)
        await conn.execute("ANALYZE results; ANALYZE pass_rate_cells; ANALYZE pass_rate_totals; "
                           "ANALYZE competence_cells; ANALYZE item_cells")
        if not quiet:
            sys.stderr.write(f"analytics read model written in {time.monotonic() - t:.1f}s\n")
    finally:
        await conn.close()
    return [e.id for e in made_exams]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gramota.scoring.synthetic", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--schema", default="scoring")
    parser.add_argument("--results", type=int, default=1_000_000)
    parser.add_argument("--exams", type=int, default=2)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    ids = asyncio.run(load(args.database_url, args.schema, args.results, exams=args.exams, items=args.items,
                           seed=args.seed))
    print("exams:", " ".join(str(i) for i in ids))
    return 0


if __name__ == "__main__":
    sys.exit(main())
