"""`doc/scan.py`: the faster searches give exactly `finditer`'s matches."""

from __future__ import annotations

import random
import re

import pytest

from wiretrace.doc.scan import CaseBlind, WordStarts

_PHRASES = (
    "said says the Minister told reporters according to Veloria's council attacked",
    "so-called thugs unsaid a mere three people were killed Two Men SHOT dead in",
    "Korvath (AP) - self-styled merely al-Dorin US 9 Route 66 No. 4 I-95 ’ “quoted”",
    "ı ſ İ",
)
_WORDS = [word for phrase in _PHRASES for word in phrase.split()] + ["\n"]


def _texts(count: int) -> list[str]:
    rng = random.Random(7)
    glue = (" ", "  ", ", ", ".", "-", "", "\n", "'", "’", "_")
    return [
        "".join(rng.choice(_WORDS) + rng.choice(glue) for _ in range(rng.randint(0, 40)))
        for _ in range(count)
    ]


def _seen(matches: object) -> list[tuple[tuple[int, int], tuple[str | None, ...], str | None]]:
    return [(m.span(), m.groups(), m.lastgroup) for m in matches]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("pattern", "lead"),
    [
        (re.compile(r"\b(?:said|says|told|according to|reported(?:ly)?)\b"), r"\W"),
        (re.compile(r"\b(?:(?P<a>thugs?|so[- ]called)|(?P<b>a mere|merely))\b"), r"\W"),
        (re.compile(r"(?<![\w-])[A-Z]\w*(?: [A-Z]\w*)*"), r"[^\w-]"),
    ],
)
def test_word_starts_gives_finditers_matches(pattern: re.Pattern[str], lead: str) -> None:
    fast = WordStarts(pattern, lead)
    for text in _texts(400):
        assert _seen(fast.finditer(text)) == _seen(pattern.finditer(text)), text
        for pos, end in ((3, len(text)), (5, 30), (0, 12)):
            got = _seen(fast.finditer(text, pos, end))
            assert got == _seen(pattern.finditer(text, pos, end)), (text, pos, end)
        assert _seen([fast.search(text)] if fast.search(text) else []) == _seen(
            [pattern.search(text)] if pattern.search(text) else []
        )


@pytest.mark.parametrize(
    "pattern",
    [
        re.compile(
            r"(?<!US )(?<!No\. )\b(?P<num>\d{1,3}|two|three)\s+(?P<noun>men|people)\b\s+"
            r"(?:were\s+)?(?P<out>killed|shot(?:\s+dead)?)",
            re.IGNORECASE,
        ),
        re.compile(r"\b(?:in|since)\s+(?:19|20)\d\d\b|\bthis\s+year|[A-Z]\w+ said", re.IGNORECASE),
    ],
)
def test_case_blind_gives_finditers_matches(pattern: re.Pattern[str]) -> None:
    blind = CaseBlind(pattern)
    for text in _texts(400):
        assert _seen(blind.finditer(text)) == _seen(pattern.finditer(text)), text
        assert _seen(blind.finditer(text, text.lower())) == _seen(pattern.finditer(text))
    # "ı" and "ſ" match "i" and "s" case-blind but lower-case to themselves: run as written
    assert [m.group() for m in blind.finditer("Two men were ſhot; 3 PEOPLE KILLED")] == [
        m.group() for m in pattern.finditer("Two men were ſhot; 3 PEOPLE KILLED")
    ]


def test_case_blind_refuses_what_it_cannot_run() -> None:
    with pytest.raises(ValueError, match="IGNORECASE"):
        CaseBlind(re.compile("said"))
    with pytest.raises(ValueError, match="group names"):
        CaseBlind(re.compile(r"(?P<Num>\d+)", re.IGNORECASE))


def test_aux_before_is_the_two_patterns() -> None:
    from wiretrace.claims import quote_patterns as qp

    heads = [
        "Mira Vell has also ",
        "Mira Vell HAS ",
        "the mayor did not ",
        "the mayor didn't\n",
        "the mayor DıD NOT ",
        "officials had ſince ",
        "the x-would ",
        "Vell said ",
        "",
        "   ",
        "would",
        "they could n’t ",
    ]
    heads += _texts(300)
    for head in heads:
        want = qp.AUX_RE.search(head) or qp.NOT_RE.search(head)
        got = qp.aux_before(head)
        assert (got.span() if got else None) == (want.span() if want else None), head


def test_word_starts_looks_ahead_at_every_matchs_first_two_characters() -> None:
    """Behind the lead, a lookahead on the openings the pattern's parse tree allows (a
    lexicon's first letters, then their second ones); none where any character may open a
    match or case does not count, so the search is never narrower than the pattern."""
    lexicon = re.compile(r"\b(?:(?P<a>thugs?|so[- ]called)|(?P<b>a mere|merely|I))\b")
    lead = WordStarts(lexicon)._lead.pattern
    assert lead.startswith(r"\W(?=I|a[\ ]|m[e]|s[o]|t[h])(?:")
    for loose in (r"\b(?:said|\w+ly)\b", r"\b(?:(?i:the) council|said)\b", r"\b(?:x?)\b"):
        assert WordStarts(re.compile(loose))._lead.pattern.startswith(r"\W(?:")
    assert WordStarts(re.compile("said", re.IGNORECASE))._lead.pattern == r"\W(?:said)"
    texts = [*_texts(300), "I said so-called thugs, a mere I.", "thug-like merely;I"]
    for text in texts:
        assert _seen(WordStarts(lexicon).finditer(text)) == _seen(lexicon.finditer(text))
