"""The PTC scorer (benchmarks/eval_ptc.py) on hand-made spans and a synthetic corpus."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from eval_ptc import ALL, Doc, Tally, in_fold, load_corpus, merge, score


def test_merge_joins_overlaps_only() -> None:
    assert merge([(5, 9), (0, 3), (2, 4), (9, 12)]) == [(0, 4), (5, 9), (9, 12)]


def test_span_measure_gives_partial_credit() -> None:
    tally = Tally()
    # Gold 0-10 and 20-30; predicted 5-15 (half inside gold), 20-30 (exact), 40-44 (wrong).
    tally.add([(5, 15), (20, 30), (40, 44)], [(0, 10), (20, 30)])
    got = tally.report()
    # Precision: (5/10 + 10/10 + 0) / 3; recall: (5/10 + 10/10) / 2.
    assert got["span"]["p"] == pytest.approx(0.5, abs=1e-4)
    assert got["span"]["r"] == pytest.approx(0.75, abs=1e-4)
    assert got["span"]["f1"] == pytest.approx(0.6, abs=1e-4)
    assert got["exact"]["p"] == pytest.approx(1 / 3, abs=1e-4)
    assert got["exact"]["r"] == pytest.approx(0.5, abs=1e-4)
    assert got["overlap"]["p"] == pytest.approx(2 / 3, abs=1e-4)
    assert got["overlap"]["r"] == pytest.approx(1.0, abs=1e-4)


def test_predicted_span_over_two_gold_spans_earns_both() -> None:
    tally = Tally()
    tally.add([(0, 30)], [(0, 10), (20, 30)])
    got = tally.report()["span"]
    assert got["p"] == pytest.approx(20 / 30, abs=1e-4)
    assert got["r"] == pytest.approx(1.0, abs=1e-4)


def test_score_per_technique_and_all(tmp_path: Path) -> None:
    text = "Harbour vote\n\nThe shameless cabal in Osterby wrecked the pier again, critics say.\n"
    (tmp_path / "article7.txt").write_text(text, encoding="utf-8")
    s = text.index("shameless cabal")
    (tmp_path / "article7.labels.tsv").write_text(
        f"7\tLoaded_Language\t{s}\t{s + 9}\n7\tName_Calling,Labeling\t{s}\t{s + 15}\n",
        encoding="utf-8",
    )
    (tmp_path / "article8.txt").write_text("Calm day\n\nNothing happened.\n", encoding="utf-8")
    (tmp_path / "article8.labels.tsv").write_text("", encoding="utf-8")
    docs = load_corpus(tmp_path)
    assert [d.ident for d in docs] == ["7", "8"]
    predicted = {"7": [("Loaded_Language", s, s + 9)], "8": [("Doubt", 0, 4)]}
    result = score(docs, predicted)
    assert result["Loaded_Language"]["span"]["f1"] == pytest.approx(1.0)
    assert result["Name_Calling,Labeling"]["span"]["r"] == pytest.approx(0.0)
    assert result[ALL]["span"]["p"] == pytest.approx(0.5)  # the Doubt span hits nothing
    assert result[ALL]["span"]["r"] == pytest.approx(9 / 15, abs=1e-4)


def test_bad_label_line_names_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "article9.txt").write_text("T\n\nBody.\n", encoding="utf-8")
    (tmp_path / "article9.labels.tsv").write_text("9\tDoubt\tx\t4\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"article9\.labels\.tsv:1"):
        load_corpus(tmp_path)


def test_folds_partition_the_articles() -> None:
    docs = [Doc(str(n), "", []) for n in range(11)]
    folds = [in_fold(docs, 3, k) for k in range(3)]
    seen = sorted(d.ident for fold in folds for d in fold)
    assert seen == sorted(d.ident for d in docs)
    assert {len(f) for f in folds} == {3, 4}
