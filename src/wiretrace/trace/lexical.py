"""Lexical matches of a sentence: is a source sentence a copy of it, a paraphrase, or neither;
and the paraphrase pass that compares each sentence with no copy against every sentence of the
articles its neighbourhood draws on.

Pure functions over `SentenceWords` (no store, no index): the tracer calls them for candidates
from the index, the reuse engines through the tracer.
"""

from __future__ import annotations

import bisect
import itertools
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import LCSseq

from wiretrace.trace.matching import Closeness, SentenceWords, closeness
from wiretrace.trace.params import TraceParams
from wiretrace.trace.report import SourceDoc

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
) -> None:
    """Sentences with no copy: compare with every sentence of the articles already used and
    of the article's best candidate sources (`context`); `sentences_of` gives a document's
    sentences' words.

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
        places = [
            (doc, j, source)
            for doc in (docs[k] for k in sorted(used) if k in docs)
            for j, source in enumerate(sentences_of(doc))
        ]
        _paraphrase_block(here, target_words, scored, places, p)


def _paraphrase_block(
    todo: list[int],
    target_words: list[SentenceWords],
    scored: dict[int, list[Scored]],
    places: list[tuple[SourceDoc, int, SentenceWords]],
    p: TraceParams,
) -> None:
    """The paraphrase pass of some sentences against every sentence of the context (`places`).

    Only context sentences sharing `paraphrase_min_shared` content words with the target can
    qualify; they are found through an index of their content words rather than by
    intersecting every pair, in the same order (context article, then sentence)."""
    if p.paraphrase_min_shared <= 0:
        for i in todo:
            for doc, j, source in places:
                fit = closeness(target_words[i], source)
                kind = kind_of(fit, p)
                if kind:
                    scored[i].append(Scored(doc, (j,), fit, kind))
            scored[i].sort(key=lambda s: -s.similarity)
        return
    index: dict[str, list[int]] = defaultdict(list)
    for at, (_, _, source) in enumerate(places):
        for word in source.content:
            index[word].append(at)
    # The pairs sharing enough content words (their count is the overlap: `index` lists a
    # place once per distinct word), then every pair's longest common subsequence in one
    # call, and the thresholds of `kind_of` over all pairs at once.
    pair_targets: list[int] = []
    pair_places: list[int] = []
    pair_shared: list[int] = []
    for i in todo:
        shared = Counter(
            itertools.chain.from_iterable(index.get(w, ()) for w in target_words[i].content)
        )
        for at in sorted(a for a, n in shared.items() if n >= p.paraphrase_min_shared):
            pair_targets.append(i)
            pair_places.append(at)
            pair_shared.append(shared[at])
    if pair_places:
        fits = _paraphrase_fits(
            [target_words[i] for i in pair_targets],
            [places[at][2] for at in pair_places],
            np.array(pair_shared, dtype=np.float64),
            p,
        )
        for k, fit, kind in fits:
            doc, j, _ = places[pair_places[k]]
            scored[pair_targets[k]].append(Scored(doc, (j,), fit, kind))
    for i in todo:
        scored[i].sort(key=lambda s: -s.similarity)


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
