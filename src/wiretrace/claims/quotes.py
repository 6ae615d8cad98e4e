"""Quotes and reported speech: who said what, with which cue verb, to which outlet.

Rules only (compiled regexes and light Python, no parser): direct quotes are found per paragraph
and attributed from the words beside them ('"...," he said', 'Name added: "..."'); reported speech
is found from a cue lexicon learned on PolNeAR's train split ("X said (that) ...", "according to
X, ...", "..., X said"). Offsets are character offsets into `article.text`, end exclusive.

Channel: the outlet or medium a statement was given to ("told Fox News", "in an interview with
Reuters", "on Twitter"). Generic audiences ("told reporters", "told supporters") are not outlets,
so `channel` stays null for them.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import asdict, dataclass

from wiretrace.claims import quote_patterns as qp
from wiretrace.model import Article

# A sentence longer than this is scanned only at its start: no real attribution needs more.
_MAX_SENTENCE = 4000
# Quotes longer than this are unclosed marks running away, not quotes.
_MAX_QUOTE = 6000
_MAX_SOURCE_WORDS = 12
_AUX_RE = re.compile(
    r"(?:\b(?:" + "|".join(sorted(qp.AUX, key=len, reverse=True)) + r")\s+)+$", re.IGNORECASE
)
_NOT_RE = re.compile(r"(?:\b(?:did|does|do|would|will|could)\s*(?:not|n't|n’t)\s+)$", re.I)
_CLAUSE_BOUNDARY = re.compile(
    r"[;:“”\"—–(]|\s--\s|\b(?:that|and|but|because|while|although|though|so|if|when|as|where|"
    r"whom|since|until|whether|than|unless)\b"
)
_STRONG_BOUNDARY = re.compile(r"[;:“”\"—–(]|\s--\s")
_COORD_CUE = re.compile(
    r",?\s+(?:and|but)\s+(?:(?:" + "|".join(sorted(qp.AUX, key=len, reverse=True)) + r")\s+)*"
    r"(?:" + "|".join(sorted(qp.SPEECH_CUES, key=len, reverse=True)) + r")\b"
)
_DETERMINERS = qp._words(
    """the a an his her their its our my this these those some many most several both each
    another other any no one two three four five six seven eight nine ten"""
)
_NAME_RUN_END = re.compile(r"(?:" + qp.NAME_TOKEN + r"\s+)*" + qp.NAME_TOKEN + r"$")
_NP_END = re.compile(r"\b(?:the|a|an|his|her|their|its)\s+(?:[\w'’-]+\s+){0,3}[\w'’-]+$", re.I)
_RIGHT_SOURCE = re.compile(
    r"\s+(?P<src>(?:(?:the|a|an)\s+)?(?:[\w.'’&-]+|\([^()\s]{1,12}\))"
    r"(?:\s+(?:[\w.'’&-]+|\([^()\s]{1,12}\))){0,9})"
)
_TOLD_OBJ = re.compile(
    r"\s+(?P<obj>(?:the\s+)?[A-Z][\w&.'’-]*(?:\s+(?:of\s+)?[A-Z][\w&.'’-]*){0,4}"
    r"|(?:state|local|national)\s+(?:television|TV|media|radio|news agency(?:\s+[A-Z]\w*)?)"
    r"|(?:a|an|the)\s+(?:[\w-]+\s+){0,2}?(?:newspaper|radio|channel|television|broadcaster)"
    r"(?:\s+[A-Z][\w&.'’-]*){0,3}"
    r"|(?:[a-z]+\s+){0,2}?(?:" + "|".join(sorted(qp.AUDIENCES, key=len, reverse=True)) + r"))"
    r"(?=[\s,.;:]|$)"
)
_LEAD_TIME = re.compile(
    r"\s*(?:,\s*)?(?:on\s+)?(?:(?:last|this|next)\s+)?(?:"
    + "|".join(sorted(qp.WEEKDAYS, key=len, reverse=True))
    + r"|week|month|year|night|morning|afternoon|evening)\b(?:\s+(?:morning|night|afternoon))?",
    re.IGNORECASE,
)
_PAREN = re.compile(r"\s*\([^()]*\)")


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

    def to_dict(self) -> dict[str, object]:
        """JSON-ready fields of the `wiretrace.claims/1` quote object."""
        return asdict(self)


@dataclass(slots=True)
class _Found:
    """A candidate attribution while the article is being read."""

    source: tuple[int, int] | None
    cue: tuple[int, int] | None
    parts: list[tuple[int, int]]
    direct: bool
    channel: str | None = None


def find_quotes(article: Article) -> list[Quote]:
    """All direct quotes and reported statements in the article, in text order."""
    text = article.text
    if not text.strip():
        return []
    spans = list(article.spans) or [(0, len(text))]
    starts = [s for s, _ in spans]
    found = _direct_quotes(text, spans, starts)
    taken = _Taken()
    for f in found:
        taken.add_found(f)
    found.extend(_reported(text, spans, taken))
    found.sort(key=lambda f: f.parts[0][0])
    return _finish(text, found, starts)


class _Taken:
    """Character ranges already claimed: PolNeAR gives each token at most one attribution."""

    def __init__(self) -> None:
        self.ranges: list[tuple[int, int]] = []

    def add(self, span: tuple[int, int] | None) -> None:
        if span is not None:
            self.ranges.append(span)

    def add_found(self, f: _Found) -> None:
        self.add(f.source)
        self.add(f.cue)
        for p in f.parts:
            self.add(p)

    def hit(self, start: int, end: int) -> bool:
        return any(s < end and start < e for s, e in self.ranges)


# --- direct quotes -------------------------------------------------------------------------


def _quote_segments(text: str) -> list[tuple[int, int]]:
    """Quoted stretches per paragraph; an unclosed quote runs to the end of its paragraph."""
    segments: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        open_at = -1
        for m in qp.QUOTE_CHAR_RE.finditer(line):
            ch = m.group()
            if open_at < 0:
                if ch != "”":
                    open_at = m.start()
            elif ch == "“":
                open_at = m.start()  # a second opening mark: the first was never closed
            else:
                segments.append((pos + open_at, pos + m.end()))
                open_at = -1
        if open_at >= 0:
            segments.append((pos + open_at, pos + len(line.rstrip())))
        pos += len(line) + 1
    return [(s, e) for s, e in segments if 2 < e - s <= _MAX_QUOTE]


def _words_in(text: str) -> int:
    return len(text.split())


def _direct_quotes(text: str, spans: list[tuple[int, int]], starts: list[int]) -> list[_Found]:
    """Quotes attributed by the words right after or right before them."""
    segments = _quote_segments(text)
    out: list[_Found] = []
    i = 0
    while i < len(segments):
        qs, qe = segments[i]
        if _words_in(text[qs:qe]) < 3:
            i += 1
            continue
        att = _trailing(text, qe) or _leading(text, qs, starts)
        if att is None:
            i += 1
            continue
        src, cue, chan = att
        parts = [(qs, qe)]
        j = i + 1
        # Absorb the quote's continuation: later quotes in the paragraph (or next paragraphs
        # opening with a quote mark) with no attribution of their own.
        while j < len(segments):
            ns, ne = segments[j]
            gap = text[parts[-1][1] : ns]
            if "\n" in gap and not (gap.strip() == "" and _unclosed(text, parts[-1])):
                break
            if _trailing(text, ne) or _leading(text, ns, starts):
                break
            if cue is not None and cue[0] < parts[-1][1] and gap.strip():
                break  # leading attribution: only back-to-back quotes continue it
            if gap.strip() and not _gap_is_attribution(text, parts[-1][1], ns, cue, starts):
                break
            parts.append((ns, ne))
            j += 1
        out.append(_Found(src, cue, parts, True, chan))
        i = j
    return out


def _unclosed(text: str, part: tuple[int, int]) -> bool:
    return text[part[1] - 1] not in "\"”"


def _gap_is_attribution(
    text: str, gs: int, ge: int, cue: tuple[int, int] | None, starts: list[int]
) -> bool:
    """The text between two quotes is just the attribution sentence ('," he said. "')."""
    if cue is None or not gs <= cue[0] < ge:
        return False
    return bisect_right(starts, ge - 1) - bisect_right(starts, cue[0]) <= 1


_Att = tuple[tuple[int, int] | None, tuple[int, int], str | None]


def _trailing(text: str, qe: int) -> _Att | None:
    """'"...," he said' / '"...," said Name' right after a quote."""
    line_end = text.find("\n", qe)
    line_end = len(text) if line_end < 0 else line_end
    after = text[qe : min(line_end, qe + 300)]
    m = re.match(r"\s*,?\s*", after)
    off = qe + (m.end() if m else 0)
    rest = text[off : qe + len(after)]
    cm = qp.CUE_RE.search(rest[:160])
    if cm is None:
        return None
    if cm.start() == 0:
        src = _source_right(text, off + cm.end(), qe + len(after))
        if src is None:
            return None
        cue = _extend_cue(text, off, off + cm.end(), line_end)
        return src, cue, _channel(text, cue[1], line_end)
    head = rest[: cm.start()]
    if re.search(r"[\"“”]|[a-z]{2}[.!?]\s", head) or cm.group()[0].isupper():
        return None
    cue_start = off + cm.start()
    aux = _AUX_RE.search(head) or _NOT_RE.search(head)
    src_end = off + (aux.start() if aux else len(head))
    src = _source_left(text, off, src_end, allow_long=False)
    if src is None or text[src[0] : src[1]].strip() != text[off:src_end].strip():
        return None
    cue = _extend_cue(text, src_end if aux else cue_start, off + cm.end(), line_end)
    return src, cue, _channel(text, cue[1], line_end)


def _leading(text: str, qs: int, starts: list[int]) -> _Att | None:
    """'Name added: "..."' / 'He said, "..."' right before a quote."""
    k = bisect_right(starts, qs) - 1
    lo = max(starts[k] if k >= 0 else 0, text.rfind("\n", 0, qs) + 1)
    before = text[lo:qs]
    m = re.search(r"[:,]?\s*$", before)
    if m is None or not m.group().strip():
        return None  # 'said "..."' without a colon or comma is reported speech with a quote
    head = before[: m.start()]
    cm = None
    for cm in qp.CUE_RE.finditer(head):
        pass
    if cm is None:
        return None
    tail = head[cm.end() :]
    tm = qp.CUE_TAIL_RE.match(tail) or _LEAD_TIME.match(tail)
    if tail.strip() and not (tm and not tail[tm.end() :].strip()):
        return None
    cue_start = lo + cm.start()
    aux = _AUX_RE.search(head[: cm.start()]) or _NOT_RE.search(head[: cm.start()])
    src_end = lo + (aux.start() if aux else cm.start())
    src = _source_left(text, lo, src_end, allow_long=False)
    if src is None:
        return None
    cue = (src_end if aux else cue_start, lo + len(head.rstrip()))
    return src, cue, _channel(text, lo + cm.end(), qs)


# --- sources, cues and channels ------------------------------------------------------------


def _extend_cue(text: str, start: int, end: int, limit: int) -> tuple[int, int]:
    """Take 'in a statement' into the cue, as PolNeAR does ('said in a statement')."""
    m = qp.CUE_TAIL_RE.match(text, end, limit)
    return (start, m.end() if m else end)


def _channel(text: str, pos: int, limit: int) -> str | None:
    """The outlet a statement went to, looked for right after the cue."""
    window = text[pos : min(limit, pos + 160)]
    for rx in (qp.INTERVIEW_RE, qp.SPEAKING_TO_RE):
        m = rx.search(window)
        if m:
            return m.group("chan").strip()
    m = qp.ON_MEDIUM_RE.match(window)
    if m and m.group("chan").split()[-1].lower() not in qp.WEEKDAYS:
        chan = m.group("chan").strip()
        if chan[0].isupper() or chan.split()[-1].lower() in qp.MEDIA_NOUNS:
            return chan
    return None


def _is_np(words: list[str]) -> bool:
    """A short left context that can be a subject noun phrase."""
    if not words or len(words) > _MAX_SOURCE_WORDS:
        return False
    first = words[0].lower().strip("“”\"'(")
    if first in qp.PRONOUNS or first in _DETERMINERS:
        return True
    if words[0][:1].isupper():
        return first not in qp.INTRO or len(words) == 1 and first not in qp.INTRO
    if first in qp.INTRO or first.endswith(("ly", "ing", "ed")):
        return False
    return len(words) <= 4


def _source_left(
    text: str, lo: int, hi: int, *, allow_long: bool = True
) -> tuple[int, int] | None:
    """The subject right before a cue: a pronoun, a name or a noun phrase with apposition."""
    seg = text[lo:hi]
    stripped = seg.rstrip()
    if not stripped:
        return None
    last = stripped.split()[-1].lower()
    if last in ("who", "which", "that"):
        return (lo + len(stripped) - len(last), lo + len(stripped))
    if stripped.endswith(","):
        # Apposition closed by a comma: 'Name, the group's director, said'.
        strong = max((m.end() for m in _STRONG_BOUNDARY.finditer(stripped)), default=0)
        pos = strong
        for part in re.finditer(r"[^,]+", stripped[strong:]):
            words = part.group().split()
            if words and _is_np(words[:1] + words[1:3]) and words[0].lower() not in qp.INTRO:
                pos = strong + part.start()
                break
        else:
            return None
        cand = stripped[pos:].strip()
        if len(cand.split()) > 40 or not cand:
            return None
        s = lo + pos + (len(stripped[pos:]) - len(stripped[pos:].lstrip()))
        return (s, lo + len(stripped.rstrip(",")))
    bound = max((m.end() for m in _CLAUSE_BOUNDARY.finditer(stripped)), default=0)
    bound = max(bound, stripped.rfind(",") + 1)
    clause = stripped[bound:]
    words = clause.split()
    if _is_np(words):
        s = lo + bound + (len(clause) - len(clause.lstrip()))
        return (s, lo + len(stripped))
    if not allow_long:
        return None
    m = _NAME_RUN_END.search(stripped) or _NP_END.search(stripped)
    if m and m.group()[:1].isupper() or m and m.group().split()[0].lower() in _DETERMINERS:
        return (lo + m.start(), lo + len(stripped))
    return None


def _source_right(text: str, pos: int, limit: int) -> tuple[int, int] | None:
    """The speaker after an inverted cue ('said Sen. Name (D-X.)'), up to a stop word."""
    m = _RIGHT_SOURCE.match(text, pos, limit)
    if m is None:
        return None
    words = list(qp.WORD_RE.finditer(m.group("src")))
    keep = 0
    for k, w in enumerate(words):
        lw = w.group().lower().rstrip(".")
        if k and (lw in qp.STOP_AFTER_SOURCE or lw in qp.WEEKDAYS):
            break
        if k and w.group()[:1].islower() and lw not in ("of", "al", "bin", "de", "and"):
            # A lower-case word ends a name unless it follows a determiner ('the group').
            if words[0].group().lower() not in ("the", "a", "an"):
                break
        keep = k + 1
        tail = m.group("src")[w.end() : w.end() + 1]
        if tail in (",", ";") or w.group().endswith(".") and lw not in qp.TITLES and len(lw) > 2:
            break
    if keep == 0:
        return None
    first = words[0].group()
    if first[:1].islower() and first.lower() not in qp.PRONOUNS | {"the", "a", "an"}:
        return None
    s = m.start("src") + words[0].start()
    e = m.start("src") + words[keep - 1].end()
    while e > s and text[e - 1] in ".,":
        if text[e - 1] == "." and re.search(r"(?:\b[A-Z]|\.\w+)\.$|\)\.$", text[s:e]) is None:
            e -= 1
            break
        if text[e - 1] == ",":
            e -= 1
        else:
            break
    return (s, e)
