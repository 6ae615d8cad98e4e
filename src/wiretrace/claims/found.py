"""What the quote finders hand each other: `Found` attributions before they are finished into
`Quote`s, and the character ranges already `Taken` (each word belongs to one attribution).

The lexical rules (`quotes.py`), the dependency parse (`attribution.py`) and the trained tagger
(`tagger.py`) each produce `Found`s; `quote_finish.py` turns them into `Quote`s.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import asdict, dataclass


@dataclass(frozen=True, slots=True)
class Quote:
    """One attribution: source, cue and content spans with the speaker's role and channel."""

    speaker: str | None
    speaker_canonical: str | None
    role: str | None
    cue: str | None
    channel: str | None
    content: str
    start: int
    end: int
    speaker_start: int | None
    speaker_end: int | None
    cue_start: int | None
    cue_end: int | None
    content_start: int
    content_end: int
    direct: bool
    sentence_index: int
    # The whole source phrase (titles, role and apposition), for highlighting and evaluation.
    source_start: int | None = None
    source_end: int | None = None
    # Who the speaker is, by the name the article gives ("she" -> "Lena Ortiz"); None where
    # nothing in the article fits (`speakers.py`).
    speaker_resolved: str | None = None
    # A quotation with no attribution of its own, given to the speaker of the quote before it
    # ('"A," she said. "B"': B continues A; so does a later paragraph of quotation).
    continued: bool = False
    # "speech" (said, told, wrote, according to); "belief", "plan" or "finding" for what
    # `find_attributions` adds: thoughts, intentions and a document's findings are not quotes.
    kind: str = "speech"

    def to_dict(self) -> dict[str, object]:
        """JSON-ready fields of the `wiretrace.claims/1` quote object."""
        return asdict(self)


@dataclass(slots=True)
class Found:
    """A candidate attribution while the article is being read."""

    source: tuple[int, int] | None
    cue: tuple[int, int] | None
    parts: list[tuple[int, int]]
    direct: bool
    channel: str | None = None
    continued: bool = False
    kind: str = "speech"
    # Where the speaker is read from when another reader than the one that drew `source`
    # found it (the tagger's source phrase, the rules' speaker: `tagged_speakers.py`); None
    # with `speaker_set` means nobody is named here (the quote continues the speaker before).
    speaker: tuple[int, int] | None = None
    speaker_set: bool = False
    # An attribution of the rules that the tagger did not find: read for who speaks next (a
    # later 'she', a quotation continuing it), not reported.
    shadow: bool = False


class Taken:
    """Character ranges already claimed: PolNeAR gives each token at most one attribution."""

    def __init__(self) -> None:
        # Kept sorted by start, with the longest length, so a lookup reads only the ranges that
        # can reach it (a linear scan per cue word made long articles quadratic).
        self.ranges: list[tuple[int, int]] = []
        self._starts: list[int] = []
        self._ends: list[int] = []  # the ranges' ends, in the same order (read by `max` in C)
        self._longest = 0

    def add(self, span: tuple[int, int] | None) -> None:
        if span is not None:
            at = bisect_right(self._starts, span[0])
            self._starts.insert(at, span[0])
            self.ranges.insert(at, span)
            self._ends.insert(at, span[1])
            self._longest = max(self._longest, span[1] - span[0])

    def add_found(self, f: Found) -> None:
        self.add(f.source)
        self.add(f.cue)
        for p in f.parts:
            self.add(p)

    def hit(self, start: int, end: int) -> bool:
        lo = bisect_left(self._starts, start - self._longest)
        hi = bisect_left(self._starts, end)
        return lo < hi and max(self._ends[lo:hi]) > start
