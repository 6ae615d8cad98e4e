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
    out = np.empty(len(tokens), dtype=np.uint64)
    for i, token in enumerate(tokens):
        value = cache.get(token)
        if value is None:
            value = cache[token] = xxhash.xxh64_intdigest(token.encode("utf-8"))
        out[i] = value
    return out


def shingle_hashes(tokens: Sequence[str], params: ShingleParams) -> np.ndarray:
    """Sampled 32-bit shingle hashes of one token sequence (uint32, in text order, may repeat)."""
    n = params.ngram
    if len(tokens) < n:
        return np.empty(0, dtype=np.uint32)
    hashed = _token_hashes(tokens)
    count = len(tokens) - n + 1
    combined = np.zeros(count, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(n):
            combined ^= hashed[k : k + count] * _MULTIPLIERS[k]
        combined ^= combined >> np.uint64(31)
        combined *= _MULTIPLIERS[-1]
        combined ^= combined >> np.uint64(29)
    if params.sample_mod > 1:
        combined = combined[combined % np.uint64(params.sample_mod) == 0]
    return (combined >> np.uint64(32)).astype(np.uint32)


def sentence_shingles(
    text: str, spans: Sequence[tuple[int, int]], params: ShingleParams
) -> tuple[np.ndarray, np.ndarray]:
    """(hashes uint32, sentence indexes uint32) for every sentence of a text."""
    hash_parts: list[np.ndarray] = []
    sent_parts: list[np.ndarray] = []
    for index, (start, end) in enumerate(spans):
        hashes = shingle_hashes(words(text[start:end]), params)
        if len(hashes):
            hash_parts.append(hashes)
            sent_parts.append(np.full(len(hashes), index, dtype=np.uint32))
    if not hash_parts:
        return np.empty(0, dtype=np.uint32), np.empty(0, dtype=np.uint32)
    return np.concatenate(hash_parts), np.concatenate(sent_parts)
