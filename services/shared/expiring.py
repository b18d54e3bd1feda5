"""A bounded map whose entries are good until a time of their own: verified tokens and signed headers."""
from __future__ import annotations

from collections import OrderedDict
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class ExpiringCache(Generic[K, V]):
    """Values kept until their expiry; at most `size` of them (the oldest put is forgotten first)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[K, tuple[V, float]] = OrderedDict()

    def get(self, key: K, now: float) -> V | None:
        hit = self._items.get(key)
        if hit is None or hit[1] <= now:
            return None
        return hit[0]

    def put(self, key: K, value: V, expires: float) -> None:
        self._items[key] = (value, expires)
        self._items.move_to_end(key)
        if len(self._items) > self.size:
            self._items.popitem(last=False)
