"""GVDB casualty counts: killed and injured per article, exact match and mean absolute error.

Reads ../shared/eval/gunviolence/gvdb-dev.jsonl at run time (not part of the repo): 400
crowd-coded US gun-violence articles. They are split in two halves by the parity of the SHA-1
of `gvdb_id`: the rules of `wiretrace.claims.victims` were developed on the "dev" half (even);
the "held" half (odd) was only measured. The baseline runs in the same pass: 1 killed if the
title has a death word, else 0; 1 injured if it has an injury word or "shot" and no death
word, else 0. An unknown count (null) is scored as 0.

    .venv/bin/python benchmarks/eval_gvdb.py [--json] [--errors N] [--data PATH]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from wiretrace.claims.casualties import casualty_summary
from wiretrace.claims.figures import find_figures
from wiretrace.doc.article import Article

DEFAULT_DATA = (
    Path(__file__).resolve().parents[2] / "shared" / "eval" / "gunviolence" / "gvdb-dev.jsonl"
)
FIELDS = ("killed", "injured")
_DEATH = re.compile(
    r"\b(?:kill\w*|dead|deadly|death\w*|die[sd]?|dying|fatal\w*|slain|murder\w*|homicide\w*)\b",
    re.IGNORECASE,
)
_INJURY = re.compile(
    r"\b(?:injur\w*|wound\w*|hurt|hospitali[sz]ed|shot|shooting|critical)\b", re.IGNORECASE
)


def half(gvdb_id: str) -> str:
    """'dev' (rules developed on it) or 'held' (only measured), by the id's SHA-1 parity."""
    return "dev" if int(hashlib.sha1(gvdb_id.encode()).hexdigest(), 16) % 2 == 0 else "held"


def baseline(title: str) -> dict[str, int]:
    """1 killed if the title has a death word; else 1 injured if it has an injury word."""
    if _DEATH.search(title):
        return {"killed": 1, "injured": 0}
    return {"killed": 0, "injured": int(bool(_INJURY.search(title)))}


def load(path: Path) -> list[dict[str, Any]]:
    rows = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise SystemExit(f"{path}:{number}: not a JSON object ({exc.msg})") from exc
    return rows


def to_article(row: dict[str, Any]) -> Article:
    try:
        published = datetime.fromisoformat(row["published"]).replace(tzinfo=UTC)
    except (TypeError, ValueError):
        published = None
    return Article.create(
        row["text"], title=row["title"], url=row.get("url"), published_at=published
    )


def predict(article: Article) -> dict[str, int]:
    summary = casualty_summary(article, find_figures(article))
    return {field: int(summary.get(field) or 0) for field in FIELDS}


def score(pairs: list[tuple[dict[str, int], dict[str, Any]]]) -> dict[str, float]:
    out: dict[str, float] = {"n": len(pairs)}
    for field in FIELDS:
        hits = [got[field] == int(row[field]) for got, row in pairs]
        errors = [abs(got[field] - int(row[field])) for got, row in pairs]
        out[f"{field}_exact"] = round(sum(hits) / max(len(hits), 1), 4)
        out[f"{field}_mae"] = round(sum(errors) / max(len(errors), 1), 4)
    return out


def evaluate(rows: list[dict[str, Any]]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    preds = []
    for row in rows:
        article = to_article(row)
        preds.append(
            {
                "row": row,
                "half": half(str(row["gvdb_id"])),
                "wiretrace": predict(article),
                "baseline": baseline(row["title"]),
            }
        )
    scores: dict[str, Any] = {}
    for name in ("dev", "held", "all"):
        chosen = [p for p in preds if name == "all" or p["half"] == name]
        scores[name] = {
            method: score([(p[method], p["row"]) for p in chosen])
            for method in ("wiretrace", "baseline")
        }
    return scores, preds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--json", action="store_true", help="print scores as JSON")
    parser.add_argument("--errors", type=int, default=0, help="print N mismatches (dev half)")
    args = parser.parse_args(argv)
    if not args.data.is_file():
        print(f"error: {args.data}: no such file", file=sys.stderr)
        return 2
    rows = load(args.data)
    started = time.perf_counter()
    scores, preds = evaluate(rows)
    elapsed = time.perf_counter() - started
    if args.json:
        print(json.dumps({"scores": scores, "seconds": round(elapsed, 3)}, indent=2))
    else:
        print(f"GVDB dev ({len(rows)} articles, {elapsed:.2f} s)")
        print(
            f"{'method':<11}{'half':<6}{'n':>5}"
            + "".join(f"{f + ' exact':>15}{'MAE':>7}" for f in FIELDS)
        )
        for name in ("dev", "held"):
            for method in ("wiretrace", "baseline"):
                s = scores[name][method]
                print(
                    f"{method:<11}{name:<6}{s['n']:>5}"
                    + "".join(f"{s[f + '_exact']:>15.3f}{s[f + '_mae']:>7.2f}" for f in FIELDS)
                )
    shown = 0
    for p in preds:
        row = p["row"]
        got = p["wiretrace"]
        if shown >= args.errors or p["half"] != "dev":
            continue
        if any(got[f] != int(row[f]) for f in FIELDS):
            shown += 1
            print(
                f"\n--- {row['gvdb_id']} gold {row['killed']}/{row['injured']}"
                f" got {got['killed']}/{got['injured']}"
            )
            print("TEXT:", " ".join(row["text"][:900].split()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
