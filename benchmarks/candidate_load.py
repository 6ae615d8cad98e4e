"""Candidate load of real news beside the generated corpus the speed benchmarks use.

    PYTHONPATH=src:benchmarks .venv/bin/python benchmarks/candidate_load.py [--workdir W]

The reuse pass's aligned stage costs what a target's candidates cost, so a speed figure on
generated articles (`corpus_gen.py`) says something about a real crawl only if the generated
corpus loads the aligner as real news does. The real side is every news text in `../shared/eval`
(GVDB's articles, PolNeAR's, PTC's, METER's PA copy and newspaper texts) in a shuffled order,
7 minutes apart, under invented outlets; the generated side is as many `corpus_gen` articles of
the same mean length. Each is stored and run through the DuckDB reuse pass until `candidates`,
then `--ranges` ranges of 1,000 targets are aligned in this process (`reuse_speed.sample_aligned`).

Printed per corpus (one JSON object each): articles, words per article, how concentrated the
content words are (the most frequent one's share of content tokens, the top 10's, the top
100's), candidate rows and distinct candidate sources per target (mean, median, p90, share of
targets with more than 20), relations per sampled target, and aligned CPU ms per target.
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import shutil
import subprocess
import sys
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb

sys.path.insert(0, str(Path(__file__).parent))
import reuse_speed
from corpus_gen import generate_articles
from reuse_speed import run_engine, sample_aligned
from wiretrace.trace.matching import SentenceWords

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"


def real_texts(root: Path) -> list[str]:
    """Every news text of the evaluation corpora (not their labels)."""
    texts: list[str] = []
    with (root / "gunviolence" / "articles.jsonl").open(encoding="utf-8") as handle:
        texts.extend(json.loads(line).get("text") or "" for line in handle)
    texts.extend(p.read_text(encoding="utf-8") for p in sorted(root.glob("polnear/*/text/*")))
    texts.extend(p.read_text(encoding="utf-8") for p in sorted(root.glob("ptc/*.txt")))
    for name in ("pa", "newspapers"):
        with (root / "meter" / f"{name}.jsonl").open(encoding="utf-8") as handle:
            texts.extend(json.loads(line).get("text") or "" for line in handle)
    texts = [t for t in texts if t.strip()]
    random.Random(3).shuffle(texts)  # the corpora interleaved, as a crawl would have them
    return texts


def records(texts: Iterable[str]) -> Iterable[dict[str, str]]:
    start = datetime(2030, 1, 1, tzinfo=UTC)
    for n, text in enumerate(texts):
        outlet = f"outlet{n % 200}.example"
        yield {
            "url": f"https://{outlet}/{n}",
            "outlet": outlet,
            "title": "",
            "published": (start + timedelta(minutes=7 * n)).isoformat(),
            "text": text,
        }


def word_stats(texts: Iterable[str]) -> dict[str, Any]:
    """Words per text and the head of the content-word distribution."""
    counts: collections.Counter[str] = collections.Counter()
    words = documents = 0
    for text in texts:
        sentence = SentenceWords.of(text)
        counts.update(w for w in sentence.words if w in sentence.content)
        words += len(sentence.words)
        documents += 1
    total = sum(counts.values()) or 1
    ranked = [n for _, n in counts.most_common(100)]
    return {
        "articles": documents,
        "words_per_article": round(words / max(documents, 1)),
        "content_top1": round(sum(ranked[:1]) / total, 4),
        "content_top10": round(sum(ranked[:10]) / total, 4),
        "content_top100": round(sum(ranked[:100]) / total, 4),
    }


def candidate_stats(workdir: Path) -> dict[str, Any]:
    """Candidate rows and distinct candidate sources per target (targets with any)."""
    scan = f"read_parquet('{workdir / 'candidates.parquet'}')"
    row = duckdb.sql(
        f"""WITH t AS (SELECT tdoc, count(*) AS n, count(DISTINCT sdoc) AS k FROM {scan}
        GROUP BY tdoc)
        SELECT count(*), avg(n), avg(k), median(k), quantile_disc(k, 0.9), avg((k > 20)::INT)
        FROM t"""
    ).fetchall()[0]
    return {
        "targets_with_candidates": int(row[0]),
        "candidate_rows_per_target": round(float(row[1] or 0), 1),
        "candidate_sources_mean": round(float(row[2] or 0), 1),
        "candidate_sources_median": float(row[3] or 0),
        "candidate_sources_p90": int(row[4] or 0),
        "targets_over_20_sources": round(float(row[5] or 0), 3),
    }


def measure(name: str, texts: list[str], work: Path, ranges: int) -> dict[str, Any]:
    here = work / name
    shutil.rmtree(here, ignore_errors=True)
    here.mkdir(parents=True)
    corpus = here / "corpus.jsonl"
    with corpus.open("w", encoding="utf-8") as handle:
        handle.writelines(json.dumps(r) + "\n" for r in records(texts))
    db = here / "store.duckdb"
    subprocess.run(
        [sys.executable, "-m", "wiretrace.cli", "add", str(corpus), "-q", "--db", str(db)],
        check=True,
    )
    reuse_speed.WORK = here  # the pass's work directory goes beside the store
    run = run_engine("duckdb", len(texts), "local[2]", 2, db, "candidates")
    rows_path = here / "sampled-rows.jsonl"
    sampled = sample_aligned(Path(run["workdir"]), ranges, 2, rows_path)
    rows = [json.loads(line) for line in rows_path.read_text(encoding="utf-8").splitlines()]
    targets = sum(1 for r in rows if r["kind"] == "article")
    relations = sum(1 for r in rows if r["kind"] == "relation")
    return {
        "corpus": name,
        **word_stats(texts),
        **candidate_stats(Path(run["workdir"])),
        "sampled_targets": targets,
        "relations_per_target": round(relations / max(targets, 1), 2),
        "aligned_cpu_ms_per_target": sampled["aligned_cpu_ms_per_article"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval", type=Path, default=EVAL, help="the evaluation corpora")
    parser.add_argument("--workdir", type=Path, default=Path(__file__).parent / "work" / "load")
    parser.add_argument("--ranges", type=int, default=5, help="ranges of 1,000 targets aligned")
    args = parser.parse_args()
    real = real_texts(args.eval)
    mean_words = sum(len(t.split()) for t in real) // len(real)
    generated = [a["text"] for a in generate_articles(len(real), words_per_article=mean_words)]
    for name, texts in (("real news", real), ("generated", generated)):
        print(json.dumps(measure(name.replace(" ", "-"), texts, args.workdir, args.ranges)))


if __name__ == "__main__":
    main()
