"""Blueprints: publishing checks the bank can satisfy every rule; each draw satisfies it, avoiding seen items."""
import random

import pytest

from gramota.shared.draw import DrawImpossible, draw
from gramota.testbank.domain import BankEntry, BlueprintRule, allocate, validate_rules


def bank() -> list[BankEntry]:
    entries = []
    for n in range(30):
        competence = ["practice/official-page", "digcomp/2.6", "digcomp/4.2"][n % 3]
        entries.append(BankEntry(f"i{n}", competence, competence.rsplit(".", 1)[0] if "digcomp" in competence
                                 else "practice", 1 + n % 5, ["чс"] if n < 6 else []))
    return entries


def test_publishing_gives_each_rule_a_disjoint_eligible_pool():
    rules = [BlueprintRule(3, competence="practice/official-page", difficulty_min=2, difficulty_max=4),
             BlueprintRule(2, tag="чс"), BlueprintRule(5, competence="digcomp/4")]
    pools, problems = allocate(rules, bank())
    assert problems == []
    flat = [i for p in pools for i in p]
    assert len(flat) == len(set(flat))
    entries = {e.item_id: e for e in bank()}
    assert all(entries[i].competence == "practice/official-page" and 2 <= entries[i].difficulty <= 4 for i in pools[0])
    assert all("чс" in entries[i].tags for i in pools[1])
    assert all(entries[i].area == "digcomp/4" for i in pools[2])
    assert [len(p) >= r.count for p, r in zip(pools, rules)] == [True] * 3


def test_publishing_refuses_a_rule_the_bank_cannot_fill_and_names_it():
    _, problems = allocate([BlueprintRule(11, competence="digcomp/2.6")], bank())
    assert problems == ["rule 1 (competence digcomp/2.6) needs 11 items, but the bank has 10 eligible"]


def test_publishing_refuses_rules_that_would_count_an_item_twice():
    rules = [BlueprintRule(6, tag="чс"), BlueprintRule(3, tag="чс", difficulty_min=1, difficulty_max=5)]
    _, problems = allocate(rules, bank())
    assert "need 9 distinct items" in problems[0] and "share only 6" in problems[0]


def test_rules_are_validated():
    assert validate_rules([], 500) == ["a blueprint needs at least one rule"]
    assert "difficulty range" in validate_rules([BlueprintRule(1, difficulty_min=4, difficulty_max=2)], 500)[0]
    assert "at most 500" in validate_rules([BlueprintRule(501)], 500)[0]


def test_draw_satisfies_every_rule_with_distinct_items():
    rng = random.Random(1)
    rules = [(3, [f"a{i}" for i in range(10)]), (2, [f"b{i}" for i in range(5)])]
    for _ in range(50):
        drawn = draw(rules, (), rng)
        assert len(drawn) == 5 and len(set(drawn)) == 5
        assert all(d.startswith("a") for d in drawn[:3]) and all(d.startswith("b") for d in drawn[3:])


def test_draw_avoids_seen_items_while_the_pool_allows():
    pool = [f"q{i}" for i in range(10)]
    seen = set(pool[:6])
    for seed in range(20):
        assert set(draw([(4, pool)], seen, random.Random(seed))) == set(pool[6:])
    drawn = draw([(6, pool)], seen, random.Random(3))
    assert set(pool[6:]) <= set(drawn)  # all four unseen, and two seen ones because the pool is short


def test_draw_with_overlapping_pools_still_prefers_unseen_and_never_repeats():
    shared = [f"s{i}" for i in range(6)]
    rules = [(3, shared), (3, shared + ["x1", "x2"])]
    seen = {"s0", "s1"}
    for seed in range(30):
        drawn = draw(rules, seen, random.Random(seed))
        assert len(set(drawn)) == 6
        assert set(drawn[:3]) <= set(shared)
        assert not seen & set(drawn)


def test_draw_refuses_impossible_rules():
    with pytest.raises(DrawImpossible):
        draw([(3, ["a", "b"])])
    with pytest.raises(DrawImpossible):
        draw([(2, ["a", "b"]), (1, ["a", "b"])])


def test_draw_spreads_exposure_over_the_pool():
    pool = [f"q{i}" for i in range(40)]
    rng = random.Random(7)
    counts = dict.fromkeys(pool, 0)
    for _ in range(400):
        for q in draw([(10, pool)], (), rng):
            counts[q] += 1
    assert min(counts.values()) > 50 and max(counts.values()) < 150
