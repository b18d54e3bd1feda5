"""Scoring rules: credit per item and pass/fail."""
import pytest

from gramota.scoring.domain import KeyedItem, item_credit, score_attempt

SINGLE = {"o1": 1.0, "o2": 0.0, "o3": 0.0}
MULTI = {"o1": 0.5, "o2": 0.5, "o3": -1.0, "o4": 0.0}


@pytest.mark.parametrize("chosen, credit", [
    (["o1"], 1.0), (["o2"], 0.0), ([], 0.0), (["o1", "o2"], 0.0 + 1.0),  # more than allowed is clamped to 1
])
def test_single_choice_credit(chosen, credit):
    assert item_credit(SINGLE, chosen) == min(1.0, credit)


@pytest.mark.parametrize("chosen, credit", [
    (["o1", "o2"], 1.0), (["o1"], 0.5), (["o1", "o3"], 0.0), (["o3"], 0.0), (["o1", "o2", "o4"], 1.0),
])
def test_multiple_choice_partial_credit_and_negative_marks_never_below_zero(chosen, credit):
    assert item_credit(MULTI, chosen) == credit


def test_an_option_outside_the_key_earns_nothing():
    assert item_credit(MULTI, ["o1", "zz"]) == 0.0


def test_score_and_pass_against_the_pass_score():
    key = [KeyedItem("a", 1, SINGLE), KeyedItem("b", 1, MULTI), KeyedItem("c", 1, SINGLE), KeyedItem("d", 1, SINGLE)]
    score = score_attempt(key, {"a": ["o1"], "b": ["o1"], "c": ["o1"]}, pass_score_percent=62.5)
    assert (score.points, score.max_points, score.percent, score.passed) == (2.5, 4.0, 62.5, True)
    assert not score_attempt(key, {"a": ["o1"]}, 62.5).passed
