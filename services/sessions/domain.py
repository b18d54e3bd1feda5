"""Pure rules of an attempt: who may start when, what is drawn and in which order, its deadline, what an answer may hold."""
from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from gramota.shared.errors import Conflict, InvalidArgument

# Network lag allowance: an answer that left the browser just before the deadline still counts.
GRACE = timedelta(seconds=5)
NAVIGATION = ("free", "sequential")
CHOICE_TYPES = ("single_choice", "multiple_choice", "true_false")


@dataclass(frozen=True)
class ExamRules:
    """events.v1.ExamSettings as sessions applies them (cached as JSON with the form)."""

    attempts_allowed: int = 0  # 0: unlimited
    cooldown_seconds: int = 0
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    shuffle_questions: bool = False
    shuffle_options: bool = False
    navigation: str = "free"

    def to_json(self) -> dict:
        return {"attempts_allowed": self.attempts_allowed, "cooldown_seconds": self.cooldown_seconds,
                "opens_at": self.opens_at.isoformat() if self.opens_at else None,
                "closes_at": self.closes_at.isoformat() if self.closes_at else None,
                "shuffle_questions": self.shuffle_questions, "shuffle_options": self.shuffle_options,
                "navigation": self.navigation}

    @classmethod
    def from_json(cls, data: dict | None) -> "ExamRules":
        data = data or {}
        when = lambda key: datetime.fromisoformat(data[key]) if data.get(key) else None  # noqa: E731
        return cls(attempts_allowed=int(data.get("attempts_allowed") or 0), cooldown_seconds=int(data.get("cooldown_seconds") or 0),
                   opens_at=when("opens_at"), closes_at=when("closes_at"),
                   shuffle_questions=bool(data.get("shuffle_questions")), shuffle_options=bool(data.get("shuffle_options")),
                   navigation=data.get("navigation") if data.get("navigation") in NAVIGATION else "free")


@dataclass(frozen=True)
class PastAttempt:
    started_at: datetime
    submitted_at: datetime | None
    item_ids: tuple[str, ...] = field(default=())


# --- starting ------------------------------------------------------------------------------------
def next_start_allowed_at(rules: ExamRules, past: list[PastAttempt]) -> datetime | None:
    """When the cooldown after the latest attempt ends (None: no cooldown applies)."""
    ended = [p.submitted_at for p in past if p.submitted_at is not None]
    if not rules.cooldown_seconds or not ended:
        return None
    return max(ended) + timedelta(seconds=rules.cooldown_seconds)


def ensure_may_start(rules: ExamRules, past: list[PastAttempt], now: datetime) -> int:
    """The number of the attempt about to start, or the reason it may not start now."""
    if rules.opens_at and now < rules.opens_at:
        raise Conflict("exam_not_open", f"the exam opens at {rules.opens_at.isoformat()}", opens_at=rules.opens_at.isoformat())
    if rules.closes_at and now >= rules.closes_at:
        raise Conflict("exam_closed", f"the exam closed at {rules.closes_at.isoformat()}", closes_at=rules.closes_at.isoformat())
    if rules.attempts_allowed and len(past) >= rules.attempts_allowed:
        raise Conflict("attempts_exhausted", f"all {rules.attempts_allowed} attempts at this exam have been used",
                       attempts_allowed=rules.attempts_allowed)
    next_at = next_start_allowed_at(rules, past)
    if next_at and now < next_at:
        raise Conflict("cooldown", f"the next attempt may start at {next_at.isoformat()}", next_start_at=next_at.isoformat())
    return len(past) + 1


def extra_seconds_for(time_limit_seconds: int, extra_percent: int, extra_minutes: int) -> int:
    """A candidate's accommodation in seconds for one exam: a share of its time limit plus fixed minutes."""
    return math.ceil(time_limit_seconds * extra_percent / 100) + extra_minutes * 60


def deadline_of(started_at: datetime, time_limit_seconds: int, extra_seconds: int = 0,
                closes_at: datetime | None = None) -> datetime:
    """Start + time limit + extra time, never later than the exam window's close."""
    deadline = started_at + timedelta(seconds=time_limit_seconds + extra_seconds)
    return min(deadline, closes_at) if closes_at else deadline


def arrange(questions: list[dict], rules: ExamRules, rng: random.Random) -> list[dict]:
    """The candidate's questions in their order, options shuffled when the exam says so (stored: stable per attempt).

    Items to order are always shown shuffled: in the bank's order they would give the answer away.
    """
    out = list(questions)
    if rules.shuffle_questions:
        rng.shuffle(out)
    arranged = []
    for q in out:
        q = dict(q)
        if q["type"] == "ordering" or (rules.shuffle_options and q["type"] in ("single_choice", "multiple_choice", "matching")):
            q["options"] = rng.sample(q["options"], len(q["options"]))
        arranged.append(q)
    return arranged


# --- answering -----------------------------------------------------------------------------------
def ensure_accepts_answers(status: str, deadline: datetime, now: datetime, grace: timedelta = GRACE) -> None:
    """An answer counts until the deadline plus a stated grace for network lag, never after."""
    if status != "in_progress":
        raise Conflict("attempt_submitted", "the attempt has been submitted; answers can no longer change")
    if now > deadline + grace:
        raise Conflict(
            "deadline_passed",
            f"the time for this attempt ended at {deadline.isoformat()}; answers after it are not accepted",
            deadline=deadline.isoformat(),
        )


def ensure_navigation_allows(navigation: str, question_ids: list[str], answered_ids: set[str], question_id: str) -> None:
    """Sequential exams go forward only: no answer to a question once a later one has been answered."""
    if navigation != "sequential":
        return
    position = question_ids.index(question_id)
    if any(question_ids.index(a) > position for a in answered_ids if a in question_ids):
        raise Conflict("navigation_sequential", "this exam goes forward only: earlier questions can no longer change")


def check_answer(question: dict, option_ids: list[str]) -> list[str]:
    """The answer's option ids, de-duplicated in the question's order, or INVALID_ARGUMENT."""
    known = [o["id"] for o in question["options"]]
    unknown = [o for o in option_ids if o not in known]
    if unknown:
        raise InvalidArgument("unknown_option", f"options {', '.join(unknown)} are not options of question {question['id']}")
    chosen = [o for o in known if o in set(option_ids)]
    if question["type"] in ("single_choice", "true_false") and len(chosen) > 1:
        raise InvalidArgument("too_many_options", f"a {question['type'].replace('_', ' ')} question takes one option")
    return chosen


@dataclass(frozen=True)
class Answer:
    option_ids: list[str] = field(default_factory=list)
    pairs: dict[str, str] = field(default_factory=dict)
    text: str = ""
    number: float | None = None


MAX_TEXT = 1000


def normalize_answer(question: dict, option_ids: list[str], pairs: dict[str, str], text: str,
                     number: float | None) -> Answer:
    """The answer in the form its question's type takes, or INVALID_ARGUMENT with a stable code."""
    kind = question["type"]
    if kind in CHOICE_TYPES:
        return Answer(option_ids=check_answer(question, option_ids))
    if kind == "ordering":
        known = [o["id"] for o in question["options"]]
        if option_ids and sorted(option_ids) != sorted(known):
            raise InvalidArgument("not_a_permutation", "an ordering answer lists every option of the question exactly once")
        return Answer(option_ids=list(option_ids))
    if kind == "matching":
        lefts = {o["id"] for o in question["options"]}
        targets = {o["id"] for o in question.get("targets", ())}
        bad = [k for k, v in pairs.items() if k not in lefts or v not in targets]
        if bad:
            raise InvalidArgument("unknown_pair", f"pairs for {', '.join(sorted(bad))} do not match this question's columns")
        return Answer(pairs=dict(pairs))
    if kind == "short_answer":
        if len(text) > MAX_TEXT:
            raise InvalidArgument("text_too_long", f"a short answer has at most {MAX_TEXT} characters")
        if "\x00" in text:  # no text column can hold it
            raise InvalidArgument("invalid_text", "a short answer cannot contain the NUL character (U+0000)")
        return Answer(text=text.strip())
    if kind == "numeric":
        if number is not None and not math.isfinite(number):
            raise InvalidArgument("invalid_number", "a numeric answer is a finite number")
        return Answer(number=number)
    raise InvalidArgument("unsupported_question_type", f"questions of type {kind!r} cannot be answered here")


# --- the candidate's list of exams ----------------------------------------------------------------
@dataclass(frozen=True)
class ExamStanding:
    """Where a candidate stands on one exam."""

    availability: str  # in_progress, closed, not_open, exhausted, cooldown or available
    attempts_allowed: int
    attempts_used: int
    attempts_left: int  # -1: unlimited
    question_count: int
    next_start_at: datetime | None  # set when the availability is cooldown
    opens_at: datetime | None
    closes_at: datetime | None


def standing(rules: ExamRules, used: int, has_open: bool, last_end: datetime | None, question_count: int,
             now: datetime) -> ExamStanding:
    past = [PastAttempt(now, last_end)] if last_end else []
    next_at = next_start_allowed_at(rules, past)
    left = max(rules.attempts_allowed - used, 0) if rules.attempts_allowed else -1
    if has_open:
        availability = "in_progress"
    elif rules.closes_at and now >= rules.closes_at:
        availability = "closed"
    elif rules.opens_at and now < rules.opens_at:
        availability = "not_open"
    elif left == 0:
        availability = "exhausted"
    elif next_at and now < next_at:
        availability = "cooldown"
    else:
        availability = "available"
    return ExamStanding(availability, rules.attempts_allowed, used, left, question_count,
                        next_at if availability == "cooldown" else None, rules.opens_at, rules.closes_at)


# --- personal data -------------------------------------------------------------------------------
# What an erasure does here, and what it keeps and why (README: "What is kept, and why").
ERASED = ("the name and organisation in the snapshot of every attempt",
          "the candidate's extra time (accommodation) and the notes on it",
          "the free-text reasons given for extending the candidate's attempts")
KEPT = (("attempts under the account id: exam, times, questions as shown, answers, audit trail",
         "the exam record behind results and issued certificates (appeals, rescoring); once the gateway erases the "
         "account the id no longer leads to a person"),
        ("federal district and region in the attempt snapshots",
         "coarse statistical attributes (8 districts, 89 regions) that identify nobody alone"),
        ("the extra minutes granted (accommodation audit, without notes)",
         "they explain an attempt's longer deadline in its audit trail"))
