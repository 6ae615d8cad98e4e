"""A SIGKILL in the middle of an ingest leaves a consistent store; the same command completes it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from wiretrace.store.articles import Store, fetch_one

ARTICLES = 12_000


def _corpus(path: Path) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for n in range(ARTICLES):
            text = (
                f"Dispatch {n} from the Velmora desk. Convoy {n} reached depot {n % 17}. "
                f"Drivers counted {n * 3} crates.\n\nThe relief office said it was satisfied."
            )
            handle.write(json.dumps({"url": f"https://desk.example/{n}", "text": text}) + "\n")


def _consistent(db: Path) -> int:
    with Store(db) as store:
        orphans = fetch_one(
            store.db,
            "SELECT count(*) FROM sentences WHERE article_id NOT IN (SELECT id FROM articles)",
        )
        bare = fetch_one(
            store.db,
            "SELECT count(*) FROM articles WHERE id NOT IN (SELECT article_id FROM sentences)",
        )
        assert orphans == (0,) and bare == (0,)
        return store.count()


def _children(pid: int) -> list[int]:
    found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(child) for child in found]


def _gone(pids: list[int], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    alive = pids
    while time.monotonic() < deadline:
        alive = [p for p in pids if Path(f"/proc/{p}/stat").exists() and not _zombie(p)]
        if not alive:
            return
        time.sleep(0.1)
    raise AssertionError(f"worker processes {alive} outlived the killed add")


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return False


@pytest.mark.parametrize("workers", ["1", "2"])
def test_sigkill_mid_ingest_then_rerun(tmp_path: Path, workers: str) -> None:
    corpus = tmp_path / "corpus.jsonl"
    _corpus(corpus)
    db = tmp_path / "killed.duckdb"
    command = [sys.executable, "-m", "wiretrace.cli", "add", str(corpus), "--db", str(db), "-q",
               "--workers", workers]  # fmt: skip
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wal = db.with_name(db.name + ".wal")
    deadline = time.monotonic() + 60
    # Wait until at least one batch has been written, then kill without warning.
    while time.monotonic() < deadline and proc.poll() is None:
        if wal.exists() and wal.stat().st_size > 200_000:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "ingest finished before it could be killed; enlarge the corpus"
    children = _children(proc.pid)
    assert len(children) >= 2 if workers == "2" else children == []
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    _gone(children, timeout=10)  # the worker processes leave with their parent

    partial = _consistent(db)
    assert 0 < partial < ARTICLES

    rerun = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert _consistent(db) == ARTICLES
