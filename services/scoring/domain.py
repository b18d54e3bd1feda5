"""Pure scoring rules: credit per item of every type, the attempt's score, subscores and pass/fail. No I/O."""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from gramota.shared import short_answers


@dataclass(frozen=True)
class ShortText:
    text: str
    weight: float


@dataclass(frozen=True)
class NumericValue:
    value: float
    tolerance: float
    weight: float


@dataclass(frozen=True)
class KeyedItem:
    """One pinned item version as the test bank keys it (testbank.v1.ItemKey, with the type as a string)."""

    item_id: str
    item_version: int
    option_weights: dict[str, float] = field(default_factory=dict)
    competence: str = ""
    type: str = "single_choice"
    correct_order: tuple[str, ...] = ()
    correct_pairs: dict[str, str] = field(default_factory=dict)
    accepted_texts: tuple[ShortText, ...] = ()
    numeric_answers: tuple[NumericValue, ...] = ()
    points: float = 1.0
    competence_area: str = ""
    voided: bool = False  # dropped from every total (a faulty item): neither points nor max points


@dataclass(frozen=True)
class Response:
    """A candidate's answer to one question (events.v1.Answer)."""

    option_ids: tuple[str, ...] = ()
    pairs: dict[str, str] = field(default_factory=dict)
    text: str = ""
    number: float | None = None


@dataclass(frozen=True)
class ItemCredit:
    item_id: str
    item_version: int
    credit: float          # fraction of the item earned, 0..1
    points: float          # credit * the item's worth
    max_points: float
    competence: str
    area: str = ""


@dataclass(frozen=True)
class Subscore:
    competence: str
    area: str
    points: float
    max_points: float

    @property
    def percent(self) -> float:
        return round(100.0 * self.points / self.max_points, 2) if self.max_points else 0.0


@dataclass(frozen=True)
class AreaCheck:
    """An exam's minimum for one competence area, and how the candidate did there."""

    area: str
    percent: float
    minimum: float

    @property
    def met(self) -> bool:
        return self.percent + 1e-9 >= self.minimum


@dataclass(frozen=True)
class Score:
    points: float
    max_points: float
    percent: float
    passed: bool
    items: list[ItemCredit]
    subscores: list[Subscore] = field(default_factory=list)
    area_checks: tuple[AreaCheck, ...] = ()  # one per area with a minimum that had items drawn, by area

    @property
    def failed_areas(self) -> tuple[str, ...]:
        return tuple(c.area for c in self.area_checks if not c.met)


def _clamp(value: float) -> float:
    return min(1.0, max(0.0, value))


def choice_credit(option_weights: dict[str, float], chosen: list[str] | tuple[str, ...]) -> float:
    """Single choice, multiple choice, true/false: the chosen options' weights summed, clamped to 0..1.

    Wrong options may carry negative weights (negative marks): they take credit away inside the item,
    but an item never goes below 0 (as Moodle scores it). An option that is not in the key (a forged
    answer) earns nothing for the whole item.
    """
    chosen_set = set(chosen)
    if not chosen_set or not chosen_set <= option_weights.keys():
        return 0.0
    return _clamp(sum(option_weights[o] for o in chosen_set))


# kept under its old name: other code and tests call it
item_credit = choice_credit


def ordering_credit(correct_order: tuple[str, ...] | list[str], given: tuple[str, ...] | list[str]) -> float:
    """Ordering: the fraction of items in their right absolute position.

    Rule: credit = |{i : given[i] == correct[i]}| / len(correct). An answer that is not a permutation of
    the keyed items (missing, extra or repeated ids) earns nothing, so a candidate cannot gain by
    repeating one id in every slot.
    """
    correct = list(correct_order)
    answer = list(given)
    if not correct or sorted(answer) != sorted(correct):
        return 0.0
    return sum(1 for a, c in zip(answer, correct, strict=True) if a == c) / len(correct)


def matching_credit(correct_pairs: dict[str, str], given: dict[str, str]) -> float:
    """Matching: the fraction of the keyed left-hand items matched to their right target.

    Rule: credit = |{left : given[left] == correct[left]}| / len(correct). Extra pairs for left ids that
    are not in the key are ignored; a wrong pair simply earns nothing (no negative marks).
    """
    if not correct_pairs:
        return 0.0
    return sum(1 for left, target in correct_pairs.items() if given.get(left) == target) / len(correct_pairs)


def short_answer_credit(accepted: tuple[ShortText, ...] | list[ShortText], text: str) -> float:
    """Short answer: the best weight among the accepted texts that are the same answer (shared.short_answers)."""
    answer = short_answers.normalise(text)
    if not answer:
        return 0.0
    return _clamp(max((a.weight for a in accepted if short_answers.normalise(a.text) == answer), default=0.0))


def numeric_credit(accepted: tuple[NumericValue, ...] | list[NumericValue], number: float | None) -> float:
    """Numeric: the best weight among the keyed values with |answer − value| ≤ tolerance (a tiny epsilon
    absorbs binary rounding, so 0.1 + 0.2 matches 0.3 with tolerance 0)."""
    if number is None or not math.isfinite(number):
        return 0.0
    return _clamp(max((a.weight for a in accepted
                       if abs(number - a.value) <= abs(a.tolerance) + 1e-9 * max(1.0, abs(a.value))), default=0.0))


def credit_for(key: KeyedItem, response: Response | None) -> float:
    """The fraction 0..1 of one item earned by one response (no response: 0)."""
    if response is None:
        return 0.0
    if key.type in ("single_choice", "multiple_choice", "true_false"):
        return choice_credit(key.option_weights, response.option_ids)
    if key.type == "ordering":
        return ordering_credit(key.correct_order, response.option_ids)
    if key.type == "matching":
        return matching_credit(key.correct_pairs, response.pairs)
    if key.type == "short_answer":
        return short_answer_credit(key.accepted_texts, response.text)
    if key.type == "numeric":
        return numeric_credit(key.numeric_answers, response.number)
    return 0.0


def score_attempt(
    key: list[KeyedItem],
    answers: dict[str, Response | list[str]],
    pass_score_percent: float,
    *,
    drawn: list[str] | None = None,
    area_minimums: dict[str, float] | None = None,
) -> Score:
    """Score the items that were drawn (`drawn`; None: every keyed item) — the key may hold more.

    Each item is worth its `points` (1 when unset); the total is the sum of credit × points and can never
    be below 0, because no item's credit is. Subscores group points by competence. The attempt passes
    when its percent reaches the pass score AND every competence area with a minimum reaches it. A voided
    item counts for nothing, as if it had not been asked.
    """
    keyed = {k.item_id: k for k in key if not k.voided}
    ids = [i for i in drawn if i in keyed] if drawn else list(keyed)
    credits: list[ItemCredit] = []
    for item_id in dict.fromkeys(ids):  # a question counts once even if listed twice
        k = keyed[item_id]
        given = answers.get(item_id)
        if isinstance(given, list):
            given = Response(option_ids=tuple(given))
        worth = k.points if k.points > 0 else 1.0
        c = credit_for(k, given)
        credits.append(ItemCredit(k.item_id, k.item_version, c, c * worth, worth, k.competence, k.competence_area))
    points = max(0.0, sum(c.points for c in credits))
    max_points = sum(c.max_points for c in credits)
    percent = round(100.0 * points / max_points, 2) if max_points else 0.0

    by_competence: dict[str, list[ItemCredit]] = {}
    for c in credits:
        by_competence.setdefault(c.competence, []).append(c)
    subscores = [Subscore(comp, cs[0].area, sum(c.points for c in cs), sum(c.max_points for c in cs))
                 for comp, cs in sorted(by_competence.items())]

    checks: list[AreaCheck] = []
    for area, minimum in sorted((area_minimums or {}).items()):
        in_area = [c for c in credits if c.area == area]
        if not in_area or not sum(c.max_points for c in in_area):
            continue  # no item of this area was drawn: nothing to hold the candidate to
        area_percent = 100.0 * sum(c.points for c in in_area) / sum(c.max_points for c in in_area)
        checks.append(AreaCheck(area, round(area_percent, 2), minimum))
    passed = percent + 1e-9 >= pass_score_percent and all(c.met for c in checks)
    return Score(points, max_points, percent, passed, credits, subscores, tuple(checks))


# --- personal data -------------------------------------------------------------------------------
# What an erasure does here, and what it keeps and why (README: "What is kept, and why").
ERASED = ("the name and organisation stored with every result (and in the submission kept for rescoring)",)
KEPT = (("results under the account id: score, outcome, subscores, item marks, rescoring history",
         "pass rates, trends and item statistics must keep counting every result; once the gateway erases the "
         "account the id no longer leads to a person"),
        ("federal district and region of each result",
         "pass rates are reported by them; coarse statistical attributes (8 districts, 89 regions) that identify "
         "nobody alone"))
