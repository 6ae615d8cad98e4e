"""A trace stops when whoever asked for it is gone: the tracer's `cancelled` hook on a real
store, and a real HTTP server on 127.0.0.1 whose client hangs up mid-trace."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from wiretrace.doc.article import Article
from wiretrace.errors import TraceCancelled
from wiretrace.index.postings import ShingleIndex
from wiretrace.store.articles import Store
from wiretrace.trace.tracer import Tracer
from wiretrace.web.app import create_app

T0 = datetime(2033, 2, 1, tzinfo=UTC)


def _sentences(n: int, tag: str) -> list[str]:
    """Invented wire sentences, each distinct (a counter and a made-up place in every one)."""
    return [
        f"Crews from the {tag} depot cleared {k} fallen trees near the village of Ardel{k % 97} "
        f"before the morning shift, the district office said in its update number {k}."
        for k in range(n)
    ]


def _store(db: Path, long_sentences: int) -> str:
    wire = Article.create(
        " ".join(_sentences(60, "Northgate")),
        url="https://wire.example/storm",
        title="Storm clean-up",
        published_at=T0,
    )
    long = Article.create(
        " ".join(_sentences(long_sentences, "Northgate")),
        url="https://paper.example/long",
        title="Long storm diary",
        published_at=T0 + timedelta(days=1),
    )
    with Store(db) as store:
        ShingleIndex(store).add(store.add_articles([wire, long]).added)
    return long.id


def test_the_tracer_stops_when_cancelled(tmp_path: Path) -> None:
    db = tmp_path / "c.duckdb"
    long_id = _store(db, 300)
    with Store(db) as store:
        article = store.get(long_id)
        assert article is not None
        tracer = Tracer(store, claims=False)
        polls = 0

        def after_three() -> bool:
            nonlocal polls
            polls += 1
            return polls > 3

        with pytest.raises(TraceCancelled):
            tracer.trace(article, cancelled=after_three)
        assert polls == 4
        report = tracer.trace(article, cancelled=lambda: False)  # not cancelled: finishes
        assert len(report.sentences) == 300


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[tuple[str, Any, str]]:
    db = tmp_path / "web.duckdb"
    long_id = _store(db, 2000)
    app = create_app(db)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while not running.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    yield base, app.state.bench, long_id
    running.should_exit = True
    thread.join(timeout=30)
    app.state.bench.close()


def test_the_server_stops_a_trace_whose_client_hung_up(server: tuple[str, Any, str]) -> None:
    base, bench, long_id = server
    with pytest.raises(httpx.ReadTimeout):
        httpx.get(f"{base}/api/articles/{long_id}/trace", timeout=httpx.Timeout(5, read=0.5))
    deadline = time.monotonic() + 60
    while bench.cancelled_traces == 0:
        assert time.monotonic() < deadline, "the trace ran on after its client left"
        time.sleep(0.1)
    assert bench.cancelled_traces == 1
    assert not bench.traces.items  # nothing half-made was cached
