"""The bounded, expiring map behind verified tokens and signed identity headers."""
from gramota.shared.expiring import ExpiringCache


def test_a_value_is_kept_until_its_own_expiry():
    cache: ExpiringCache[str, int] = ExpiringCache(10)
    cache.put("a", 1, expires=100.0)
    assert cache.get("a", now=99.9) == 1
    assert cache.get("a", now=100.0) is None
    assert cache.get("missing", now=0.0) is None


def test_the_oldest_put_is_forgotten_when_full():
    cache: ExpiringCache[str, int] = ExpiringCache(2)
    cache.put("a", 1, 100.0)
    cache.put("b", 2, 100.0)
    cache.put("a", 3, 100.0)  # put again: now the newest
    cache.put("c", 4, 100.0)
    assert (cache.get("a", 0.0), cache.get("b", 0.0), cache.get("c", 0.0)) == (3, None, 4)


def test_the_least_recently_used_is_forgotten_first():
    from gramota.shared.expiring import BoundedCache

    cache: BoundedCache[str, int] = BoundedCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # used: now the most recent
    cache.put("c", 3)
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (1, None, 3)
