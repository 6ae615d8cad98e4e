"""A parallel add (articles made on worker processes) stores exactly what a serial one does."""

from __future__ import annotations

import json
import multiprocessing
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from wiretrace.errors import InputError
from wiretrace.index.postings import ShingleIndex
from wiretrace.index.updates import add_inputs
from wiretrace.ingest.records import RawRecord
from wiretrace.ingest.run import Reading
from wiretrace.ingest.workers import CHUNK_RECORDS, RecordWorkers
from wiretrace.store.articles import Store


def _corpus(path: Path, count: int) -> Path:
    """Synthetic dispatches with a few bad records among them (no text, bad or odd dates)."""
    with path.open("w", encoding="utf-8") as handle:
        for n in range(count):
            record: dict[str, object] = {
                "url": f"https://ferries{n % 7}.example/{n}",
                "title": f"Ferry {n} leaves Oskarholm",
                "published": f"2031-05-{1 + n % 28:02d}T08:00:00Z",
                "text": (
                    f"The ferry number {n} left the Oskarholm quay at dawn. "
                    f"The harbour master said {n * 7} passengers and {n % 31} lorries were "
                    f"aboard.\n\nA storm over the Vessel strait delayed crossing {n % 5} by "
                    "an hour, the coast office said."
                ),
            }
            if n % 97 == 5:
                record["text"] = "   "  # refused: no article text
            if n % 89 == 7:
                record["published"] = "the day after the storm"  # a warning, stored undated
            if n % 101 == 9:
                record["published"] = "1203-01-01"  # refused: outside the sane years
            handle.write(json.dumps(record) + "\n")
    return path


def _store_contents(db: Path) -> dict[str, object]:
    with Store(db) as store:
        articles = store.db.execute(
            "SELECT id, url, title, published_at, language, text, origin_record FROM articles "
            "ORDER BY origin_record"
        ).fetchall()
        sentences = store.db.execute(
            "SELECT article_id, idx, start, stop FROM sentences ORDER BY article_id, idx"
        ).fetchall()
        index = ShingleIndex(store)
        postings = sorted(
            (h, index.doc_ids[d], s)
            for segment in index.segments
            for h, d, s in zip(
                np.asarray(segment.hashes).tolist(),
                np.asarray(segment.docs).tolist(),
                np.asarray(segment.sents).tolist(),
                strict=True,
            )
        )
        records = [index.source(key) for key in range(len(index.doc_ids))]
    return {"articles": articles, "sentences": sentences, "postings": postings,
            "records": [(r.url, r.text, r.spans) if r else None for r in records]}  # fmt: skip


def test_parallel_add_stores_and_indexes_exactly_what_a_serial_add_does(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "ferries.jsonl", 3 * CHUNK_RECORDS + 17)
    reports = {}
    for workers in (1, 2):
        with Store(tmp_path / f"w{workers}.duckdb") as store:
            reports[workers] = add_inputs([corpus], store=store, workers=workers)
    serial, parallel = reports[1], reports[2]
    assert serial.added == parallel.added > 300
    assert serial.article_ids == parallel.article_ids
    assert [(e.code, e.source, e.record, e.reason) for e in serial.errors] == [
        (e.code, e.source, e.record, e.reason) for e in parallel.errors
    ]
    assert len(serial.errors) >= 6 and len(serial.warnings) >= 4
    assert serial.warnings == parallel.warnings
    assert _store_contents(tmp_path / "w1.duckdb") == _store_contents(tmp_path / "w2.duckdb")
    for workers in (1, 2):
        # The store's order (the reuse pass's doc keys) is the order read, whichever worker
        # made an article first.
        with Store(tmp_path / f"w{workers}.duckdb") as store:
            rows = store.db.execute(
                "SELECT origin_record FROM articles ORDER BY ingested_at, id"
            ).fetchall()
        assert [r[0] for r in rows] == sorted(r[0] for r in rows)


def _reader_failing_after(count: int) -> Iterator[RawRecord | InputError]:
    for n in range(count):
        yield RawRecord(text=f"Dispatch {n} reached the Tessel depot.", source="feed", record=n + 1)
    raise OSError("the disk went away")


def test_a_reader_failure_comes_after_every_record_read_before_it() -> None:
    count = 2 * CHUNK_RECORDS + 5
    made = []
    with RecordWorkers(2) as workers, pytest.raises(OSError, match="disk went away"):
        for outcome in workers.made(_reader_failing_after(count)):
            made.append(outcome)
    assert [m.article.origin_record for m in made if m.article] == list(range(1, count + 1))


def test_small_inputs_stay_in_process(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "few.jsonl", 20)
    reading = Reading([corpus])  # workers=None: every core, but only for big inputs
    for articles in reading.per_input():
        assert sum(1 for _ in articles) > 10
        assert multiprocessing.active_children() == []


def test_cli_add_with_workers(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "ferries.jsonl", CHUNK_RECORDS + 3)
    db = tmp_path / "cli.duckdb"
    command = [sys.executable, "-m", "wiretrace.cli", "add", str(corpus), "--db", str(db)]
    done = subprocess.run(
        [*command, "--workers", "2", "--format", "json"], capture_output=True, text=True
    )
    assert done.returncode == 1, done.stderr  # some records refused, the rest stored
    report = json.loads(done.stdout)
    assert report["added"] == CHUNK_RECORDS + 3 - len(report["errors"]) > 100
    refused = subprocess.run([*command, "--workers", "0"], capture_output=True, text=True)
    assert refused.returncode == 2 and "--workers" in refused.stderr
