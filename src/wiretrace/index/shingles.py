"""Hashed word n-gram shingles of each sentence: the keys of the candidate index.

Shingles never cross a sentence boundary, so every posting names one sentence. A shingle is kept
only when its 64-bit hash is 0 modulo `sample_mod` ("0 mod p" sampling): the same shingles are kept
on both sides of a lookup, a copied sentence of 10+ words still keeps several, and the index is
`sample_mod` times smaller. Stored hashes are the top 32 bits: a rare collision only adds a
candidate that alignment then rejects.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import xxhash

_WORD = re.compile(r"\w+")
# Odd 64-bit multipliers for combining token hashes by position (multiplicative hashing).
_MULTIPLIERS = np.array(
    [
        0x9E3779B97F4A7C15,
        0xC2B2AE3D27D4EB4F,
        0x165667B19E3779F9,
        0xD6E8FEB86659FD93,
        0xFF51AFD7ED558CCD,
        0xC4CEB9FE1A85EC53,
    ],
    dtype=np.uint64,
)
_TOKEN_CACHE: dict[str, int] = {}
_CACHE_LIMIT = 2_000_000


@dataclass(frozen=True, slots=True)
class ShingleParams:
    """How sentences become shingles; stored with the index (a change needs a reindex)."""

    ngram: int = 3
    sample_mod: int = 2

    def key(self) -> str:
        return f"words{self.ngram}/mod{self.sample_mod}/xxh64-top32/v1"


def words(text: str) -> list[str]:
    """Case-folded word tokens (punctuation and spacing never matter for matching)."""
    return _WORD.findall(text.casefold())


def _token_hashes(tokens: Sequence[str]) -> np.ndarray:
    cache = _TOKEN_CACHE
    if len(cache) > _CACHE_LIMIT:
        cache.clear()
    for token in set(tokens).difference(cache):
        cache[token] = xxhash.xxh64_intdigest(token.encode("utf-8"))
    # map over the dict's lookup runs in C: 3x a per-token loop's speed
    return np.fromiter(map(cache.__getitem__, tokens), np.uint64, len(tokens))


def _combine(
    hashed: np.ndarray, valid: np.ndarray | None, params: ShingleParams
) -> tuple[np.ndarray, np.ndarray | None]:
    """Hash each run of `ngram` token hashes, keep the valid and sampled ones, top 32 bits."""
    n = params.ngram
    count = len(hashed) - n + 1
    combined = np.zeros(count, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(n):
            combined ^= hashed[k : k + count] * _MULTIPLIERS[k]
        combined ^= combined >> np.uint64(31)
        combined *= _MULTIPLIERS[-1]
        combined ^= combined >> np.uint64(29)
    keep = combined % np.uint64(params.sample_mod) == 0 if params.sample_mod > 1 else None
    if valid is not None:
        keep = valid if keep is None else keep & valid
    if keep is not None:
        combined = combined[keep]
    return (combined >> np.uint64(32)).astype(np.uint32), keep


def shingle_hashes(tokens: Sequence[str], params: ShingleParams) -> np.ndarray:
    """Sampled 32-bit shingle hashes of one token sequence (uint32, in text order, may repeat)."""
    if len(tokens) < params.ngram:
        return np.empty(0, dtype=np.uint32)
    return _combine(_token_hashes(tokens), None, params)[0]


def sentence_shingles(
    text: str, spans: Sequence[tuple[int, int]], params: ShingleParams
) -> tuple[np.ndarray, np.ndarray]:
    """(hashes uint32, sentence indexes uint32) for every sentence of a text.

    The whole text is tokenised and hashed at once; n-grams whose words lie in two sentences are
    dropped, so each shingle still belongs to exactly one sentence.
    """
    empty = np.empty(0, dtype=np.uint32)
    folded = text.casefold()
    if len(folded) != len(text):  # rare: casefolding changed lengths, so offsets would shift
        folded = text.lower() if len(text.lower()) == len(text) else text
    # findall over each sentence's range is C-speed; Match objects would cost 5x more.
    tokens: list[str] = []
    counts = np.zeros(len(spans), dtype=np.int64)
    for index, (start, end) in enumerate(spans):
        found = _WORD.findall(folded, start, end)
        tokens.extend(found)
        counts[index] = len(found)
    n = params.ngram
    if len(tokens) < n:
        return empty, empty
    sentence_of = np.repeat(np.arange(len(spans)), counts)
    valid = sentence_of[: len(tokens) - n + 1] == sentence_of[n - 1 :]
    hashes, keep = _combine(_token_hashes(tokens), valid, params)
    first_sentence = sentence_of[: len(tokens) - n + 1]
    sents = first_sentence[keep] if keep is not None else first_sentence
    return hashes, sents.astype(np.uint32)
