"""A result as stored: the answer key in the domain's terms, the JSON columns a score is kept in and read back from,
and what one result contributes to the analytics read model (`Counted`). Pure: the SQL is in repository.py."""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import asyncpg

from gramota.contracts.testbank.v1 import testbank_pb2
from gramota.shared.item_types import PB_TO_TYPE

from .domain import AreaCheck, KeyedItem, NumericValue, Score, ShortText


def keyed_items(key: testbank_pb2.AnswerKey, seen: dict[str, int] | None = None) -> list[KeyedItem]:
    """The test bank's key in the domain's terms. `seen` (item id -> the version the candidate answered): an answer
    given on a version the bank holds (a correction for future attempts only) is scored with that version's key."""
    held = {(k.item_id, k.item_version): k for k in key.held}
    chosen = [held.get((k.item_id, (seen or {}).get(k.item_id, 0)), k) for k in key.items]
    voided = {k.item_id for k in key.items if k.voided}
    return [
        KeyedItem(
            item_id=k.item_id, item_version=k.item_version, option_weights=dict(k.option_weights),
            competence=k.competence, type=PB_TO_TYPE.get(k.type, "single_choice"),
            correct_order=tuple(k.correct_order), correct_pairs=dict(k.correct_pairs),
            accepted_texts=tuple(ShortText(a.text, a.weight) for a in k.accepted_texts),
            numeric_answers=tuple(NumericValue(a.value, a.tolerance, a.weight) for a in k.numeric_answers),
            points=k.points or 1.0, competence_area=k.competence_area, voided=k.item_id in voided,
        )
        for k in chosen
    ]


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
    first_pass: bool = False  # the candidate's earliest passing result at this exam: counts one person who passed


def counted_of(row: asyncpg.Record) -> Counted:
    """What a stored result contributes to the read model now."""
    return Counted(row["exam_id"], row["federal_district"], row["region"], row["organization"],
                   result_day(row["submitted_at"]), row["passed"], row["first_attempt"], json.loads(row["subscores"]),
                   list(row["marks"] or []), row["first_pass"])


def result_day(submitted_at: datetime) -> date:
    """Results are counted on their submission date in UTC."""
    return submitted_at.astimezone(UTC).date()
