"""Passage-level provenance: which words of an article were taken from which words of its sources.

Journalists fuse clauses from non-adjacent wire sentences, cut long sentences down and weave
short verbatim runs into their own words, so a sentence-to-sentence match misses most reuse. Here
the article is aligned with each candidate source as a whole (the seed-and-extend runs of
`trace/align.py`, the same aligner as `align_texts`), every article word is given to at most one
source word, and each sentence gets the share of its words so covered and the covered spans with
their source offsets.

Who gets a word claimed by several sources: the longer exact run first (a long run is rarely
chance), then the source that shares more with the article as a whole (the same story is
preferred over look-alike copy of another story that shares a stock phrase).
"""

from __future__ import annotations

import bisect
import functools
import itertools
import json
import math
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from wiretrace.trace.align import (
    AlignParams,
    Passage,
    Tokens,
    align_tokens,
    runs_from_seeds,
    seed_index,
)
from wiretrace.trace.matching import STOPWORDS, SentenceWords, WordSet, common_words
from wiretrace.trace.report import SentenceTrace, SourceDoc, SourceMatch
from wiretrace.trace.wordtable import WordTable

Runs = dict[int, list[tuple[int, int, int, int]]]  # doc key -> exact runs (t0, t1, s0, s1)
_SEED = 3  # the shortest exact run that counts (the shingle length)


@dataclass(frozen=True, slots=True)
class CoverParams:
    """How finely the article is aligned with its candidate sources."""

    max_seed_occurrences: int = 20  # runs of words this frequent in one source are stock
    min_content_words: int = 1  # a run of function words only ("he said that the") is not reuse


@dataclass(frozen=True, slots=True)
class CoveredSpan:
    """Article characters [start, end) taken from source characters [source_start, source_end)."""

    start: int
    end: int
    doc: SourceDoc
    source_start: int
    source_end: int
    source_sentence: int  # the source sentence holding source_start
    words: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "article_id": self.doc.article_id,
            "source_start": self.source_start,
            "source_end": self.source_end,
            "source_sentence": self.source_sentence,
        }


@dataclass(slots=True)
class SentenceCover:
    """The covered share of one sentence's words and its covered spans, in text order."""

    words: int
    covered: int
    spans: list[CoveredSpan]

    @property
    def share(self) -> float:
        return self.covered / self.words if self.words else 0.0

    def main_doc(self) -> SourceDoc | None:
        """The source covering most of the sentence."""
        by_doc: dict[int, int] = {}
        for span in self.spans:
            by_doc[span.doc.doc_key] = by_doc.get(span.doc.doc_key, 0) + span.words
        if not by_doc:
            return None
        key = max(by_doc, key=lambda k: (by_doc[k], -k))
        return next(s.doc for s in self.spans if s.doc.doc_key == key)

    def source_sentences(self, doc: SourceDoc) -> list[int]:
        """The sentences of `doc` this sentence takes words from, most words first."""
        counts: dict[int, int] = {}
        for span in self.spans:
            if span.doc.doc_key == doc.doc_key:
                counts[span.source_sentence] = counts.get(span.source_sentence, 0) + span.words
        return sorted(counts, key=lambda j: (-counts[j], j))


_pair = " ".join  # two words as one pair (`SourceTokens.pairs`); no word holds a space


class SourceTokens:
    """Word tables, tokens, sentences and word pairs of source documents, kept per doc key
    (sources are the same for many targets; a reuse run shares one between the targets of a
    bundle). What is kept is a tuple, a string, an array or a dict of them, which the cyclic
    garbage collector stops scanning: with lists, each full collection rescanned the whole cache
    and stalled a trace (the p99 of trace_speed.py)."""

    def __init__(self, limit: int = 4096) -> None:
        self._tables: dict[int, WordTable] = {}
        self._tokens: dict[int, Tokens] = {}
        self._sentences: dict[int, tuple[SentenceWords, ...]] = {}
        self._singles: dict[tuple[int, int], SentenceWords] = {}
        self._pairs: dict[int, WordSet] = {}
        self._limit = limit
        self._vocabulary: dict[str, int] = {}  # word -> id, for `sentence_ids`
        self._ids: dict[int, tuple[tuple[SentenceWords, ...], np.ndarray]] = {}

    def table(self, doc: SourceDoc) -> WordTable:
        """The document's words, tokenised once."""
        found = self._tables.get(doc.doc_key)
        if found is None:
            if len(self._tables) >= self._limit:
                self.clear()
            found = self._tables[doc.doc_key] = WordTable.of(doc.text)
        return found

    def words(self, doc: SourceDoc) -> tuple[str, ...]:
        """The document's case-folded words (those of `tokenize_words`)."""
        return self.table(doc).words

    def of(self, doc: SourceDoc) -> Tokens:
        """The document's tokens with their offsets (`tokenize_words`)."""
        found = self._tokens.get(doc.doc_key)
        if found is None:
            found = self._tokens[doc.doc_key] = self.table(doc).tokens()
        return found

    def sentences(self, doc: SourceDoc) -> tuple[SentenceWords, ...]:
        """The words of each of the document's sentences."""
        found = self._sentences.get(doc.doc_key)
        if found is None:
            table = self.table(doc)
            # A sentence read alone before is taken over, not kept twice: every object cached
            # here is one more for the garbage collector's full scans (a trace's p99).
            sentences: list[SentenceWords] = []
            for j, (first, last) in enumerate(table.ranges(doc.spans)):
                single = self._singles.pop((doc.doc_key, j), None)
                sentences.append(single if single is not None else table.sentence_of(first, last))
            found = self._sentences[doc.doc_key] = tuple(sentences)
        return found

    def sentence(self, doc: SourceDoc, index: int) -> SentenceWords:
        """The words of one of the document's sentences. Most candidates are read for a
        sentence or two only: their whole text is not tokenised for that."""
        found = self._sentences.get(doc.doc_key)
        if found is not None:
            return found[index]
        key = (doc.doc_key, index)
        single = self._singles.get(key)
        if single is None:
            if len(self._singles) >= self._limit * 8:
                self._singles.clear()
            start, end = doc.spans[index]
            single = self._singles[key] = SentenceWords.of(doc.text[start:end])
        return single

    def clear(self) -> None:
        for cache in (self._tables, self._tokens, self._sentences, self._singles, self._pairs):
            cache.clear()
        self._ids.clear()

    def sentence_ids(
        self, docs: Sequence[SourceDoc]
    ) -> tuple[dict[str, int], list[tuple[tuple[SentenceWords, ...], np.ndarray]]]:
        """Each document's sentences (`sentences`) and the ids of their words, in order, in
        one vocabulary (returned too: a caller adds its own words to it). The ids are kept
        per document, so the paraphrase pass maps a source's words once, not once per target."""
        if len(self._vocabulary) > _VOCABULARY_LIMIT:  # a long-lived tracer's: start afresh
            self._vocabulary = {}
            self._ids.clear()
        vocabulary = self._vocabulary
        out = []
        for doc in docs:
            sentences = self.sentences(doc)
            found = self._ids.get(doc.doc_key)
            if found is None or found[0] is not sentences:
                words = [w for s in sentences for w in s.words]
                new = set(words).difference(vocabulary)  # numbered in any order: ids only match
                first = len(vocabulary)
                vocabulary.update(zip(new, range(first, first + len(new)), strict=True))
                ids = np.fromiter(map(vocabulary.__getitem__, words), np.int64, len(words))
                found = self._ids[doc.doc_key] = (sentences, ids)
            out.append(found)
        return vocabulary, out

    def pairs(self, doc: SourceDoc) -> WordSet:
        """The document's consecutive word pairs (a two-word run kept in new words), each as
        its two words and a space between: strings, which the garbage collector does not
        track, and neither the set of them (see `WordSet`); pairs of words in tuples made
        it track every document's set until its next full collection."""
        found = self._pairs.get(doc.doc_key)
        if found is None:
            words = self.words(doc)
            found = self._pairs[doc.doc_key] = dict.fromkeys(map(_pair, itertools.pairwise(words)))
        return found


_VOCABULARY_LIMIT = 1 << 20  # words a `SourceTokens` numbers before it starts afresh
_MAX_DOCS = 64  # sources aligned with one article at most: its cost stays linear in its length
_NAME_RUN = 5  # a shorter run whose content words are all capitalised is a shared name


def _reused(text: str, tokens: Tokens, t0: int, t1: int) -> bool:
    """Whether an exact run counts as reused text: it holds a content word, and it is more than
    a name with function words around it ("of the Lusa Valley" is shared by every article on
    the subject; "of the Lusa Valley were cut off" is taken from one)."""
    content = [
        (w, start)
        for w, start, _ in tokens[t0:t1]
        if len(w) > 1 and w not in STOPWORDS and not w.isdigit()
    ]
    if not content:
        return False
    if t1 - t0 >= _NAME_RUN:
        return True
    return not all(text[start].isupper() for _, start in content)


def cover_sentences(
    text: str,
    spans: Sequence[tuple[int, int]],
    docs: Sequence[SourceDoc],
    tokens: SourceTokens,
    params: CoverParams = CoverParams(),
    found: Runs | None = None,
    table: WordTable | None = None,
) -> list[SentenceCover]:
    """Per sentence of `text` (its `spans`), the words covered by exact runs shared with `docs`
    (ranked best first: the rank breaks ties between runs of equal length). `found` receives
    each doc's runs (for `aligned_passages`); `table`: the text's words, when made already."""
    if table is None:  # (an empty table is falsy: test for None)
        table = WordTable.of(text)
    t_tokens = table.tokens()
    t_words = table.words
    owner: list[tuple[int, int] | None] = [None] * len(t_words)  # (doc rank, source word)
    runs = []
    t_seeds = seed_index(t_words, _SEED)
    for rank, doc in enumerate(docs):
        doc_runs = runs_from_seeds(
            t_seeds, tokens.words(doc), ngram=_SEED, max_occurrences=params.max_seed_occurrences
        )
        if found is not None:
            found[doc.doc_key] = doc_runs
        for t0, t1, s0, _ in doc_runs:
            if _reused(text, t_tokens, t0, t1):
                runs.append((t1 - t0, rank, t0, s0))
    for length, rank, t0, s0 in sorted(runs, key=lambda r: (-r[0], r[1], r[2])):
        for k in range(length):
            if owner[t0 + k] is None:
                owner[t0 + k] = (rank, s0 + k)
    covers = [SentenceCover(0, 0, []) for _ in spans]
    sentence_of_token = _sentence_of_token(table, spans)
    for i, count in enumerate(np.bincount(sentence_of_token + 1, minlength=len(spans) + 1)[1:]):
        covers[i].words = int(count)
    sentence_of_token = sentence_of_token.tolist()
    sentence_starts: dict[int, list[int]] = {}  # per doc rank: where its sentences start
    # Maximal pieces: consecutive article words from consecutive words of one source, one sentence.
    k = 0
    while k < len(t_words):
        i, here = sentence_of_token[k], owner[k]
        if here is None or i < 0:
            k += 1
            continue
        end = k + 1
        while (
            end < len(t_words)
            and sentence_of_token[end] == i
            and owner[end] == (here[0], here[1] + (end - k))
        ):
            end += 1
        doc = docs[here[0]]
        # Offsets from the source's word table (its token tuples are not made for this).
        s_table = tokens.table(doc)
        source_start = int(s_table.starts[here[1]])
        source_end = int(s_table.ends[here[1] + end - k - 1])
        starts_src = sentence_starts.get(here[0])
        if starts_src is None:
            starts_src = sentence_starts[here[0]] = [a for a, _ in doc.spans]
        j = max(0, bisect.bisect_right(starts_src, source_start) - 1)
        covers[i].spans.append(
            CoveredSpan(
                t_tokens[k][1],
                t_tokens[end - 1][2],
                doc,
                source_start,
                source_end,
                j,
                end - k,
            )
        )
        covers[i].covered += end - k
        k = end
    return covers


def _sentence_of_token(table: WordTable, spans: Sequence[tuple[int, int]]) -> np.ndarray:
    """The sentence each word starts in (-1 between sentences)."""
    if not spans:
        return np.full(len(table), -1, dtype=np.int64)
    starts = np.array([s for s, _ in spans], dtype=np.int64)
    ends = np.array([e for _, e in spans], dtype=np.int64)
    index = starts.searchsorted(table.starts, "right") - 1
    inside = (index >= 0) & (table.starts < ends[np.maximum(index, 0)])
    return np.where(inside, index, -1)


def aligned_passages(
    text: str,
    docs: Sequence[SourceDoc],
    tokens: SourceTokens,
    params: AlignParams,
    runs: Runs,
    table: WordTable | None = None,
) -> list[tuple[SourceDoc, Passage]]:
    """Reused passages (PAN-grade: long, merged, with source offsets) per candidate source,
    chained from the exact runs `cover_sentences` found."""
    t_tokens = (WordTable.of(text) if table is None else table).tokens()
    out = []
    for doc in docs:
        for passage in align_tokens(
            text, t_tokens, doc.text, tokens.of(doc), params=params, runs=runs.get(doc.doc_key)
        ):
            out.append((doc, passage))
    return out


def rank_sources(
    hits: dict[int, list[tuple[int, int]]],
    docs: dict[int, SourceDoc],
    limit: int,
    sentences: int,
    shared: dict[int, int] | None = None,
) -> list[SourceDoc]:
    """Candidate sources of the whole article, best first (document-level: a story's wire copy
    shares words with many sentences, a look-alike of another story with one or two): by the
    distinct shingles each shares with the whole article (`shared`, when the index gave them),
    then by the number of sentences that have it among their candidates. The best `limit` are
    kept and, in a long text, any further candidate of two sentences or more (one for every four
    sentences, 64 at most: a long document draws on many sources, and each aligned source costs
    a pass over the article). Later articles are left out."""
    votes: dict[int, int] = {}
    for per in hits.values():
        for key in {doc for doc, _ in per}:
            votes[key] = votes.get(key, 0) + 1
    shared = shared or {}
    ranked = sorted(
        (k for k in votes.keys() | shared.keys() if k in docs and docs[k].direction != "later"),
        key=lambda k: (-shared.get(k, 0), -votes.get(k, 0), k),
    )
    wider = max(limit, min(sentences // 4, _MAX_DOCS))
    kept = ranked[:limit] + [k for k in ranked[limit:wider] if votes.get(k, 0) >= 2]
    return [docs[k] for k in kept]


def derive_from_cover(
    trace: SentenceTrace,
    cover: SentenceCover,
    *,
    copy: float,
    fallback: tuple[SourceDoc, int] | None = None,
) -> None:
    """A sentence no single source sentence explains but judged derived from passages of its
    sources: copied when they cover `copy` of its words (fused from several source sentences:
    `merged`), else paraphrased and `partly_derived`. Its edits are not listed: words outside
    the covered spans were written anew, not changed from a source. `fallback`: the closest
    source sentence, for a rewritten sentence that shares no exact run."""
    doc = cover.main_doc()
    if doc is not None and doc.direction == "earlier":
        sentences = cover.source_sentences(doc)
    elif fallback is not None and fallback[0].direction == "earlier":
        doc, sentences = fallback[0], [fallback[1]]
    else:
        return
    match = SourceMatch(doc, (sentences[0],), round(cover.share, 3))
    trace.sources.insert(0, match)
    if cover.share >= copy:
        trace.status = "copied"
        if len(sentences) > 1:
            trace.flags.append("merged")
    else:
        trace.status = "paraphrased"
        trace.flags.append("partly_derived")


# -- is an uncovered or partly covered sentence derived? ------------------------------------

FEATURES = (
    "covered",  # share of the sentence's words in exact runs from the candidate sources
    "covered_main",  # ... from the source covering most of it
    "longest_run",  # the longest covered span's words / the sentence's words
    "content_in_main",  # share of its content words found anywhere in that source
    "content_in_sources",  # ... anywhere in the three best candidate sources
    "sentence_match",  # best share of its content words in one sentence of that source
    "log_words",
    "quoted",  # the sentence holds a quotation mark
    "pairs_in_main",  # share of its word pairs holding a content word found in that source
    "pairs_in_sources",  # ... in the three best candidate sources
    "names_in_main",  # share of its capitalised words (not the first) found in that source
    "numbers_in_main",  # share of its numbers found in that source (1.0 when it has none)
    "best_order",  # best share of its words found in order in one sentence of that source
)
# Context (the article's covered share, the neighbours' coverage, the position) was tried and
# left out: it calls a sentence inserted among copied ones derived, the very case to catch.
_QUOTE_MARKS = ('"', "\u201c", "\u201d")
_MODEL_PATH = Path(__file__).parent / "models" / "derivation.json"


@dataclass(frozen=True, slots=True)
class SourceView:
    """What the derivation features read of the candidate sources (the tracer's caches)."""

    content: Callable[[SourceDoc], WordSet]  # a document's content words
    sentences: Callable[[SourceDoc], Sequence[SentenceWords]]  # its sentences' words
    tokens: SourceTokens
    # Per trace: the words of its main sources, and their sentences' content words.
    _word_sets: dict[int, frozenset[str]] = field(default_factory=dict)
    _contents: dict[int, tuple[WordSet, ...]] = field(default_factory=dict)

    def contents(self, doc: SourceDoc) -> tuple[WordSet, ...]:
        """The content words of each of `doc`'s sentences."""
        found = self._contents.get(doc.doc_key)
        if found is None:
            found = self._contents[doc.doc_key] = tuple(s.content for s in self.sentences(doc))
        return found

    def word_set(self, doc: SourceDoc) -> frozenset[str]:
        """The distinct words of `doc`."""
        found = self._word_sets.get(doc.doc_key)
        if found is None:
            found = self._word_sets[doc.doc_key] = frozenset(self.tokens.words(doc))
        return found


def sentence_features(
    words: SentenceWords,
    text: str,
    cover: SentenceCover,
    view: SourceView,
    ranked: Sequence[SourceDoc],
    starts: Sequence[int] | None = None,
) -> list[float]:
    """The evidence the derivation model weighs, in `FEATURES` order. `starts`: where in
    `text` each of `words` starts, when the caller has them (`words` are then its tokens)."""
    main = cover.main_doc() or (ranked[0] if ranked else None)
    content = words.content
    in_main = in_sources = sentence_match = best_order = 0.0
    covered_main = pairs_main = pairs_sources = names_main = 0.0
    numbers_main = 1.0
    if starts is None:
        table = WordTable.of(text)
        folded, starts = table.words, table.starts.tolist()
    else:
        folded = words.words
    # (Counted with C-level maps: these run for every unsourced sentence of a trace.)
    if folded is words.words:  # its content words are those of `content`
        holds = list(map(content.__contains__, folded))
    else:
        holds = [len(w) > 1 and w not in STOPWORDS for w in folded]  # a content word?
    pairs = list(
        map(
            _pair,
            itertools.compress(itertools.pairwise(folded), map(operator.or_, holds, holds[1:])),
        )
    )
    capital = map(str.isupper, map(text.__getitem__, starts[1:]))
    names = set(itertools.compress(folded[1:], capital))
    numbers = set(itertools.compress(folded, map(str.isdigit, map(operator.itemgetter(0), folded))))
    if main is not None and content:
        in_main = len(content.keys() & view.content(main).keys()) / len(content)
        sentences = view.sentences(main)
        # The three sentences sharing most content words, the later first on a tie: as
        # heapq.nlargest(3, ((shared, j) for each sentence j)), the intersections counted in C.
        shared = sorted(
            zip(map(len, map(content.keys().__and__, view.contents(main))), itertools.count()),
            reverse=True,
        )[:3]
        sentence_match = (shared[0][0] if shared else 0) / len(content)
        # Words in order: against the three sentences sharing most content words (an LCS each;
        # the target's coverage of `closeness`).
        best_order = max(
            (common_words(words.words, sentences[j].words) / len(words) for _, j in shared),
            default=0.0,
        )
        top = ranked[:3]
        # Words and pairs found in any of the best sources: this sentence's own, intersected
        # with each source's (not the sources' union, made per trace).
        found: set[str] = set().union(*(content.keys() & view.content(doc).keys() for doc in top))
        in_sources = len(found) / len(content)
        main_words = sum(s.words for s in cover.spans if s.doc.doc_key == main.doc_key)
        covered_main = main_words / cover.words if cover.words else 0.0
        main_pairs = view.tokens.pairs(main)
        if pairs:
            distinct = frozenset(pairs)
            in_any = main_pairs.keys() & distinct
            in_any = in_any.union(*(view.tokens.pairs(doc).keys() & distinct for doc in top))
            pairs_main = sum(map(main_pairs.__contains__, pairs)) / len(pairs)
            pairs_sources = sum(map(in_any.__contains__, pairs)) / len(pairs)
        main_words_set = view.word_set(main)
        if names:
            names_main = len(names & main_words_set) / len(names)
        if numbers:
            numbers_main = len(numbers & main_words_set) / len(numbers)
    longest = max((s.words for s in cover.spans), default=0)
    return [
        cover.share,
        covered_main,
        longest / cover.words if cover.words else 0.0,
        in_main,
        in_sources,
        sentence_match,
        math.log1p(len(words)),
        float(any(mark in text for mark in _QUOTE_MARKS)),
        pairs_main,
        pairs_sources,
        names_main,
        numbers_main,
        best_order,
    ]


@dataclass(frozen=True, slots=True)
class DerivationModel:
    """Logistic regression over `FEATURES`, trained on real rewriting
    (benchmarks/train_derivation.py: METER, cross-validated by story)."""

    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float

    def probability(self, features: Sequence[float]) -> float:
        z = self.intercept + sum(
            c * (f - m) / s
            for c, f, m, s in zip(self.coef, features, self.mean, self.scale, strict=True)
        )
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))

    def to_dict(self) -> dict[str, Any]:
        return {
            "features": list(FEATURES),
            "mean": list(self.mean),
            "scale": list(self.scale),
            "coef": list(self.coef),
            "intercept": self.intercept,
            "threshold": self.threshold,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DerivationModel:
        if tuple(data["features"]) != FEATURES:
            raise ValueError("derivation model trained on other features")
        return cls(
            tuple(data["mean"]),
            tuple(data["scale"]),
            tuple(data["coef"]),
            float(data["intercept"]),
            float(data["threshold"]),
        )


@functools.cache
def shipped_model() -> DerivationModel | None:
    """The derivation model shipped with wiretrace, or None before one is trained."""
    if not _MODEL_PATH.exists():
        return None
    return DerivationModel.from_dict(json.loads(_MODEL_PATH.read_text(encoding="utf-8")))
