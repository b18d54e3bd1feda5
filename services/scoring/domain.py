"""Pure scoring rules: credit per item, the attempt's score and pass/fail. No I/O here."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class KeyedItem:
    item_id: str
    item_version: int
    option_weights: dict[str, float]
    competence: str = ""


@dataclass(frozen=True)
class ItemCredit:
    item_id: str
    item_version: int
    credit: float
    competence: str


@dataclass(frozen=True)
class Score:
    points: float
    max_points: float
    percent: float
    passed: bool
    items: list[ItemCredit]


def item_credit(option_weights: dict[str, float], chosen: list[str]) -> float:
    """Credit for one choice item, 0..1: the chosen options' weights summed and clamped.

    Single choice: the chosen option's weight. Multiple choice: the sum of the chosen options'
    weights (wrong ones may be negative), never below 0 nor above 1, as Moodle scores it.
    An option that is not in the key earns nothing for the whole item.
    """
    chosen_set = set(chosen)
    if not chosen_set or not chosen_set <= option_weights.keys():
        return 0.0
    return min(1.0, max(0.0, sum(option_weights[o] for o in chosen_set)))


def score_attempt(key: list[KeyedItem], answers: dict[str, list[str]], pass_score_percent: float) -> Score:
    """Every keyed item is worth one point; unanswered items earn nothing."""
    credits = [
        ItemCredit(k.item_id, k.item_version, item_credit(k.option_weights, answers.get(k.item_id, [])), k.competence)
        for k in key
    ]
    points = sum(c.credit for c in credits)
    max_points = float(len(key))
    percent = round(100.0 * points / max_points, 2) if max_points else 0.0
    return Score(points, max_points, percent, percent + 1e-9 >= pass_score_percent, credits)
