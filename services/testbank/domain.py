"""Pure rules of the bank: what a valid item is. No I/O here."""
from __future__ import annotations

from dataclasses import dataclass, field

SINGLE_CHOICE = "single_choice"
MULTIPLE_CHOICE = "multiple_choice"
ITEM_TYPES = (SINGLE_CHOICE, MULTIPLE_CHOICE)

MAX_TEXT = 5000
MAX_OPTIONS = 20


@dataclass
class OptionDraft:
    text: str
    weight: float  # fraction of the item's credit, -1..1
    feedback: str = ""
    id: str = ""


@dataclass
class ItemDraft:
    type: str
    text: str
    options: list[OptionDraft]
    competence: str = ""
    external_id: str = ""
    problems: list[str] = field(default_factory=list)


def validate_item(item: ItemDraft) -> list[str]:
    """Every problem with the item, in words an author understands (empty: valid)."""
    problems: list[str] = []
    if item.type not in ITEM_TYPES:
        return [f"unsupported item type {item.type!r}; expected one of {', '.join(ITEM_TYPES)}"]
    if not item.text.strip():
        problems.append("question text is empty")
    if len(item.text) > MAX_TEXT:
        problems.append(f"question text is longer than {MAX_TEXT} characters")
    if not 2 <= len(item.options) <= MAX_OPTIONS:
        problems.append(f"a choice question needs 2 to {MAX_OPTIONS} options, got {len(item.options)}")
    texts = [o.text.strip() for o in item.options]
    if any(not t for t in texts):
        problems.append("an option has empty text")
    if len(set(texts)) != len(texts):
        problems.append("two options have the same text")
    if any(not -1.0 <= o.weight <= 1.0 for o in item.options):
        problems.append("option weights must be between -100% and 100%")
    full = [o for o in item.options if abs(o.weight - 1.0) < 1e-9]
    positive = sum(o.weight for o in item.options if o.weight > 0)
    if item.type == SINGLE_CHOICE and len(full) != 1:
        problems.append(f"a single-choice question needs exactly one correct option, got {len(full)}")
    if item.type == MULTIPLE_CHOICE:
        if not any(o.weight > 0 for o in item.options):
            problems.append("a multiple-choice question needs at least one option with a positive weight")
        elif abs(positive - 1.0) > 0.01:
            problems.append(f"positive weights of a multiple-choice question must add up to 100%, got {positive * 100:g}%")
    return problems


def assign_option_ids(options: list[OptionDraft]) -> None:
    for i, option in enumerate(options, start=1):
        if not option.id:
            option.id = f"o{i}"
    if len({o.id for o in options}) != len(options):
        raise ValueError("option ids must be unique within an item")

