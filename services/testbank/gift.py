"""A reader of Moodle's GIFT format for choice questions (the types this bank holds).

Follows Moodle's documented syntax: `//` comment lines, `$CATEGORY:` lines, `::title::`, `[format]`
markers, `=` right and `~` wrong answers, `%n%` weights, `#` feedback, `####` general feedback,
backslash escapes of `~ = # { } :`, and questions separated by blank lines. Questions of other types
are reported by line with the reason, and the rest are read.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .domain import MULTIPLE_CHOICE, SINGLE_CHOICE, ItemDraft, OptionDraft, validate_item

_SPECIAL = "~=#{}:"
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
_FORMAT = re.compile(r"^\[(html|moodle|plain|markdown)\]")


@dataclass
class GiftQuestion:
    line: int
    item: ItemDraft
    category: str


@dataclass
class GiftError:
    line: int
    reason: str


def unescape(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            out.append("\n" if nxt == "n" else nxt)
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out).strip()


def _split_unescaped(text: str, seps: str) -> list[tuple[str, str]]:
    """Split at unescaped separator characters; each part keeps the separator that opened it."""
    parts: list[tuple[str, str]] = []
    current, opener, i = [], "", 0
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            current.append(text[i : i + 2])
            i += 2
            continue
        if c in seps:
            parts.append((opener, "".join(current)))
            current, opener = [], c
        else:
            current.append(c)
        i += 1
    parts.append((opener, "".join(current)))
    return parts


def _find_unescaped(text: str, char: str, start: int = 0) -> int:
    i = start
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == char:
            return i
        i += 1
    return -1


def _blocks(content: str) -> list[tuple[int, list[str], str]]:
    """(first line number, lines, category) of every question block."""
    blocks: list[tuple[int, list[str], str]] = []
    category, current, start = "", [], 0
    for number, raw in enumerate(content.splitlines(), start=1):
        stripped = raw.strip()
        if stripped.startswith("//"):
            continue
        if not stripped:
            if current:
                blocks.append((start, current, category))
                current = []
            continue
        if stripped.startswith("$CATEGORY:") and not current:
            category = stripped[len("$CATEGORY:"):].strip()
            for prefix in ("$course$/", "$system$/", "$module$/"):
                category = category.removeprefix(prefix)
            continue
        if not current:
            start = number
        current.append(raw)
    if current:
        blocks.append((start, current, category))
    return blocks


def parse(content: str) -> tuple[list[GiftQuestion], list[GiftError]]:
    questions: list[GiftQuestion] = []
    errors: list[GiftError] = []
    for line, lines, category in _blocks(content.lstrip("\ufeff")):
        try:
            item = _parse_question("\n".join(lines))
        except ValueError as exc:
            errors.append(GiftError(line, str(exc)))
            continue
        item.competence = category
        problems = validate_item(item)
        if problems:
            errors.append(GiftError(line, "; ".join(problems)))
            continue
        questions.append(GiftQuestion(line, item, category))
    return questions, errors


def _parse_question(block: str) -> ItemDraft:
    text = block.strip()
    title = ""
    if text.startswith("::"):
        end = text.find("::", 2)
        while end != -1 and text[end - 1] == "\\":
            end = text.find("::", end + 1)
        if end == -1:
            raise ValueError("the question title is not closed with '::'")
        title, text = unescape(text[2:end]), text[end + 2 :].strip()
    text = _FORMAT.sub("", text).strip()
    open_at = _find_unescaped(text, "{")
    if open_at == -1:
        raise ValueError("no answer block: a GIFT question needs its answers in { }")
    close_at = _find_unescaped(text, "}", open_at + 1)
    if close_at == -1:
        raise ValueError("the answer block is not closed with '}'")
    before, answers, after = text[:open_at], text[open_at + 1 : close_at], text[close_at + 1 :]
    stem = unescape(before)
    if unescape(after):
        stem = f"{stem} _____ {unescape(after)}".strip()
    answers = answers.strip()
    general = _find_general_feedback(answers)
    if general != -1:
        answers = answers[:general]
    if not answers:
        raise ValueError("essay questions ({}) are not supported: they cannot be scored automatically")
    if answers.upper() in ("T", "F", "TRUE", "FALSE") or re.match(r"^(T|F|TRUE|FALSE)\s*#", answers, re.I):
        raise ValueError("true/false questions are not supported yet")
    if answers.startswith("#"):
        raise ValueError("numeric questions are not supported yet")
    parts = [(op, body) for op, body in _split_unescaped(answers, "=~") if op or body.strip()]
    if parts and not parts[0][0]:
        raise ValueError("answers must start with '=' (right) or '~' (wrong)")
    if any("->" in body for _, body in parts):
        raise ValueError("matching questions are not supported yet")
    rights = [p for p in parts if p[0] == "="]
    if rights and not any(op == "~" for op, _ in parts):
        raise ValueError("short-answer questions are not supported yet")
    options: list[OptionDraft] = []
    for op, body in parts:
        feedback = ""
        hash_at = _find_unescaped(body, "#")
        if hash_at != -1:
            body, feedback = body[:hash_at], unescape(body[hash_at + 1 :])
        body = body.strip()
        weight: float | None = None
        m = _WEIGHT.match(body)
        if m:
            weight = float(m.group(1)) / 100.0
            body = body[m.end() :]
        if weight is None:
            weight = 1.0 if op == "=" else 0.0
        options.append(OptionDraft(text=unescape(body), weight=weight, feedback=feedback))
    kind = SINGLE_CHOICE if len(rights) == 1 else MULTIPLE_CHOICE
    if len(rights) > 1:
        raise ValueError("more than one '=' answer: mark each right option of a multiple-choice question with ~%weight%")
    return ItemDraft(type=kind, text=stem, options=options, external_id=title)


def _find_general_feedback(answers: str) -> int:
    i = 0
    while i < len(answers) - 3:
        if answers[i] == "\\":
            i += 2
            continue
        if answers.startswith("####", i):
            return i
        i += 1
    return -1


def escape(text: str) -> str:
    return "".join("\\" + c if c in _SPECIAL or c == "\\" else c for c in text).replace("\n", "\\n")
