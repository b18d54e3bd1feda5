"""Benchmark (not a test): drawing 1,000 attempts from a 500-item bank, beside a `random.sample` baseline.

Run with `make bench-draw`. The blueprint is the certification exam's shape: 20 questions in 10 rules.
Exposure control is on: each candidate has already seen one earlier attempt's questions.
"""
from __future__ import annotations

import random
import time

from gramota.shared.draw import draw

ATTEMPTS = 1000
BANK = 500


def main() -> None:
    rng = random.Random(42)
    items = [f"item-{n}" for n in range(BANK)]
    disjoint = [(2, items[n * 50:(n + 1) * 50]) for n in range(10)]  # 10 rules x 2 questions, 50 items each
    overlapping = [(2, items[n * 40:n * 40 + 100]) for n in range(10)]  # neighbouring pools share 60 items
    seen = [set(draw(disjoint, (), rng)) for _ in range(ATTEMPTS)]

    started = time.perf_counter()
    for _ in range(ATTEMPTS):
        for count, pool in disjoint:
            rng.sample(pool, count)
    baseline = time.perf_counter() - started

    results = []
    for name, rules in (("disjoint pools", disjoint), ("overlapping pools", overlapping)):
        started = time.perf_counter()
        for n in range(ATTEMPTS):
            draw(rules, seen[n], rng)
        results.append((name, time.perf_counter() - started))

    print(f"drawing {ATTEMPTS} attempts of 20 questions (10 rules) from a {BANK}-item bank, seen items avoided")
    print(f"  baseline random.sample of the same sizes: {baseline * 1000:8.1f} ms")
    for name, elapsed in results:
        print(f"  draw, {name:<18}:             {elapsed * 1000:8.1f} ms  "
              f"({elapsed / ATTEMPTS * 1e6:.0f} us per attempt, {elapsed / baseline:.1f}x the baseline)")


if __name__ == "__main__":
    main()
