"""Lexical matches of a sentence: is a source sentence a copy of it, a paraphrase, or neither;
and the paraphrase pass that compares each sentence with no copy against every sentence of the
articles its neighbourhood draws on.

Pure functions over `SentenceWords` (no store, no index): the tracer calls them for candidates
from the index, the reuse engines through the tracer.
"""

from __future__ import annotations

import bisect
import itertools
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import LCSseq

from wiretrace.trace.matching import Closeness, SentenceWords, closeness
from wiretrace.trace.params import TraceParams
from wiretrace.trace.report import SourceDoc

WordIds = Callable[
    [Sequence[SourceDoc]],
    tuple[dict[str, int], list[tuple[tuple[SentenceWords, ...], np.ndarray]]],
]
CONTEXT_WINDOW = 256  # sentences: a long document's paraphrase context is its nearby sources


@dataclass(slots=True)
class Scored:
    """A source sentence (or joined pair) found for a target sentence, with how it fits."""

    doc: SourceDoc
    sentence_indexes: tuple[int, ...]
    fit: Closeness
    kind: str  # "copy" | "paraphrase"
    cosine: float | None = None  # set by the semantic path

    @property
    def similarity(self) -> float:
        lexical = self.fit.similarity
        return lexical if self.cosine is None else max(lexical, self.cosine)


def kind_of(fit: Closeness, p: TraceParams, *, single: bool = True) -> str | None:
    """ "copy", "paraphrase" or None. Only a single source sentence can be a paraphrase: a
    joined pair is long enough to share words with almost anything."""
    if fit.target_coverage >= p.copy_coverage:
        return "copy"
    if not single:
        return None
    if (
        fit.target_coverage >= p.paraphrase_coverage
        and fit.source_coverage >= p.paraphrase_coverage * 0.7
    ):
        return "paraphrase"
    if (
        fit.content_overlap >= p.paraphrase_overlap
        and fit.source_content_overlap >= p.paraphrase_overlap * 0.7
    ):
        return "paraphrase"
    return None


def paraphrase_pass(
    target_words: list[SentenceWords],
    scored: dict[int, list[Scored]],
    docs: dict[int, SourceDoc],
    context: set[int],
    sentences_of: Callable[[SourceDoc], Sequence[SentenceWords]],
    p: TraceParams,
    word_ids: WordIds | None = None,
) -> None:
    """Sentences with no copy: compare with every sentence of the articles already used and
    of the article's best candidate sources (`context`); `sentences_of` gives a document's
    sentences' words, `word_ids` (when given) the sentences of several with their words' ids
    (`SourceTokens.sentence_ids`, kept across targets).

    In a long document "already used" means used by a sentence near this one (within
    `CONTEXT_WINDOW` sentences of its block): the articles a whole book draws on would make
    every sentence's comparisons grow with the book's length. An article of up to
    `CONTEXT_WINDOW` sentences is one block that sees every article it uses."""
    todo = [
        i
        for i, words in enumerate(target_words)
        if len(words) >= p.min_words and not any(s.kind == "copy" for s in scored.get(i, []))
    ]
    if not todo:
        return
    used_at: dict[int, set[int]] = defaultdict(set)
    for i, found in scored.items():
        used_at[i].update(s.doc.doc_key for s in found if s.kind == "copy")
    block = CONTEXT_WINDOW
    for start in range(0, len(target_words), block):
        here = todo[bisect.bisect_left(todo, start) : bisect.bisect_left(todo, start + block)]
        if not here:
            continue
        near = range(max(0, start - block), start + 2 * block)
        used = set(context).union(*(used_at[i] for i in near if i in used_at))
        in_context = [docs[k] for k in sorted(used) if k in docs]
        if not in_context:
            continue  # nothing to compare with (a target with no candidate sources)
        numbered: tuple[dict[str, int], np.ndarray] | None = None
        if word_ids is None or p.paraphrase_min_shared <= 0:
            per_doc = [sentences_of(doc) for doc in in_context]
        else:
            vocabulary, kept = word_ids(in_context)
            per_doc = [sentences for sentences, _ in kept]
            ids = [doc_ids for _, doc_ids in kept]
            numbered = (vocabulary, np.concatenate(ids) if ids else np.zeros(0, dtype=np.int64))
        places = [
            (doc, j, source)
            for doc, sentences in zip(in_context, per_doc, strict=True)
            for j, source in enumerate(sentences)
        ]
        _paraphrase_block(here, target_words, scored, places, p, numbered)


def _paraphrase_block(
    todo: list[int],
    target_words: list[SentenceWords],
    scored: dict[int, list[Scored]],
    places: list[tuple[SourceDoc, int, SentenceWords]],
    p: TraceParams,
    numbered: tuple[dict[str, int], np.ndarray] | None = None,
) -> None:
    """The paraphrase pass of some sentences against every sentence of the context (`places`).

    Only context sentences sharing `paraphrase_min_shared` content words with the target can
    qualify; they are counted for all pairs at once (`_sharing_pairs`) rather than by
    intersecting every pair, and scored in the same order (context article, then sentence)."""
    if p.paraphrase_min_shared <= 0:
        for i in todo:
            for doc, j, source in places:
                fit = closeness(target_words[i], source)
                kind = kind_of(fit, p)
                if kind:
                    scored[i].append(Scored(doc, (j,), fit, kind))
            scored[i].sort(key=lambda s: -s.similarity)
        return
    pairs = _sharing_pairs([target_words[i] for i in todo], [s for _, _, s in places], p, numbered)
    if len(pairs):
        fits = _paraphrase_fits(
            [target_words[todo[r]] for r in pairs[:, 0].tolist()],
            [places[at][2] for at in pairs[:, 1].tolist()],
            pairs[:, 2].astype(np.float64),
            p,
        )
        for k, fit, kind in fits:
            doc, j, _ = places[int(pairs[k, 1])]
            scored[todo[int(pairs[k, 0])]].append(Scored(doc, (j,), fit, kind))
    for i in todo:
        scored[i].sort(key=lambda s: -s.similarity)


def _sharing_pairs(
    targets: Sequence[SentenceWords],
    places: Sequence[SentenceWords],
    p: TraceParams,
    numbered: tuple[dict[str, int], np.ndarray] | None = None,
) -> np.ndarray:
    """(target, place, shared content words) of the pairs sharing `paraphrase_min_shared`
    content words that may still be a copy or a paraphrase, in (target, place) order.
    `numbered`: a vocabulary and the ids of the places' words in it, when kept already.

    Counted over the targets' vocabulary (no other word can be shared), for all pairs at once.
    A pair's longest common subsequence is at most the target's words found anywhere in the
    source sentence, and the source's words found anywhere in the target: a pair whose bound
    misses every coverage threshold of `kind_of`, and whose content overlap misses too, is left
    out before any subsequence is computed (most pairs sharing four words are no paraphrase;
    the thresholds compare the same floats, so no pair that qualifies is lost)."""
    lengths = np.array([len(s.words) for s in places], dtype=np.int64)
    vocabulary, place_ids = numbered or ({}, None)
    # The targets' new words numbered first, then every word looked up in C (ids only match:
    # any numbering will do).
    new = set(itertools.chain.from_iterable(t.words for t in targets)).difference(vocabulary)
    vocabulary.update(zip(new, itertools.count(len(vocabulary))))
    words = list(
        map(vocabulary.__getitem__, itertools.chain.from_iterable(t.words for t in targets))
    )
    # The targets' words numbered 0..size-1 (in vocabulary order); the places' words by those
    # numbers, -1 for a word no target has.
    own = np.unique(np.array(words, dtype=np.int64))
    size = len(own)
    if place_ids is None:
        place_ids = np.fromiter(
            map(
                vocabulary.get,
                itertools.chain.from_iterable(s.words for s in places),
                itertools.repeat(-1),
            ),
            dtype=np.int64,
            count=int(lengths.sum()),
        )
    if len(vocabulary) <= 8 * len(place_ids) + 1024:  # a lookup table is cheaper to fill
        local = np.full(len(vocabulary), -1, dtype=np.int64)
        local[own] = np.arange(size)
        ids = local[place_ids]
    else:
        near = np.minimum(np.searchsorted(own, place_ids), size - 1)
        ids = np.where(own[near] == place_ids, near, -1)
    t_rows = np.repeat(np.arange(len(targets)), [len(t.words) for t in targets])
    t_count = np.bincount(
        t_rows * size + np.searchsorted(own, words), minlength=len(targets) * size
    ).reshape(len(targets), size)
    t_content = np.zeros((len(targets), size), dtype=np.int64)
    c_rows = np.repeat(np.arange(len(targets)), [len(t.content) for t in targets])
    c_words = list(
        map(vocabulary.__getitem__, itertools.chain.from_iterable(t.content for t in targets))
    )
    t_content[c_rows, np.searchsorted(own, c_words)] = 1
    content_word = t_content.sum(axis=0) > 0
    rows = np.repeat(np.arange(len(places)), lengths)
    known = ids >= 0
    # Each (place, word) once, with its count in the place, in place order.
    keys, counts = np.unique(rows[known] * size + ids[known], return_counts=True)
    place_of, word_of = keys // size, keys % size
    # Shared content words of every pair: per target, a running sum over the content entries.
    content = content_word[word_of]
    edges = np.searchsorted(place_of[content], np.arange(len(places) + 1))
    total = np.zeros((len(targets), int(content.sum()) + 1), dtype=np.int64)
    np.cumsum(t_content[:, word_of[content]], axis=1, out=total[:, 1:])
    shared = total[:, edges[1:]] - total[:, edges[:-1]]
    r, c = np.nonzero(shared >= p.paraphrase_min_shared)
    if not len(r):
        return np.zeros((0, 3), dtype=np.int64)
    counted = shared[r, c]
    # The bounds of the candidate pairs only: their places' entries, summed per pair.
    edges = np.searchsorted(place_of, np.arange(len(places) + 1))
    spans = edges[c + 1] - edges[c]
    starts = np.cumsum(spans) - spans
    at = np.repeat(edges[c] - starts, spans) + np.arange(int(spans.sum()))
    pair_rows = np.repeat(r, spans)
    found_t = np.add.reduceat(t_count[pair_rows, word_of[at]], starts)
    found_s = np.add.reduceat((t_count[pair_rows, word_of[at]] > 0) * counts[at], starts)
    bound = np.minimum(found_t, found_s)
    t_words = np.array([len(t.words) for t in targets], dtype=np.float64)[r]
    t_sizes = np.array([len(t.content) for t in targets], dtype=np.float64)[r]
    s_words = lengths[c].astype(np.float64)
    used = np.unique(c)  # the content sizes of the places in a candidate pair only
    s_sizes = np.array([len(places[k].content) for k in used.tolist()], dtype=np.float64)
    s_sizes = s_sizes[np.searchsorted(used, c)]
    overlap = (counted / t_sizes >= p.paraphrase_overlap) & (
        counted / s_sizes >= p.paraphrase_overlap * 0.7
    )
    cover = bound / t_words
    coverage = (cover >= p.copy_coverage) | (
        (cover >= p.paraphrase_coverage) & (bound / s_words >= p.paraphrase_coverage * 0.7)
    )
    keep = overlap | coverage
    return np.stack([r[keep], c[keep], counted[keep]], axis=1)


def _paraphrase_fits(
    targets: Sequence[SentenceWords],
    sources: Sequence[SentenceWords],
    shared: np.ndarray,
    p: TraceParams,
) -> list[tuple[int, Closeness, str]]:
    """`closeness` and `kind_of` (single sentences) of many (target, source) pairs whose shared
    content words are counted already: (pair, fit, kind) of the pairs that are a copy or a
    paraphrase, with the same figures and decisions as one pair at a time, the word sequences
    compared in one call."""
    common = process.cpdist(
        [t.words for t in targets], [s.words for s in sources], scorer=LCSseq.similarity
    ).astype(np.float64)
    t_words = np.array([len(t.words) for t in targets], dtype=np.float64)
    s_words = np.array([len(s.words) for s in sources], dtype=np.float64)
    t_content = np.array([len(t.content) for t in targets], dtype=np.float64)
    s_content = np.array([len(s.content) for s in sources], dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        t_cover = np.where(t_words > 0, common / t_words, 0.0)
        s_cover = np.where(s_words > 0, common / s_words, 0.0)
        overlap = np.where(t_content > 0, shared / t_content, 0.0)
        s_overlap = np.where(s_content > 0, shared / s_content, 0.0)
    copy = t_cover >= p.copy_coverage
    paraphrase = ((t_cover >= p.paraphrase_coverage) & (s_cover >= p.paraphrase_coverage * 0.7)) | (
        (overlap >= p.paraphrase_overlap) & (s_overlap >= p.paraphrase_overlap * 0.7)
    )
    out: list[tuple[int, Closeness, str]] = []
    for k in np.flatnonzero(copy | paraphrase).tolist():
        fit = Closeness(
            float(t_cover[k]), float(s_cover[k]), float(overlap[k]), float(s_overlap[k])
        )
        out.append((k, fit, "copy" if copy[k] else "paraphrase"))
    return out
