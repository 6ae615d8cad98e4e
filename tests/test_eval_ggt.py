"""The Gender Gap Tracker scorer (benchmarks/eval_ggt.py) on a synthetic article (invented text)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from eval_ggt import evaluate, load, main, score_article
from wiretrace.claims.quotes import find_quotes

TEXT = (
    "Mayor Lena Ortiz opened the Kessel bridge on Monday.\n"
    '"We are nearly done with the river works," Ortiz said.\n'
    "The council has voted on the tolls twice.\n"
)


def _span(phrase: str) -> tuple[int, int]:
    start = TEXT.rindex(phrase)  # the last: a speaker's name after the quote
    return start, start + len(phrase)


def _row(quotes: list[dict[str, object]]) -> dict[str, object]:
    return {"id": "a1", "url": "https://example.org/a1", "text": TEXT, "quotes": quotes}


def _gold(quote: str, speaker: str | None, reference: str) -> dict[str, object]:
    qs, qe = _span(quote)
    ss, se = _span(speaker) if speaker else (None, None)
    return {
        "quote_start": qs,
        "quote_end": qe,
        "speaker_start": ss,
        "speaker_end": se,
        "speaker": speaker,
        "reference": reference,
    }


def test_match_speaker_and_resolved_name() -> None:
    from wiretrace.doc.article import Article

    row = _row([_gold('"We are nearly done with the river works,"', "Ortiz", "Lena Ortiz")])
    quotes = find_quotes(Article.create(TEXT, url="https://example.org/a1"))
    counts = score_article(row, quotes, 0.8)
    assert counts == {"tp": 1, "fn": 0, "fp": 0, "speaker": 1, "ref_n": 1, "ref_ok": 1}


def test_unmatched_gold_and_prediction_count_as_miss_and_extra() -> None:
    from wiretrace.doc.article import Article

    row = _row([_gold("The council has voted on the tolls twice", None, "the council")])
    quotes = find_quotes(Article.create(TEXT, url="https://example.org/a1"))
    counts = score_article(row, quotes, 0.3)
    assert (counts["tp"], counts["fn"], counts["fp"]) == (0, 1, 1)


def test_wrong_reference_is_not_resolved() -> None:
    from wiretrace.doc.article import Article

    row = _row([_gold('"We are nearly done with the river works,"', "Ortiz", "Petra Vance")])
    quotes = find_quotes(Article.create(TEXT, url="https://example.org/a1"))
    result = evaluate([row], lambda a: quotes, "fixed")
    assert result["0.3"]["f1"] == 1.0
    assert result["0.3"]["resolved_speaker"] == 0.0


def test_halves_split_every_article_once(tmp_path: Path) -> None:
    data = tmp_path / "articles.jsonl"
    rows = [dict(_row([]), id=f"id{n}", url=f"https://example.org/{n}") for n in range(7)]
    data.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    dev, held = load(data, "dev"), load(data, "held")
    assert len(dev) + len(held) == 7
    assert not {r["id"] for r in dev} & {r["id"] for r in held}
    assert main(["--data", str(data), "--json"]) == 0


def test_broken_record_names_file_and_line(tmp_path: Path) -> None:
    data = tmp_path / "articles.jsonl"
    data.write_text('{"id": "x"}\n{broken\n', encoding="utf-8")
    try:
        load(data, "all")
    except SystemExit as exc:
        assert "record 2" in str(exc)
    else:
        raise AssertionError("a broken record must stop the scorer")


def test_speaker_span_moves_to_the_occurrence_joined_to_its_verb() -> None:
    from eval_ggt import align_speakers_to_verbs

    text = 'Tolls rose again. "We had no choice," he says, and he was upset about it.\n'
    second = text.index("he was")
    quote_start = text.index("We had")
    row = {
        "text": text,
        "quotes": [
            {
                "quote_start": quote_start,
                "quote_end": text.index(',"'),
                "speaker": "he",
                "speaker_start": second,
                "speaker_end": second + 2,
                "verb": "says",
            },
            # Already joined to its verb: stays.
            {
                "quote_start": quote_start,
                "quote_end": text.index(',"'),
                "speaker": "he",
                "speaker_start": text.index("he says"),
                "speaker_end": text.index("he says") + 2,
                "verb": "says",
            },
        ],
    }
    assert align_speakers_to_verbs([row]) == 1
    first = text.index("he says")
    assert [g["speaker_start"] for g in row["quotes"]] == [first, first]


def test_paths_score_the_baseline_the_default_and_the_rules_in_one_run() -> None:
    from eval_ggt import DEFAULT_TAGGER, paths
    from wiretrace.doc.article import Article

    names = [name for name, _ in paths()]
    assert names[:3] == ["rules before issue 19 (baseline)", DEFAULT_TAGGER, "`claims --rules`"]
    predict = dict(paths())
    article = Article.create(TEXT, url="https://example.org/a1")
    # The default reads the quote with the tagger and names its speaker as the rules do.
    (default,) = predict[DEFAULT_TAGGER](article)
    assert default.speaker_resolved == "Lena Ortiz"
    assert default.content == '"We are nearly done with the river works,"'
