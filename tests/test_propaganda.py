"""The propaganda-technique detector (wiretrace.claims.propaganda): decoding, the label layers
and the shipped model on invented sentences."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch

from wiretrace.claims import propaganda as pg
from wiretrace.claims import tagger as tg


def _brute(logp: np.ndarray, names: tuple[str, ...]) -> float:
    best = float("-inf")
    for path in itertools.product(range(len(names)), repeat=logp.shape[0]):
        ok = not names[path[0]].startswith("I-") and all(
            not names[b].startswith("I-") or (names[a] != "O" and names[a][2:] == names[b][2:])
            for a, b in itertools.pairwise(path)
        )
        if ok:
            best = max(best, float(sum(logp[t, j] for t, j in enumerate(path))))
    return best


@pytest.mark.parametrize("seed", range(6))
def test_viterbi_finds_the_best_allowed_path(seed: int) -> None:
    names = tg.bio_labels(("Doubt", "Slogans"))
    rng = np.random.default_rng(seed)
    logp = np.log(rng.dirichlet(np.ones(len(names)), size=4))
    path = pg.viterbi_bio(logp, names)
    assert not names[path[0]].startswith("I-")
    for a, b in itertools.pairwise(path):
        assert not names[b].startswith("I-") or names[a][2:] == names[b][2:]
    assert sum(logp[t, j] for t, j in enumerate(path)) == pytest.approx(_brute(logp, names))


def test_layers_cover_every_technique_once() -> None:
    flat = [t for layer in pg.LAYERS for t in layer]
    assert sorted(flat) == sorted(pg.TECHNIQUES) and len(flat) == 14
    assert sum(1 + 2 * len(layer) for layer in pg.LAYERS) == pg.NUM_LABELS


def test_layer_spans_put_the_shorter_span_last() -> None:
    gold = [("Doubt", 0, 40), ("Loaded_Language", 5, 9), ("Slogans", 10, 20)]
    loaded, others = pg.layer_spans(gold)
    assert loaded == [("Loaded_Language", 5, 9)]
    assert others == [("Doubt", 0, 40), ("Slogans", 10, 20)]


def _pieces(text: str) -> tg.Pieces:
    """Whitespace 'pieces' for decoding tests (one piece per word)."""
    offsets, pos = [], 0
    for word in text.split():
        start = text.index(word, pos)
        offsets.append((start, start + len(word)))
        pos = start + len(word)
    return tg.Pieces(list(range(len(offsets))), offsets, [True] * len(offsets))


def test_spans_from_scores_decodes_each_layer_with_a_score() -> None:
    text = "Mayor Brill is a spineless coward who must go now"
    p = _pieces(text)
    words = list(range(len(p.ids)))
    logits = torch.full((len(words), pg.NUM_LABELS), -5.0)
    logits[:, 0] = 5.0  # layer 1: O
    others = len(pg.LAYER_LABELS[0])
    logits[:, others] = 5.0  # layer 2: O
    loaded = pg.LAYER_LABELS[0]
    logits[4, loaded.index("B-Loaded_Language")] = 9.0  # "spineless"
    logits[5, loaded.index("I-Loaded_Language")] = 9.0  # "coward"
    second = pg.LAYER_LABELS[1]
    logits[3, others + second.index("B-Name_Calling,Labeling")] = 9.0  # "a spineless coward"
    logits[4, others + second.index("I-Name_Calling,Labeling")] = 9.0
    logits[5, others + second.index("I-Name_Calling,Labeling")] = 9.0
    logits[7, others + second.index("B-Slogans")] = 9.0  # "must go now"
    logits[8, others + second.index("I-Slogans")] = 9.0
    logits[9, others + second.index("I-Slogans")] = 9.0
    spans = pg.spans_from_scores(p, words, logits)
    got = [(s.technique, text[s.start : s.end]) for s in spans]
    assert got == [
        ("Name_Calling,Labeling", "a spineless coward"),
        ("Loaded_Language", "spineless coward"),
        ("Slogans", "must go now"),
    ]
    assert all(0.9 < s.score <= 1.0 for s in spans)


def test_no_words_no_spans() -> None:
    p = _pieces("")
    assert pg.spans_from_scores(p, [], torch.zeros((0, pg.NUM_LABELS))) == []


def test_random_scores_give_valid_offsets() -> None:
    text = "one two three four five six seven eight"
    p = _pieces(text)
    gen = torch.Generator().manual_seed(3)
    logits = torch.randn((len(p.ids), pg.NUM_LABELS), generator=gen) * 3
    for s in pg.spans_from_scores(p, list(range(len(p.ids))), logits):
        assert s.technique in pg.TECHNIQUES
        assert 0 <= s.start < s.end <= len(text)
        assert text[s.start] != " " and text[s.end - 1] != " "


def test_shipped_detector_on_invented_text() -> None:
    detector = pg.load_detector()
    assert detector is not None, "the shipped model must load (semantic extra installed)"
    text = (
        "Mayor Oskar Brindel, a spineless traitor and a disgrace, is destroying our beloved "
        "town of Quillmont with his insane, catastrophic schemes!\n"
        "The council will meet on Thursday at the library to discuss bus timetables."
    )
    spans = detector.spans(text)
    assert spans, "a sentence full of loaded words gets at least one span"
    for span in spans:
        assert span.technique in pg.TECHNIQUES
        assert 0 <= span.start < span.end <= len(text) and 0.0 <= span.score <= 1.0
    calm = text.index("The council")
    assert any(s.end <= calm for s in spans)
    assert detector.spans("") == []
