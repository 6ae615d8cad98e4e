"""Quotes and reported speech: who said what, with which cue verb, to which outlet.

By default rules only (compiled regexes and light Python, no parser); with the `parse` extra
and `find_quotes(article, parser=True)` or `WIRETRACE_PARSER=1`, reported speech is read off a
dependency parse instead (`attribution.py`, docs/attribution.md). Direct quotes are found per
paragraph and attributed from the words beside them ('"...," he said', 'Name added: "..."');
reported speech is found from a cue lexicon learned on PolNeAR's train split ("X said (that)
...", "according to X, ...", "..., X said"). Offsets are character offsets into
`article.text`, end exclusive.

Channel: the outlet or medium a statement was given to ("told Fox News", "in an interview with
Reuters", "on Twitter"). Generic audiences ("told reporters", "told supporters") are not outlets,
so `channel` stays null for them.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Any

from wiretrace.claims import attribution
from wiretrace.claims import quote_patterns as qp
from wiretrace.claims import tagger as attribution_tagger
from wiretrace.claims.found import Found, Quote, Taken
from wiretrace.claims.quote_finish import finish, finish_legacy
from wiretrace.claims.tagged_speakers import with_rule_speakers
from wiretrace.doc.article import Article

# A sentence longer than this is scanned only at its start: no real attribution needs more.
_MAX_SENTENCE = 4000
# Quotes longer than this are unclosed marks running away, not quotes.
_MAX_QUOTE = 6000
# Which reader found an article's attributions (`find_attributions_by`, the report's
# `quotes_by`).
RULES, PARSER, TAGGER = "rules", "parser", "tagger"
_LOWER_WORD = re.compile(r"(?<![-\w])[a-z]+\b")  # a whole word: not "declared" in "self-declared"


def find_quotes(
    article: Article,
    *,
    parser: bool | None = None,
    tagger: bool | None = None,
    legacy: bool = False,
) -> list[Quote]:
    """All direct quotes and reported statements in the article, in text order: speech and
    writing attributed to someone. Beliefs, plans and findings are left out (see
    `find_attributions`, which has them too).

    `parser`: read reported speech off a dependency parse (`attribution.py`, the `parse`
    extra). None (the default) follows the `WIRETRACE_PARSER` environment variable; without an
    installed model the lexical rules run either way. `tagger`: reported speech from the
    trained attribution tagger (`claims/tagger.py`, the `semantic` extra) with the rules'
    speakers (`tagged_speakers.py`); None follows `WIRETRACE_ATTRIBUTION=tagger` (the claims
    report's default is the tagger where it is installed: `default_tagger`). The tagger wins
    when both are asked for. `legacy`: the
    lexical rules as they were before quotation continuations, speaker resolution and the
    speech / belief split (the baseline of `benchmarks/eval_ggt.py`).
    """
    found = find_attributions(article, parser=parser, tagger=tagger, legacy=legacy)
    return [q for q in found if q.kind == "speech"]


def find_attributions(
    article: Article,
    *,
    parser: bool | None = None,
    tagger: bool | None = None,
    legacy: bool = False,
) -> list[Quote]:
    """`find_quotes` with beliefs, intentions and findings kept (`kind` "belief", "plan",
    "finding"): what PolNeAR annotates as attribution."""
    return find_attributions_by(article, parser=parser, tagger=tagger, legacy=legacy)[0]


def find_attributions_by(
    article: Article,
    *,
    parser: bool | None = None,
    tagger: bool | None = None,
    legacy: bool = False,
) -> tuple[list[Quote], str]:
    """`find_attributions` and the reader that found them: "tagger" (the tagger's spans with
    the rules' speakers), "parser" or "rules" (asked for, or where the model is missing or the
    text too long, the rules)."""
    text = article.text
    if not text.strip():
        return [], RULES
    if len(text) <= attribution_tagger.MAX_CHARS and (
        tagger or (tagger is None and attribution_tagger.wanted())
    ):
        model = attribution_tagger.load_tagger()
        if model is not None:
            tagged = model.attributions(text)
            return find_attributions_in(article, tagged=tagged, legacy=legacy), TAGGER
    doc: Any = None
    # Longer texts keep the lexical rules: the parser needs ~1 GB per 100,000 characters
    # (spaCy refuses over a million).
    if len(text) <= attribution.MAX_PARSE_CHARS and (
        parser or (parser is None and attribution.wanted())
    ):
        doc = attribution.parse(text)
    return find_attributions_in(article, doc, legacy=legacy), RULES if doc is None else PARSER


def find_quotes_in(
    article: Article,
    doc: Any = None,
    tagged: list[attribution_tagger.Attribution] | None = None,
    *,
    legacy: bool = False,
) -> list[Quote]:
    """`find_quotes` with the article already parsed (a spaCy `Doc` of `article.text`) or
    tagged (`tagger.Attribution`s: they are then the only attributions; the tagger learned direct
    quotes too), or with neither for the lexical rules alone."""
    found = find_attributions_in(article, doc, tagged, legacy=legacy)
    return [q for q in found if q.kind == "speech"]


def find_attributions_in(
    article: Article,
    doc: Any = None,
    tagged: list[attribution_tagger.Attribution] | None = None,
    *,
    legacy: bool = False,
    rule_speakers: bool = True,
) -> list[Quote]:
    """`find_attributions` with the article already parsed or tagged (see `find_quotes_in`).
    `rule_speakers`: tagged attributions take their speakers from the rules
    (`tagged_speakers.py`); False keeps the tagger's own (the evaluation's comparison)."""
    text = article.text
    if not text.strip():
        return []
    spans = list(article.spans) or [(0, len(text))]
    starts = [s for s, _ in spans]
    if tagged is not None:
        found = attribution_tagger.found(text, tagged)
        if not legacy:
            found = _split_continuations(text, found)
        if rule_speakers and not legacy:
            rules = _rule_candidates(text, spans, starts, None, legacy=False)
            found = with_rule_speakers(text, found, rules)
        return _finish(text, found, starts, legacy=legacy, tagged=True)
    found = _rule_candidates(text, spans, starts, doc, legacy=legacy)
    return _finish(text, found, starts, legacy=legacy)


def _rule_candidates(
    text: str, spans: list[tuple[int, int]], starts: list[int], doc: Any, *, legacy: bool
) -> list[Found]:
    """The lexical rules' (and, given a parse, the parser's) candidates, in text order."""
    found = _direct_quotes(text, spans, starts, split=not legacy)
    taken = Taken()
    for f in found:
        taken.add_found(f)
    if not legacy:
        # Before reported speech: a paragraph of quotation is its speaker's words, not a
        # frame for a cue word inside it ('"... medical reports, risk tools ..."').
        found.extend(_floating(text, taken, opening_only=True))
    if doc is None:
        found.extend(_reported(text, spans, taken))
    else:
        found.extend(_reported(text, spans, taken, cues=False))
        found.extend(attribution.found_from_doc(text, doc, taken))
    if not legacy:
        found.extend(_floating(text, taken))
    found.sort(key=lambda f: f.parts[0][0])
    return found


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


def _direct_quotes(
    text: str, spans: list[tuple[int, int]], starts: list[int], *, split: bool = True
) -> list[Found]:
    """Quotes attributed by the words right after or right before them. A quotation that
    continues one (no attribution of its own) is its own quote marked `continued` (`split`),
    or a further part of the first (the rules before issue 19)."""
    segments = _quote_segments(text)
    out: list[Found] = []
    i = 0
    while i < len(segments):
        qs, qe = segments[i]
        if _words_in(text[qs:qe]) < 3:
            i += 1
            continue
        att = _trailing_role(text, qe) or _trailing(text, qe) or _leading(text, qs, starts)
        if att is None and split:
            att = _trailing_role(text, qe)
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
        if split:
            out.append(Found(src, cue, parts[:1], True, chan))
            out.extend(Found(None, None, [p], True, None, continued=True) for p in parts[1:])
        else:
            out.append(Found(src, cue, parts, True, chan))
        i = j
    return out


def _split_continuations(text: str, found: list[Found]) -> list[Found]:
    """A tagged attribution whose content runs over several quotations ('"A," she said. "B"')
    as one quote per quotation, the later ones `continued`."""
    out: list[Found] = []
    for f in _split_leading_quotations(text, found):
        s, e = f.parts[0][0], f.parts[-1][1]
        segs = [
            seg for seg in _quote_segments(text[s:e]) if _words_in(text[s:e][seg[0] : seg[1]]) >= 3
        ]
        if not f.direct or len(segs) < 2:
            out.append(f)
            continue
        first = (s, s + segs[0][1])
        out.append(Found(f.source, f.cue, [first], True, f.channel))
        out.extend(
            Found(None, None, [(s + a, s + b)], True, None, continued=True) for a, b in segs[1:]
        )
    return out


# A quotation closing its sentence: the sentence end inside or right after the closing mark.
_CLOSED_SENTENCE = re.compile(r"[.!?][\"”’']?\s*$|[\"”’']?[.!?]\s*$")


def _split_leading_quotations(text: str, found: list[Found]) -> list[Found]:
    """A tagged attribution that opens with a whole quoted sentence and has its cue in the
    next sentence, with content of its own ('"A." She also welcomed B.'): the quotation is
    its own quote, continuing the speaker before it, and the next sentence keeps the cue."""
    out: list[Found] = []
    for f in found:
        first = f.parts[0]
        later = f.parts[1:]
        if (
            not f.direct
            or f.cue is None
            or not later
            or f.cue[0] < first[1]
            or later[0][0] < f.cue[1]
            or not _CLOSED_SENTENCE.search(text[first[0] : min(len(text), first[1] + 2)])
            or (f.source is not None and f.source[0] < first[1])
        ):
            out.append(f)
            continue
        out.append(Found(None, None, [first], True, None, continued=True))
        out.append(Found(f.source, f.cue, later, False, f.channel))
    return out


# A paragraph that opens with a quotation: the quotation is somebody's words.
_PARAGRAPH_QUOTE = re.compile(r"(?:^|\n)[ \t.]*(?=[\"“])")


def _floating(text: str, taken: Taken, *, opening_only: bool = False) -> list[Found]:
    """Quotations with no attribution anywhere near: a paragraph that opens with a quotation
    of at least four words, or a quoted whole sentence; given to the speaker before them.
    `opening_only`: only the former."""
    out: list[Found] = []
    for qs, qe in _quote_segments(text):
        if taken.hit(qs, qe):
            continue
        inner = text[qs:qe].strip("\"“”' ")
        if _words_in(inner) < 4:
            continue
        line_start = text.rfind("\n", 0, qs) + 1
        opens = not text[line_start:qs].strip(" \t.")
        whole = bool(re.search(r"[.!?,]$", inner)) and inner[:1].isupper()
        if opens or (whole and not opening_only):
            out.append(Found(None, None, [(qs, qe)], True, None, continued=True))
            taken.add((qs, qe))
    return out


def _unclosed(text: str, part: tuple[int, int]) -> bool:
    return text[part[1] - 1] not in "\"”'"


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
        src = qp.source_right(text, off + cm.end(), qe + len(after))
        if src is None:
            return None
        app = qp.APPOSITION_RE.match(text, src[1], line_end)
        named = _NAME_APPOSITION.match(text, src[1], line_end)
        if app is not None:
            src = (src[0], src[1] + len(app.group().rstrip(" ,")))
        elif named is not None and text[src[0]].islower():
            src = (src[0], named.end())  # 'said one resident, Ada Crane.': the name is theirs
        cue = qp.extend_cue(text, off, off + cm.end(), line_end)
        return src, cue, qp.channel(text, cue[1], line_end)
    head = rest[: cm.start()]
    if re.search(r"[\"“”]|''", head) or qp.sentence_end(head) or cm.group()[0].isupper():
        return None
    cue_start = off + cm.start()
    aux = qp.aux_before(head)
    src_end = off + (aux.start() if aux else len(head))
    src = qp.source_left(text, off, src_end, allow_long=False)
    if src is None or text[src[0] : src[1]].strip() != text[off:src_end].strip().rstrip(","):
        return None
    cue = qp.extend_cue(text, src_end if aux else cue_start, off + cm.end(), line_end)
    return src, cue, qp.channel(text, cue[1], line_end)


# A name after a described speaker, closing the sentence ('said one resident, Ada Crane.').
_NAME_APPOSITION = re.compile(r",\s+(?:[A-Z][\w'’-]*\s+){1,3}[A-Z][\w'’-]*(?=\s*[.;]|\s*$)")
# '"...," said farmer Ulla Brandt.': a lower-case role (up to four words) before the name,
# after an adjective or a body that may be capitalised ('said Liberal pollster Ona Vey').
_SAID_ROLE_NAME = re.compile(
    r"\s*,?\s*(?P<cue>said|says|added|adds|asked|told|wrote|explained)\s+"
    r"(?P<src>(?:[A-Z][\w'’-]*\s+)?(?:[a-z][\w'’-]*\s+){1,4}"
    r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3})"
    r"(?=\s*[,.;]|\s*$)"
)


def _trailing_role(text: str, qe: int) -> _Att | None:
    m = _SAID_ROLE_NAME.match(text, qe, min(len(text), qe + 200))
    if m is None or "\n" in m.group():
        return None
    s, e = m.span("src")
    if text[e - 1] == "." and not re.search(r"(?:^|\s)[A-Z][a-z]?\.$", text[s:e]):
        e -= 1  # 'said forward Pia Sorrel.': the sentence's full stop, not an initial's
    return (s, e), m.span("cue"), None


_COLON_TAIL_WORDS = 10  # words between a cue and the colon before its quotation


def _leading(text: str, qs: int, starts: list[int]) -> _Att | None:
    """'Name added: "..."' / 'He said, "..."' right before a quote."""
    k = bisect_right(starts, qs) - 1
    lo = max(starts[k] if k >= 0 else 0, text.rfind("\n", 0, qs) + 1)
    before = text[lo:qs]
    m = re.search(r"[:,]?\s*$", before)
    if m is None or not m.group().strip():
        return None  # 'said "..."' without a colon or comma is reported speech with a quote
    head = before[: m.start()]
    cues = list(qp.CUE_RE.finditer(head))
    if not cues:
        return None
    cm = cues[-1]
    tail = head[cm.end() :]
    tm = qp.CUE_TAIL_RE.match(tail) or qp.LEAD_TIME.match(tail)
    # Before a colon the cue may take a short object, place and time ('told the Harbour Post
    # in Dunmore on Friday morning: "..."'): a colon closes a leading attribution.
    colon = ":" in m.group() and len(tail.split()) <= _COLON_TAIL_WORDS
    if tail.strip() and not (tm and not tail[tm.end() :].strip()) and not colon:
        return None
    cue_start = lo + cm.start()
    aux = qp.aux_before(head[: cm.start()])
    src_end = lo + (aux.start() if aux else cm.start())
    src = qp.source_left(text, lo, src_end, allow_long=False)
    if src is None:
        return None
    cue = (src_end if aux else cue_start, lo + len(head.rstrip()))
    return src, cue, qp.channel(text, lo + cm.end(), qs)


# --- reported speech -----------------------------------------------------------------------


def _reported(
    text: str, spans: list[tuple[int, int]], taken: Taken, *, cues: bool = True
) -> list[Found]:
    """'X said (that) ...', 'according to X, ...', '..., X said' inside each sentence; with
    `cues` False only the 'according to' forms."""
    out: list[Found] = []
    for s, e in spans:
        e = min(e, s + _MAX_SENTENCE)
        for m in qp.ACCORDING_RE.finditer(text, s, e):
            f = _according(text, s, e, m)
            if f is not None and not taken.hit(*f.cue or (m.start(), m.end())):
                out.append(f)
                taken.add_found(f)
        if not cues:
            continue
        # A word scan with a set lookup: much faster than one regex of 300 alternatives.
        found = [m for m in _LOWER_WORD.finditer(text, s, e) if m.group() in qp.SPEECH_CUES]
        # '..., Moore said.' closing the sentence attributes all of it: before any cue inside.
        found.sort(key=lambda m: not _closing_attribution(text, s, e, m))
        for m in found:
            word = m.group()
            if taken.hit(m.start(), m.end()):
                continue
            f = _cue_clause(text, s, e, m.start(), m.end(), word)
            if f is not None and not any(taken.hit(*p) for p in f.parts[:1]):
                out.append(f)
                taken.add_found(f)
    return out


_CLOSING_LEFT = re.compile(r",\s+(?:[A-Z][\w.'’-]*\s+){1,4}$|,\s+(?:he|she|they)\s+$")
_CLOSING_RIGHT = re.compile(r"\s+(?:[A-Z][\w.'’-]*\s*){1,4}[.!?]?[\"”’']?\s*$")


def _closing_attribution(text: str, s: int, e: int, m: re.Match[str]) -> bool:
    """The cue of a sentence-closing ', X said.' or ', said X.' (nothing after the speaker)."""
    if m.group() not in ("said", "says", "added", "adds"):
        return False
    after = text[m.end() : e]
    if re.match(r"\s*[.!?]?[\"”’']?\s*$", after):
        return _CLOSING_LEFT.search(text, s, m.start()) is not None
    return text[s : m.start()].rstrip().endswith(",") and _CLOSING_RIGHT.match(after) is not None


def _according(text: str, s: int, e: int, m: re.Match[str]) -> Found | None:
    """'According to X, ...' and '..., according to X'."""
    if m.group().lower().startswith("per") and (
        not text[m.end() : m.end() + 1].isupper() or text[s : m.start()].rstrip()[-1:] != ","
    ):
        return None
    cue = (m.start(), m.end() - (len(m.group()) - len(m.group().rstrip())))
    src_m = re.match(r"[^,;:.“”\"]+(?:\.[^\s,;:][^,;:“”\"]*)*", text[m.end() : e])
    if src_m is None:
        return None
    src = (m.end(), m.end() + len(src_m.group().rstrip()))
    chan = None
    before = text[s : m.start()].rstrip()
    if not before or (before.endswith((",", "“", '"')) and len(before) < 3):
        rest = text[src[1] : e]
        lead = re.match(r"\s*,\s*", rest)
        if lead is None:
            return None
        content = _content(text, src[1] + lead.end(), e)
    elif before.endswith(","):
        content = (s, s + len(before) - 1)
    else:
        intro = before.rfind(",")
        if intro < 0 or not text[src[1] : e].lstrip().startswith(","):
            return None
        content = _content(text, src[1] + text[src[1] : e].index(",") + 1, e)
    if content is None or content[1] <= content[0]:
        return None
    return Found(src, cue, [content], False, chan)


def _content(text: str, start: int, end: int) -> tuple[int, int] | None:
    """A reported clause: from `start` to a clause stop or the sentence end, trimmed."""
    m = qp.CONTENT_STOP_RE.search(text, start, end) or qp.COORD_CUE.search(text, start, end)
    stop = m.start() if m else end
    while start < stop and text[start] in " \t\n,:":
        start += 1
    while stop > start and text[stop - 1] in " \t\n.,;:":
        stop -= 1
    if stop <= start or not re.search(r"\w", text[start:stop]):
        return None
    return (start, stop)


def _cue_clause(text: str, s: int, e: int, cs: int, ce: int, word: str) -> Found | None:
    """One cue word: find its source (left or inverted right) and content (right or left)."""
    left = text[s:cs]
    aux = qp.aux_before(left)
    src_hi = s + (aux.start() if aux else len(left))
    cue_start = src_hi if aux else cs
    cue = qp.extend_cue(text, cue_start, ce, e)
    after = cue[1]
    chan = qp.channel(text, ce, e)
    # An object after told/asked/warned: the audience or outlet, which is not content.
    obj_chan, after = qp.told_object(text, word, after, e)
    chan = chan or obj_chan
    tm = qp.CUE_TAIL_RE.match(text, after, e) or qp.LEAD_TIME.match(text, after, e)
    if tm:
        after = tm.end()
    left_text = text[s:src_hi].rstrip()
    src = None
    inverted = False
    if left_text.endswith((",", "”", '"', "''")) and not left_text.endswith(", who"):
        right = qp.source_right(text, ce, e)
        if right is not None and left_text.endswith(",") and not text[right[0]].isupper():
            right = None  # 'Name, role, said the line held': 'the line' is content
        if right is not None and re.match(r"\s*(?:[.,;:!?]|$)", text[right[1] : e]):
            # An apposition after an inverted speaker belongs to the source ('said X, an aide').
            app = re.match(r",\s+(?:a|an|the|who|whose)\s[^,;:“”\"]*", text[right[1] : e])
            if app and not re.match(r"\s*[,.]\s*\w", text[right[1] + app.end() : e]):
                right = (right[0], right[1] + len(app.group().rstrip(" .")))
            src, inverted, after = right, True, right[1]
            chan = chan or qp.channel(text, right[1], e)
    if src is None:
        src = qp.source_left(text, s, src_hi)
    if src is None or (word in qp.CLAUSE_ONLY and inverted):
        return None
    if chan is None and not inverted:
        # 'In a phone interview with Reuters, X said' names the channel before the speaker.
        chan = qp.channel(text, s, src[0])
    rest = text[after:e]
    colon = re.match(r"\s*:", rest)
    that = qp.THAT_RE.match(rest)
    if inverted or not re.search(r"\w", rest) or re.match(r"\s*[.,]\s*$", rest):
        # '..., X said.' or 'A, X said, B': the content is the rest of the sentence.
        head_end = min(src[0], cue[0])
        if not inverted and re.search(r"\w", text[s:head_end]):
            lead = text[s:head_end].rstrip()
            if not lead.endswith((",", "”", '"', "''", ":", "—")):
                return None  # 'if sanctions and pressure continued.': no attribution
        content = _content(text, s, head_end)
        if content is None:
            return None
        tail = _content(text, after, e)
        if tail is not None and re.match(r"\s*,", rest):
            content = (content[0], tail[1])
        return Found(src, cue, [content], False, chan)
    if text[s : src[0]].rstrip().endswith(",") and re.match(r"\s*,", rest):
        # 'A, he said, B': the content is the whole sentence around the attribution.
        whole = _content(text, s, e)
        if whole is not None:
            return Found(src, cue, [whole], False, chan)
    if word in qp.CLAUSE_ONLY and that is None:
        return None
    start = after + (colon.end() if colon else 0)
    content = _content(text, start, e)
    if content is None:
        return None
    return Found(src, cue, [content], False, chan)


# --- speakers: `quote_finish.py` ------------------------------------------------------------


def _finish(
    text: str,
    found: list[Found],
    starts: list[int],
    *,
    legacy: bool = False,
    tagged: bool = False,
) -> list[Quote]:
    if legacy:
        return finish_legacy(text, found, starts)
    return finish(text, found, starts, tagged=tagged)
