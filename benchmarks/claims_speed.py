"""Claims pass speed on real news text (FA-KES, read at run time), per component, on one core.

    .venv/bin/python benchmarks/claims_speed.py [--articles 2000] [--detector-articles 200]
        [--tagger-articles 100]

Articles are the 499 FA-KES texts, cycled, each cut or padded to ~600 words. The baseline in the
same run is the floor every component stands on: sentence splitting alone; the quote rules as
they were before issue 19 (`find_quotes(..., legacy=True)`) run beside today's. Reports articles/s
for splitting, each component, the whole `extract_claims` and the whole pass with its JSON
(`to_dict`) on the lexicon path for loaded language, then the whole pass with the trained
propaganda-technique detector (`claims/propaganda.py`, one torch thread; on fewer articles, as it
is slower), and peak memory before and after the detector is loaded. `--tagger-articles N`
adds the `claims` default where the semantic extra is installed (quotes from the trained
attribution tagger with the rules' speakers; one torch thread, bfloat16 where the CPU has it;
`--tagger-fp32` in float32), with the lexicon and then with the detector as well, beside the
same pass on the rules over the same N articles, and the peak memory after each (run with
`--detector-articles 0` for the tagger's own peak). Every row names its path explicitly.

Rates are per core: articles over the process's CPU time (`time.process_time`), which other
processes on a shared machine barely move; wall-clock rates are printed beside them and the
load average with them (a loaded machine lowers the wall-clock rate, not the CPU one).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from wiretrace.claims import extract_claims
from wiretrace.claims.artifacts import find_artifacts
from wiretrace.claims.assertions import classify_sentences
from wiretrace.claims.entities import find_entities
from wiretrace.claims.figures import find_figures
from wiretrace.claims.places import warm
from wiretrace.claims.quotes import find_quotes
from wiretrace.doc.article import Article

POOL = Path(__file__).parent.parent.parent / "shared" / "eval" / "fakes-dev.csv"


def load_articles(count: int) -> list[Article]:
    csv.field_size_limit(sys.maxsize)
    with POOL.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    texts = []
    for row in rows:
        words = row["article_content"].split()
        while len(words) < 600:
            words = words + words
        texts.append((row["article_title"], " ".join(words[:600])))
    return [
        Article.create(texts[n % len(texts)][1], title=texts[n % len(texts)][0], url=f"u{n}")
        for n in range(count)
    ]


def rate(articles: list[Article], step: Callable[[Article], Any]) -> tuple[float, float]:
    """Articles per CPU second and per wall-clock second."""
    cpu, wall = time.process_time(), time.perf_counter()
    for article in articles:
        step(article)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return len(articles) / cpu, len(articles) / wall


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def tagger_rates(count: int, fp32: bool) -> tuple[dict[str, tuple[float, float]], dict[str, float]]:
    """The `claims` default where the semantic extra is installed (quotes from the tagger with
    the rules' speakers), beside the rules on the same articles: with the lexicon for loaded
    language, then with the detector too (all of `claims`'s defaults)."""
    import torch

    from wiretrace.claims import propaganda, tagger

    torch.set_num_threads(1)
    if fp32:
        os.environ[tagger.BF16_ENV] = "0"
    model = tagger.load_tagger()
    if model is None:
        print("claims_speed: the tagger is not installed (semantic extra)", file=sys.stderr)
        raise SystemExit(2)
    out: dict[str, tuple[float, float]] = {}
    fresh = load_articles(count)
    out["whole pass + JSON, rules (`claims --rules --lexicon`, same articles)"] = rate(
        fresh, lambda a: extract_claims(a, tagger=False, detector=False).to_dict()
    )
    fresh = load_articles(count + 1)
    extract_claims(fresh[0], tagger=True, detector=False)  # first call: warm-up, not counted
    kind = "float32" if not model.bf16 else "bfloat16"
    out[f"whole pass + JSON, `claims --lexicon`: tagger + rules' speakers ({kind})"] = rate(
        fresh[1:], lambda a: extract_claims(a, tagger=True, detector=False).to_dict()
    )
    peaks = {"peak_rss_mb_tagger": _peak_mb()}
    if propaganda.load_detector() is not None:
        fresh = load_articles(count + 1)
        extract_claims(fresh[0], tagger=True, detector=True)
        out["whole pass + JSON, `claims` (every default: tagger and detector)"] = rate(
            fresh[1:], lambda a: extract_claims(a, tagger=True, detector=True).to_dict()
        )
        peaks["peak_rss_mb_tagger_detector"] = _peak_mb()
    fresh = load_articles(count)
    out["tagger alone (attributions)"] = rate(fresh, lambda a: model.attributions(a.text))
    return out, peaks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--detector-articles", type=int, default=200)
    parser.add_argument("--tagger-articles", type=int, default=0)
    parser.add_argument("--tagger-fp32", action="store_true", help="the tagger in float32")
    args = parser.parse_args()
    warm()  # the place gazetteer is built once per process (~1 s); not counted per article
    load = os.getloadavg()[0]
    results: dict[str, tuple[float, float]] = {}
    results["sentence splitting (baseline)"] = rate(load_articles(args.articles), lambda a: a.spans)
    articles = load_articles(args.articles)
    for a in articles:
        _ = a.spans  # components below run on split articles; splitting is measured above
    for name, step in (
        ("quotes, rules before issue 19 (baseline)", lambda a: find_quotes(a, legacy=True)),
        ("quotes", find_quotes),
        ("figures", find_figures),
        ("entities", find_entities),
        ("assertions + loaded language", classify_sentences),
        ("artifacts", find_artifacts),
    ):
        results[name] = rate(articles, step)
    fresh = load_articles(args.articles)
    results["whole claims pass (rules), splitting included"] = rate(
        fresh, lambda a: extract_claims(a, tagger=False, detector=False)
    )
    fresh = load_articles(args.articles)
    results["whole pass + JSON (to_dict), rules"] = rate(
        fresh, lambda a: extract_claims(a, tagger=False, detector=False).to_dict()
    )
    peak_lexicon = _peak_mb()
    if args.detector_articles:
        import torch

        from wiretrace.claims.propaganda import load_detector

        torch.set_num_threads(1)
        if load_detector() is None:
            print("claims_speed: the detector is not installed (semantic extra)", file=sys.stderr)
            raise SystemExit(2)
        fresh = load_articles(args.detector_articles)
        extract_claims(fresh[0], tagger=False, detector=True)  # warm-up, not counted
        results["whole pass + JSON, rules with the detector"] = rate(
            fresh[1:], lambda a: extract_claims(a, tagger=False, detector=True).to_dict()
        )
    peak_detector = _peak_mb()
    peaks: dict[str, float] = {}
    if args.tagger_articles:
        tagged, peaks = tagger_rates(args.tagger_articles, args.tagger_fp32)
        results.update(tagged)
    peak = _peak_mb()
    load = max(load, os.getloadavg()[0])
    print(f"{args.articles:,} articles of 600 words (FA-KES texts, cycled), one core")
    print(f"load average (1 min, highest seen) {load:.2f} on {os.cpu_count()} cores\n")
    print("| step | articles/s per core (CPU time) | articles/s (wall clock) |")
    print("| --- | ---: | ---: |")
    for name, (cpu, wall) in results.items():
        print(f"| {name} | {cpu:,.0f} | {wall:,.0f} |")
    print(
        f"\npeak RSS {peak_lexicon:,.0f} MB on the lexicon path, {peak_detector:,.0f} MB with"
        f" the detector, {peak:,.0f} MB in all (the tagger last)"
        + "".join(f"; {name} {mb:,.0f} MB" for name, mb in peaks.items())
    )
    summary = {
        "articles": args.articles,
        "per_second": {name: cpu for name, (cpu, _) in results.items()},
        "per_second_wall": {name: wall for name, (_, wall) in results.items()},
        "load_average": load,
        "peak_rss_mb": peak,
        "peak_rss_mb_lexicon": peak_lexicon,
        "peak_rss_mb_detector": peak_detector,
        **peaks,
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
