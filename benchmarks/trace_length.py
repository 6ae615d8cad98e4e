"""Trace time against article length: 2k / 4k / 8k / 40k sentences, alignment on and off.

    .venv/bin/python benchmarks/trace_length.py [--store 2000] [--sizes 2000,4000,8000,40000]

A store of generated articles (benchmarks/corpus_gen.py) is built in a temporary directory; each
target is a long article made of sentences copied from random stored articles (half of them) and
new generated sentences, published after every stored one. Each size is traced once with passage
alignment on (the default) and once with it off (`TraceParams(passage_docs=0)`, the sentence-level
tracer alone: the peer in the same run), claims off (they are per-sentence and measured by
benchmarks/claims_speed.py). Linear cost means a flat time per sentence across sizes.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from corpus_gen import generate_articles, write_jsonl
from wiretrace import api
from wiretrace.doc.article import Article
from wiretrace.store.articles import Store
from wiretrace.trace.params import TraceParams
from wiretrace.trace.tracer import Tracer


def long_article(store: Store, sentences: int, seed: int) -> Article:
    rng = random.Random(seed)
    ids = [r[0] for r in store.db.execute("SELECT id FROM articles ORDER BY id").fetchall()]
    fresh = generate_articles(sentences, seed=seed + 99, copy_share=0.0)
    out: list[str] = []
    while len(out) < sentences:
        if rng.random() < 0.5:
            article = store.get(rng.choice(ids))
            assert article is not None
            out.extend(s.text for s in article.sentences[: rng.randint(1, 6)])
        else:
            text = next(fresh)["text"].replace("\n\n", " ")
            out.extend(s if s.endswith(".") else s + "." for s in text.split(". ")[:6])
    return Article.create(
        " ".join(out[:sentences]), url=f"https://long.example/{sentences}", title="long"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=int, default=2000, help="generated articles stored")
    parser.add_argument("--sizes", default="2000,4000,8000,40000")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    with tempfile.TemporaryDirectory(prefix="wiretrace-length-") as tmp:
        db = Path(tmp) / "length.duckdb"
        api.add([write_jsonl(Path(tmp) / "corpus.jsonl", args.store)], db=db)
        with Store(db, read_only=True) as store:
            on = Tracer(store, claims=False, semantic=False)
            off = Tracer(store, claims=False, semantic=False, params=TraceParams(passage_docs=0))
            on.trace(long_article(store, 50, 1))  # warm caches
            for size in sizes:
                article = long_article(store, size, size)
                row: dict[str, float] = {"sentences": len(article.sentences)}
                for name, tracer in (("aligned", on), ("sentence_only", off)):
                    started = time.perf_counter()
                    report = tracer.trace(article)
                    seconds = time.perf_counter() - started
                    row[f"{name}_s"] = round(seconds, 2)
                    row[f"{name}_ms_per_sentence"] = round(1000 * seconds / size, 3)
                    row[f"{name}_derived"] = sum(
                        t.status in ("copied", "paraphrased") for t in report.sentences
                    )
                rows.append(row)
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    print("| sentences | aligned s | ms / sentence | sentence-level only s | ms / sentence |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        print(
            f"| {r['sentences']:,.0f} | {r['aligned_s']} | {r['aligned_ms_per_sentence']} | "
            f"{r['sentence_only_s']} | {r['sentence_only_ms_per_sentence']} |"
        )


if __name__ == "__main__":
    main()
