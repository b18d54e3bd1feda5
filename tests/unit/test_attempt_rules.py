"""Attempt rules: the server's deadline and grace, and what an answer may contain."""
from datetime import timedelta

import pytest

from gramota.sessions.domain import check_answer, deadline_of, ensure_accepts_answers
from gramota.shared.clock import ManualClock
from gramota.shared.errors import Conflict, InvalidArgument

GRACE = timedelta(seconds=5)


def test_answer_within_grace_after_deadline_is_accepted_and_after_it_refused():
    clock = ManualClock()
    deadline = deadline_of(clock.now(), 600)
    clock.advance(seconds=600 + 5)
    ensure_accepts_answers("in_progress", deadline, clock.now(), GRACE)
    clock.advance(seconds=0.001)
    with pytest.raises(Conflict) as refused:
        ensure_accepts_answers("in_progress", deadline, clock.now(), GRACE)
    assert refused.value.code == "deadline_passed"


def test_submitted_attempt_refuses_answers():
    clock = ManualClock()
    with pytest.raises(Conflict, match="submitted"):
        ensure_accepts_answers("submitted", deadline_of(clock.now(), 600), clock.now(), GRACE)


QUESTION = {"id": "q1", "type": "single_choice", "options": [{"id": "o1"}, {"id": "o2"}]}


def test_answer_options_must_belong_to_the_question():
    with pytest.raises(InvalidArgument) as err:
        check_answer(QUESTION, ["o9"])
    assert err.value.code == "unknown_option"


def test_single_choice_takes_one_option_and_duplicates_collapse():
    assert check_answer(QUESTION, ["o2", "o2"]) == ["o2"]
    with pytest.raises(InvalidArgument):
        check_answer(QUESTION, ["o1", "o2"])
