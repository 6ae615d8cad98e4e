"""Pairwise text alignment: the reused passages between a target text and one source text.

Seed-and-extend in the manner of Sanchez-Perez et al. (PAN 2014): exact word n-gram matches are
the seeds, runs of seeds on one diagonal are exact matches, nearby runs are chained into passages
when they are close in *both* texts, and passages are then filtered and merged. Everything works on
case-folded word tokens, so line breaks, spacing and punctuation never break a match, and every
passage is mapped back to offsets in the original strings, trimmed to the matched words.

Pure Python, no database or engine imports: this runs inside DuckDB- and Spark-driven pipelines.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class AlignParams:
    """Knobs of the aligner (defaults checked on PAN 2013's verbatim part, see eval_pan.py)."""

    ngram: int = 4  # seed length in words
    max_seed_occurrences: int = 50  # n-grams more frequent than this in the source are boilerplate
    chain_gap: int = 12  # words allowed between runs chained into one passage, on either side
    # Passages with fewer matched words are dropped. 10 keeps a short copied news sentence; PAN's
    # cases are all 40+ words and its unannotated short overlaps cost precision (20 scores higher).
    min_words: int = 10
    # ... and in a larger search space more: chance matches grow with the words of target times
    # source, so each doubling of the pair asks one more word: at least
    # log2(target words * source words) - `search_offset` (two news articles of 360 words: 10;
    # a 3,000-word document against a 1,000-word source: 15).
    search_offset: float = 7.0
    min_density: float = 0.5  # matched words / words on the longer side of the passage
    merge_gap: int = 40  # words between two kept passages that are still merged (granularity)


DEFAULT_PARAMS = AlignParams()


@dataclass(frozen=True)
class Passage:
    """A reused passage: character ranges in target and source (end exclusive) and a similarity."""

    target_start: int
    target_end: int
    source_start: int
    source_end: int
    similarity: float


@dataclass
class _Chain:
    """Token ranges [t0, t1) x [s0, s1) plus how many target words were matched exactly."""

    t0: int
    t1: int
    s0: int
    s1: int
    matched: int


Tokens = Sequence[tuple[str, int, int]]
SeedIndex = dict[tuple[str, ...], tuple[int, ...]]


def tokenize_words(text: str) -> list[tuple[str, int, int]]:
    """Case-folded word tokens with their (start, end) character offsets in `text`."""
    return [(m.group().casefold(), m.start(), m.end()) for m in _WORD.finditer(text)]


def text_words(text: str) -> tuple[str, ...]:
    """The words of `tokenize_words(text)` without their offsets (about twice as fast)."""
    return tuple(w.casefold() for w in _WORD.findall(text))


def seed_index(source: Sequence[str], ngram: int) -> SeedIndex:
    """Where each word n-gram of `source` starts (reusable for many targets).

    Tuples only (of words, of positions): a cache of many sources' indexes is then left out of
    the cyclic garbage collector's scans (lists would be rescanned by every full collection)."""
    # Tuples of words are the hashed n-grams: a dict hashes them, no hashing library needed.
    lists: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for j, gram in enumerate(zip(*(source[k:] for k in range(ngram)), strict=False)):
        lists[gram].append(j)
    return {gram: tuple(starts) for gram, starts in lists.items()}


def _runs(
    target: Sequence[str],
    source: Sequence[str],
    params: AlignParams,
    index: SeedIndex | None = None,
) -> list[_Chain]:
    """Maximal exact matches of at least `ngram` words, found from n-gram seeds."""
    n = params.ngram
    if index is None:
        index = seed_index(source, n)
    pairs: list[tuple[int, int]] = []
    for i, gram in enumerate(_grams(target, n)):
        hits = index.get(gram)
        if hits and len(hits) <= params.max_seed_occurrences:
            pairs.extend((i, j) for j in hits)
    return _grow(pairs, n)


def _grams(words: Sequence[str], n: int) -> zip[tuple[str, ...]]:
    """The word n-grams of `words`, in order."""
    return zip(*(words[k:] for k in range(n)), strict=False)


def _grow(pairs: Iterable[tuple[int, int]], n: int) -> list[_Chain]:
    """Runs from seed matches (target position i, source position j), in (i, j) order."""
    # A run on diagonal d = j - i grows while consecutive target positions keep seeding it.
    open_runs: dict[int, _Chain] = {}
    runs: list[_Chain] = []
    for i, j in pairs:
        d = j - i
        run = open_runs.get(d)
        if run is not None and run.t1 == i + n - 1:
            run.t1 += 1
            run.s1 += 1
            run.matched += 1
        else:
            run = _Chain(i, i + n, j, j + n, n)
            open_runs[d] = run
            runs.append(run)
    return runs


def runs_from_seeds(
    target_seeds: SeedIndex, source: Sequence[str], *, ngram: int, max_occurrences: int
) -> list[tuple[int, int, int, int]]:
    """`exact_runs(target, source, ...)` from the target's `seed_index` instead of the
    source's: one index of a long article serves all its candidate sources, and each source is
    read once rather than the article once per source."""
    found: dict[tuple[str, ...], list[int]] = {}
    for j, gram in enumerate(_grams(source, ngram)):
        if gram in target_seeds:
            found.setdefault(gram, []).append(j)
    pairs = sorted(
        (i, j)
        for gram, starts in found.items()
        if len(starts) <= max_occurrences
        for i in target_seeds[gram]
        for j in starts
    )
    return [(r.t0, r.t1, r.s0, r.s1) for r in _grow(pairs, ngram)]


def _chain(runs: list[_Chain], gap: int) -> list[_Chain]:
    """Greedily chain runs (in target order) that follow one another closely in both texts."""
    done: list[_Chain] = []
    active: list[_Chain] = []
    for run in sorted(runs, key=lambda r: (r.t0, r.s0)):
        # Runs come in target order, so a chain that ends too far back can never grow again.
        done.extend(c for c in active if c.t1 < run.t0 - gap)
        active = [c for c in active if c.t1 >= run.t0 - gap]
        best: _Chain | None = None
        best_cost = 0
        for chain in active:
            t_gap = run.t0 - chain.t1
            s_gap = run.s0 - chain.s1
            # Negative gaps (overlaps) happen when repeated words let two runs share tokens.
            if not (-gap <= t_gap <= gap and -gap <= s_gap <= gap):
                continue
            if run.t1 <= chain.t1 or run.s1 <= chain.s1:
                continue
            cost = abs(t_gap) + abs(s_gap)
            if best is None or cost < best_cost:
                best, best_cost = chain, cost
        if best is None:
            active.append(_Chain(run.t0, run.t1, run.s0, run.s1, run.matched))
        else:
            # Only the words beyond the chain's current end count as newly matched.
            best.matched += min(run.matched, run.t1 - max(run.t0, best.t1))
            best.t1, best.s1 = run.t1, run.s1
    return done + active


def min_passage_words(target_words: int, source_words: int, params: AlignParams) -> int:
    """The fewest matched words a passage between texts of these lengths must have."""
    space = math.log2(max(2, target_words * source_words))
    return max(params.min_words, math.ceil(space - params.search_offset))


def _keep(chain: _Chain, params: AlignParams, min_words: int) -> bool:
    if chain.matched < min_words:
        return False
    longest = max(chain.t1 - chain.t0, chain.s1 - chain.s0)
    return chain.matched / longest >= params.min_density


def _drop_shadowed(chains: list[_Chain]) -> list[_Chain]:
    """One target stretch gets one source: when several chains claim it, the best one wins."""
    kept: list[_Chain] = []
    for chain in sorted(chains, key=lambda c: (-c.matched, c.s0)):
        length = chain.t1 - chain.t0
        overlap = sum(max(0, min(chain.t1, k.t1) - max(chain.t0, k.t0)) for k in kept)
        if overlap * 2 < length:
            kept.append(chain)
    return sorted(kept, key=lambda c: (c.t0, c.s0))


def _extend_punctuation(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a word-trimmed range over punctuation glued to its edges ("(word", "word.")."""
    while start > 0 and not text[start - 1].isspace() and not text[start - 1].isalnum():
        start -= 1
    while end < len(text) and not text[end].isspace() and not text[end].isalnum():
        end += 1
    return start, end


def exact_runs(
    target: Sequence[str],
    source: Sequence[str],
    *,
    ngram: int,
    max_occurrences: int,
    index: SeedIndex | None = None,
) -> list[tuple[int, int, int, int]]:
    """Maximal exact runs of at least `ngram` shared words: (t0, t1, s0, s1) word ranges.
    `index`: the source's `seed_index` for `ngram`, when kept from an earlier call."""
    params = AlignParams(ngram=ngram, max_seed_occurrences=max_occurrences)
    return [(r.t0, r.t1, r.s0, r.s1) for r in _runs(target, source, params, index)]


def align_texts(target: str, source: str, *, params: AlignParams = DEFAULT_PARAMS) -> list[Passage]:
    """Reused passages between `target` and `source`, as offsets into the original strings."""
    return align_tokens(
        target, tokenize_words(target), source, tokenize_words(source), params=params
    )


def align_tokens(
    target: str,
    t_tokens: Tokens,
    source: str,
    s_tokens: Tokens,
    *,
    params: AlignParams = DEFAULT_PARAMS,
    runs: list[tuple[int, int, int, int]] | None = None,
) -> list[Passage]:
    """`align_texts` over texts already tokenised (`tokenize_words`): a tracer tokenises each
    source once for many targets. `runs`: exact runs found with shorter seeds (`exact_runs`);
    those of at least `params.ngram` words are the same maximal runs this would find."""
    if runs is None:
        t_words = [tok for tok, _, _ in t_tokens]
        s_words = [tok for tok, _, _ in s_tokens]
        matches = _runs(t_words, s_words, params)
    else:
        matches = [_Chain(*r, r[1] - r[0]) for r in runs if r[1] - r[0] >= params.ngram]
    needed = min_passage_words(len(t_tokens), len(s_tokens), params)
    chains = [c for c in _chain(matches, params.chain_gap) if _keep(c, params, needed)]
    chains = _drop_shadowed(chains)
    # Second pass over validated passages only, so granularity stays near 1 without letting
    # stray short matches glue themselves to a passage.
    chains = _chain(chains, params.merge_gap)

    passages: list[Passage] = []
    for chain in sorted(chains, key=lambda c: (c.t0, c.s0)):
        t_start, t_end = t_tokens[chain.t0][1], t_tokens[chain.t1 - 1][2]
        s_start, s_end = s_tokens[chain.s0][1], s_tokens[chain.s1 - 1][2]
        t_start, t_end = _extend_punctuation(target, t_start, t_end)
        s_start, s_end = _extend_punctuation(source, s_start, s_end)
        # Dice over words: matched words count once on each side.
        words = (chain.t1 - chain.t0) + (chain.s1 - chain.s0)
        similarity = min(1.0, round(2 * chain.matched / words, 4))
        passages.append(Passage(t_start, t_end, s_start, s_end, similarity))
    return passages
