"""Moodle GIFT, both ways, for every item type GIFT can express.

Follows Moodle's documented syntax: `//` comment lines, `$CATEGORY:` lines, `::title::`, `[format]`
markers (on questions, choice answers, matching sub-questions and feedback; see markup.py), `=` right and `~` wrong answers, `%n%` weights, `#` feedback, `####` general feedback, `{T}`/`{F}`
true/false with its two feedbacks, `{=a =b}` short answer, `{#value:tolerance}` / `{#min..max}` numeric,
`{=left -> right}` matching, backslash escapes of `~ = # { } :` and `\\n`, questions separated by blank lines.
Two comment conventions carry what GIFT has no syntax for: `// difficulty: N` and Moodle's `// [tag:name]`.
Questions that cannot be read are reported by line with the reason, and the rest are read. What Gramota
cannot score (essays `{}`, descriptions without an answer block) is reported as skipped, with its line.

Categories never reject a question. Every `$CATEGORY` path is kept: as the item's category path and as a tag
(the path below `$course$/top`). Its competence is, in this order: the competence the author mapped the path
(or the nearest mapped parent path) to; the path itself when it names a competence (`$course$/top/digcomp/2.6`,
as Gramota writes its own exports); the default competence of the import; else none (the item waits, unassigned,
and no blueprint draws it until a competence is assigned).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from . import markup
from .domain import (
    MATCHING,
    MAX_TAG,
    MULTIPLE_CHOICE,
    NUMERIC,
    ORDERING,
    SHORT_ANSWER,
    SINGLE_CHOICE,
    TRUE_FALSE,
    AcceptedText,
    ItemDraft,
    NumericAnswer,
    OptionDraft,
    prepare,
    true_false,
    validate_item,
)

_SPECIAL = "~=#{}:"
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
_DIFFICULTY = re.compile(r"^//\s*difficulty\s*:\s*(\S+)", re.I)
_TAG = re.compile(r"\[tag:([^\]]+)\]")
_TF = re.compile(r"^(T|F|TRUE|FALSE)\s*$", re.I)


@dataclass
class GiftQuestion:
    line: int
    item: ItemDraft
    category: str


@dataclass
class GiftError:
    line: int
    reason: str
    skipped: bool = False  # a question of a kind Gramota cannot score (essay, description), not a mistake


class Skipped(ValueError):
    """A readable question Gramota cannot score."""


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


def escape(text: str) -> str:
    return "".join("\\" + c if c in _SPECIAL or c == "\\" else c for c in text).replace("\n", "\\n")


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
        if text.startswith(char, i):
            return i
        i += 1
    return -1


@dataclass
class _Block:
    line: int
    lines: list[str]
    category: str
    difficulty: str | None
    tags: list[str]


def _blocks(content: str) -> list[_Block]:
    """Every question block with the category and comment metadata in force where it starts."""
    blocks: list[_Block] = []
    category, current, start = "", [], 0
    difficulty: str | None = None
    tags: list[str] = []

    def close() -> None:
        nonlocal current, difficulty, tags
        if current:
            blocks.append(_Block(start, current, category, difficulty, tags))
        current, difficulty, tags = [], None, []

    for number, raw in enumerate(content.splitlines(), start=1):
        stripped = raw.strip()
        if stripped.startswith("//"):
            m = _DIFFICULTY.match(stripped)
            if m:
                difficulty = m.group(1)
            tags += [t.strip() for t in _TAG.findall(stripped)]
            continue
        if not stripped:
            close()
            continue
        if stripped.startswith("$CATEGORY:") and not current:
            category = stripped[len("$CATEGORY:"):].strip()
            continue
        if not current:
            start = number
        current.append(raw)
    close()
    return blocks


def category_path(category: str) -> str:
    """A `$CATEGORY` path below the context's top: `$course$/top/Модуль 1/Тема` -> `Модуль 1/Тема`."""
    path = re.sub(r"^\$[a-z0-9_]+\$/", "", category.strip().strip("/"), flags=re.I)
    path = re.sub(r"^top(/|$)", "", path, flags=re.I)
    return "/".join(part.strip() for part in path.split("/")).strip("/")


def category_tag(category: str) -> str:
    """The tag an item gets from its category path: the path, or as many of its last parts as a tag can hold."""
    parts = category_path(category).split("/")
    while len(parts) > 1 and len("/".join(parts)) > MAX_TAG:
        parts = parts[1:]
    return "/".join(parts)[-MAX_TAG:]


def competence_of(category: str, known: set[str] | None, mapping: dict[str, str] | None = None,
                  default: str = "") -> str:
    """The competence of a question in this category (see the module's docstring); "" when it has none."""
    path = category_path(category)
    for key in sorted(mapping or {}, key=len, reverse=True):
        if key and (path == key or path.startswith(key + "/")):
            return mapping[key]
    if known is None:
        return "" if path.lower().startswith("default") else path
    if path in known:
        return path
    matches = [c for c in known if path.endswith("/" + c)]
    if matches:
        return max(matches, key=len)
    return default


def parse(content: str, competences: set[str] | None = None, mapping: dict[str, str] | None = None,
          default: str = "") -> tuple[list[GiftQuestion], list[GiftError]]:
    """Every question that is valid, and every one that is not (or is skipped) with its first line and the reason.

    mapping: category path (below `$course$/top`) -> competence; default: the competence of the rest."""
    questions: list[GiftQuestion] = []
    errors: list[GiftError] = []
    mapping = {category_path(k): v for k, v in (mapping or {}).items()}
    for block in _blocks(content.lstrip("\ufeff")):
        try:
            item = _parse_question("\n".join(block.lines))
            item.competence = competence_of(block.category, competences, mapping, default)
            item.category = category_path(block.category)
            # the path as a tag, unless it is the competence itself (as in Gramota's own exports)
            named = item.category and item.category != item.competence
            item.tags = block.tags + ([category_tag(block.category)] if named else [])
            if block.difficulty is not None:
                if not block.difficulty.isdigit():
                    raise ValueError(f"difficulty must be a whole number 1 to 5, got {block.difficulty!r}")
                item.difficulty = int(block.difficulty)
        except Skipped as exc:
            errors.append(GiftError(block.line, str(exc), skipped=True))
            continue
        except ValueError as exc:
            errors.append(GiftError(block.line, str(exc)))
            continue
        prepare(item)
        problems = validate_item(item, competences)
        if problems:
            errors.append(GiftError(block.line, "; ".join(problems)))
            continue
        questions.append(GiftQuestion(block.line, item, block.category))
    return questions, errors


def _parse_question(block: str) -> ItemDraft:
    text = block.strip()
    title = ""
    if text.startswith("::"):
        end = _find_unescaped(text, "::", 2)
        if end == -1:
            raise ValueError("the question title is not closed with '::'")
        title, text = unescape(text[2:end]), text[end + 2 :].strip()
    open_at = _find_unescaped(text, "{")
    if open_at == -1:
        raise Skipped("skipped: a description (no answer block { }) has nothing to score")
    close_at = _find_unescaped(text, "}", open_at + 1)
    if close_at == -1:
        raise ValueError("the answer block is not closed with '}'")
    before, answers, after = text[:open_at], text[open_at + 1 : close_at], text[close_at + 1 :]
    fmt, before = markup.split_marker(before)
    stem = markup.to_text(unescape(before), fmt)
    if unescape(after):
        stem = f"{stem} _____ {markup.to_text(unescape(after), fmt)}".strip()
    answers = answers.strip()
    general_feedback = ""
    general = _find_unescaped(answers, "####")
    if general != -1:
        answers, general_feedback = answers[:general].strip(), _text(answers[general + 4 :])
    if not answers:
        raise Skipped("skipped: an essay question ({}) cannot be scored automatically")
    item = _parse_answers(stem, answers)
    item.external_id = title
    item.general_feedback = general_feedback
    return item


def _text(raw: str) -> str:
    """A field that may carry a format marker ([html] etc.): unescaped, then read as its format says."""
    return markup.read(unescape(raw))


def _feedback(body: str) -> tuple[str, str]:
    hash_at = _find_unescaped(body, "#")
    if hash_at == -1:
        return body, ""
    return body[:hash_at], _text(body[hash_at + 1 :])


def _weight(body: str, default: float) -> tuple[float, str]:
    body = body.strip()
    m = _WEIGHT.match(body)
    if not m:
        return default, body
    return float(m.group(1)) / 100.0, body[m.end() :]


def _parse_answers(stem: str, answers: str) -> ItemDraft:
    head, *feedbacks = [p for _, p in _split_unescaped(answers, "#")]
    if _TF.match(head):
        if len(feedbacks) > 2:
            raise ValueError("a true/false question has at most two feedbacks: #if wrong#if right")
        right = head.strip().upper().startswith("T")
        item = true_false(stem, right)
        wrong_fb, right_fb = (_text(f) for f in (feedbacks + ["", ""])[:2])
        for o in item.options:
            o.feedback = right_fb if (o.id == "true") == right else wrong_fb
        return item
    if answers.startswith("#"):
        return ItemDraft(NUMERIC, stem, numeric=_numeric_answers(answers[1:]))
    parts = [(op, body) for op, body in _split_unescaped(answers, "=~") if op or body.strip()]
    if parts and not parts[0][0]:
        raise ValueError("answers must start with '=' (right) or '~' (wrong)")
    if any("->" in body for _, body in parts):
        if any(op != "=" for op, _ in parts):
            raise ValueError("a matching question writes every pair as '=left -> right'")
        options, extra = [], []
        for _, body in parts:
            left, _, right = body.partition("->")
            if not unescape(left):
                extra.append(unescape(right))
            else:
                options.append(OptionDraft(_text(left), target=unescape(right)))
        return ItemDraft(MATCHING, stem, options, extra_targets=extra)
    if parts and all(op == "=" for op, _ in parts):
        accepted = []
        for _, body in parts:
            body, fb = _feedback(body)
            weight, body = _weight(body, 1.0)
            accepted.append(AcceptedText(unescape(body), weight, fb))
        return ItemDraft(SHORT_ANSWER, stem, accepted=accepted)
    rights = [p for p in parts if p[0] == "="]
    if len(rights) > 1:
        raise ValueError("more than one '=' answer: mark each right option of a multiple-choice question with ~%weight%")
    options = []
    for op, body in parts:
        body, fb = _feedback(body)
        weight, body = _weight(body, 1.0 if op == "=" else 0.0)
        options.append(OptionDraft(text=_text(body), weight=weight, feedback=fb))
    return ItemDraft(SINGLE_CHOICE if rights else MULTIPLE_CHOICE, stem, options)


def _number(text: str) -> float:
    try:
        return float(unescape(text).replace(",", "."))
    except ValueError:
        raise ValueError(f"{unescape(text)!r} is not a number") from None


def _numeric_answers(spec: str) -> list[NumericAnswer]:
    spec = spec.strip()
    parts = [(op, b) for op, b in _split_unescaped(spec, "=") if op or b.strip()]
    if not parts:
        raise ValueError("a numeric question needs a value after '#'")
    if parts[0][0] != "=":
        parts = [("=", spec)]
    answers = []
    for _, body in parts:
        body, fb = _feedback(body)
        weight, body = _weight(body, 1.0)
        body = body.replace("\\:", ":")
        if ".." in body:
            low, high = (_number(x) for x in body.split("..", 1))
            answers.append(NumericAnswer((low + high) / 2, abs(high - low) / 2, weight, fb))
        else:
            value, _, tolerance = body.partition(":")
            answers.append(NumericAnswer(_number(value), _number(tolerance) if tolerance.strip() else 0.0, weight, fb))
    return answers


# --- writing ---------------------------------------------------------------------------------------
def _pct(weight: float) -> str:
    return f"%{weight * 100:.10g}%"


def _field(text: str) -> str:
    """Text as GIFT holds it: escaped, and marked [plain] when Moodle's default format would read it otherwise."""
    return ("[plain]" if markup.needs_plain_marker(text) else "") + escape(text)


def _fb(feedback: str) -> str:
    return f"#{_field(feedback)}" if feedback else ""


def write_item(item: ItemDraft) -> str:
    """One question in GIFT (with its difficulty and tags as comments). Raises ValueError if GIFT cannot hold it."""
    lines = [f"// difficulty: {item.difficulty}"]
    lines += [f"// [tag:{t}]" for t in item.tags]
    title = f"::{escape(item.external_id)}::" if item.external_id else ""
    head = f"{title}{_field(item.text)} {{"
    body: list[str] = []
    if item.type in (SINGLE_CHOICE, MULTIPLE_CHOICE):
        for o in item.options:
            if item.type == SINGLE_CHOICE and abs(o.weight - 1) < 1e-9:
                body.append(f"={_field(o.text)}{_fb(o.feedback)}")
            else:
                weight = _pct(o.weight) if o.weight else ""
                body.append(f"~{weight}{_field(o.text)}{_fb(o.feedback)}")
    elif item.type == TRUE_FALSE:
        by_id = {o.id: o for o in item.options}
        right = by_id["true"].weight >= 1
        wrong_fb, right_fb = by_id["false" if right else "true"].feedback, by_id["true" if right else "false"].feedback
        fb = (f"#{_field(wrong_fb)}" + (f"#{_field(right_fb)}" if right_fb else "")) if wrong_fb or right_fb else ""
        body.append(("TRUE" if right else "FALSE") + fb)
    elif item.type == SHORT_ANSWER:
        body += [f"={_pct(a.weight) if a.weight != 1 else ''}{escape(a.text)}{_fb(a.feedback)}" for a in item.accepted]
    elif item.type == NUMERIC:
        answers = [f"={_pct(a.weight)}{a.value:.15g}:{a.tolerance:.15g}{_fb(a.feedback)}" for a in item.numeric]
        body.append("#" + "\n".join(answers))
    elif item.type == MATCHING:
        body += [f"={_field(o.text)} -> {escape(o.target)}" for o in item.options]
        body += [f"= -> {escape(t)}" for t in item.extra_targets]
    else:
        raise ValueError(f"GIFT has no syntax for {item.type} questions")
    if item.general_feedback:
        body.append(f"####{_field(item.general_feedback)}")
    return "\n".join(lines + [head] + body + ["}"])


def write(items: list[ItemDraft]) -> tuple[str, list[tuple[ItemDraft, str]]]:
    """A GIFT file grouping the items by competence ($CATEGORY), and the items GIFT cannot hold with why."""
    out: list[str] = ["// Gramota test bank export (Moodle GIFT, UTF-8)", ""]
    skipped: list[tuple[ItemDraft, str]] = []
    category = None
    for item in sorted(items, key=lambda i: i.competence):
        if item.type == ORDERING:
            skipped.append((item, "GIFT has no syntax for ordering questions; export them as QTI"))
            continue
        if item.competence != category:
            category = item.competence
            out += [f"$CATEGORY: {category or 'top'}", ""]
        out += [write_item(item), ""]
    return "\n".join(out), skipped


def chunks(content: str, size: int) -> list[tuple[int, int, str]]:
    """The file cut at question boundaries into pieces of `size` questions, each readable on its own.

    Returns (line offset, questions, text): a line L reported for a piece is line L + offset of the file.
    Each piece restates the category in force where it starts, so nothing depends on an earlier piece.
    """
    lines = content.lstrip("\ufeff").splitlines()
    pieces: list[tuple[int, int, str]] = []
    category, start, count, in_question = "", 0, 0, False
    piece_category = ""

    def cut(end: int) -> None:
        head = [f"$CATEGORY: {piece_category}"] if piece_category else []
        pieces.append((start - len(head), count, "\n".join(head + lines[start:end])))

    for n, raw in enumerate(lines):
        stripped = raw.strip()
        if stripped.startswith("$CATEGORY:") and not in_question:
            category = stripped[len("$CATEGORY:"):].strip()
        elif stripped and not stripped.startswith("//"):
            if not in_question:
                count += 1
            in_question = True
        elif not stripped:
            in_question = False
            if count >= size:
                cut(n)
                start, count, piece_category = n, 0, category
    if count:
        cut(len(lines))
    return pieces
