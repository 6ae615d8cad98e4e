"""How closely one sentence follows another: word-level coverage, content overlap, duplicates.

Pure functions (no store, no engine). Coverage is the longest common word subsequence divided by
the sentence's length in words: it is 1.0 for a verbatim copy, stays high when a number or a name
is changed, and still says "this sentence is made of that one" when a source sentence was split in
two (each half is covered) or two were merged (covered by their concatenation).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz.distance import LCSseq

_WORD = re.compile(r"\w+")
# A byte table for ASCII text: `\w` characters lower-cased, every other byte a space. An ASCII
# text's `\w+` tokens are then the `split()` pieces of its translated bytes (str.split's other
# separators are non-word characters too); bytes.translate is a table lookup in C, several
# times quicker than str.translate's dict.
_ASCII_SPACED = bytes(
    (ord(chr(c).lower()) if chr(c).isalnum() or chr(c) == "_" else 32) if c < 128 else 32
    for c in range(256)
)


def ascii_spaced(text: str) -> bytes:
    """An ASCII text as bytes with its words lower-cased and every non-word character a space
    (same length, same offsets)."""
    return text.encode("ascii").translate(_ASCII_SPACED)


def ascii_words(text: str) -> tuple[str, ...]:
    """The lower-cased `\\w+` tokens of an ASCII text, split in C (no match object per word)."""
    return tuple(ascii_spaced(text).decode("ascii").split())


# Function words carry no content: two sentences sharing only these are not paraphrases.
_STOPWORD_TEXT = (
    "a an the and or but if of to in on at by for from with as into onto over under about after "
    "before since until while during than then that this these those there here it its it's is "
    "are was were be been being has have had do does did will would can could may might must "
    "shall should not no nor so such also just only very more most much many some any all each "
    "both either neither other another who whom whose which what when where why how he she they "
    "them their his her him we us our you your i me my said says say told according"
)
STOPWORDS = frozenset(_STOPWORD_TEXT.split())
# What is no content word in an ASCII text's lower-cased words: the stopwords and every word of
# one character (those are all of [a-z0-9_]).
_NOT_CONTENT_ASCII = STOPWORDS | frozenset(c for c in map(chr, range(128)) if re.match(r"\w", c))


# A set of words held as a dict's keys (every value None), in the order first seen. The cyclic
# garbage collector never tracks a dict of strings but tracks every frozenset: a server's tracer
# caches the sentences of thousands of sources, and with frozensets each full collection walked
# their millions of words, a pause inside some trace (most of trace_speed.py's p99).
WordSet = dict[str, None]


@dataclass(frozen=True, slots=True)
class SentenceWords:
    """A sentence's case-folded words and its content words (stopwords and 1-char tokens out)."""

    words: tuple[str, ...]
    content: WordSet

    @classmethod
    def of(cls, text: str) -> SentenceWords:
        """The `\\w+` tokens of `text`, each case-folded (the tokens of `trace/wordtable.py`)."""
        if text.isascii():  # split in C: no match object or fold per word
            return cls.from_words(ascii_words(text), ascii_text=True)
        return cls.from_words(tuple(word.casefold() for word in _WORD.findall(text)))

    @classmethod
    def from_words(cls, words: tuple[str, ...], *, ascii_text: bool = False) -> SentenceWords:
        """A sentence of these case-folded words; `ascii_text`: they are an ASCII text's
        (lower-cased `\\w` tokens), so their content words are picked in C."""
        if ascii_text:
            return cls(
                words, dict.fromkeys(itertools.filterfalse(_NOT_CONTENT_ASCII.__contains__, words))
            )
        return cls(words, dict.fromkeys(w for w in words if len(w) > 1 and w not in STOPWORDS))

    def __len__(self) -> int:
        return len(self.words)


def common_words(a: Sequence[str], b: Sequence[str]) -> int:
    """Length of the longest common subsequence of two word sequences."""
    if not a or not b:
        return 0
    return int(LCSseq.similarity(a, b))


@dataclass(frozen=True, slots=True)
class Closeness:
    """How a target sentence relates to a source text (one sentence or two joined)."""

    target_coverage: float  # share of the target's words found, in order, in the source
    source_coverage: float  # share of the source's words found, in order, in the target
    content_overlap: float  # shared content words / the target's content words
    source_content_overlap: float  # shared content words / the source's content words

    @property
    def similarity(self) -> float:
        """One figure for reports: the harmonic mean of the two coverages."""
        t, s = self.target_coverage, self.source_coverage
        return 0.0 if t + s == 0 else 2 * t * s / (t + s)


def closeness(target: SentenceWords, source: SentenceWords) -> Closeness:
    """Coverage both ways and content-word overlap of a target and a source sentence."""
    common = common_words(target.words, source.words)
    shared = len(target.content.keys() & source.content.keys())
    return Closeness(
        target_coverage=common / len(target) if len(target) else 0.0,
        source_coverage=common / len(source) if len(source) else 0.0,
        content_overlap=shared / len(target.content) if target.content else 0.0,
        source_content_overlap=shared / len(source.content) if source.content else 0.0,
    )


def joined(first: SentenceWords, second: SentenceWords) -> SentenceWords:
    """Two consecutive sentences as one (for merges and splits)."""
    return SentenceWords(first.words + second.words, first.content | second.content)
