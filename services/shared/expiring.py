"""Bounded maps: `BoundedCache` forgets the least recently used value first (attempts' fixed parts in sessions);
`ExpiringCache` also forgets each value at a time of its own (verified tokens and signed headers)."""
from __future__ import annotations

from collections import OrderedDict
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class BoundedCache(Generic[K, V]):
    """At most `size` values; the least recently used (got or put) is forgotten first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        value = self._items.get(key)
        if value is not None:
            self._items.move_to_end(key)
        return value

    def put(self, key: K, value: V) -> None:
        self._items[key] = value
        self._items.move_to_end(key)
        if len(self._items) > self.size:
            self._items.popitem(last=False)


class ExpiringCache(Generic[K, V]):
    """Values kept until their expiry; at most `size` of them (the least recently used is forgotten first)."""

    def __init__(self, size: int) -> None:
        self._items: BoundedCache[K, tuple[V, float]] = BoundedCache(size)

    def get(self, key: K, now: float) -> V | None:
        hit = self._items.get(key)
        if hit is None or hit[1] <= now:
            return None
        return hit[0]

    def put(self, key: K, value: V, expires: float) -> None:
        self._items.put(key, (value, expires))
