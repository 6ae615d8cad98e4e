"""From candidate attributions to `Quote`s: speakers split from roles and resolved to who they
are (`speakers.py`), each attribution's kind (`kinds.py`), cue words that do not attribute and
quoted titles dropped, and a quotation with no attribution of its own given to the speaker
before it. `finish_legacy` is the same step as it was before (the evaluation's baseline).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import replace

from wiretrace.claims import kinds, speakers
from wiretrace.claims import quote_patterns as qp
from wiretrace.claims.found import Found, Quote
from wiretrace.doc.words import MONTH_ABBREVIATIONS, MONTHS, WEEKDAYS


def _split_lower_role(
    text: str, sp: tuple[int, int], role: str | None
) -> tuple[tuple[int, int], str | None]:
    """'farmer Ulla Brandt', 'Liberal pollster Ona Vey': the name, with the words before it
    as the role."""
    m = re.match(
        r"((?:[A-Z][\w'’-]*\s+)?(?:[a-z][\w'’-]*\s+){1,4})"
        r"([A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3})$",
        text[sp[0] : sp[1]],
    )
    if m is None or m.group(1).split()[0].lower() in qp.DETERMINERS | qp.PRONOUNS:
        return sp, role
    if m.group(1)[:1].isupper() and len(m.group(2).split()) < 2:
        # 'State news agency KORA': an organisation named as written, not a person's role.
        return sp, role
    return (sp[0] + m.start(2), sp[1]), role or m.group(1).strip()


def finish(
    text: str, found: list[Found], starts: list[int], *, tagged: bool = False
) -> list[Quote]:
    """Quotes with speakers split from roles, titles stripped, speakers resolved to who they
    are (`speakers.py`) and each attribution's kind (speech, belief, plan, finding). A `Found`
    whose speaker another reader set (`speaker_set`: the rules' speaker of a tagged
    attribution) is named from that span and keeps `source` as its source phrase; `shadow`s
    are resolved in their place, for who speaks next, and not reported."""
    resolver = speakers.Resolver(text)
    out: list[Quote] = []
    last: tuple[str | None, str | None] = (None, None)  # canonical and resolved of the last
    for f in found:
        line = _line(text, f.cue[0] if f.cue else f.parts[0][0])
        by_tagger = tagged and not f.shadow
        # The word scan's mistakes ('responded to calls', a heading); the tagger read the context.
        if not by_tagger and kinds.not_attribution(text, f.cue, line):
            continue
        if f.source is not None and kinds.fragment(
            _RELATIVE_CLAUSE.sub("", text[f.source[0] : f.source[1]])
        ):
            if not f.direct:
                continue
            # A quotation whose 'speaker' is a piece of a sentence: nobody is named here.
            f = replace(f, source=None, cue=None, channel=None, continued=True)
        if by_tagger and f.source is None and f.cue is None and f.direct:
            # The tagger's quotations with no cue of their own continue the speaker before.
            f = replace(f, channel=None, continued=True)
        who = f.speaker if f.speaker_set and not f.continued else f.source
        if (
            who is not None
            and f.speaker_set
            and kinds.fragment(_RELATIVE_CLAUSE.sub("", text[who[0] : who[1]]))
        ):
            who = f.source  # the other reader's speaker is a piece of a sentence
        speaker = canonical = role = resolved = None
        named = _speaker_span(text, who) if who is not None else None
        if named is None and who is not None and f.speaker_set and f.source not in (None, who):
            named = _speaker_span(text, f.source)  # the other reader's speaker is a date
        if named is None and who is not None and f.direct:
            f = replace(f, continued=True)  # nobody is named: the speaker before goes on
        sp: tuple[int, int] | None = None
        if named is not None:
            sp, role = named
            speaker = text[sp[0] : sp[1]]
            canonical = qp.canonical(speaker)
            resolved = resolver.resolve(speaker, canonical, sp[0], f.parts[0][0])
            if resolved is not None or speaker.lower() in qp.PRONOUNS:
                canonical = resolved
        elif f.continued or f.speaker_set:
            if f.continued and f.direct and _title_case(text, f.parts[0]):
                continue  # a quoted title ('"The Kid Who Would Be King"'), not words said
            canonical, resolved = last
            opener = resolver.opener(f.parts[0][0])
            if opener is not None and opener != resolved:
                # A quotation right after a sentence that brings in a new person is theirs.
                canonical = resolved = opener
                resolver.spoke(opener, f.parts[0][0])
        content = " ".join(text[a:b] for a, b in f.parts)
        kind = kinds.kind_of(text, f.cue, speaker, content)
        if by_tagger and f.cue is None and f.source is None and not f.continued:
            # A tagged content with no reporting words and nobody named, outside quotation
            # marks ('the expansion at four million dollars'): kept as an attribution, not a quote.
            kind = "speech" if f.direct else "stance"
        if kind == "speech" and (speaker is not None or f.continued or f.speaker_set):
            last = (canonical, resolved)
        if not f.shadow:
            out.append(_quote(text, f, starts, speaker, canonical, role, sp, resolved, kind))
    return out


# 'Name, whose daughter was hurt,': a relative clause inside a source does not make it a
# piece of a sentence.
_RELATIVE_CLAUSE = re.compile(r",\s+(?:who|whose|which)\b[^,]*(?:,|$)")


# What the rules may take for a subject and no speaker ever is: a verb or a conjunction
# ('is', 'When'), a date ('Sunday', 'Dec 29 (Reuters)'), a state's two capitals after a name
# ('OH' of 'John Doe (R-OH)'). A relative pronoun ('which', 'that') is a speaker as written.
_NOT_A_SPEAKER = re.compile(
    r"(?i:(?:is|are|was|were|when|after|before|why|how|what|if|while|because"
    r"|since|although|though)\b"
    r"|(?:" + "|".join(sorted(WEEKDAYS, key=len, reverse=True)) + r")\s*$"
    r"|(?:"
    + "|".join(sorted(MONTHS | MONTH_ABBREVIATIONS, key=len, reverse=True))
    + r")\.?\s+\d{1,2}\b(?:\s*\([^()]*\))?\s*$)"
    r"|[A-Z]{2}\s*$"
)


def _speaker_span(text: str, who: tuple[int, int]) -> tuple[tuple[int, int], str | None] | None:
    """The speaker's name inside a source phrase and the role beside it; None where what the
    phrase names is no speaker ('When', 'On Sunday', 'OH' of 'Ivo Tarrant (R-OH)')."""
    sp, role = qp.split_speaker(text, *who)
    sp, role = _split_lower_role(text, sp, role)
    sp = speakers.trim_fragment(text, sp)
    if _NOT_A_SPEAKER.match(text, sp[0], sp[1]) is not None:
        return None
    return sp, role


def _line(text: str, pos: int) -> tuple[int, int]:
    """The sentence around `pos`, at most its line: where a heading ends without a period."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end < 0 else end


def _title_case(text: str, part: tuple[int, int]) -> bool:
    words = re.findall(r"[A-Za-z][\w'’-]*", text[part[0] : part[1]])
    small = ("a", "an", "the", "of", "and", "or", "in", "on", "to", "for", "be", "is")
    return len(words) >= 2 and all(w[0].isupper() or w in small for w in words)


def finish_legacy(text: str, found: list[Found], starts: list[int]) -> list[Quote]:
    """Quotes with speakers split from roles, titles stripped and pronouns resolved to the
    nearest capitalised name (the rules before issue 19: the baseline)."""
    out: list[Quote] = []
    people: list[tuple[int, str]] = []  # (position, full name) of named speakers so far
    for f in found:
        speaker = canonical = role = None
        sp: tuple[int, int] | None = None
        if f.source is not None:
            sp, role = qp.split_speaker(text, *f.source)
            speaker = text[sp[0] : sp[1]]
            canonical = qp.canonical(speaker)
            low = speaker.lower()
            if low in qp.PERSON_PRONOUNS:
                # Resolve only to a person named recently: further back it is a guess.
                canonical = qp.last_person(text, f.source[0], people)
            elif low in qp.PRONOUNS or low in ("which", "that"):
                canonical = None
            elif " " not in canonical and canonical[:1].isupper():
                full = [n for _, n in people if n.split()[-1] == canonical]
                canonical = full[-1] if full else canonical
            if canonical and qp.is_person(canonical):
                people.append((f.source[0], canonical))
        out.append(_quote(text, f, starts, speaker, canonical, role, sp))
    return out


def _quote(
    text: str,
    f: Found,
    starts: list[int],
    speaker: str | None,
    canonical: str | None,
    role: str | None,
    sp: tuple[int, int] | None,
    resolved: str | None = None,
    kind: str = "speech",
) -> Quote:
    first, last = f.parts[0], f.parts[-1]
    content = " ".join(text[a:b] for a, b in f.parts)
    edges = [first[0], last[1]]
    for span in (f.source, f.cue):
        if span is not None:
            edges += list(span)
    return Quote(
        speaker=speaker,
        speaker_canonical=canonical,
        role=role,
        cue=text[f.cue[0] : f.cue[1]] if f.cue else None,
        channel=f.channel,
        content=content,
        start=min(edges),
        end=max(edges),
        speaker_start=sp[0] if sp else None,
        speaker_end=sp[1] if sp else None,
        cue_start=f.cue[0] if f.cue else None,
        cue_end=f.cue[1] if f.cue else None,
        content_start=first[0],
        content_end=last[1],
        direct=f.direct,
        sentence_index=max(0, bisect_right(starts, first[0]) - 1),
        source_start=f.source[0] if f.source else None,
        source_end=f.source[1] if f.source else None,
        speaker_resolved=resolved,
        continued=f.continued,
        kind=kind,
    )
