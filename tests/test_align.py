"""Alignment core and PAN measures, on synthetic texts written for these tests."""

from __future__ import annotations

import math
import random
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from pan_measures import Span, detects, pan_scores, plagdet_from
from wiretrace.trace.align import (
    AlignParams,
    Passage,
    align_texts,
    exact_runs,
    min_passage_words,
    runs_from_seeds,
    seed_index,
    text_words,
    tokenize_words,
)

# Invented copy for an invented town; no third-party text.
FLOOD = (
    "Rescue crews in the river town of Marlow Bend pulled fourteen residents from flooded "
    "homes overnight after the levee gave way shortly before dawn on Tuesday."
)
BRIDGE = (
    "The county engineer said the old iron bridge on Quarry Road would stay closed until "
    "divers had checked every pier for damage from the debris carried downstream."
)
SHELTER = (
    "Volunteers opened the gymnasium of the primary school as a shelter and handed out "
    "blankets, bottled water and dry socks to more than two hundred displaced families."
)
FILLER_SOURCE = (
    "Weather forecasters had warned of heavy rain across the valley for most of the week. "
    "Local farmers moved cattle to higher pastures as a precaution. "
)
FILLER_TARGET = (
    "Our correspondent reports from a muddy car park where families wait for news. "
    "Few shops on the high street opened their doors this morning. "
)


def reflow(text: str) -> str:
    """Same words, different line breaks and spacing, as PAN's verbatim copies have."""
    words = text.split(" ")
    return "\n".join(" ".join(words[i : i + 5]) for i in range(0, len(words), 5)).replace(
        " the ", "  the "
    )


def test_tokenize_words_offsets_map_back_to_the_original() -> None:
    text = "Rain, rain\n  GO away!"
    tokens = tokenize_words(text)
    assert [tok for tok, _, _ in tokens] == ["rain", "rain", "go", "away"]
    assert [text[start:end] for _, start, end in tokens] == ["Rain", "rain", "GO", "away"]
    more = text + " Straße İzmir"
    assert text_words(more) == tuple(t for t, _, _ in tokenize_words(more))


def test_verbatim_passage_found_with_exact_offsets() -> None:
    source = FILLER_SOURCE + FLOOD + " " + FILLER_SOURCE
    target = FILLER_TARGET + FLOOD + " " + FILLER_TARGET
    passages = align_texts(target, source)
    t_start, s_start = target.index(FLOOD), source.index(FLOOD)
    assert passages == [Passage(t_start, t_start + len(FLOOD), s_start, s_start + len(FLOOD), 1.0)]


def test_different_line_breaks_still_found_with_original_offsets() -> None:
    copied = reflow(FLOOD)
    assert copied != FLOOD and "\n" in copied
    source = FILLER_SOURCE + FLOOD
    target = FILLER_TARGET + copied + "\n" + FILLER_TARGET
    [passage] = align_texts(target, source)
    assert target[passage.target_start : passage.target_end] == copied
    assert source[passage.source_start : passage.source_end] == FLOOD


def test_two_separate_passages() -> None:
    source = FLOOD + " " + FILLER_SOURCE + BRIDGE
    target = FLOOD + " " + FILLER_TARGET + FILLER_TARGET + BRIDGE
    passages = align_texts(target, source)
    assert [target[p.target_start : p.target_end] for p in passages] == [FLOOD, BRIDGE]
    assert [source[p.source_start : p.source_end] for p in passages] == [FLOOD, BRIDGE]


def test_reordered_passages_map_to_their_own_sources() -> None:
    source = FLOOD + " " + BRIDGE + " " + SHELTER
    target = SHELTER + " " + FLOOD + " " + BRIDGE
    passages = align_texts(target, source)
    found = {
        target[p.target_start : p.target_end]: source[p.source_start : p.source_end]
        for p in passages
    }
    # FLOOD and BRIDGE stay adjacent in both, so they are one passage; SHELTER moved.
    assert found == {SHELTER: SHELTER, FLOOD + " " + BRIDGE: FLOOD + " " + BRIDGE}
    assert passages[0].target_start == 0


def test_repeated_sentence_in_target_is_reported_twice() -> None:
    source = FILLER_SOURCE + FLOOD
    target = FLOOD + " " + FILLER_TARGET + FLOOD
    passages = align_texts(target, source)
    assert len(passages) == 2
    assert {(p.source_start, p.source_end) for p in passages} == {
        (len(FILLER_SOURCE), len(FILLER_SOURCE) + len(FLOOD))
    }


def test_passage_repeated_in_source_is_reported_once_at_its_first_copy() -> None:
    source = FLOOD + " " + FILLER_SOURCE + FLOOD
    target = FILLER_TARGET + FLOOD
    [passage] = align_texts(target, source)
    assert (passage.source_start, passage.source_end) == (0, len(FLOOD))


def test_unrelated_texts_sharing_stock_words_give_nothing() -> None:
    source = (
        "According to the report, one of the most important things is that the city council "
        "will meet on Monday. It is not clear whether the plan will go ahead, officials said."
    )
    target = (
        "According to the coach, one of the most exciting games of the season ended in a draw. "
        "It is not clear whether the striker will play on Saturday, the club said in a statement."
    )
    assert align_texts(target, source) == []


def test_short_common_phrase_below_minimum_is_not_reported() -> None:
    phrase = "the prime minister told reporters in the capital"  # 8 words, under 10
    source = f"On Friday {phrase} that talks would resume. Markets rose slightly."
    target = f"Separately, {phrase} on a different matter entirely. Rain is expected."
    assert align_texts(target, source) == []
    # The same phrase counts once the floor is lowered: the floor, not the seeding, dropped it.
    assert len(align_texts(target, source, params=AlignParams(min_words=6))) == 1


def test_a_larger_search_space_asks_a_longer_passage() -> None:
    """A 12-word copy counts between two news-sized texts; in a book-length target against a
    long source (where a chance 12-word match is likelier) it takes more words."""
    phrase = "the harbour master of Velmora ordered every ferry back to the quay"  # 12 words
    source = f"{FILLER_SOURCE}{phrase} before the storm. {FILLER_SOURCE}"
    target = f"{FILLER_TARGET}By noon {phrase} and waited. {FILLER_TARGET}"
    assert min_passage_words(len(text_words(target)), len(text_words(source)), AlignParams()) == 10
    assert len(align_texts(target, source)) == 1
    rng = random.Random(3)
    vocabulary = [f"w{k}" for k in range(5000)]  # invented words no phrase repeats by chance
    long_target = " ".join(rng.choice(vocabulary) for _ in range(6000)) + " " + target
    long_source = " ".join(rng.choice(vocabulary) for _ in range(3000)) + " " + source
    needed = min_passage_words(
        len(text_words(long_target)), len(text_words(long_source)), AlignParams()
    )
    assert needed == math.ceil(math.log2(6030 * 3026) - 7) == 18
    assert align_texts(long_target, long_source) == []
    # The same copy made longer than the bar is found again.
    longer = f"{phrase} while the pilots of the coast guard boats waited for word"
    long_target = long_target.replace(phrase, longer)
    long_source = long_source.replace(phrase, longer)
    assert len(align_texts(long_target, long_source)) == 1


def test_small_edit_inside_a_passage_keeps_one_passage() -> None:
    source = FILLER_SOURCE + FLOOD + " " + BRIDGE
    edited = (FLOOD + " " + BRIDGE).replace("fourteen", "sixteen")
    target = FILLER_TARGET + edited
    [passage] = align_texts(target, source)
    assert target[passage.target_start : passage.target_end] == edited
    assert 0.9 < passage.similarity < 1.0


def test_empty_and_tiny_texts() -> None:
    assert align_texts("", FLOOD) == []
    assert align_texts(FLOOD, "") == []
    assert align_texts("flood", "flood") == []


# --- PAN measures -------------------------------------------------------------------------


def span(susp: tuple[int, int], src: tuple[int, int], docs: tuple[str, str] = ("s", "r")) -> Span:
    return Span(docs[0], docs[1], susp[0], susp[1], src[0], src[1])


def test_detects_needs_overlap_on_both_sides_of_the_same_documents() -> None:
    case = span((0, 100), (0, 100))
    assert detects(span((90, 120), (50, 60)), case)
    assert not detects(span((90, 120), (100, 160)), case)  # source side only touches
    assert not detects(span((0, 100), (0, 100), ("s", "other")), case)


def test_pan_measures_on_a_hand_made_case() -> None:
    cases = [span((0, 100), (0, 100)), span((200, 300), (300, 400))]
    detections = [
        span((0, 50), (0, 50)),  # inside case 1: precision 1
        span((50, 150), (50, 150)),  # half inside case 1: precision 100/200
        span((250, 300), (0, 50)),  # one side on each case: detects neither, precision 0
    ]
    scores = pan_scores(cases, detections)
    # Case 1 fully covered by two detections; case 2 missed.
    assert scores.recall == pytest.approx(0.5)
    assert scores.precision == pytest.approx((1 + 0.5 + 0) / 3)
    assert scores.granularity == pytest.approx(2.0)
    assert scores.plagdet == pytest.approx(0.5 / math.log2(3))
    assert plagdet_from(1.0, 1.0, 1.0) == pytest.approx(1.0)


def test_pan_measures_perfect_and_empty() -> None:
    cases = [span((10, 60), (5, 55))]
    assert pan_scores(cases, cases).plagdet == pytest.approx(1.0)
    empty = pan_scores(cases, [])
    assert (empty.precision, empty.recall, empty.granularity, empty.plagdet) == (0, 0, 1, 0)


def test_overlapping_detections_are_not_counted_twice() -> None:
    cases = [span((0, 100), (0, 100))]
    detections = [span((0, 80), (0, 80)), span((20, 100), (20, 100))]
    scores = pan_scores(cases, detections)
    assert scores.recall == pytest.approx(1.0)
    assert scores.precision == pytest.approx(1.0)
    assert scores.granularity == pytest.approx(2.0)


def test_aligner_scores_perfectly_on_a_synthetic_corpus_case() -> None:
    copied = reflow(SHELTER)
    source = FILLER_SOURCE + SHELTER + " " + FILLER_SOURCE
    target = FILLER_TARGET + copied + " " + FILLER_TARGET
    t_start, s_start = target.index(copied), len(FILLER_SOURCE)
    case = span((t_start, t_start + len(copied)), (s_start, s_start + len(SHELTER)))
    found = [
        span((p.target_start, p.target_end), (p.source_start, p.source_end))
        for p in align_texts(target, source)
    ]
    assert pan_scores([case], found).plagdet == pytest.approx(1.0)


def test_runs_from_the_targets_seeds_equal_runs_from_the_sources() -> None:
    """One seed index of the article serves every source: the same runs, in the same order, as
    indexing each source (repeats and too-frequent seeds included)."""
    rng = random.Random(5)
    vocabulary = ["ferry", "harbour", "of", "the", "said", "Velmora", "storm", "crews", "at"]
    for _ in range(200):
        target = [rng.choice(vocabulary) for _ in range(rng.randint(0, 60))]
        source = [rng.choice(vocabulary) for _ in range(rng.randint(0, 60))]
        source[5:5] = target[10:25]  # a copied stretch among chance matches
        for limit in (1, 3, 50):
            expected = exact_runs(target, source, ngram=3, max_occurrences=limit)
            found = runs_from_seeds(seed_index(target, 3), source, ngram=3, max_occurrences=limit)
            assert found == expected
