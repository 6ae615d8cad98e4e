"""The helpers shared across packages: word sets, month and weekday names, the LRU map."""

from __future__ import annotations

import threading

from wiretrace.doc.words import (
    MONTH_ABBREVIATIONS,
    MONTHS,
    WEEKDAY_ABBREVIATIONS,
    WEEKDAYS,
    lowered,
    word_set,
)
from wiretrace.lru import LRU


def test_word_set_splits_on_any_whitespace() -> None:
    assert word_set(" a  b\n\tc a ") == frozenset({"a", "b", "c"})


def test_month_and_weekday_names() -> None:
    assert len(MONTHS) == 12 and {"January", "May", "September"} <= MONTHS
    assert {"Jan", "May", "Sep", "Sept", "Dec"} <= MONTH_ABBREVIATIONS
    assert len(MONTH_ABBREVIATIONS) == 13  # Sep and Sept
    assert len(WEEKDAYS) == 7 and "Wednesday" in WEEKDAYS
    assert {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"} == WEEKDAY_ABBREVIATIONS
    assert lowered(MONTHS, WEEKDAYS) == {w.lower() for w in MONTHS | WEEKDAYS}


def test_lru_drops_the_least_recently_used() -> None:
    cache: LRU[str, int] = LRU(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # "a" is now the most recent
    cache.put("c", 3)
    assert cache.get("b") is None and cache.get("a") == 1 and cache.get("c") == 3
    cache.put("a", 10)  # a new value for a kept key
    cache.put("d", 4)
    assert list(cache.items) == ["a", "d"] and cache.get("a") == 10 and len(cache) == 2


def test_lru_from_many_threads_keeps_its_size() -> None:
    cache: LRU[int, int] = LRU(50)

    def fill(offset: int) -> None:
        for i in range(2000):
            cache.put(offset + i, i)
            cache.get(offset + i // 2)

    threads = [threading.Thread(target=fill, args=(n * 10_000,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(cache) == 50
