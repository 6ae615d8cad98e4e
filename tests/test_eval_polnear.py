"""The PolNeAR scorer (benchmarks/eval_polnear.py) on a synthetic BRAT article (invented text)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from eval_polnear import agreement, evaluate, match, read_gold, trim

TEXT = (
    "Mayor Lena Ortiz said the Kessel bridge would reopen in May. "
    '"We are nearly done," Ortiz said, "and the river is calm." '
    "She added that tolls would stay the same.\n"
)


def _at(phrase: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(phrase, start + 1)
    return start, start + len(phrase)


def _ann() -> str:
    """BRAT lines: a plain report, a quote split around its cue, and a source ("She") whose
    two cues make two attributions."""
    src1, cue1, con1 = (
        _at("Mayor Lena Ortiz"),
        _at("said"),
        _at("the Kessel bridge would reopen in May"),
    )
    q1, q2 = _at('"We are nearly done,"'), _at('"and the river is calm."')
    src2, cue2 = _at("Ortiz", 1), _at("said", 1)
    src3, cue3, con3 = _at("She"), _at("added"), _at("that tolls would stay the same")
    lines = [
        f"T1\tSource {src1[0]} {src1[1]}\tx",
        f"T2\tCue {cue1[0]} {cue1[1]}\tx",
        f"T3\tContent {con1[0]} {con1[1]}\tx",
        "E1\tAttribution:T2 Content:T3 Cue:T2 Source:T1",
        f"T4\tSource {src2[0]} {src2[1]}\tx",
        f"T5\tCue {cue2[0]} {cue2[1]}\tx",
        f"T6\tContent {q1[0]} {q1[1]};{q2[0]} {q2[1]}\tx",
        "E2\tAttribution:T5 Content:T6 Cue:T5 Source:T4",
        f"T7\tSource {src3[0]} {src3[1]}\tx",
        f"T8\tCue {cue3[0]} {cue3[1]}\tx",
        f"T9\tContent {con3[0]} {con3[1]}\tx",
        "E3\tAttribution:T8 Content:T9 Cue:T8 Source:T7",
        # A second attribution with the same source: the source is a gold span twice.
        "E4\tAttribution:T8 Content:T9 Cue:T8 Source:T7",
    ]
    return "\n".join(lines) + "\n"


def test_read_gold_joins_fragments_and_keeps_shared_sources(tmp_path: Path) -> None:
    ann = tmp_path / "a_x.ann"
    ann.write_text(_ann(), encoding="utf-8")
    gold = read_gold(ann)
    quote = (_at('"We are nearly done,"')[0], _at('"and the river is calm."')[1])
    assert quote in gold["content"]
    assert gold["source"].count(_at("She")) == 2
    assert len(gold["cue"]) == 4


def test_trim_drops_edge_punctuation_and_quotes() -> None:
    s, e = _at('"We are nearly done,"')
    assert TEXT[slice(*trim(TEXT, (s, e)))] == "We are nearly done"  # type: ignore[misc]
    assert trim(TEXT, (s, s + 1)) is None


def test_match_is_one_to_one_over_repeated_spans() -> None:
    gold = [(0, 3), (0, 3), (10, 20)]
    assert match([(0, 3)], gold) == (1, 1)
    assert match([(0, 3), (0, 3)], gold) == (2, 2)
    assert match([(0, 3), (0, 3), (0, 3)], gold) == (2, 2)
    # Overlap: (12, 30) shares characters with (10, 20) only; (0, 2) with one (0, 3).
    assert match([(12, 30), (0, 2)], gold) == (0, 2)


def test_evaluate_scores_the_rules_on_a_split(tmp_path: Path) -> None:
    root = tmp_path / "polnear"
    (root / "dev" / "text").mkdir(parents=True)
    (root / "dev" / "attributions").mkdir(parents=True)
    (root / "dev" / "text" / "paper_2016-05-01_bridge.txt").write_text(TEXT, encoding="utf-8")
    ann = root / "dev" / "attributions" / "paper_2016-05-01_bridge_ab12.ann"
    ann.write_text(_ann(), encoding="utf-8")
    result = evaluate(root, "dev")
    assert result["articles"] == 1
    scores = result["scores"]
    assert isinstance(scores, dict)
    assert scores["source"]["gold"] == 4 and scores["cue"]["gold"] == 4
    # The lexical rules find the plain report exactly: its cue "said" is a true positive.
    assert scores["cue"]["exact"]["p"] > 0
    assert 0 < scores["content"]["overlap"]["f1"] <= 1


def _two_annotators(tmp_path: Path, split: str) -> Path:
    """A PolNeAR-like split with one article annotated twice: every attribution, then only the
    first (E1 and its spans)."""
    root = tmp_path / "polnear"
    (root / split / "text").mkdir(parents=True)
    (root / split / "attributions").mkdir(parents=True)
    (root / split / "text" / "paper_bridge.txt").write_text(TEXT, encoding="utf-8")
    full = _ann()
    partial = "\n".join(line for line in full.splitlines() if line[:2] in ("T1", "T2", "T3", "E1"))
    (root / split / "attributions" / "paper_bridge_a1.ann").write_text(full, encoding="utf-8")
    (root / split / "attributions" / "paper_bridge_b2.ann").write_text(partial, encoding="utf-8")
    return root


def test_agreement_scores_annotators_against_each_other(tmp_path: Path) -> None:
    result = agreement(_two_annotators(tmp_path, "train"), "train")
    assert result["articles"] == 1
    scores = result["scores"]
    assert isinstance(scores, dict)
    cue = scores["cue"]["exact"]
    # Each direction: 1 shared cue of 4 and 1; pooled over both orders P = R = F1 = 2 / 5.
    assert cue["p"] == cue["r"] == pytest.approx(cue["f1"]) == pytest.approx(2 / 5)


def test_agreement_scores_the_tagger_against_every_file_but_the_first(tmp_path: Path) -> None:
    from wiretrace.claims import tagger

    model = tagger.load_tagger()
    assert model is not None, "tagger missing: pip install '.[semantic]'"
    versus = agreement(_two_annotators(tmp_path, "dev"), "dev", model)["tagger_vs_annotators"]
    assert isinstance(versus, dict)
    assert versus["cue"]["gold"] == 1  # the second file's one attribution only
    assert versus["cue"]["exact"]["r"] == 1.0  # "said" in a plain report is found
