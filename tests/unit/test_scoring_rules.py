"""Scoring rules: credit for every item type, partial credit, negative marks, draws, subscores, pass/fail."""
import pytest

from gramota.scoring.domain import (
    KeyedItem,
    NumericValue,
    Response,
    ShortText,
    item_credit,
    matching_credit,
    numeric_credit,
    ordering_credit,
    score_attempt,
    short_answer_credit,
)

SINGLE = {"o1": 1.0, "o2": 0.0, "o3": 0.0}
MULTI = {"o1": 0.5, "o2": 0.5, "o3": -1.0, "o4": 0.0}


@pytest.mark.parametrize("chosen, credit", [
    (["o1"], 1.0), (["o2"], 0.0), ([], 0.0), (["o1", "o2"], 1.0),  # more than allowed is clamped to 1
])
def test_single_choice_credit(chosen, credit):
    assert item_credit(SINGLE, chosen) == credit


@pytest.mark.parametrize("chosen, credit", [
    (["o1", "o2"], 1.0), (["o1"], 0.5), (["o1", "o3"], 0.0), (["o3"], 0.0), (["o1", "o2", "o4"], 1.0),
    (["o1", "o2", "o3"], 0.0),
])
def test_multiple_choice_partial_credit_and_negative_marks_never_below_zero(chosen, credit):
    assert item_credit(MULTI, chosen) == credit


def test_an_option_outside_the_key_earns_nothing():
    assert item_credit(MULTI, ["o1", "zz"]) == 0.0


def test_true_false_is_a_choice_between_two():
    key = KeyedItem("tf", 1, {"true": 1.0, "false": 0.0}, type="true_false")
    assert score_attempt([key], {"tf": Response(option_ids=("true",))}, 50).points == 1.0
    assert score_attempt([key], {"tf": Response(option_ids=("false",))}, 50).points == 0.0


@pytest.mark.parametrize("given, credit", [
    (["a", "b", "c", "d"], 1.0),
    (["a", "b", "d", "c"], 0.5),     # two of four in their right place
    (["d", "a", "b", "c"], 0.0),     # each one off: absolute positions, none right
    (["a", "a", "a", "a"], 0.0),     # not a permutation
    (["a", "b", "c"], 0.0),          # one missing
    ([], 0.0),
])
def test_ordering_credit_is_the_fraction_in_the_right_position(given, credit):
    assert ordering_credit(("a", "b", "c", "d"), given) == credit


@pytest.mark.parametrize("given, credit", [
    ({"l1": "t1", "l2": "t2", "l3": "t3"}, 1.0),
    ({"l1": "t1", "l2": "t3", "l3": "t2"}, 1 / 3),
    ({"l1": "t1", "zz": "t2"}, 1 / 3),  # a pair outside the key is ignored
    ({}, 0.0),
])
def test_matching_credit_is_the_fraction_of_right_pairs(given, credit):
    assert matching_credit({"l1": "t1", "l2": "t2", "l3": "t3"}, given) == pytest.approx(credit)


@pytest.mark.parametrize("text", ["Ёлка", "ёлка", "  елка ", "ЕЛКА.", "елка!", "елка …", "Ёлка?!"])
def test_short_answer_ignores_case_spaces_yo_and_trailing_punctuation(text):
    assert short_answer_credit([ShortText("ёлка", 1.0)], text) == 1.0


def test_short_answer_collapses_inner_spaces_but_keeps_words():
    assert short_answer_credit([ShortText("двухфакторная аутентификация", 1.0)], "двухфакторная  аутентификация") == 1.0
    assert short_answer_credit([ShortText("двухфакторная аутентификация", 1.0)], "двухфакторнаяаутентификация") == 0.0


def test_short_answer_takes_the_best_weight_and_empty_earns_nothing():
    accepted = [ShortText("пароль", 0.5), ShortText("Пароль!", 1.0), ShortText("ключ", 0.25)]
    assert short_answer_credit(accepted, "пароль") == 1.0
    assert short_answer_credit(accepted, "ключ") == 0.25
    assert short_answer_credit(accepted, "   ") == 0.0


@pytest.mark.parametrize("number, credit", [
    (72.0, 1.0), (73.0, 1.0), (70.9, 0.0), (24.0, 0.5), (None, 0.0), (float("nan"), 0.0), (0.1 + 0.2, 0.3),
])
def test_numeric_within_tolerance(number, credit):
    accepted = [NumericValue(72, 1, 1.0), NumericValue(24, 0, 0.5), NumericValue(0.3, 0, 0.3)]
    assert numeric_credit(accepted, number) == credit


def test_points_weight_items_and_only_drawn_items_count():
    key = [KeyedItem("a", 1, SINGLE, points=2), KeyedItem("b", 1, MULTI), KeyedItem("c", 1, SINGLE),
           KeyedItem("not-drawn", 1, SINGLE)]
    score = score_attempt(key, {"a": ["o1"], "b": ["o1"], "not-drawn": ["o1"]}, 60, drawn=["a", "b", "c"])
    assert (score.points, score.max_points, score.percent, score.passed) == (2.5, 4.0, 62.5, True)
    assert [i.item_id for i in score.items] == ["a", "b", "c"]


def test_score_and_pass_against_the_pass_score():
    key = [KeyedItem("a", 1, SINGLE), KeyedItem("b", 1, MULTI), KeyedItem("c", 1, SINGLE), KeyedItem("d", 1, SINGLE)]
    score = score_attempt(key, {"a": ["o1"], "b": ["o1"], "c": ["o1"]}, pass_score_percent=62.5)
    assert (score.points, score.max_points, score.percent, score.passed) == (2.5, 4.0, 62.5, True)
    assert not score_attempt(key, {"a": ["o1"]}, 62.5).passed


def test_total_never_below_zero_with_negative_marks_everywhere():
    key = [KeyedItem("a", 1, MULTI), KeyedItem("b", 1, MULTI)]
    score = score_attempt(key, {"a": ["o3"], "b": ["o3", "o4"]}, 0.1)
    assert score.points == 0.0 and score.percent == 0.0 and not score.passed


def test_subscores_per_competence_and_area_minimum_can_fail_a_passing_score():
    key = [KeyedItem("a", 1, SINGLE, competence="1.1", competence_area="info"),
           KeyedItem("b", 1, SINGLE, competence="1.1", competence_area="info"),
           KeyedItem("c", 1, SINGLE, competence="4.1", competence_area="safety"),
           KeyedItem("d", 1, SINGLE, competence="4.2", competence_area="safety")]
    answers = {"a": ["o1"], "b": ["o1"], "c": ["o1"], "d": ["o2"]}
    score = score_attempt(key, answers, 70)
    assert score.percent == 75.0 and score.passed
    assert [(s.competence, s.points, s.max_points, s.percent) for s in score.subscores] == [
        ("1.1", 2.0, 2.0, 100.0), ("4.1", 1.0, 1.0, 100.0), ("4.2", 0.0, 1.0, 0.0)]
    held = score_attempt(key, answers, 70, area_minimums={"safety": 60, "info": 50})
    assert not held.passed and held.failed_areas == ("safety",)
    # what the result page says: each area with a minimum, the candidate's percent there and whether it was met
    assert [(c.area, c.percent, c.minimum, c.met) for c in held.area_checks] == [
        ("info", 100.0, 50, True), ("safety", 50.0, 60, False)]
    assert score_attempt(key, answers, 70, area_minimums={"numeracy": 60}).area_checks == ()  # no item drawn there
    assert score_attempt(key, answers, 70, area_minimums={"safety": 50}).passed
