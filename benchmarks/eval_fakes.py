"""FA-KES casualty counts: exact match and mean absolute error per group, and place accuracy.

Reads ../shared/eval/fakes-dev.csv at run time (it is not part of the repo). The 499 articles
are split by unit_id parity: rules are developed on the even half; both halves are printed so
the odd half shows how far the rules carry to articles they were not tuned on. An unknown count
(None) is scored as 0, the dataset's default.

    .venv/bin/python benchmarks/eval_fakes.py [--json] [--errors N] [--csv PATH]
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from wiretrace.claims.casualties import casualty_summary
from wiretrace.claims.figures import find_figures
from wiretrace.corroborate.claimrows import claim_rows
from wiretrace.doc.article import Article

DEFAULT_CSV = Path(__file__).resolve().parents[2] / "shared" / "eval" / "fakes-dev.csv"
FIELDS = {
    "civilians": "nb_civilians",
    "children": "nb_children",
    "women": "nb_women",
    "non_civilians": "nb_noncivilians",
}
# Anchors for civilians exact match (held-out sample of 100, docs in ../shared/methods.md).
ANCHORS = [
    ("always 0", 0.25),
    ("largest number near a death word", 0.20),
    ("an hour of hand rules", 0.74),
    ("published: NT5 QA (Zhong et al. 2023)", 0.81),
    ("published: regex", "0.12-0.26"),
]
# Spelling variants of the governorates FA-KES codes as `location`.
_ALIASES = {
    "hasaka": "hasakeh",
    "hassakeh": "hasakeh",
    "hasakah": "hasakeh",
    "al-hasakah": "hasakeh",
    "deir ez-zor": "deir ezzor",
    "deir al-zor": "deir ezzor",
    "deir ezzor": "deir ezzor",
    "deir el-zour": "deir ezzor",
    "deir ezzour": "deir ezzor",
    "latakia": "lattakia",
    "tartus": "tartous",
    "idleb": "idlib",
    "dara": "daraa",
    "deraa": "daraa",
    "halab": "aleppo",
    "al-raqqa": "raqqa",
    "raqqah": "raqqa",
    "ar-raqqah": "raqqa",
}


def norm_place(place: str | None) -> str:
    """Lower case, one space, known spelling variants mapped to FA-KES's spelling."""
    text = re.sub(r"\s+", " ", (place or "").lower().replace("’", "'")).strip()
    return _ALIASES.get(text, text)


def load(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8", errors="replace") as handle:
        return list(csv.DictReader(handle))


def to_article(row: dict[str, str]) -> Article:
    try:
        published = datetime.strptime(row["date"], "%m/%d/%y").replace(tzinfo=UTC)
    except ValueError:
        published = None
    return Article.create(
        row["article_content"], title=row["article_title"], published_at=published
    )


# FA-KES codes `location` by governorate; GeoNames first-order regions (admin1) of Syria map
# onto them one to one, except that Rif Dimashq (SY.08) is coded as Damascus.
REGIONS = {
    "SY.01": "hasakeh",
    "SY.02": "lattakia",
    "SY.03": "quneitra",
    "SY.04": "raqqa",
    "SY.05": "suwayda",
    "SY.06": "daraa",
    "SY.07": "deir ezzor",
    "SY.08": "damascus",
    "SY.09": "aleppo",
    "SY.10": "hama",
    "SY.11": "homs",
    "SY.12": "idlib",
    "SY.13": "damascus",
    "SY.14": "tartous",
}


def predicted_place(article: Article) -> str | None:
    """The governorate of the article's main incident: its first death claim's region.

    The claim rows of `wiretrace.corroborate` give each figure a place (its own, the first in its
    sentence, or the article's main place); the first death figure's place, else the first
    incident figure's, is resolved to its first-order region.
    """
    rows = [r for r in claim_rows(article) if r.claim_type == "figure" and r.place]
    row = next((r for r in rows if r.kind == "killed"), rows[0] if rows else None)
    if row is None:
        return None
    return REGIONS.get(row.region or "", row.place)


def evaluate(
    rows: list[dict[str, str]],
) -> tuple[dict[str, dict[str, float]], list[dict[str, object]]]:
    """Scores per half ("even", "odd", "all") and every row's prediction."""
    preds: list[dict[str, object]] = []
    for row in rows:
        article = to_article(row)
        figures = find_figures(article)
        summary = casualty_summary(article, figures)
        place = predicted_place(article)
        preds.append({"row": row, "summary": summary, "place": place})
    scores: dict[str, dict[str, float]] = {}
    for half in ("even", "odd", "all"):
        chosen = [
            p
            for p in preds
            if half == "all" or (int(str(p["row"]["unit_id"])) % 2 == 0) == (half == "even")  # type: ignore[index]
        ]
        result: dict[str, float] = {"n": len(chosen)}
        for field, column in FIELDS.items():
            gold = [int(p["row"][column]) for p in chosen]  # type: ignore[index]
            got = [p["summary"][field] or 0 for p in chosen]  # type: ignore[index]
            result[f"{field}_exact"] = sum(g == o for g, o in zip(gold, got, strict=True)) / len(
                gold
            )
            result[f"{field}_mae"] = sum(abs(g - o) for g, o in zip(gold, got, strict=True)) / len(
                gold
            )
        hits = [
            norm_place(str(p["place"])) == norm_place(p["row"]["location"])  # type: ignore[index]
            for p in chosen
        ]
        result["place_accuracy"] = sum(hits) / len(hits)
        scores[half] = result
    return scores, preds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    parser.add_argument("--json", action="store_true", help="print scores as JSON")
    parser.add_argument(
        "--errors", type=int, default=0, help="print N civilian mismatches (even half)"
    )
    args = parser.parse_args(argv)
    rows = load(args.csv)
    started = time.perf_counter()
    scores, preds = evaluate(rows)
    elapsed = time.perf_counter() - started
    if args.json:
        print(json.dumps({"scores": scores, "seconds": round(elapsed, 3)}, indent=2))
    else:
        print(f"FA-KES dev ({len(rows)} articles, {elapsed:.2f} s incl. sentence split)")
        print(
            f"{'field':<15}"
            + "".join(f"{h + ' exact':>12}{h + ' MAE':>11}" for h in ("even", "odd"))
        )
        for field in FIELDS:
            print(
                f"{field:<15}"
                + "".join(
                    f"{scores[h][field + '_exact']:>12.3f}{scores[h][field + '_mae']:>11.2f}"
                    for h in ("even", "odd")
                )
            )
        print(
            f"{'place':<15}"
            + "".join(f"{scores[h]['place_accuracy']:>12.3f}{'':>11}" for h in ("even", "odd"))
        )
        print("anchors, civilians exact match (held-out 100):")
        for name, value in ANCHORS:
            print(f"  {name:<40} {value}")
    shown = 0
    for pred in preds:
        row: dict[str, str] = pred["row"]  # type: ignore[assignment]
        summary: dict[str, int | None] = pred["summary"]  # type: ignore[assignment]
        if shown >= args.errors or int(row["unit_id"]) % 2:
            continue
        if (summary["civilians"] or 0) != int(row["nb_civilians"]):
            shown += 1
            print(
                f"\n--- {row['unit_id']} gold civ={row['nb_civilians']} ch={row['nb_children']}"
                f" nonciv={row['nb_noncivilians']} | got {summary}"
            )
            print("TITLE:", row["article_title"])
            print("TEXT:", row["article_content"][:700])
    return 0


if __name__ == "__main__":
    sys.exit(main())
