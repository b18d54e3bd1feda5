"""Pure rules of the bank: what a valid item of each type is, its stable option ids, blueprint satisfaction.

No I/O here. Every problem is reported in words an author understands.
"""
from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field

from gramota.shared import short_answers

SINGLE_CHOICE = "single_choice"
MULTIPLE_CHOICE = "multiple_choice"
TRUE_FALSE = "true_false"
ORDERING = "ordering"
MATCHING = "matching"
SHORT_ANSWER = "short_answer"
NUMERIC = "numeric"
NAVIGATION_MODES = ("free", "sequential")
ITEM_TYPES = (SINGLE_CHOICE, MULTIPLE_CHOICE, TRUE_FALSE, ORDERING, MATCHING, SHORT_ANSWER, NUMERIC)
CHOICE_TYPES = (SINGLE_CHOICE, MULTIPLE_CHOICE)

MAX_TEXT = 5000
MAX_OPTIONS = 20
MAX_TAGS = 20
MAX_TAG = 50
TRUE_FALSE_TEXTS = {"true": "Верно", "false": "Неверно"}
_EPS = 1e-6


@dataclass
class OptionDraft:
    text: str
    weight: float = 0.0  # choice and true/false: fraction of the item's credit, -1..1
    feedback: str = ""
    id: str = ""
    target: str = ""  # matching: the text of the right-hand target this option pairs with


@dataclass
class AcceptedText:
    text: str
    weight: float = 1.0
    feedback: str = ""


@dataclass
class NumericAnswer:
    value: float
    tolerance: float = 0.0
    weight: float = 1.0
    feedback: str = ""


@dataclass
class Target:
    id: str
    text: str


@dataclass
class ItemDraft:
    type: str
    text: str
    options: list[OptionDraft] = field(default_factory=list)
    competence: str = ""
    external_id: str = ""
    problems: list[str] = field(default_factory=list)
    difficulty: int = 3
    tags: list[str] = field(default_factory=list)
    accepted: list[AcceptedText] = field(default_factory=list)  # short answer
    numeric: list[NumericAnswer] = field(default_factory=list)  # numeric
    extra_targets: list[str] = field(default_factory=list)  # matching: distractors on the right
    general_feedback: str = ""
    points: float = 1.0
    category: str = ""  # the GIFT/Moodle category path it came from (below $course$/top), kept as written


def _stable_id(prefix: str, text: str) -> str:
    # Derived from the text, never from the position, so ids do not leak the right order or pairs.
    return prefix + hashlib.sha1(text.strip().encode()).hexdigest()[:8]


def targets_of(item: ItemDraft) -> list[Target]:
    """Matching: the right-hand column (paired targets first, then distractors), without repeats."""
    seen: dict[str, Target] = {}
    for text in [o.target for o in item.options] + item.extra_targets:
        text = text.strip()
        if text and text not in seen:
            seen[text] = Target(_stable_id("t", text), text)
    return list(seen.values())


def prepare(item: ItemDraft) -> None:
    """Fills what the bank derives: true/false options, stable option ids. Call before validate_item."""
    item.text = item.text.strip()
    item.tags = sorted({t.strip() for t in item.tags if t.strip()})
    if item.type == TRUE_FALSE:
        weights = {o.id or ("true" if i == 0 else "false"): o for i, o in enumerate(item.options)}
        item.options = [
            OptionDraft(text=(weights[k].text if k in weights and weights[k].text else TRUE_FALSE_TEXTS[k]),
                        weight=weights[k].weight if k in weights else 0.0,
                        feedback=weights[k].feedback if k in weights else "", id=k)
            for k in ("true", "false")
        ] if set(weights) <= {"true", "false"} else item.options
    elif item.type in (ORDERING, MATCHING):
        for o in item.options:
            if not o.id:
                o.id = _stable_id("o", o.text)
    elif item.type in CHOICE_TYPES:
        for i, o in enumerate(item.options, start=1):
            if not o.id:
                o.id = f"o{i}"


def true_false(text: str, answer: bool, **kwargs) -> ItemDraft:
    return ItemDraft(TRUE_FALSE, text, [OptionDraft(TRUE_FALSE_TEXTS["true"], 1.0 if answer else 0.0, id="true"),
                                        OptionDraft(TRUE_FALSE_TEXTS["false"], 0.0 if answer else 1.0, id="false")],
                     **kwargs)


def validate_item(item: ItemDraft, competences: set[str] | None = None) -> list[str]:
    """Every problem with the item, in words an author understands (empty: valid)."""
    if item.type not in ITEM_TYPES:
        return [f"unsupported item type {item.type!r}; expected one of {', '.join(ITEM_TYPES)}"]
    problems: list[str] = []
    if not item.text.strip():
        problems.append("question text is empty")
    if len(item.text) > MAX_TEXT:
        problems.append(f"question text is longer than {MAX_TEXT} characters")
    if not isinstance(item.difficulty, int) or not 1 <= item.difficulty <= 5:
        problems.append(f"difficulty must be 1 to 5, got {item.difficulty}")
    if len(item.tags) > MAX_TAGS:
        problems.append(f"an item has at most {MAX_TAGS} tags, got {len(item.tags)}")
    if any(len(t) > MAX_TAG for t in item.tags):
        problems.append(f"a tag is longer than {MAX_TAG} characters")
    if not 0 < item.points <= 100:
        problems.append(f"points must be above 0 and at most 100, got {item.points:g}")
    if competences is not None and item.competence and item.competence not in competences:
        problems.append(f"unknown competence {item.competence!r}")
    ids = [o.id for o in item.options if o.id]
    if len(set(ids)) != len(ids):
        problems.append("option ids must be unique within an item")
    problems += _TYPE_RULES[item.type](item)
    return problems


def _option_texts(item: ItemDraft, what: str, low: int = 2) -> list[str]:
    problems = []
    if not low <= len(item.options) <= MAX_OPTIONS:
        problems.append(f"{what} needs {low} to {MAX_OPTIONS} options, got {len(item.options)}")
    texts = [o.text.strip() for o in item.options]
    if any(not t for t in texts):
        problems.append("an option has empty text")
    if len(set(texts)) != len(texts):
        problems.append("two options have the same text")
    return problems


def _no_keys_of_other_types(item: ItemDraft) -> list[str]:
    problems = []
    if item.accepted and item.type != SHORT_ANSWER:
        problems.append(f"accepted texts belong to short-answer questions, not {item.type}")
    if item.numeric and item.type != NUMERIC:
        problems.append(f"numeric answers belong to numeric questions, not {item.type}")
    return problems


def _choice(item: ItemDraft) -> list[str]:
    problems = _option_texts(item, "a choice question") + _no_keys_of_other_types(item)
    if any(not -1.0 <= o.weight <= 1.0 for o in item.options):
        problems.append("option weights must be between -100% and 100%")
    full = [o for o in item.options if abs(o.weight - 1.0) < _EPS]
    positive = sum(o.weight for o in item.options if o.weight > 0)
    if item.type == SINGLE_CHOICE:
        if len(full) != 1:
            problems.append(f"a single-choice question needs exactly one correct option, got {len(full)}")
    else:
        if not any(o.weight > 0 for o in item.options):
            problems.append("a multiple-choice question needs at least one option with a positive weight")
        elif abs(positive - 1.0) > 0.01:
            problems.append(
                f"positive weights of a multiple-choice question must add up to 100%, got {positive * 100:g}%")
    return problems


def _true_false(item: ItemDraft) -> list[str]:
    problems = _no_keys_of_other_types(item)
    if sorted(o.id for o in item.options) != ["false", "true"]:
        return problems + ['a true/false question has exactly two options, with ids "true" and "false"']
    right = [o.id for o in item.options if abs(o.weight - 1.0) < _EPS]
    if len(right) != 1 or any(o.weight not in (0.0, 1.0) for o in item.options):
        problems.append("a true/false question needs exactly one of true/false marked right (weight 1), the other 0")
    return problems


def _ordering(item: ItemDraft) -> list[str]:
    # The options are stored in the right order; the candidate gets them shuffled.
    problems = _option_texts(item, "an ordering question") + _no_keys_of_other_types(item)
    if any(o.target for o in item.options):
        problems.append("an ordering question has no targets; give the options in the right order")
    return problems


def _matching(item: ItemDraft) -> list[str]:
    problems = _option_texts(item, "a matching question") + _no_keys_of_other_types(item)
    missing = [o.text for o in item.options if not o.target.strip()]
    if missing:
        problems.append(f"every left-hand option needs a target: {', '.join(repr(m) for m in missing[:3])} has none")
    targets = targets_of(item)
    if len(targets) < 2:
        problems.append("a matching question needs at least 2 different targets")
    if len(targets) > MAX_OPTIONS:
        problems.append(f"a matching question has at most {MAX_OPTIONS} targets, got {len(targets)}")
    return problems


def _short_answer(item: ItemDraft) -> list[str]:
    problems = _no_keys_of_other_types(item)
    if item.options:
        problems.append("a short-answer question has no options; give its accepted texts")
    if not item.accepted:
        return problems + ["a short-answer question needs at least one accepted text"]
    normal = [short_answers.normalise(a.text) for a in item.accepted]  # as scoring compares them
    if any(not n for n in normal):
        problems.append("an accepted text is empty (it holds no word, only punctuation or spaces)")
    if len(set(normal)) != len(normal):
        problems.append("two accepted texts are the same answer (case, ё/е, spaces and punctuation between words do not count)")
    if any(not 0 <= a.weight <= 1 for a in item.accepted):
        problems.append("weights of accepted texts must be between 0% and 100%")
    if not any(abs(a.weight - 1) < _EPS for a in item.accepted):
        problems.append("a short-answer question needs at least one accepted text worth 100%")
    return problems


def _numeric(item: ItemDraft) -> list[str]:
    problems = _no_keys_of_other_types(item)
    if item.options:
        problems.append("a numeric question has no options; give its accepted values")
    if not item.numeric:
        return problems + ["a numeric question needs at least one accepted value"]
    if any(not (math.isfinite(a.value) and math.isfinite(a.tolerance)) for a in item.numeric):
        problems.append("values and tolerances must be finite numbers")
    if any(a.tolerance < 0 for a in item.numeric):
        problems.append("a tolerance cannot be negative")
    if any(not 0 <= a.weight <= 1 for a in item.numeric):
        problems.append("weights of numeric answers must be between 0% and 100%")
    if not any(abs(a.weight - 1) < _EPS for a in item.numeric):
        problems.append("a numeric question needs at least one accepted value worth 100%")
    return problems


_TYPE_RULES = {SINGLE_CHOICE: _choice, MULTIPLE_CHOICE: _choice, TRUE_FALSE: _true_false, ORDERING: _ordering,
               MATCHING: _matching, SHORT_ANSWER: _short_answer, NUMERIC: _numeric}


def assign_option_ids(options: list[OptionDraft]) -> None:
    """Kept for callers of the skeleton: choice option ids o1..on."""
    for i, option in enumerate(options, start=1):
        if not option.id:
            option.id = f"o{i}"
    if len({o.id for o in options}) != len(options):
        raise ValueError("option ids must be unique within an item")


def presented_order(item_id: str, option_ids: list[str]) -> list[str]:
    """Ordering: a fixed scramble of the right order (never the right order itself when n >= 2)."""
    ranked = sorted(option_ids, key=lambda o: hashlib.sha1(f"{item_id}:{o}".encode()).hexdigest())
    if ranked == option_ids and len(ranked) > 1:
        ranked = ranked[1:] + ranked[:1]
    return ranked


# --- the stored shape ------------------------------------------------------------------------------
def to_record(item: ItemDraft) -> tuple[list[dict], dict]:
    """(options, body) as stored in item_versions: body holds what only some types have."""
    targets = {t.text: t.id for t in targets_of(item)} if item.type == MATCHING else {}
    options = []
    for o in item.options:
        row = {"id": o.id, "text": o.text, "weight": o.weight, "feedback": o.feedback}
        if item.type == MATCHING:
            row["target"] = targets[o.target.strip()]
        options.append(row)
    body: dict = {"points": item.points}
    if item.general_feedback:
        body["general_feedback"] = item.general_feedback
    if item.category:
        body["category"] = item.category
    if item.type == MATCHING:
        body["targets"] = [{"id": t.id, "text": t.text} for t in targets_of(item)]
    if item.accepted:
        body["accepted"] = [{"text": a.text, "weight": a.weight, "feedback": a.feedback} for a in item.accepted]
    if item.numeric:
        body["numeric"] = [{"value": a.value, "tolerance": a.tolerance, "weight": a.weight, "feedback": a.feedback}
                           for a in item.numeric]
    return options, body


def from_record(type_: str, text: str, options: list[dict], body: dict, **meta) -> ItemDraft:
    targets = {t["id"]: t["text"] for t in body.get("targets", [])}
    paired = {o.get("target") for o in options}
    return ItemDraft(
        type=type_, text=text,
        options=[OptionDraft(o["text"], o.get("weight", 0.0), o.get("feedback", ""), o["id"],
                             targets.get(o.get("target", ""), "")) for o in options],
        accepted=[AcceptedText(a["text"], a["weight"], a.get("feedback", "")) for a in body.get("accepted", [])],
        numeric=[NumericAnswer(a["value"], a["tolerance"], a["weight"], a.get("feedback", ""))
                 for a in body.get("numeric", [])],
        extra_targets=[t for i, t in targets.items() if i not in paired],
        general_feedback=body.get("general_feedback", ""), points=body.get("points", 1.0),
        category=body.get("category", ""), **meta,
    )


# --- blueprints ------------------------------------------------------------------------------------
@dataclass
class BlueprintRule:
    count: int
    competence: str = ""  # a competence code, or an area code (every competence in it); empty: any
    tag: str = ""
    difficulty_min: int = 1
    difficulty_max: int = 5
    item_ids: list[str] = field(default_factory=list)  # a fixed form: exactly these items

    def describe(self, n: int) -> str:
        if self.item_ids:
            return f"rule {n} (fixed list of {len(self.item_ids)} items)"
        what = [f"competence {self.competence}" if self.competence else "any competence"]
        if self.tag:
            what.append(f"tag {self.tag!r}")
        if (self.difficulty_min, self.difficulty_max) != (1, 5):
            what.append(f"difficulty {self.difficulty_min}-{self.difficulty_max}")
        return f"rule {n} ({', '.join(what)})"


@dataclass
class BankEntry:
    """What a blueprint rule looks at: the current version of one active item."""
    item_id: str
    competence: str
    area: str
    difficulty: int
    tags: list[str]


def validate_rules(rules: list[BlueprintRule], max_items: int) -> list[str]:
    problems: list[str] = []
    if not rules:
        problems.append("a blueprint needs at least one rule")
    for n, r in enumerate(rules, start=1):
        if r.count < 1:
            problems.append(f"rule {n}: count must be at least 1")
        if not (1 <= r.difficulty_min <= r.difficulty_max <= 5):
            problems.append(f"rule {n}: difficulty range must lie within 1-5 with min <= max")
        if r.item_ids and (r.competence or r.tag):
            problems.append(f"rule {n}: a fixed list of items cannot also select by competence or tag")
        if r.item_ids and r.count != len(r.item_ids):
            problems.append(f"rule {n}: a fixed list of {len(r.item_ids)} items must have count {len(r.item_ids)}")
    if sum(max(r.count, 0) for r in rules) > max_items:
        problems.append(f"an exam has at most {max_items} questions")
    return problems


def eligible(rule: BlueprintRule, entry: BankEntry) -> bool:
    if rule.item_ids:
        return entry.item_id in rule.item_ids
    if not entry.competence:
        return False  # imported without a competence: drawn only once one is assigned
    if rule.competence and rule.competence not in (entry.competence, entry.area):
        return False
    if rule.tag and rule.tag not in entry.tags:
        return False
    return rule.difficulty_min <= entry.difficulty <= rule.difficulty_max


def allocate(rules: list[BlueprintRule], bank: list[BankEntry]) -> tuple[list[list[str]], list[str]]:
    """Disjoint eligible pools, one per rule, or the reasons the bank cannot satisfy the blueprint.

    Every rule must be fillable with distinct items at once (a matching of rule slots to items); then
    each eligible item joins the pool of one rule it fits, so no item is ever counted for two rules.
    """
    from gramota.shared.draw import DrawImpossible, draw, max_distinct

    pools = [[e.item_id for e in bank if eligible(r, e)] for r in rules]
    problems = [f"{r.describe(n)} needs {r.count} items, but the bank has {len(p)} eligible"
                for n, (r, p) in enumerate(zip(rules, pools), start=1) if len(p) < r.count]
    if problems:
        return [], problems
    try:
        chosen = draw([(r.count, p) for r, p in zip(rules, pools)], (), random_for_publishing())
    except DrawImpossible:
        need = sum(r.count for r in rules)
        return [], [f"the rules together need {need} distinct items, but overlapping rules can share only "
                    f"{max_distinct([(r.count, p) for r, p in zip(rules, pools)])}: an item counts for one rule only"]
    result: list[list[str]] = []
    taken: set[str] = set()
    at = 0
    for r in rules:
        result.append(chosen[at:at + r.count])
        taken.update(chosen[at:at + r.count])
        at += r.count
    for item_id in dict.fromkeys(i for p in pools for i in p):
        if item_id in taken:
            continue
        fits = [n for n, p in enumerate(pools) if item_id in p]
        best = min(fits, key=lambda n: (len(result[n]) / rules[n].count, n))
        result[best].append(item_id)
        taken.add(item_id)
    for n, r in enumerate(rules):  # a fixed form keeps its author's order
        if r.item_ids:
            result[n] = [i for i in r.item_ids if i in set(result[n])]
    return result, []


def random_for_publishing():
    import random

    return random.Random(0)  # publishing is deterministic: the same bank gives the same pools


def settings_problems(s, areas: set[str]) -> list[str]:
    """What is wrong with an exam's settings (an events.v1.ExamSettings), given the bank's competence areas."""
    problems = []
    if s.attempts_allowed < 0:
        problems.append("attempts_allowed cannot be negative (0 means unlimited)")
    if s.cooldown_seconds < 0:
        problems.append("cooldown_seconds cannot be negative")
    if s.navigation not in ("", *NAVIGATION_MODES):
        problems.append("navigation must be 'free' or 'sequential'")
    if s.validity_days < 0:
        problems.append("validity_days cannot be negative (0 means the certificate never expires)")
    if s.certificate_language not in ("", "ru", "en"):
        problems.append("certificate_language must be 'ru' or 'en'")
    if s.HasField("opens_at") and s.HasField("closes_at") and s.closes_at.ToDatetime() <= s.opens_at.ToDatetime():
        problems.append("closes_at must be after opens_at")
    for area, minimum in s.area_minimums.items():
        if area not in areas:
            problems.append(f"area_minimums: unknown competence area {area!r}")
        if not 0 <= minimum <= 100:
            problems.append(f"area_minimums: the minimum for {area} must be a percentage 0..100")
    return problems


def draw_problem(rules: list[BlueprintRule], pins: list[tuple[str, int, bool]], gone: str = "") -> str:
    """Why a published exam's pinned pools can no longer fill its rules once `gone` (and every pin already
    withdrawn) is left out — the publishing-time check run again; empty when they still can.

    `pins`: (item id, rule index, withdrawn). An exam without rules is one rule of all its pins."""
    rules = rules or [BlueprintRule(count=len(pins))]
    problems = []
    for n, rule in enumerate(rules):
        left = sum(1 for item, rule_index, withdrawn in pins if rule_index == n and not withdrawn and item != gone)
        if left < rule.count:
            problems.append(f"{rule.describe(n + 1)} needs {rule.count} items, but {left} remain")
    return "; ".join(problems)
def competence_names(rows: list, language: str) -> dict[str, str]:
    """Competence and area codes -> their names in the certificate's language (what a certificate prints)."""
    en = language == "en"
    names = {r["area"]: (r["area_en"] if en else r["area_ru"]) or r["area"] for r in rows}
    names.update({r["code"]: (r["name_en"] if en else r["name_ru"]) or r["code"] for r in rows})
    return names
