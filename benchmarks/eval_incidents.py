"""Incident grouping and independence: FA-KES pairwise F1 and a generated world of copies.

    .venv/bin/python benchmarks/eval_incidents.py [--csv PATH] [--incidents 80] [--json]

(1) FA-KES (../shared/eval/fakes-dev.csv, read at run time): each article is ingested with its
coded `date` as publication time and `source` as outlet; two articles are "the same" when the
crowd coding gives them the same date and location. An article's predicted incident is the
group of its first death claim (a figure, else a death reported without a count; articles with
neither are alone). Pairwise precision, recall and F1, and for each group of two or more
articles whether the coded civilian counts fall within its figure range. (2) A generated
world of invented wire stories, content-farm copies with edits, independent reports and
conflicting figures (no real text): share of groups whose number of independent origins is
exact, and farm echoes graded as corroborated (must be 0).

FA-KES truth keys on each article's coded date, so reports of one attack published on different
days count as different incidents, while wiretrace groups by the event date the text states:
see docs/corroborate.md ("Measured") for what that costs.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import tempfile
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from itertools import combinations
from pathlib import Path
from typing import Any

from wiretrace.corroborate import build_incidents
from wiretrace.doc.article import Article
from wiretrace.store.articles import Store

DEFAULT_CSV = Path(__file__).resolve().parents[2] / "shared" / "eval" / "fakes-dev.csv"
PLACES = ["Aleppo", "Homs", "Hama", "Idlib", "Raqqa", "Latakia", "Daraa", "Mosul", "Kirkuk",
          "Tikrit", "Deir ez-Zor", "Tartus", "Palmyra", "Qamishli", "Erbil", "Samarra"]  # fmt: skip
SOURCES = ["the Syrian Observatory for Human Rights", "civil defence workers",
           "the provincial health directorate", "a local council"]  # fmt: skip
ACTORS = ["air strikes", "shelling", "a car bomb"]


def pairwise(truth: dict[str, str], pred: dict[str, str]) -> dict[str, float]:
    """Pairwise precision, recall and F1 of a clustering against a reference clustering."""
    tp = fp = fn = 0
    for a, b in combinations(sorted(truth), 2):
        same_t, same_p = truth[a] == truth[b], pred[a] == pred[b]
        tp += same_t and same_p
        fp += same_p and not same_t
        fn += same_t and not same_p
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "pairs_true": tp + fn,
        "precision": round(p, 3),
        "recall": round(r, 3),
        "f1": round(f, 3),
    }


def _fakes_article(row: dict[str, str], n: int) -> Article | None:
    try:
        published = datetime.strptime(row["date"], "%m/%d/%y").replace(tzinfo=UTC, hour=12)
    except ValueError:
        return None
    url = f"https://{row['source']}.fakes.example/{row['unit_id']}-{n}"
    return Article.create(row["article_content"], title=row["article_title"], url=url,
                          outlet=row["source"], published_at=published)  # fmt: skip


def eval_fakes(path: Path, workdir: Path) -> dict[str, Any]:
    """Pairwise grouping quality and figure-range coverage on FA-KES."""
    with path.open(newline="", encoding="utf-8", errors="replace") as handle:
        rows = list(csv.DictReader(handle))
    articles, truth, coded = [], {}, {}
    for n, row in enumerate(rows):
        article = _fakes_article(row, n)
        if article is None:
            continue
        articles.append(article)
        truth[article.id] = f"{row['date']}|{row['location'].strip().lower()}"
        coded[article.id] = float(row["nb_civilians"] or 0)
    db = workdir / "fakes.duckdb"
    with Store(db) as store:
        store.add_articles(articles)
    result = build_incidents(db=db)
    pred = {aid: f"alone:{aid}" for aid in truth}
    first: dict[str, tuple[int, str]] = {}
    for inc in result.incidents:
        if inc.kind != "killed":
            continue
        for claim in inc.claims:
            key = (claim.n, inc.id)
            if claim.article_id in truth and key < first.get(claim.article_id, (10**9, "")):
                first[claim.article_id] = key
    pred.update({aid: gid for aid, (_, gid) in first.items()})
    scores: dict[str, Any] = pairwise(truth, pred)
    members: dict[str, list[str]] = defaultdict(list)
    for aid, gid in pred.items():
        members[gid].append(aid)
    by_id = {inc.id: inc for inc in result.incidents}
    inside = total = 0
    for gid, aids in members.items():
        if len(aids) < 2 or gid not in by_id:
            continue
        fig = by_id[gid].agree.figures.get("civilians") or {}
        low, high = fig.get("low"), fig.get("high")
        for aid in aids:
            total += 1
            inside += low is not None and high is not None and low <= coded[aid] <= high
    scores["articles"] = len(truth)
    scores["grouped_articles"] = len(first)
    scores["coded_civilians_in_group_range"] = round(inside / total, 3) if total else None
    return scores


# -- the generated world ------------------------------------------------------------------

_WIRE = ("{actor} killed {n} civilians in {place} on {day}, {source} said. "
         "Rescue teams searched the rubble of several buildings through the night. "
         "The {place} district has seen repeated attacks in recent weeks.")  # fmt: skip
_LOCAL = ("Our correspondent in {place} counted {n} dead civilians after {actor} hit a residential "
          "street, according to {source}. Families gathered outside the main hospital "
          "waiting for news.")  # fmt: skip
_FARM_EXTRA = ["Critics say the world is silent.", "Share this story with your friends.",
               "Stay tuned for more updates from our team."]  # fmt: skip
_SWAPS = [("searched", "combed"), ("repeated", "frequent"), ("several", "many"),
          ("through the night", "overnight")]  # fmt: skip


def _farm_copy(text: str, rnd: random.Random, n: int) -> tuple[str, int]:
    for old, new in rnd.sample(_SWAPS, 2):
        text = text.replace(old, new)
    changed = n
    if rnd.random() < 0.3:
        changed = n + rnd.choice([2, 5, 10])
        text = text.replace(f"killed {n} ", f"killed {changed} ", 1)
    return text + " " + rnd.choice(_FARM_EXTRA), changed


def world(incidents: int, seed: int = 7) -> tuple[list[Article], dict[str, dict[str, Any]]]:
    """Invented articles and, per incident key, the expected origin count and echo flag."""
    rnd = random.Random(seed)
    start = datetime(2030, 1, 1, 6, tzinfo=UTC)
    articles: list[Article] = []
    expect: dict[str, dict[str, Any]] = {}
    for i in range(incidents):
        place = PLACES[i % len(PLACES)]
        when = start + timedelta(days=5 * (i // len(PLACES)), hours=i % 5)
        n, actor = rnd.randint(4, 60), ACTORS[i % len(ACTORS)]
        day = when.strftime("%A")
        fill = {"actor": actor.capitalize(), "n": n, "place": place, "day": day}
        wire = _WIRE.format(source=rnd.choice(SOURCES), **fill)
        urls = [(wire, f"https://northwire.example/{i}", when)]
        for k in range(rnd.randint(0, 5)):
            copy, _ = _farm_copy(wire, rnd, n)
            urls.append((copy, f"https://farm{k}.example/{i}", when + timedelta(hours=1 + k)))
        independent = rnd.random() < 0.5
        if independent:
            m = n if rnd.random() < 0.6 else n * 3 + 10  # some independent reports conflict
            local = _LOCAL.format(source=rnd.choice(SOURCES), **{**fill, "n": m, "actor": actor})
            urls.append((local, f"https://cityherald.example/{i}", when + timedelta(hours=8)))
        for text, url, moment in urls:
            articles.append(Article.create(text, url=url, published_at=moment))
        expect[f"https://northwire.example/{i}"] = {
            "origins": 1 + independent,
            "echo": not independent and len(urls) > 1,
        }
    return articles, expect


def eval_world(incidents: int, workdir: Path) -> dict[str, Any]:
    """Exact origin counts and echo grades on the generated world."""
    articles, expect = world(incidents)
    db = workdir / "world.duckdb"
    with Store(db) as store:
        store.add_articles(articles)
    result = build_incidents(db=db)
    exact = echo_corroborated = echoes = 0
    wrong: list[str] = []
    for wire_url, want in sorted(expect.items()):
        inc = next(
            (
                x
                for x in result.incidents
                if x.kind == "killed" and wire_url in x.to_dict()["articles"]
            ),
            None,
        )
        got = len(inc.ind.origins) if inc else 0
        exact += got == want["origins"]
        if got != want["origins"]:
            wrong.append(f"{wire_url}: {got} origins, want {want['origins']}")
        if want["echo"]:
            echoes += 1
            echo_corroborated += inc is not None and inc.grade in ("fair", "confirmed")
    return {
        "groups": len(expect),
        "exact_origins": round(exact / len(expect), 3),
        "farm_echoes": echoes,
        "echoes_graded_corroborated": echo_corroborated,
        "articles": len(articles),
        "examples_wrong": wrong[:5],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    parser.add_argument("--incidents", type=int, default=80)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        out: dict[str, Any] = {"world": eval_world(args.incidents, Path(tmp))}
        if args.csv.exists():
            out["fakes"] = eval_fakes(args.csv, Path(tmp))
    if args.json:
        print(json.dumps(out, indent=1))
    else:
        for name, scores in out.items():
            print(name)
            for key, value in scores.items():
                print(f"  {key:32} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
