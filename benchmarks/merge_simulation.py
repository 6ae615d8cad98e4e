"""Bytes the candidate index writes, by merge policy and store size: a simulation, checked
against measured ingests.

    .venv/bin/python benchmarks/merge_simulation.py [--postings-per-article 281]
        [--measured /tmp/ingest-100000.json ...]

Simulated, for 100k / 1M / 10M articles added 500 at a time (one segment per batch):

- `old`: the policy before issue 20 (more than 8 segments: merge the 4 smallest), with the
  source records carried by every merge;
- `tiered`: `wiretrace.index.merge_policy` (size tiers of fan-in 4; records written once, apart);
- `bulk`: what `wiretrace add` and `reindex` now do (`ShingleIndex.bulk`): sorted runs of
  `RUN_POSTINGS`, merged `MAX_RUNS` at a time while they pile up, and the merged groups
  with the last runs into one at the end.

The defaults are measured on the generated corpus (`corpus_gen.py`, 20,000 articles): 281
postings and 1,823 bytes of compressed record per article.

Write amplification is bytes written for postings (12 per posting: hash, doc, sentence) over
the bytes of the final postings. `--measured` takes the JSON line printed last by
`ingest_throughput.py` and sets the simulated index bytes beside the bytes the index wrote.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path

from wiretrace.index.merge_policy import next_merge
from wiretrace.index.postings import MAX_RUNS, RUN_POSTINGS

POSTING_BYTES = 12
BATCH = 500


def old_policy(sizes: list[int]) -> list[int] | None:
    if len(sizes) <= 8:
        return None
    return sorted(range(len(sizes)), key=lambda i: sizes[i])[:4]


def simulate_batches(
    articles: int, per_article: float, record_bytes: float, policy: Callable[..., list[int] | None]
) -> dict[str, float]:
    """One segment per batch of 500, merged by `policy`; postings and record bytes written."""
    sizes: list[int] = []  # postings per segment
    docs: list[int] = []
    written = 0.0
    records = 0.0
    carried = policy is old_policy  # the old segments held their articles' records
    for start in range(0, articles, BATCH):
        n = min(BATCH, articles - start)
        sizes.append(round(n * per_article))
        docs.append(n)
        written += sizes[-1] * POSTING_BYTES
        records += n * record_bytes
        while (chosen := policy(sizes)) is not None:
            merged = sum(sizes[i] for i in chosen)
            merged_docs = sum(docs[i] for i in chosen)
            written += merged * POSTING_BYTES
            if carried:
                records += merged_docs * record_bytes
            sizes = [s for i, s in enumerate(sizes) if i not in chosen] + [merged]
            docs = [d for i, d in enumerate(docs) if i not in chosen] + [merged_docs]
    return _summary(articles, per_article, written, records, len(sizes))


def simulate_bulk(articles: int, per_article: float, record_bytes: float) -> dict[str, float]:
    total = round(articles * per_article)
    runs = [RUN_POSTINGS] * (total // RUN_POSTINGS) + (
        [total % RUN_POSTINGS] if total % RUN_POSTINGS else []
    )
    written = float(total * POSTING_BYTES)  # every run written once
    pending: list[int] = []
    groups: list[int] = []
    for run in runs:
        pending.append(run)
        if len(pending) >= MAX_RUNS:
            groups.append(sum(pending))
            written += groups[-1] * POSTING_BYTES
            pending = []
    if len(groups) + len(pending) > 1:
        written += (sum(groups) + sum(pending)) * POSTING_BYTES
    return _summary(articles, per_article, written, articles * record_bytes, 1)


def _summary(
    articles: int, per_article: float, written: float, records: float, segments: int
) -> dict[str, float]:
    final = articles * per_article * POSTING_BYTES
    return {
        "articles": articles,
        "amplification": written / final,
        "postings_gb": written / 1e9,
        "records_gb": records / 1e9,
        "kib_per_article": (written + records) / articles / 1024,
        "segments": segments,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postings-per-article", type=float, default=281.0)
    parser.add_argument(
        "--record-bytes", type=float, default=1823.0, help="a compressed source record"
    )
    parser.add_argument("--sizes", default="100000,1000000,10000000")
    parser.add_argument("--measured", type=Path, nargs="*", default=[])
    args = parser.parse_args()
    per, rec = args.postings_per_article, args.record_bytes
    print(
        f"{per:.0f} postings and {rec:.0f} record bytes per article; "
        f"runs of {RUN_POSTINGS:,} postings, merged {MAX_RUNS} at a time\n"
    )
    print(
        "| articles | policy | postings written / final | GB postings | GB records "
        "| KiB per article | segments |"
    )
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: |")
    for articles in (int(x) for x in args.sizes.split(",")):
        rows = {
            "old (8 segments, merge 4 smallest)": simulate_batches(articles, per, rec, old_policy),
            "tiered, 500-article segments": simulate_batches(articles, per, rec, next_merge),
            "bulk (external sort)": simulate_bulk(articles, per, rec),
        }
        for name, r in rows.items():
            print(
                f"| {articles:,} | {name} | {r['amplification']:.1f}x | {r['postings_gb']:.1f} | "
                f"{r['records_gb']:.1f} | {r['kib_per_article']:.1f} | {r['segments']} |"
            )
    for path in args.measured:
        run = json.loads(path.read_text().strip().splitlines()[-1])
        ours = run["results"]["wiretrace add"]
        parts = ours["parts"]
        index_bytes = sum(
            part["write_bytes"]
            for name, part in parts.items()
            if name.startswith("index ") and "inside" not in name
        )
        bulk = parts.get("index finish (last run, final merge)", {}).get("calls")
        articles = run["articles"]
        predicted = (
            simulate_bulk(articles, per, rec)
            if bulk
            else simulate_batches(articles, per, rec, old_policy)
        )
        predicted_bytes = (predicted["postings_gb"] + predicted["records_gb"]) * 1e9
        print(
            f"\nmeasured {path.name}: {articles:,} articles, the index wrote "
            f"{index_bytes / 1e9:.2f} GB; simulated ({'bulk' if bulk else 'old'}) "
            f"{predicted_bytes / 1e9:.2f} GB ({index_bytes / predicted_bytes:.2f}x the simulation)"
        )


if __name__ == "__main__":
    main()
