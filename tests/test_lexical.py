"""The lexical paraphrase pass: its pair counting and pruning keep every pair that qualifies."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest

from wiretrace.doc.article import Article
from wiretrace.trace.lexical import Scored, kind_of, paraphrase_pass
from wiretrace.trace.matching import SentenceWords, closeness
from wiretrace.trace.params import TraceParams
from wiretrace.trace.provenance import SourceTokens
from wiretrace.trace.report import SourceDoc

# Invented content words and a few function words (the pass counts shared content words).
CONTENT = [
    "tessel",
    "marrow",
    "sluice",
    "weir",
    "harn",
    "osk",
    "vell",
    "brandt",
    "quarry",
    "ferry",
    "levee",
    "barge",
    "crate",
    "depot",
    "ledger",
    "granary",
    "orchard",
    "beacon",
    "cistern",
    "tannery",
    "kiln",
    "mill",
    "vineyard",
    "lantern",
    "causeway",
]
FUNCTION = ["the", "of", "a", "to", "in", "on", "and", "was", "said", "at", "by", "for"]


def _sentence(rng: random.Random, length: int) -> list[str]:
    return [rng.choice(CONTENT if rng.random() < 0.6 else FUNCTION) for _ in range(length)]


def _reworded(rng: random.Random, words: list[str]) -> list[str]:
    """A copy with some words dropped, swapped or added: near, over or under the thresholds."""
    out = [w for w in words if rng.random() > 0.25]
    for _ in range(rng.randrange(0, 5)):
        out.insert(rng.randrange(0, len(out) + 1), rng.choice(CONTENT + FUNCTION))
    if len(out) > 3 and rng.random() < 0.5:
        k = rng.randrange(0, len(out) - 1)
        out[k], out[k + 1] = out[k + 1], out[k]
    return out


def _doc(key: int, sentences: list[list[str]]) -> SourceDoc:
    pieces = [" ".join(words).capitalize() + "." for words in sentences]
    text = " ".join(pieces)
    spans, at = [], 0
    for piece in pieces:
        spans.append((at, at + len(piece)))
        at += len(piece) + 1
    article = Article(id=f"doc-{key}", text=text, published_at=datetime(2031, 1, 1, tzinfo=UTC))
    article.set_spans(spans)
    return SourceDoc(key, article, "earlier")


def _reference(
    targets: list[SentenceWords],
    scored: dict[int, list[Scored]],
    docs: list[SourceDoc],
    p: TraceParams,
) -> None:
    """Every (target, context sentence) pair scored one at a time, as the pass's rule says."""
    for i, target in enumerate(targets):
        if len(target) < p.min_words:
            continue
        for doc in docs:
            for j, (start, end) in enumerate(doc.spans):
                source = SentenceWords.of(doc.text[start:end])
                if len(target.content.keys() & source.content.keys()) < p.paraphrase_min_shared:
                    continue
                fit = closeness(target, source)
                kind = kind_of(fit, p)
                if kind:
                    scored[i].append(Scored(doc, (j,), fit, kind))
        scored[i].sort(key=lambda s: -s.similarity)


def _found(scored: dict[int, list[Scored]]) -> dict[int, list[tuple[object, ...]]]:
    return {
        i: [(s.doc.doc_key, s.sentence_indexes, s.kind, s.fit) for s in found]
        for i, found in scored.items()
        if found
    }


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("shared_ids", [False, True])
def test_paraphrase_pass_finds_what_scoring_every_pair_finds(seed: int, shared_ids: bool) -> None:
    rng = random.Random(seed)
    p = TraceParams()
    target_lists = [_sentence(rng, rng.randrange(3, 28)) for _ in range(30)]
    docs = []
    for key in range(6):
        sentences = [
            _reworded(rng, rng.choice(target_lists)) if rng.random() < 0.5 else _sentence(rng, 20)
            for _ in range(rng.randrange(1, 25))
        ]
        docs.append(_doc(key, [s or ["kiln"] for s in sentences]))
    targets = [SentenceWords.of(" ".join(words)) for words in target_lists]
    tokens = SourceTokens(limit=3)  # a small cache: documents are dropped and read again
    got: dict[int, list[Scored]] = {i: [] for i in range(len(targets))}
    paraphrase_pass(
        targets,
        got,
        {d.doc_key: d for d in docs},
        {d.doc_key for d in docs},
        tokens.sentences,
        p,
        tokens.sentence_ids if shared_ids else None,
    )
    want: dict[int, list[Scored]] = {i: [] for i in range(len(targets))}
    _reference(targets, want, docs, p)
    assert _found(got) == _found(want)
    assert sum(len(v) for v in _found(want).values()) > 0  # the case has paraphrases to find
