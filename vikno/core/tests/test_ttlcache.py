"""The per-process cache keeps found values until they expire, never keeps misses, and empties
itself when full."""

from __future__ import annotations

from types import SimpleNamespace

from vikno.core import ttlcache
from vikno.core.ttlcache import TtlCache


def test_a_value_is_kept_until_it_expires_and_a_miss_is_never_kept(monkeypatch):
    now = [100.0]
    monkeypatch.setattr(ttlcache, "time", SimpleNamespace(monotonic=lambda: now[0]))
    cache, loads = TtlCache(seconds=5, size=10), []

    def load(value):
        def run():
            loads.append(value)
            return value

        return run

    assert cache.get("k", load("a")) == "a"
    assert cache.get("k", load("b")) == "a"
    now[0] += 5
    assert cache.get("k", load("c")) == "c"
    assert cache.get("gone", load(None)) is None
    assert cache.get("gone", load(None)) is None
    assert loads == ["a", "c", None, None]


def test_a_full_cache_starts_again_empty():
    cache = TtlCache(seconds=60, size=2)
    cache.get(1, lambda: "one")
    cache.get(2, lambda: "two")
    cache.get(3, lambda: "three")
    assert cache.get(1, lambda: "reloaded") == "reloaded"
    assert cache.get(3, lambda: "not used") == "three"
