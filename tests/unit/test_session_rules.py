"""Pure session rules: who may start when, the draw, the candidate's order, extra time and the window cap."""
import random
from datetime import UTC, datetime, timedelta

import pytest

from gramota.sessions.domain import (
    ExamRules,
    PastAttempt,
    arrange,
    deadline_of,
    ensure_may_start,
    ensure_navigation_allows,
    extra_seconds_for,
    normalize_answer,
)
from gramota.shared.errors import Conflict, InvalidArgument

NOW = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)


def test_extra_time_is_a_share_of_the_limit_plus_minutes_and_the_window_caps_the_deadline():
    assert extra_seconds_for(1800, 25, 5) == 450 + 300
    assert deadline_of(NOW, 1800, 750) == NOW + timedelta(seconds=2550)
    assert deadline_of(NOW, 1800, 750, closes_at=NOW + timedelta(minutes=20)) == NOW + timedelta(minutes=20)


def test_start_rules_give_clear_reasons():
    done = PastAttempt(NOW - timedelta(hours=2), NOW - timedelta(minutes=30))
    with pytest.raises(Conflict) as e:
        ensure_may_start(ExamRules(opens_at=NOW + timedelta(seconds=1)), [], NOW)
    assert e.value.code == "exam_not_open"
    with pytest.raises(Conflict) as e:
        ensure_may_start(ExamRules(closes_at=NOW), [], NOW)
    assert e.value.code == "exam_closed"
    with pytest.raises(Conflict) as e:
        ensure_may_start(ExamRules(attempts_allowed=1), [done], NOW)
    assert e.value.code == "attempts_exhausted"
    with pytest.raises(Conflict) as e:
        ensure_may_start(ExamRules(cooldown_seconds=3600), [done], NOW)
    assert e.value.code == "cooldown" and e.value.metadata["next_start_at"] == (NOW + timedelta(minutes=30)).isoformat()
    assert ensure_may_start(ExamRules(attempts_allowed=2, cooldown_seconds=1800), [done], NOW) == 2


def test_rules_survive_their_json_form():
    rules = ExamRules(3, 60, NOW, NOW + timedelta(days=1), True, True, "sequential")
    assert ExamRules.from_json(rules.to_json()) == rules
    assert ExamRules.from_json({"navigation": "sideways"}).navigation == "free"


def test_arrange_shuffles_per_candidate_and_always_hides_the_right_order_of_an_ordering():
    qs = [{"id": f"q{i}", "type": "single_choice", "options": [{"id": f"o{j}"} for j in range(4)]} for i in range(6)]
    qs.append({"id": "order", "type": "ordering", "options": [{"id": f"s{j}"} for j in range(6)]})
    plain = arrange(qs, ExamRules(), random.Random(3))
    assert [q["id"] for q in plain[:6]] == [f"q{i}" for i in range(6)]
    assert [o["id"] for o in plain[6]["options"]] != [f"s{j}" for j in range(6)]
    mixed = arrange(qs, ExamRules(shuffle_questions=True, shuffle_options=True), random.Random(3))
    assert sorted(q["id"] for q in mixed) == sorted(q["id"] for q in qs) and mixed != qs


def test_sequential_navigation_only_goes_forward():
    ensure_navigation_allows("sequential", ["a", "b", "c"], {"a"}, "b")
    ensure_navigation_allows("free", ["a", "b", "c"], {"c"}, "a")
    with pytest.raises(Conflict):
        ensure_navigation_allows("sequential", ["a", "b", "c"], {"c"}, "a")


def test_answers_are_checked_against_their_question_type():
    ordering = {"id": "o", "type": "ordering", "options": [{"id": "x"}, {"id": "y"}]}
    assert normalize_answer(ordering, ["y", "x"], {}, "", None).option_ids == ["y", "x"]
    with pytest.raises(InvalidArgument):
        normalize_answer(ordering, ["y"], {}, "", None)
    short = {"id": "s", "type": "short_answer", "options": []}
    assert normalize_answer(short, [], {}, "  ответ ", None).text == "ответ"
    with pytest.raises(InvalidArgument):
        normalize_answer(short, [], {}, "x" * 1001, None)
    tf = {"id": "t", "type": "true_false", "options": [{"id": "true"}, {"id": "false"}]}
    with pytest.raises(InvalidArgument):
        normalize_answer(tf, ["true", "false"], {}, "", None)
