"""A small per-process cache whose entries expire, for rows read on every request of a hot path
(API tokens, a user's default office, the catalog's intake terms). Each process has its own; the
owner empties it on the ORM saves that change what it keeps, and other processes see a change when
their entry expires. The database stays the only shared state."""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import Any


class TtlCache:
    """``cache.get(key, load)``: the value kept for ``key`` if it has not expired, else ``load()``
    (kept for ``seconds`` unless it is None: misses are not kept). At ``size`` entries the cache
    is emptied rather than evicting one by one: it refills from the next requests."""

    def __init__(self, seconds: float, size: int) -> None:
        self.seconds, self.size = seconds, size
        self._entries: dict[Hashable, tuple[float, Any]] = {}

    def get(self, key: Hashable, load: Callable[[], Any]) -> Any:
        tick = time.monotonic()
        hit = self._entries.get(key)
        if hit is not None and hit[0] > tick:
            return hit[1]
        value = load()
        if value is None:
            self._entries.pop(key, None)
            return None
        if len(self._entries) >= self.size:
            self._entries.clear()
        self._entries[key] = (tick + self.seconds, value)
        return value

    def clear(self, **_signal_kwargs) -> None:
        """Empty it (usable as a signal receiver)."""
        self._entries.clear()
