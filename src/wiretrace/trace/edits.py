"""Word-level edits that turn a source sentence into the sentence copied from it.

Both sentences are cut into word and punctuation tokens with offsets, the case-folded token lists
are aligned (difflib, after trimming the common prefix and suffix, so one swapped word costs a few
microseconds), and every replaced, inserted or deleted span is classed as a `number`, `entity` or
`word` change or an `insert`/`delete`. Pure functions: no store, no engine, no model.

Rules:
- Case, spacing, quote/dash style and punctuation-only edits are not changes; hyphens are separate
  tokens, so "US-led" and "US -led" align, and a change inside a hyphenated compound is reported
  as the whole compound ("Aldmark-backed" -> "Aldmarkian-backed").
- `number`: either side holds a digit, number word or vague amount ("dozens"); a quantity
  qualifier added or dropped before an unchanged number ("at least 14" -> "14") is one too. The
  same value in another form ("40" -> "forty") is a `word` change.
- `entity`: either side holds an acronym or a capitalised word not opening the sentence (an opening
  capital counts only inside a name run: "Fox News"), unless both sides name the same entity in
  another form (`_same_entity`: "U.S."/"USA", "Aldmark"/"Aldmarkian", a known alias such as
  "ISIS"/"Daesh"), which is a `word` change.
- `insert`/`delete`: one change per unmatched run (edge punctuation trimmed); same-kind changes
  with only punctuation between them are merged, so a clause with commas inside is one change.
- `factual`: number and entity changes; inserts/deletes whose span holds a number or an entity.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Literal

from wiretrace.trace.aliases import flat, same_name

ChangeKind = Literal["number", "entity", "word", "insert", "delete"]

# Initialisms ("U.S.", "a.m."), then numbers with separators, then words, then one other char.
_TOKEN = re.compile(r"(?:[^\W\d_]\.){2,}|\d+(?:[.,]\d+)*(?!\w)|\w+(?:['’]\w+)*|[^\w\s]")
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "‐": "-"})
_UNITS = dict(
    zip(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
        ],
        range(20),
        strict=True,
    )
)
_TENS = dict(
    zip(
        ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"],
        range(20, 100, 10),
        strict=True,
    )
)
_SMALL = {**_UNITS, **_TENS}
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9}
# Vague amounts are numbers without a value: swapping "21" for "dozens" is a number change.
_VAGUE = frozenset(
    [
        "dozens",
        "hundreds",
        "thousands",
        "millions",
        "billions",
        "scores",
        "tens",
        "several",
        "numerous",
        "handful",
    ]
)
_NUMBER_WORDS = frozenset([*_UNITS, *_TENS, *_SCALES, "hundred", "dozen"]) | _VAGUE
# Words that hedge a figure ("at least", "more than", "nearly"): adding or dropping one changes it.
_QUALIFIERS = frozenset(
    [
        "at",
        "least",
        "most",
        "more",
        "less",
        "fewer",
        "than",
        "up",
        "to",
        "about",
        "around",
        "nearly",
        "almost",
        "roughly",
        "some",
        "over",
        "under",
        "approximately",
        "estimated",
        "as",
        "many",
        "close",
    ]
)
_DEMONYM_SUFFIXES = ("ian", "an", "n", "ese", "ish", "i", "ic", "ean", "er", "ite", "s", "'s")
_STARTERS = frozenset(
    [
        "the",
        "a",
        "an",
        "in",
        "on",
        "at",
        "but",
        "and",
        "it",
        "this",
        "that",
        "he",
        "she",
        "they",
        "we",
        "after",
        "when",
        "as",
        "for",
        "with",
        "by",
        "from",
        "its",
        "his",
        "her",
        "their",
        "our",
    ]
)
_OPENERS = frozenset("“([:;!?")


@dataclass(frozen=True)
class Change:
    """One edit from the source sentence to the target sentence, with offsets into each."""

    kind: ChangeKind
    from_: str
    to: str
    factual: bool
    source_start: int
    source_end: int
    target_start: int
    target_end: int

    def to_dict(self) -> dict[str, object]:
        """The change as the `changes` object of the trace JSON contract."""
        return {
            "kind": self.kind,
            "from": self.from_,
            "to": self.to,
            "factual": self.factual,
            "source_start": self.source_start,
            "source_end": self.source_end,
            "target_start": self.target_start,
            "target_end": self.target_end,
        }


def is_number_token(text: str) -> bool:
    """True for digits ("1,200"), number words ("twenty-one") and vague amounts ("dozens")."""
    text = text.strip().casefold()
    if _DIGITS.fullmatch(text):
        return True
    parts = re.split(r"[\s\-‐–]+", text)
    return bool(text) and all(p in _NUMBER_WORDS for p in parts)


def number_value(text: str) -> float | None:
    """The value of "12", "1,200", "3.5", "twenty-one" or "two hundred"; None for vague amounts."""
    text = text.strip().casefold()
    if _GROUPED.fullmatch(text):
        return float(text.replace(",", ""))
    total, current, seen = 0.0, 0.0, False
    for part in re.split(r"[\s\-‐–]+", text):
        if part == "and" and seen:
            continue
        if re.fullmatch(r"\d+(?:\.\d+)?", part):
            current += float(part)
        elif part in _SMALL:
            current += _SMALL[part]
        elif part == "hundred":
            current = (current or 1) * 100
        elif part == "dozen":
            current = (current or 1) * 12
        elif part in _SCALES:
            total, current = total + (current or 1) * _SCALES[part], 0.0
        else:
            return None  # vague amounts, unknown words, empty text
        seen = True
    return total + current if seen else None


def _fold(text: str) -> str:
    """Comparison form; a per-character fold keeps offsets valid for slicing keys out of it."""
    text = text.translate(_FOLD)
    folded = text.casefold()
    return folded if len(folded) == len(text) else "".join(c.casefold()[0] for c in text)


class _Tokens:
    """A sentence's tokens: offsets and comparison keys; classes are worked out on demand."""

    def __init__(self, text: str) -> None:
        self.text = text
        folded = _fold(text)
        self.spans = [m.span() for m in _TOKEN.finditer(text)]
        self.keys = [folded[s:e] for s, e in self.spans]
        for i, key in enumerate(self.keys):
            if key[0].isdigit() and "," in key:
                self.keys[i] = key.replace(",", "")  # "1,200" and "1200" are the same figure

    def tok(self, i: int) -> str:
        return self.text[self.spans[i][0] : self.spans[i][1]]

    def word(self, i: int) -> bool:
        return self.text[self.spans[i][0]].isalnum()

    def number(self, i: int) -> bool:
        return self.keys[i][0].isdigit() or self.keys[i] in _NUMBER_WORDS

    def entity(self, i: int) -> bool:
        tok = self.tok(i)
        letters = [c for c in tok if c.isalpha()]
        if len(letters) >= 2 and all(c.isupper() for c in letters):
            return True  # acronym, anywhere
        if not tok[0].isupper() or tok == "I":
            return False
        if not self._at_start(i):
            return True
        # A sentence-initial capital is a name only when a capitalised word follows ("Fox News").
        nxt = i + 1 < len(self.keys) and self.text[self.spans[i + 1][0]].isupper()
        return nxt and self.keys[i] not in _STARTERS

    def _at_start(self, i: int) -> bool:
        """Whether token i opens a sentence or clause, where any word is capitalised."""
        while i > 0:
            i -= 1
            char, start = self.text[self.spans[i][0]], self.spans[i][0]
            if self.word(i):
                return False
            if char in _OPENERS or (char == '"' and (start == 0 or self.text[start - 1] in " \n(")):
                return True  # a capital after an opening quote or colon opens a clause
            if char == ".":  # a full stop, but not the one of "Lt." or "Gen."
                return i == 0 or not (
                    self.word(i - 1)
                    and len(self.keys[i - 1]) <= 4
                    and self.text[self.spans[i - 1][0]].isupper()
                )
        return True


@lru_cache(maxsize=4096)
def _tokens(text: str) -> _Tokens:
    """Tokens of a sentence, cached: one source sentence is diffed against many copies."""
    return _Tokens(text)


def _opcodes(a: list[str], b: list[str]) -> list[tuple[str, int, int, int, int]]:
    """Non-equal opcodes; the shared prefix and suffix are cut first, as they always align."""
    n, m, p, s = len(a), len(b), 0, 0
    shorter = min(n, m)
    while p < shorter and a[p] == b[p]:
        p += 1
    while s < shorter - p and a[n - 1 - s] == b[m - 1 - s]:
        s += 1
    matcher = SequenceMatcher(None, a[p : n - s], b[p : m - s], autojunk=False)
    return [
        (tag, i1 + p, i2 + p, j1 + p, j2 + p)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]


def _expand_compound(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a span to its whole hyphenated compound ("Aldmark" -> "Aldmark-backed")."""
    while start > 1 and text[start - 1] == "-" and text[start - 2].isalnum():
        start -= 1
        while start > 0 and text[start - 1].isalnum():
            start -= 1
    while end + 1 < len(text) and text[end] == "-" and text[end + 1].isalnum():
        end += 1
        while end < len(text) and text[end].isalnum():
            end += 1
    return start, end


def _same_entity(a: list[str], b: list[str]) -> bool:
    """Same name in another form: spelling/punctuation, initialism, known alias
    (`trace/aliases.py`), or adjective/demonym."""
    if same_name(a, b):
        return True
    if len(a) == 1 and len(b) == 1:
        short, long = sorted((flat(a[0]), flat(b[0])), key=len)
        stems = {short, short[:-1]} if short[-1:] in ("a", "e", "y") else {short}
        return any(
            len(stem) >= 3 and long[len(stem) :] in _DEMONYM_SUFFIXES and long.startswith(stem)
            for stem in stems
        )
    return False


def _kind(src: _Tokens, si: list[int], tgt: _Tokens, tj: list[int]) -> ChangeKind:
    """Kind of a replacement between word tokens `si` of the source and `tj` of the target."""
    if any(src.number(i) for i in si) or any(tgt.number(j) for j in tj):
        # The same value in another form ("40" -> "forty") is a word change, not a new figure.
        value = number_value(" ".join(src.keys[i] for i in si))
        same = value is not None and value == number_value(" ".join(tgt.keys[j] for j in tj))
        return "word" if same else "number"
    if any(src.entity(i) for i in si) or any(tgt.entity(j) for j in tj):
        same = _same_entity([src.tok(i) for i in si], [tgt.tok(j) for j in tj])
        return "word" if same else "entity"
    return "word"


def _make(
    kind: ChangeKind, src: _Tokens, si: list[int], tgt: _Tokens, tj: list[int], at: tuple[int, int]
) -> Change:
    """Build a change over token runs `si`/`tj` (`at`: insertion points when a side is empty)."""
    s0, s1 = (src.spans[si[0]][0], src.spans[si[-1]][1]) if si else (at[0], at[0])
    t0, t1 = (tgt.spans[tj[0]][0], tgt.spans[tj[-1]][1]) if tj else (at[1], at[1])
    if kind in ("number", "entity", "word"):
        s0, s1 = _expand_compound(src.text, s0, s1)
        t0, t1 = _expand_compound(tgt.text, t0, t1)
        factual = kind != "word"
    else:
        factual = (
            any(src.number(i) or src.entity(i) for i in range(si[0], si[-1] + 1))
            if si
            else any(tgt.number(j) or tgt.entity(j) for j in range(tj[0], tj[-1] + 1))
        )
    return Change(kind, src.text[s0:s1], tgt.text[t0:t1], factual, s0, s1, t0, t1)


def _op_changes(src: _Tokens, tgt: _Tokens, op: tuple[str, int, int, int, int]) -> list[Change]:
    _, i1, i2, j1, j2 = op
    si = [i for i in range(i1, i2) if src.word(i)]
    tj = [j for j in range(j1, j2) if tgt.word(j)]
    if not si and not tj:
        return []  # punctuation only
    at = (src.spans[i1 - 1][1] if i1 else 0, tgt.spans[j1 - 1][1] if j1 else 0)
    if (
        i2 < len(src.keys)
        and src.number(i2)
        and j2 < len(tgt.keys)
        and tgt.number(j2)
        and all(src.keys[i] in _QUALIFIERS for i in si)
        and all(tgt.keys[j] in _QUALIFIERS for j in tj)
    ):
        # "at least 14" -> "14": report the qualified figure, unchanged number included.
        return [_make("number", src, [*si, i2], tgt, [*tj, j2], at)]
    if si and tj and len(si) == len(tj) > 1:
        # Word-for-word swap: class each pair so a number next to a plain word keeps its kind
        # (`_merge` joins neighbours of one kind again).
        pairs = [([i], [j]) for i, j in zip(si, tj, strict=True) if src.keys[i] != tgt.keys[j]]
    else:
        pairs = _pair_segments(src, si, tgt, tj) if si and tj else [(si, tj)]
    changes = []
    for a, b in pairs:
        kind: ChangeKind = "insert" if not a else "delete" if not b else _kind(src, a, tgt, b)
        changes.append(_make(kind, src, a, tgt, b, at))
        # An unpaired run is inserted or deleted right after what the previous pair covered.
        at = (src.spans[a[-1]][1] if a else at[0], tgt.spans[b[-1]][1] if b else at[1])
    return changes


def _pair_segments(
    src: _Tokens, si: list[int], tgt: _Tokens, tj: list[int]
) -> list[tuple[list[int], list[int]]]:
    """Pair runs of one class across a replaced block ("21 fighters" / "dozens of terrorists")."""
    names_s, names_t = _names(src, si), _names(tgt, tj)
    if names_s and names_t and _same_entity(names_s, names_t):
        return [(si, tj)]  # "the US" -> "America": one name in another form, articles aside
    seg_s, seg_t = _segments(src, si), _segments(tgt, tj)
    if [c for c, _ in seg_s] == [c for c, _ in seg_t]:
        return [(a, b) for (_, a), (_, b) in zip(seg_s, seg_t, strict=True)]
    matcher = SequenceMatcher(None, [c for c, _ in seg_s], [c for c, _ in seg_t], autojunk=False)
    opcodes = matcher.get_opcodes()
    # Unmatched segments on each side: an entity paired across them is not a swap in place.
    extra_s = [c for tag, a1, a2, _, _ in opcodes if tag != "equal" for c, _ in seg_s[a1:a2]]
    extra_t = [c for tag, _, _, b1, b2 in opcodes if tag != "equal" for c, _ in seg_t[b1:b2]]
    displaced = (extra_s and extra_t) or "e" in extra_s or "e" in extra_t
    pairs: list[tuple[list[int], list[int]]] = []
    for tag, a1, a2, b1, b2 in opcodes:
        if tag == "equal":
            for (cls, a), (_, b) in zip(seg_s[a1:a2], seg_t[b1:b2], strict=True):
                if cls == "e" and displaced:
                    # "near the city, Pentagon officials said" / "near the city of Raqqa":
                    # the names only face each other in the diff; one went, another came.
                    pairs.extend([(a, []), ([], b)])
                else:
                    pairs.append((a, b))
        else:
            pairs.append(
                (
                    [i for _, run in seg_s[a1:a2] for i in run],
                    [j for _, run in seg_t[b1:b2] for j in run],
                )
            )
    return pairs


def _names(toks: _Tokens, idx: list[int]) -> list[str]:
    """The words of a block when it is one name with an article before it ("the US"), else []."""
    words = [toks.tok(i) for i in idx if toks.keys[i] != "the"]
    if not words or not all(w[0].isupper() for w in words):  # a sentence's first word too
        return []
    return words if _one_run(toks, idx) else []


def _one_run(toks: _Tokens, idx: list[int]) -> bool:
    """Whether word tokens `idx` follow one another with only name-internal marks between
    ("Al-Qaeda", "U.S. Army"), not a comma or a bracket that separates two names."""
    return all(
        toks.keys[k] in ("-", "'", "’", ".")
        for i, j in itertools.pairwise(idx)
        for k in range(i + 1, j)
    )


def _segments(toks: _Tokens, idx: list[int]) -> list[tuple[str, list[int]]]:
    """Runs of number ("dozens of"), entity and other words; a comma between two names
    separates them ("Syria, Pentagon" is two names, not one)."""
    segs: list[tuple[str, list[int]]] = []
    for i in idx:
        cls = "e" if toks.entity(i) else "w"
        if toks.number(i) or (toks.keys[i] == "of" and segs and segs[-1][0] == "n"):
            cls = "n"
        if segs and segs[-1][0] == cls and (cls != "e" or _one_run(toks, [segs[-1][1][-1], i])):
            segs[-1][1].append(i)
        else:
            segs.append((cls, [i]))
    return segs


def _merge(changes: list[Change], source: str, target: str) -> list[Change]:
    """Join same-kind changes separated only by punctuation and spaces in both sentences."""
    merged: list[Change] = []
    for change in changes:
        last = merged[-1] if merged else None
        if (
            last is not None
            and last.kind == change.kind
            and not any(c.isalnum() for c in source[last.source_end : change.source_start])
            and not any(c.isalnum() for c in target[last.target_end : change.target_start])
        ):
            s0, s1 = last.source_start, max(last.source_end, change.source_end)
            t0, t1 = last.target_start, max(last.target_end, change.target_end)
            s1 = s0 if change.kind == "insert" else s1  # the empty side stays empty
            t1 = t0 if change.kind == "delete" else t1
            merged[-1] = Change(
                change.kind,
                source[s0:s1],
                target[t0:t1],
                last.factual or change.factual,
                s0,
                s1,
                t0,
                t1,
            )
        else:
            merged.append(change)
    return merged


def diff_sentences(source: str, target: str) -> list[Change]:
    """The edits, in order, that turn the `source` sentence into the `target` sentence."""
    if source == target or " ".join(_fold(source).split()) == " ".join(_fold(target).split()):
        return []  # same text up to case and spacing
    src, tgt = _tokens(source), _tokens(target)
    if src.keys == tgt.keys:
        return []
    changes: list[Change] = []
    for op in _opcodes(src.keys, tgt.keys):
        changes.extend(_op_changes(src, tgt, op))
    return _merge(changes, source, target)
