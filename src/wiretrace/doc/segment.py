"""Sentence splitting: (start, end) offsets into the text, line by line.

Method (chosen by measurement, see docs/segmentation.md and benchmarks/sentence_splitters.py):
every line is a paragraph, so a line break always ends a sentence (headlines, bylines and
datelines on their own line never glue to the next paragraph), except in hard-wrapped text,
whose breaks inside paragraphs are read as spaces (`soft_breaks`). Each line goes through
blingfire's sentence model, called directly through its C entry point: the Python wrapper maps
byte offsets to characters with a per-byte Python loop, which is most of its cost. Its
boundaries are then repaired by a few general rules aimed at blingfire's known mistakes:

* a split after a title ("Mr.", "Sen.", "Lt. Gen.") before a capitalised word is undone;
* a split after "Jan." / "No." before a number is undone;
* a split after a middle initial ("John F. Kennedy") is undone;
* a split next to a dash is undone (datelines "N.Y. - ...", attributions '..." ― Name');
* a split before a lowercase word after an abbreviation, "?", "!" or an ellipsis is undone;
* a sentence-final word followed by a title ("... said so. Gen. Smith ...") is split, which
  blingfire misses.

Lines longer than _WINDOW characters are handed to blingfire in windows cut at a likely sentence
end, so buffers stay small and a 50 MB article splits in seconds; only blingfire's end offsets
are used, so every non-space character lands in a span.
"""

from __future__ import annotations

import ctypes
import re
import threading
from collections.abc import Iterable, Iterator

import blingfire

from wiretrace.doc.words import word_set as _words

# Longest piece handed to blingfire at once; cuts happen at a likely sentence end inside it.
_WINDOW = 1 << 16
_LINE = re.compile(r"[^\n]+")
# A likely sentence end for cutting long lines: a lowercase word, final punctuation, spaces.
_CUT = re.compile(r"[a-z]{3}[.!?]['\"”’)]*\s+")


# Titles that precede a name; a period after them does not end a sentence.
_TITLES = _words(
    """mr mrs ms messrs mme dr prof gen gens lt col maj capt cpt sgt cpl pvt adm cmdr cdr brig
    gov govs sen sens rep reps rev hon pres supt det insp atty amb del fr sr jr st v vs"""
)
# Abbreviations that precede a number ("Jan. 5", "No. 10").
_BEFORE_NUMBER = _words(
    "jan feb mar apr jun jul aug sep sept oct nov dec no nos vol art fig p pp ch sec"
)
# Capitalised words that usually open a sentence: a period before them is kept as a boundary
# even after an ambiguous abbreviation ("... the U.S. The army ...", "... Main St. He ...").
_OPENERS = _words(
    """a an the this that these those he she it we they i you his her its our their there
    but and or so yet if when while after before as at by for from in on of to with without
    since although though however meanwhile still also then now later earlier last next
    some many most all no not one two three both each every such what who why how where"""
)
# Titles that also end sentences often enough to need the _OPENERS check.
_AMBIGUOUS_TITLES = _words("st sr jr del")
_DASHES = "-–—―"
_OPEN_PUNCT = "\"'“‘«(["
_CLOSE_PUNCT = "\"'”’»)]"
_CONTINUATION = ",;:)]}%"
# blingfire misses a boundary between a sentence-final word and a title or an initialism
# ("U.S. Army") opening the next sentence.
_MISSED = re.compile(
    r"[a-z]{2}[.!?]['\"”’)]*(\s+)(?=[\"“(]?(?:"
    + "|".join(
        sorted(
            (t.capitalize() for t in _TITLES - _AMBIGUOUS_TITLES - {"v", "vs"}),
            key=len,
            reverse=True,
        )
    )
    + r")\.\s+[A-Z]|(?:[A-Z]\.){2,}\s+[A-Z])"
)

# The library handle the blingfire wrapper loads; calling it directly skips its slow offset loop.
_c_split = blingfire.blingfire.TextToSentencesWithOffsets
_Int32s = ctypes.Array[ctypes.c_int32]


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of `text`, in order; a line break ends a sentence.

    Spans never overlap, never start or end with whitespace, and slice `text` exactly.
    """
    spans: list[tuple[int, int]] = []
    # Hard-wrapped text (email, PDF copy) has line breaks inside sentences: those become spaces
    # in a same-length copy, so offsets still slice `text`.
    text = unwrap(text)
    # One line at a time: fed several lines, blingfire's choices inside a line shift with the
    # neighbouring lines' content.
    for line in _LINE.finditer(text):
        for offset, piece in _windows(line.group()):
            start = line.start() + offset
            # Only blingfire's end offsets are used: it may skip characters it does not know
            # (control codes), and every non-space character must land in some sentence.
            ends = [start + e for _, e in _blingfire_spans(piece)] + [start + len(piece)]
            raw = zip([start, *ends], ends, strict=False)
            spans.extend(_resplit(text, _merge(text, _strip(text, raw))))
    return spans


_WRAP_WIDTHS = (30, 100)  # a hard wrap is at most this wide (72-80 in email, ~90 from PDFs)
_FULL = 0.7  # a line at least this share of the wrap width was cut by the wrap, not the writer
_LINE_END = (".", "!", "?", ":", ";", '"', "”", "’", "'", ")")


def soft_breaks(text: str) -> list[int]:
    """Offsets of the line breaks that a hard wrap put inside paragraphs, or none.

    The text counts as wrapped when its lines are no wider than 100 characters, at least three
    breaks sit inside paragraphs, most of those follow a line filled to near the width, some
    follow a line ending mid-sentence and some precede a lowercase word. Then a break after a
    near-full line is soft; short lines (headlines, bylines, paragraph ends) keep theirs.
    """
    lines = text.split("\n")
    if len(lines) < 4:
        return []
    widths = [len(line.rstrip()) for line in lines]
    width = max(widths)
    if not _WRAP_WIDTHS[0] <= width <= _WRAP_WIDTHS[1]:
        return []
    inside = [i for i in range(len(lines) - 1) if lines[i].strip() and lines[i + 1].strip()]
    if len(inside) < 3:
        return []
    full = [i for i in inside if widths[i] >= _FULL * width]
    open_ended = sum(not lines[i].rstrip().endswith(_LINE_END) for i in inside)
    lowercase_next = sum(lines[i + 1].lstrip()[:1].islower() for i in inside)
    if len(full) < 0.6 * len(inside) or open_ended < 0.3 * len(inside) or not lowercase_next:
        return []
    ends = []
    offset = 0
    for line in lines[:-1]:
        offset += len(line)
        ends.append(offset)
        offset += 1
    return [ends[i] for i in full]


def unwrap(text: str) -> str:
    """`text` with its soft line breaks (see `soft_breaks`) replaced by spaces."""
    breaks = soft_breaks(text)
    if not breaks:
        return text
    chars = list(text)
    for at in breaks:
        chars[at] = " "
    return "".join(chars)


def _windows(line: str) -> Iterator[tuple[int, str]]:
    """Cut a line into pieces of at most _WINDOW characters, at a likely sentence end if there
    is one in the second half of the window, else at a space, else anywhere."""
    start = 0
    while len(line) - start > _WINDOW:
        limit = start + _WINDOW
        cut = 0
        for m in _CUT.finditer(line, start + _WINDOW // 2, limit):
            cut = m.end()
        if not cut:
            cut = line.rfind(" ", start + 1, limit) + 1 or limit
        yield start, line[start:cut]
        start = cut
    yield start, line[start:]


_local = threading.local()


def _buffers(size: int) -> tuple[ctypes.Array[ctypes.c_char], _Int32s, _Int32s]:
    """Output buffers for blingfire, reused per thread: allocating them per line is costly."""
    cached: tuple[ctypes.Array[ctypes.c_char], _Int32s, _Int32s] | None = getattr(
        _local, "buffers", None
    )
    if cached is None or len(cached[0]) < size:
        size = max(size, 1 << 12)
        cached = (
            ctypes.create_string_buffer(size),
            (ctypes.c_int32 * size)(),
            (ctypes.c_int32 * size)(),
        )
        _local.buffers = cached
    return cached


def _blingfire_spans(piece: str) -> list[tuple[int, int]]:
    """blingfire's sentence spans for one piece, as character offsets into it."""
    if not piece.strip():
        return []
    data = piece.encode("utf-8", "surrogatepass")
    out, starts, ends = _buffers(len(data) * 2 + 16)
    size = len(out)
    n_out = _c_split(
        ctypes.c_char_p(data),
        ctypes.c_int(len(data)),
        ctypes.byref(out),
        ctypes.byref(starts),
        ctypes.byref(ends),
        ctypes.c_int(size),
    )
    if n_out <= 0 or n_out > size:
        return [(0, len(piece))]
    count = out.value.count(b"\n") + 1
    if data.isascii():
        return [(starts[i], ends[i] + 1) for i in range(count)]
    # End offsets point into the last character; move them past it, then map bytes to
    # characters incrementally (each decode is of a whole-character slice).
    spans: list[tuple[int, int]] = []
    byte_pos = char_pos = 0
    n = len(data)

    def to_char(b: int) -> int:
        nonlocal byte_pos, char_pos
        char_pos += len(data[byte_pos:b].decode("utf-8", "surrogatepass"))
        byte_pos = b
        return char_pos

    for i in range(count):
        s, e = max(starts[i], byte_pos), ends[i] + 1
        while e < n and data[e] & 0xC0 == 0x80:
            e += 1
        if e <= s:
            continue
        spans.append((to_char(s), to_char(min(e, n))))
    return spans


def _strip(text: str, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            out.append((s, e))
    return out


def _merge(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for span in spans:
        if (
            out
            and "\n" not in text[out[-1][1] : span[0]]
            and _glued(text[out[-1][0] : out[-1][1]], text[span[0] : span[1]])
        ):
            out[-1] = (out[-1][0], span[1])
        else:
            out.append(span)
    return out


def _glued(left: str, right: str) -> bool:
    """True when blingfire's boundary between `left` and `right` is not a sentence end."""
    if right[0] in _DASHES or left[-1] in _DASHES or right[0] in _CONTINUATION:
        return True
    words = left.rsplit(None, 2)
    last = words[-1].lstrip(_OPEN_PUNCT)
    stem = last[:-1].lower() if last.endswith(".") else ""
    first = right.lstrip(_OPEN_PUNCT)
    if not first:
        return right[0] in _CLOSE_PUNCT  # a stray closing quote belongs to the left sentence
    opener = first.split(None, 1)[0].strip(".,;:!?'\"”’").lower() in _OPENERS
    if stem in _TITLES and first[0].isupper():
        return stem not in _AMBIGUOUS_TITLES or not opener
    if stem in _BEFORE_NUMBER and first[0].isdigit():
        return True
    if (
        len(last) == 2
        and last[0].isupper()
        and last[0] != "I"
        and stem
        and len(words) > 1
        and words[-2][:1].isupper()
        and first[0].isupper()
        and not opener
    ):
        return True  # a middle initial: "John F. | Kennedy"
    if first[0].islower():
        # Lowercase after an abbreviation ("a.m. on", "U.S. officials"), after "?" / "!"
        # closing a quote or exclamation ("'Why?' he asked"), or after an ellipsis.
        core = left.rstrip(_CLOSE_PUNCT)
        return (
            "." in last.rstrip(_CLOSE_PUNCT)[:-1]
            or stem in _TITLES
            or stem in _BEFORE_NUMBER
            or core.endswith(("?", "!", "...", "…"))
        )
    return False


def _resplit(text: str, spans: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    for s, e in spans:
        for m in _MISSED.finditer(text, s, e):
            yield s, m.start(1)
            s = m.end(1)
        yield s, e
