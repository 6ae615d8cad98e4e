"""A text's words, tokenised once: case-folded `\\w+` tokens with their character offsets.

A trace reads the same texts many ways (the article's sentences one by one, the article whole
for alignment, each source whole and sentence by sentence), and a reuse run reads every source
for each of its ~10 targets. Each of those used to run the regular expression again; now a
text is tokenised once into a `WordTable` and every view is a slice of it.

The tokens are exactly those of `re.finditer(r"\\w+", text)`, each case-folded. An ASCII text
of any length is translated to bytes (non-word characters made spaces) and split in C, its word
edges read from the translated bytes with NumPy: 1.3-2.9 times the regular expression's speed
on a sentence of 30-250 characters, 2.4 times the NumPy mask's on a 3.8 kB article. Other long
texts are split with NumPy (a word-character mask over the code points, word edges from its
changes); other short texts (a sentence, a title) take the regular expression, which is faster
below a few hundred characters.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from wiretrace.trace.matching import SentenceWords, ascii_spaced

_WORD = re.compile(r"\w+")
_NUMPY_FROM = 256  # characters: below this the regular expression is faster (not ASCII)
_SPACE = ord(" ")
# Which ASCII code points `\w` matches (letters, digits, underscore); index 128 stands for any
# other code point, decided apart.
_ASCII_WORD = np.array([chr(c).isalnum() or c == ord("_") for c in range(128)] + [False])

Token = tuple[str, int, int]


@dataclass(frozen=True, slots=True)
class WordTable:
    """The case-folded words of one text and their [start, end) character offsets."""

    words: tuple[str, ...]
    # Offsets as arrays: a tracer keeps thousands of sources' tables, and a tuple of Python ints
    # would cost ~70 bytes a word.
    starts: np.ndarray
    ends: np.ndarray
    ascii_text: bool = False  # its words are lower-cased ASCII (`SentenceWords.from_words`)

    @classmethod
    def of(cls, text: str) -> WordTable:
        if text.isascii():
            # Every ASCII character that is no word character made a space, the rest split
            # on them in C: the same words, without a slice per word; the words' edges are
            # where the translated bytes change between space and not.
            spaced = ascii_spaced(text)
            mask = np.frombuffer(b" " + spaced + b" ", dtype=np.uint8) != _SPACE
            edges = np.flatnonzero(mask[1:] != mask[:-1])
            return cls(tuple(spaced.decode("ascii").split()), edges[0::2], edges[1::2], True)
        if len(text) < _NUMPY_FROM:
            matches = list(_WORD.finditer(text))
            return cls(
                tuple(m.group().casefold() for m in matches),
                np.array([m.start() for m in matches], dtype=np.int64),
                np.array([m.end() for m in matches], dtype=np.int64),
            )
        edges = _word_edges(text)
        starts, ends = edges[0::2].tolist(), edges[1::2].tolist()
        folded = text.casefold()
        if len(folded) == len(text):
            # No character folded into several (casefold never shortens): offsets still hold.
            words = tuple(folded[s:e] for s, e in zip(starts, ends, strict=True))
        else:
            # Folded together: one call, not one per word ("\0" is no word character).
            pieces = "\0".join([text[s:e] for s, e in zip(starts, ends, strict=True)])
            words = tuple(pieces.casefold().split("\0")) if starts else ()
        return cls(words, edges[0::2], edges[1::2])

    def __len__(self) -> int:
        return len(self.words)

    def tokens(self, first: int = 0, last: int | None = None) -> tuple[Token, ...]:
        """(word, start, end) of words [first, last)."""
        stop = len(self.words) if last is None else last
        starts = self.starts[first:stop].tolist()
        ends = self.ends[first:stop].tolist()
        return tuple(zip(self.words[first:stop], starts, ends, strict=True))

    def within(self, start: int, end: int) -> tuple[int, int]:
        """The range [first, last) of the words lying wholly inside characters [start, end)."""
        first = int(self.starts.searchsorted(start, "left"))
        last = int(self.ends.searchsorted(end, "right"))
        return first, max(first, last)

    def ranges(self, spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
        """`within` of many character ranges at once."""
        if not spans:
            return []
        bounds = np.array(spans, dtype=np.int64).reshape(-1, 2)
        first = self.starts.searchsorted(bounds[:, 0], "left")
        last = np.maximum(first, self.ends.searchsorted(bounds[:, 1], "right"))
        return list(zip(first.tolist(), last.tolist(), strict=True))

    def sentence(self, start: int, end: int) -> SentenceWords:
        """The words of characters [start, end) as a sentence (those `SentenceWords.of` finds in
        `text[start:end]` when no word crosses the span's edges)."""
        return self.sentence_of(*self.within(start, end))

    def sentence_of(self, first: int, last: int) -> SentenceWords:
        """Words [first, last) as a sentence (an ASCII text's content words picked in C)."""
        return SentenceWords.from_words(self.words[first:last], ascii_text=self.ascii_text)


def _word_edges(text: str) -> np.ndarray:
    """Where the runs of word characters (as `\\w` decides) in a text that is not ASCII start
    and end, in turn."""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    mask = _ASCII_WORD[np.minimum(codes, 128)]
    # `\w` outside ASCII is str.isalnum(): decided once per distinct code point (news
    # text has a few: quotation marks, dashes, accented letters).
    for code in np.unique(codes[codes > 127]).tolist():
        if chr(code).isalnum():
            mask[codes == code] = True
    return np.flatnonzero(np.diff(mask.view(np.int8), prepend=0, append=0))
