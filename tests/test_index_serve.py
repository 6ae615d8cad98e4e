"""A store traced by the server while the server keeps adding to it stays correct (issue 20)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

from wiretrace.doc.article import Article
from wiretrace.index.merge_policy import next_merge
from wiretrace.web.service import WebConfig, Workbench

T0 = datetime(2033, 2, 1, tzinfo=UTC)


_SYLLABLES = ("ka", "lo", "mir", "tes", "vun", "pra", "dol", "ens", "rik", "zu")


def _name(n: int, salt: int) -> str:
    """An invented word of its own per article, so each wire's first sentence is unique."""
    return "".join(_SYLLABLES[int(d)] for d in str(n * 7 + salt)).title()


def _wire(n: int) -> Article:
    return Article.create(
        f"The {_name(n, 1)} river ferry was stopped at {_name(n, 3)} lock by {_name(n, 5)} "
        f"inspectors on Tuesday. Harbour clerk Oda Fenn said cargo number {n * 11} stayed "
        "sealed until noon. "
        f"Pilots from berth {n % 9} waited on the quay while the lock keeper counted crates.",
        url=f"https://tallow.example/{n}",
        outlet="Tallow Wire",
        published_at=T0 + timedelta(minutes=n),
    )


def _copy(wire: Article) -> Article:
    first = wire.text.split(". ")[0]
    return Article.create(
        f"{first}. Nobody in the district had expected the closure, a shop owner remarked.",
        url=f"https://farm.example/{wire.id}",
        outlet="farm",
        published_at=T0 + timedelta(days=30),
    )


def test_traces_during_a_long_add_find_every_source_added_before(tmp_path: Path) -> None:
    bench = Workbench(WebConfig(db=tmp_path / "grow.duckdb", readers=2))
    added: list[Article] = []
    failures: list[str] = []
    stop = threading.Event()

    def writer() -> None:
        for b in range(32):  # small batches: segments merge tier by tier as the store grows
            batch = [_wire(3 * b + k) for k in range(3)]
            bench.add(batch)
            added.extend(batch)
        stop.set()

    def reader() -> None:
        checked = 0
        while not stop.is_set() or checked < 5:
            for wire in list(added)[-4:] + list(added)[:2]:
                report = bench.trace(_copy(wire))
                first = report["sentences"][0]
                found = [s["article_id"] for s in first["sources"]]
                if first["status"] != "copied" or wire.id not in found:
                    failures.append(f"{wire.url}: {first['status']} {found}")
                checked += 1
            if not added:
                stop.wait(0.01)

    threads = [
        threading.Thread(target=writer),
        *(threading.Thread(target=reader) for _ in range(2)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    try:
        assert not failures, failures[:5]
        assert bench.index is not None
        sizes = [len(s) for s in bench.index.segments]
        assert next_merge(sizes) is None and len(sizes) < 32  # merged as it grew
        for wire in (added[0], added[50], added[-1]):
            report = bench.trace(_copy(wire))
            assert wire.id in [s["article_id"] for s in report["sentences"][0]["sources"]]
    finally:
        bench.close()
