"""The account cache's own rules (no database): time to live, forgetting, nothing served while not listening."""
from __future__ import annotations

import uuid

from gramota.gateway.account_cache import AccountCache


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def listening_cache(clock: Clock) -> AccountCache:
    cache = AccountCache(ttl=60, clock=clock)
    cache.listening = True
    return cache


def test_an_entry_lives_for_its_ttl_only():
    clock = Clock()
    cache = listening_cache(clock)
    uid, sid = uuid.uuid4(), uuid.uuid4()
    cache.put(uid, sid, {"role": "candidate"}, cache.generation)
    clock.now += 59
    assert cache.get(uid, sid) == {"role": "candidate"}
    clock.now += 2
    assert cache.get(uid, sid) is None


def test_notices_forget_a_user_or_one_session_and_unreadable_ones_everything():
    cache = listening_cache(Clock())
    alice, bob, s1, s2, s3 = (uuid.uuid4() for _ in range(5))
    for uid, sid in ((alice, s1), (alice, s2), (bob, s3)):
        cache.put(uid, sid, {"u": str(uid)}, cache.generation)
    cache.notice(f"s:{s1}")
    assert cache.get(alice, s1) is None and cache.get(alice, s2) is not None
    cache.notice(f"u:{alice}")
    assert cache.get(alice, s2) is None and cache.get(bob, s3) is not None
    cache.notice("u:not-a-uuid")
    assert cache.get(bob, s3) is None


def test_nothing_is_served_or_kept_while_not_listening():
    cache = AccountCache()
    uid, sid = uuid.uuid4(), uuid.uuid4()
    cache.put(uid, sid, {"role": "admin"}, cache.generation)
    assert cache.get(uid, sid) is None


def test_the_oldest_entry_goes_when_full_and_forgetting_it_later_is_harmless():
    cache = AccountCache(size=2, clock=Clock())
    cache.listening = True
    keys = [(uuid.uuid4(), uuid.uuid4()) for _ in range(3)]
    for uid, sid in keys:
        cache.put(uid, sid, {"u": str(uid)}, cache.generation)
    assert cache.get(*keys[0]) is None and cache.get(*keys[1]) and cache.get(*keys[2])
    cache.forget_user(keys[0][0])
    cache.forget_session(keys[0][1])
    cache.forget_session(keys[2][1])
    assert cache.get(*keys[1]) is not None and cache.get(*keys[2]) is None
