"""Pure rules of an attempt: its deadline, whether an answer is still accepted, whether it fits."""
from __future__ import annotations

from datetime import datetime, timedelta

from gramota.shared.errors import Conflict, InvalidArgument


def deadline_of(started_at: datetime, time_limit_seconds: int) -> datetime:
    return started_at + timedelta(seconds=time_limit_seconds)


def ensure_accepts_answers(status: str, deadline: datetime, now: datetime, grace: timedelta) -> None:
    """An answer counts until the deadline plus a stated grace for network lag, never after."""
    if status != "in_progress":
        raise Conflict("attempt_submitted", "the attempt has been submitted; answers can no longer change")
    if now > deadline + grace:
        raise Conflict(
            "deadline_passed",
            f"the time for this attempt ended at {deadline.isoformat()}; answers after it are not accepted",
            deadline=deadline.isoformat(),
        )


def check_answer(question: dict, option_ids: list[str]) -> list[str]:
    """The answer's option ids, de-duplicated in the question's order, or INVALID_ARGUMENT."""
    known = [o["id"] for o in question["options"]]
    unknown = [o for o in option_ids if o not in known]
    if unknown:
        raise InvalidArgument("unknown_option", f"options {', '.join(unknown)} are not options of question {question['id']}")
    chosen = [o for o in known if o in set(option_ids)]
    if question["type"] == "single_choice" and len(chosen) > 1:
        raise InvalidArgument("too_many_options", "a single-choice question takes one option")
    return chosen
