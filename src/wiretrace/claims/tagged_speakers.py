"""The tagger's attributions with the rules' speakers: the `tagger` path of `find_quotes`.

The two evaluation corpora draw a quote's source differently: PolNeAR's source is the whole
phrase ("a senior official at the ministry"), the Gender Gap Tracker's speaker is who is named
("Ada Crane", "she"). The trained tagger (`tagger.py`) draws PolNeAR's spans best; the lexical
rules (`quotes.py`, `quote_patterns.py`) find and name speakers best. So each tagged
attribution keeps its spans (source phrase, cue, content: the quote's `source_start` /
`source_end`, cue and content) and takes its speaker from the rules' reading of the same words
(`speaker`, `speaker_start` / `speaker_end`), which `quote_finish.finish` then resolves to a
name (`speakers.py`). The rules' attributions the tagger did not find are read too, for who
spoke when (a later 'she' is resolved after them), but not reported.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import replace

from wiretrace.claims.found import Found

# A sentence end: a full stop, question or exclamation mark (perhaps inside a closing
# quotation mark) before a space, or a line break.
_SENTENCE_END = re.compile(r"[.!?][\"”’']?\s|\n")


def _extent(f: Found) -> tuple[int, int]:
    return f.parts[0][0], f.parts[-1][1]


def _cue_in_sentence(text: str, f: Found) -> bool:
    """The attribution's cue lies in the sentence its quotation ends or opens ('"A," team
    members said'), with no sentence end between them."""
    if f.cue is None:
        return False
    s, e = _extent(f)
    if f.cue[0] >= e:
        return _SENTENCE_END.search(text, max(s, e - 3), f.cue[0]) is None
    return _SENTENCE_END.search(text, f.cue[1], s + 1) is None


def _other_cue(text: str, f: Found, r: Found) -> bool:
    """Both readers found a cue and a source, at different places, and the tagger's cue lies
    in the sentence of its content (one paragraph): the rules' attribution is another one than
    the tagger's, and its speaker someone else's ('Ada Crane disagreed. "...," Tia Renn
    said.'). A tagged content whose cue is in another sentence or that runs over a paragraph
    break was assembled wrongly, and the rules' reading stands."""
    if f.cue is None or r.cue is None or f.source is None:
        return False
    if not (f.cue[1] <= r.cue[0] or r.cue[1] <= f.cue[0]):
        return False
    s, e = _extent(f)
    if len(f.parts) > 1 and not f.direct:
        return False  # reported speech in pieces around a cue: perhaps two joined wrongly
    return _cue_in_sentence(text, f) and "\n" not in text[min(s, f.cue[0]) : max(e, f.cue[1])]


def with_rule_speakers(text: str, tagged: list[Found], rules: list[Found]) -> list[Found]:
    """The tagged attributions, each with its speaker from the rules' attribution of the same
    words (the one whose content shares the most characters with its own), and the rules'
    attributions no tagged one took a speaker from as `shadow`s, in text order:

    * the rules read the words as a quotation continuing the quote before (no attribution of
      its own) and the tagger's cue lies in another sentence ('"A," it said.\\n\\n"B"'): no
      speaker here (`Found.speaker_set` with `speaker` None: the speaker before);
    * a quotation the tagger found without a cue or a source ('"...," said X' where it tagged
      no cue): the rules' source, cue and channel;
    * else the rules' source as the speaker; the tagger's source phrase stays `source`;
    * tagged attributions the rules did not find keep the tagger's source as their speaker.
    """
    ordered = sorted(rules, key=lambda f: _extent(f)[0])
    starts = [_extent(f)[0] for f in ordered]
    longest = max((e - s for s, e in map(_extent, ordered)), default=0)
    out: list[Found] = []
    used: set[int] = set()
    for f in tagged:
        s, e = _extent(f)
        named: Found | None = None
        unnamed: Found | None = None
        most_named = most_unnamed = 0
        for r in ordered[bisect_left(starts, s - longest) : bisect_left(starts, e)]:
            rs, re_ = _extent(r)
            shared = min(e, re_) - max(s, rs)
            if r.source is not None and shared > most_named:
                named, most_named = r, shared
            elif r.source is None and shared > most_unnamed:
                unnamed, most_unnamed = r, shared
        if (
            unnamed is not None
            and f.direct
            and most_unnamed * 2 > e - s
            and not _cue_in_sentence(text, f)
        ):
            out.append(replace(f, speaker=None, speaker_set=True))
            used.add(id(unnamed))
        elif named is not None and f.direct and f.cue is None and f.source is None:
            out.append(replace(f, source=named.source, cue=named.cue, channel=named.channel))
            used.add(id(named))
        elif named is not None and not _other_cue(text, f, named):
            out.append(replace(f, speaker=named.source, speaker_set=True))
            used.add(id(named))
        else:
            out.append(f)
    out.extend(replace(r, shadow=True) for r in rules if id(r) not in used)
    out.sort(key=lambda f: _extent(f)[0])
    return out
