"""The composite generator and its scorer, on a small synthetic pool (invented text)."""

from __future__ import annotations

import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from wiretrace.doc.segment import split_sentences

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from composites import (
    Change,
    Composite,
    CompositeGenerator,
    PoolArticle,
    TruthSentence,
    normalise_sentence,
    split_pool,
)
from eval_composites import Counts, Prediction, align, change_key, predictions_from_report, score

SHARED = "The Velmora Relief Committee said 230 families were sheltering in two schools."
STORE_TEXTS = {
    "a1": [
        "Militia forces crossed the Tessel river at dawn on Tuesday near Velmora.",
        "Commander Arno Pell said 14 civilians were killed in the old market, and 9 were wounded.",
        SHARED,
        "The coalition government said the attack began after a week of shelling.",
    ],
    "a2": [
        "Relief convoys reached the northern districts of Caldra late on Wednesday.",
        SHARED,
        "Officials in Caldra said 35 trucks carried flour, while 12 carried medicine.",
        "Residents said the fighting near the port had stopped for several hours.",
    ],
    "a3": [
        "Rebels captured the Dorrin airbase after clashes that lasted 6 days.",
        "The monitor said 41 fighters were killed on both sides of the line.",
        "Dorrin officials said the airbase had been used to launch airstrikes on Velmora.",
    ],
    "a4": [
        "The envoy of Sarvell left the capital of Dorrin on Thursday evening.",
        "Sarvell said its troops would stay in the area, but talks would go on.",
        "A statement from the Sarvell ministry said 3 soldiers were wounded near the border.",
        "Many residents of Port Elsin said they had not seen troops for a week.",
    ],
    "a6": [
        "The monitor said 41 fighters were killed on both sides of the front line.",
        "Aid agencies asked for a pause in the shelling so that convoys could pass.",
    ],
    "a5": [
        "Dock workers in Port Elsin began a strike on Monday over unpaid wages.",
        "The union said 800 workers joined the strike, and the port was closed.",
        "Ferry services to Caldra were cancelled for 2 days, the port authority said.",
    ],
}
HELD_OUT_TEXTS = {
    "h1": [
        "Orchard growers blame an unusually dry spring for small apricot harvests.",
        "Beekeepers worry that pollen shortages could weaken hives before winter arrives.",
    ],
    "h2": [
        "A violin workshop reopened its doors after renovating the creaky wooden staircase.",
        "Visitors may watch luthiers carve spruce tops every second Saturday afternoon.",
    ],
}


def _pool(texts: dict[str, list[str]], day: int) -> list[PoolArticle]:
    return [
        PoolArticle(
            key=key,
            text=" ".join(sents),
            title=f"Story {key}",
            url=f"https://news.example/{key}",
            outlet="news.example",
            published_at=datetime(2031, 5, day + i, tzinfo=UTC),
        )
        for i, (key, sents) in enumerate(sorted(texts.items()))
    ]


STORE = _pool(STORE_TEXTS, 1)
HELD_OUT = _pool(HELD_OUT_TEXTS, 10)
NEAR_COPIES = {"a3", "a6"}  # a3's second sentence and a6's first differ by one word
STORE_NORMS = {a.key: {normalise_sentence(s) for s in STORE_TEXTS[a.key]} for a in STORE}


@pytest.fixture(scope="module")
def composites() -> list[Composite]:
    return CompositeGenerator(STORE, HELD_OUT).generate(60, seed=7)


def test_split_pool_is_seeded_and_disjoint() -> None:
    store, held = split_pool(STORE + HELD_OUT, seed=3, held_out_share=0.3)
    again = split_pool(STORE + HELD_OUT, seed=3, held_out_share=0.3)
    assert (store, held) == again
    assert len(held) == 2 and not {a.key for a in store} & {a.key for a in held}


def test_generator_is_deterministic(composites: list[Composite]) -> None:
    again = CompositeGenerator(STORE, HELD_OUT).generate(60, seed=7)
    assert [c.text for c in again] == [c.text for c in composites]
    other = CompositeGenerator(STORE, HELD_OUT).generate(60, seed=8)
    assert [c.text for c in other] != [c.text for c in composites]


def test_every_operation_occurs(composites: list[Composite]) -> None:
    ops = Counter(op for c in composites for s in c.sentences for op in s.ops)
    for op in (
        "verbatim",
        "spin",
        "number",
        "entity",
        "split",
        "merge",
        "insert",
        "repeat",
        "reordered",
    ):
        assert ops[op] > 0, op


def test_sentences_are_offsets_the_splitter_agrees_with(composites: list[Composite]) -> None:
    for comp in composites:
        assert 2 <= len(comp.stitched) <= 5
        assert [(s.start, s.end) for s in comp.sentences] == split_sentences(comp.text)
        for sent in comp.sentences:
            assert comp.text[sent.start : sent.end] == sent.text
        times = [a.published_at for a in STORE if a.published_at]
        assert comp.published_at > max(times)


def test_sourced_sentences_come_from_their_sources(composites: list[Composite]) -> None:
    for comp in composites:
        for sent in comp.sentences:
            if sent.status in ("unsourced", "duplicate"):  # duplicates: see below
                continue
            assert sent.origin is not None and sent.origin[0] in sent.sources
            key, index = sent.origin
            original = normalise_sentence(STORE_TEXTS[key][index])
            norm = normalise_sentence(sent.text)
            # every acceptable source holds the original sentence (or, merged, one of the two)
            for source in sent.sources:
                if "merge" in sent.ops:
                    following = normalise_sentence(STORE_TEXTS[key][index + 1])
                    assert STORE_NORMS[source] & {original, following} or source in NEAR_COPIES
                else:
                    assert original in STORE_NORMS[source] or source in NEAR_COPIES
            if "verbatim" in sent.ops:
                assert norm == original
            if "split" in sent.ops:
                assert norm in original and norm != original
            if "merge" in sent.ops:
                assert norm.startswith(original)
            for change in sent.changes:
                assert change.before in STORE_TEXTS[key][index]
                assert change.after in sent.text and change.before != change.after
            if "spin" in sent.ops:
                assert sent.status == "paraphrased" and norm != original


def test_shared_sentence_is_acceptable_from_either_article(composites: list[Composite]) -> None:
    generator = CompositeGenerator(STORE, HELD_OUT)
    assert generator.sources_of(SHARED) == {"a1", "a2"}
    norm = normalise_sentence(SHARED)
    shared = [
        s
        for c in composites
        for s in c.sentences
        if s.status != "unsourced" and normalise_sentence(s.text) == norm
    ]
    assert shared and all(s.sources == {"a1", "a2"} for s in shared)


def test_near_identical_sentence_is_acceptable_but_not_an_exact_source() -> None:
    generator = CompositeGenerator(STORE, HELD_OUT)
    sentence = STORE_TEXTS["a3"][1]
    assert generator.sources_of(sentence) == {"a3", "a6"}
    assert generator.exact_sources(sentence) == {"a3"}


def test_unsourced_and_duplicates(composites: list[Composite]) -> None:
    store_text = normalise_sentence(" ".join(a.text for a in STORE))
    inserted = repeated = 0
    for comp in composites:
        for sent in comp.sentences:
            if sent.status == "unsourced":
                inserted += 1
                assert not sent.sources and sent.ops == ("insert",)
                assert normalise_sentence(sent.text) not in store_text
            if sent.status == "duplicate":
                repeated += 1
                assert sent.duplicate_of is not None and sent.duplicate_of < sent.index
                assert comp.sentences[sent.duplicate_of].text == sent.text
            else:
                assert sent.duplicate_of is None
    assert inserted and repeated


# -- the scorer, on a hand-made composite -----------------------------------------------------


def _composite() -> Composite:
    rows = [
        ("Alpha one two three four five.", "copied", {"A"}, (), None),
        (
            "Bravo 12 six seven eight Caldra.",
            "paraphrased",
            {"B", "C"},
            (Change("number", "21", "12"), Change("entity", "Velmora", "Caldra")),
            None,
        ),
        ("Charlie inserted words here now.", "unsourced", set(), (), None),
        ("Alpha one two three four five.", "duplicate", {"A"}, (), 0),
        ("Delta nine ten eleven twelve.", "copied", {"C"}, (), None),
        ("Echo inserted words too today.", "unsourced", set(), (), None),
        ("Foxtrot thirteen fourteen fifteen.", "copied", {"A"}, (), None),
    ]
    sentences, pos = [], 0
    for i, (text, status, sources, changes, dup) in enumerate(rows):
        sentences.append(
            TruthSentence(i, pos, pos + len(text), text, status, frozenset(sources), changes, dup)
        )
        pos += len(text) + 1
    text = " ".join(r[0] for r in rows)
    return Composite("c", "t", text, datetime(2031, 6, 1, tzinfo=UTC), sentences, ("A", "B"))


def _pred(
    t: TruthSentence,
    status: str,
    sources: list[str],
    dup: int | None = None,
    changes: list[Change] | None = None,
) -> Prediction:
    return Prediction(t.start, t.end, status, sources, dup, changes or [])


def test_perfect_prediction_scores_one() -> None:
    comp = _composite()
    preds = [
        _pred(t, t.status, sorted(t.sources), t.duplicate_of, list(t.changes))
        for t in comp.sentences
    ]
    counts = Counts()
    score(comp, preds, counts)
    figures = counts.scores()
    for measure in (
        "attribution_top1",
        "attribution_any",
        "unsourced",
        "duplicates",
        "factual_changes",
    ):
        assert figures[measure] == {"p": 1.0, "r": 1.0, "f1": 1.0}, measure


def test_imperfect_prediction_scores() -> None:
    comp = _composite()
    t = comp.sentences
    preds = [
        _pred(t[0], "copied", ["A", "X"]),  # top-1 right; one of two pairs right
        _pred(
            t[1],
            "paraphrased",
            ["X", "B"],
            changes=[Change("number", "21", "12"), Change("entity", "Port Velmora", "Port Tessel")],
        ),
        _pred(t[2], "copied", ["A"]),  # an inserted sentence given a source
        _pred(t[3], "duplicate", [], 0),  # right duplicate
        _pred(t[4], "duplicate", [], 1),  # wrong duplicate, source missed
        _pred(t[5], "unsourced", []),  # right
        _pred(t[6], "unsourced", []),  # a sourced sentence called unsourced
    ]
    counts = Counts()
    score(comp, preds, counts)
    f = counts.scores()
    assert f["attribution_top1"] == {"p": 0.333, "r": 0.25, "f1": 0.286}
    assert f["attribution_any"] == {"p": 0.4, "r": 0.5, "f1": 0.444}
    assert f["unsourced"] == {"p": 0.5, "r": 0.5, "f1": 0.5}
    assert f["duplicates"] == {"p": 0.5, "r": 1.0, "f1": 0.667}
    assert f["factual_changes"] == {"p": 0.5, "r": 0.5, "f1": 0.5}


def test_nothing_predicted_scores_zero_recall() -> None:
    counts = Counts()
    score(_composite(), [], counts)
    f = counts.scores()
    assert f["attribution_top1"] == {"p": None, "r": 0.0, "f1": 0.0}
    assert f["unsourced"]["r"] == 0.0


def test_change_key_trims_shared_words() -> None:
    assert change_key("entity", "Talal Barazi", "Talal Homs") == ("entity", "barazi", "homs")
    assert change_key("number", "21,", "12") == ("number", "21", "12")


def test_split_predictions_are_combined_and_report_ids_mapped() -> None:
    comp = _composite()
    first = comp.sentences[0]
    middle = first.start + 10
    report = {
        "sentences": [
            {
                "start": first.start,
                "end": middle,
                "status": "copied",
                "duplicate_of": None,
                "sources": [{"article_id": "id-b", "url": None, "changes": []}],
            },
            {
                "start": middle + 1,
                "end": first.end,
                "status": "copied",
                "duplicate_of": None,
                "sources": [
                    {
                        "article_id": "zzz",
                        "url": "https://news.example/A",
                        "changes": [
                            {"kind": "number", "from": "1", "to": "2", "factual": True},
                            {"kind": "word", "from": "x", "to": "y", "factual": False},
                        ],
                    }
                ],
            },
        ]
    }
    report["sentences"][1]["sources"].append(  # a weaker second source: its changes are ignored
        {
            "article_id": "id-b",
            "changes": [{"kind": "entity", "from": "P", "to": "Q", "factual": True}],
        }
    )
    preds = predictions_from_report(report, {"id-b": "B", "https://news.example/A": "A"})
    assert [p.sources for p in preds] == [["B"], ["A", "B"]]
    assert preds[1].changes == [Change("number", "1", "2")]
    combined = align(comp.sentences, preds)
    lead = combined[0]
    assert lead is not None and lead.sources == ["A", "B"]  # the longer piece leads
    assert lead.changes == [Change("number", "1", "2")]
    assert all(p is None for p in combined[1:])
