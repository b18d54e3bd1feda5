"""Drawing one attempt's questions from a published exam's rules (DrawRule: count + eligible pool).

Pure and shared: testbank checks at publishing that a draw exists; sessions draw for each attempt.
Exposure control: questions the candidate already saw are used only when a rule's pool has too few others.
"""
from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from typing import Protocol


class DrawRuleLike(Protocol):
    count: int
    item_ids: Sequence[str]


class DrawImpossible(ValueError):
    """The rules cannot all be satisfied with distinct items."""


def _pairs(rules: Iterable[DrawRuleLike | tuple[int, Sequence[str]]]) -> list[tuple[int, list[str]]]:
    return [(r[0], list(r[1])) if isinstance(r, tuple) else (r.count, list(r.item_ids)) for r in rules]


def draw(rules: Iterable[DrawRuleLike | tuple[int, Sequence[str]]], seen_item_ids: Iterable[str] = (),
         rng: random.Random | None = None) -> list[str]:
    """`count` distinct items from each rule's pool (rule by rule, random within a rule).

    No item serves two rules. Unseen items are preferred: a seen item is drawn only when the pools cannot
    fill the rules otherwise. Raises DrawImpossible when no draw satisfies every rule.
    """
    rng = rng or random.Random()
    seen = seen_item_ids if isinstance(seen_item_ids, (set, frozenset)) else set(seen_item_ids)
    pairs = _pairs(rules)
    if any(count < 0 for count, _ in pairs):
        raise DrawImpossible("a rule asks for a negative number of items")
    quick = _draw_fresh(pairs, seen, rng)
    if quick is not None:
        return quick
    if sum(len(pool) for _, pool in pairs) == len(set().union(*(pool for _, pool in pairs))):
        return _draw_disjoint(pairs, seen, rng)
    return _draw_overlapping(pairs, seen, rng)


def _draw_fresh(pairs: list[tuple[int, list[str]]], seen: set[str], rng: random.Random) -> list[str] | None:
    """The common case, fast: every rule filled from items neither seen nor taken by an earlier rule.

    Rejection sampling: each accepted pick is uniform among the items still allowed. After a bounded number
    of tries the allowed items are listed exactly; None when some rule runs short (the exact paths take over).
    """
    used: set[str] = set()
    drawn: list[str] = []
    for count, pool in pairs:
        picked: list[str] = []
        tries = 8 * count + 16
        while len(picked) < count and tries:
            tries -= 1
            item = pool[rng.randrange(len(pool))] if pool else None
            if item is not None and item not in seen and item not in used:
                picked.append(item)
                used.add(item)
        if len(picked) < count:
            allowed = [i for i in pool if i not in seen and i not in used]
            if len(allowed) < count - len(picked):
                return None
            more = rng.sample(allowed, count - len(picked))
            picked += more
            used.update(more)
        drawn += picked
    return drawn


def _draw_disjoint(pairs: list[tuple[int, list[str]]], seen: set[str], rng: random.Random) -> list[str]:
    drawn: list[str] = []
    for n, (count, pool) in enumerate(pairs, start=1):
        pool = list(dict.fromkeys(pool))
        if len(pool) < count:
            raise DrawImpossible(f"rule {n} needs {count} items but its pool has {len(pool)}")
        fresh = [i for i in pool if i not in seen] if seen else pool
        if len(fresh) >= count:
            drawn += rng.sample(fresh, count)
        else:
            stale = [i for i in pool if i in seen]
            chosen = fresh + rng.sample(stale, count - len(fresh))
            rng.shuffle(chosen)
            drawn += chosen
    return drawn


def _draw_overlapping(pairs: list[tuple[int, list[str]]], seen: set[str], rng: random.Random) -> list[str]:
    # Slots (one per item a rule needs) matched to items by augmenting paths (Kuhn), first over unseen items
    # only, then over all: augmenting keeps every matched item matched, so unseen ones are never given up.
    slots = [n for n, (count, _) in enumerate(pairs) for _ in range(count)]
    prefs = []
    for _, pool in pairs:
        pool = list(dict.fromkeys(pool))
        rng.shuffle(pool)
        prefs.append(pool)
    owner: dict[str, int] = {}  # item -> slot
    holding: list[str | None] = [None] * len(slots)

    def augment(slot: int, visited: set[str], allow_seen: bool) -> bool:
        for item in prefs[slots[slot]]:
            if item in visited or (not allow_seen and item in seen):
                continue
            visited.add(item)
            if item not in owner or augment(owner[item], visited, allow_seen):
                owner[item] = slot
                holding[slot] = item
                return True
        return False

    for allow_seen in (False, True):
        for slot in range(len(slots)):
            if holding[slot] is None:
                augment(slot, set(), allow_seen)
    if any(h is None for h in holding):
        raise DrawImpossible("the rules need more distinct items than their pools hold together")
    drawn: list[str] = []
    for n in range(len(pairs)):
        mine = [holding[s] for s in range(len(slots)) if slots[s] == n]
        rng.shuffle(mine)
        drawn += mine  # type: ignore[arg-type]
    return drawn


def max_distinct(rules: Iterable[DrawRuleLike | tuple[int, Sequence[str]]]) -> int:
    """How many of the rules' slots distinct items can fill at most (equal to the total when satisfiable)."""
    pairs = _pairs(rules)
    try:
        return len(_draw_overlapping(pairs, set(), random.Random(0)))
    except DrawImpossible:
        pass
    slots = [n for n, (count, _) in enumerate(pairs) for _ in range(count)]
    owner: dict[str, int] = {}

    def augment(slot: int, visited: set[str]) -> bool:
        for item in pairs[slots[slot]][1]:
            if item in visited:
                continue
            visited.add(item)
            if item not in owner or augment(owner[item], visited):
                owner[item] = slot
                return True
        return False

    return sum(augment(s, set()) for s in range(len(slots)))
