"""Assertion classes per sentence (attributed / unattributed / opinion) and loaded-language spans.

Rules, in order, on each sentence:

* attributed: a speaker or source stands behind it: a reporting verb or phrase ("said",
  "told", "according to", "reported", "claimed", "in a statement", "reportedly"), or a direct
  quote of four words or more, or a sentence that is itself a quote.
* opinion: no source, and evaluative or modal language: deontic modals ("should", "must",
  "it is time"), an evaluative predicate ("is shameful", "was a disgrace"), stance adverbs
  ("sadly", "undoubtedly"), first-person belief ("we believe"), a rhetorical question or an
  exclamation.
* unattributed: everything else: asserted as fact. Loaded words alone do not make an opinion
  ("The butchers have turned hospitals into torture chambers" asserts a fact, loudly), nor do
  rhetorical blame formulas attached to a claim ("... while the world did nothing"): they are
  loaded spans (Exaggeration) on an assertion, which is what makes such a sentence dangerous.

The loaded-language lexicon is wiretrace's own list, written for this project. Its technique
names follow the SemEval-2020 Task 11 propaganda techniques (Da San Martino et al., 2020) where
one fits: Name_Calling,Labeling; Loaded_Language; Exaggeration,Minimisation;
Appeal_to_fear-prejudice; Doubt. A label is not the writer's when the sentence attributes it
("which X considers a terrorist group"): such spans are skipped. Spans inside quotation marks
are kept and marked `quoted` (the words are the speaker's, not the outlet's).
"""

from __future__ import annotations

import re
import string
from bisect import bisect_right
from dataclasses import dataclass, field

from wiretrace.doc.article import Article
from wiretrace.doc.scan import WordStarts

NAME_CALLING = "Name_Calling,Labeling"
LOADED_LANGUAGE = "Loaded_Language"
EXAGGERATION = "Exaggeration,Minimisation"
FEAR = "Appeal_to_fear-prejudice"
DOUBT = "Doubt"


@dataclass(frozen=True, slots=True)
class LoadedSpan:
    """A loaded-language span: technique, text and offsets into the article text."""

    technique: str
    text: str
    start: int
    end: int
    quoted: bool = False
    score: float | None = None  # the detector's confidence (0..1); None from the lexicon

    def to_dict(self) -> dict[str, object]:
        """JSON-ready fields."""
        return {
            "technique": self.technique,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "quoted": self.quoted,
            "score": self.score,
        }


@dataclass(slots=True)
class SentenceClaims:
    """Per-sentence claims: assertion class, loaded spans and stitching artifacts."""

    index: int
    start: int
    end: int
    assertion: str  # "attributed" | "unattributed" | "opinion"
    loaded: list[LoadedSpan] = field(default_factory=list)
    artifacts: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        """JSON-ready fields, as in docs/claims-json.md."""
        return {
            "index": self.index,
            "assertion": self.assertion,
            "loaded": [span.to_dict() for span in self.loaded],
            "artifacts": list(self.artifacts),
        }


ATTRIBUTION = re.compile(
    r"\b(?:said|says|say|told|tells|according to|reported(?:ly)?|reports|claimed|claims?|"
    r"stated|announced|added|warned|confirmed|denied|insisted|alleged(?:ly)?|estimated|noted|"
    r"wrote|tweeted|quoted|citing|cited|statement|testified|acknowledged|admitted|asserted|"
    r"accused|recalled|explained|argued|quoting)\b"
)
# A closing "“" is a common typo in copied text; it still closes the quote.
QUOTED = re.compile(r"[\"“]([^\"“”\n]*)[\"”“]")
_OPINION = re.compile(
    r"\b(?:should|must|ought to|it is (?:high )?time|it's (?:high )?time|cannot be allowed|"
    r"(?:is|are|was|were|be|been|remains?|seems?)\s(?:(?:so|truly|simply|utterly|deeply|"
    r"nothing short of|nothing less than)\s)?(?:(?:a|an)\s)?(?:shameful|disgraceful|outrageous|"
    r"unacceptable|unforgivable|inexcusable|appalling|deplorable|despicable|disgusting|"
    r"shocking|heroic|admirable|absurd|ridiculous|pathetic|scandalous|immoral|unjust|"
    r"disgrace|scandal|travesty|farce|betrayal|shame|sham|joke|blunder|outrage)|"
    r"undoubtedly|shamefully|sadly|unfortunately|tragically|disgracefully|thankfully|"
    r"needless to say|let us|let's|we believe|i believe|i think|in my view|in our view|"
    r"history will judge|nobody cares|no one cares)\b"
)
# Both open with a letter after `\b`: searched from word starts (`doc/scan.py`).
_ATTRIBUTION_WORDS, _OPINION_WORDS = WordStarts(ATTRIBUTION), WordStarts(_OPINION)

# The lexicon: (technique, pattern). Order matters only for ties; longest span wins overlaps.
_LEXICON: tuple[tuple[str, str], ...] = (
    (NAME_CALLING,
     r"terrorists?|terror (?:group|organi[sz]ation)s?|thugs?|butchers?|savages|barbarians|"
     r"murderers|bandits|mercenar(?:y|ies)|henchm[ae]n|cronies|stooges?|puppets?|"
     r"paymasters?|warlords?|infidels|crusaders|occupiers|invaders|death squads?|"
     r"criminal gangs?|regime"),
    (LOADED_LANGUAGE,
     r"massacre[sd]?|slaughter(?:ed|ing|s)?|butcher(?:ed|ing)|bloodbath|carnage|"
     r"atrocit(?:y|ies)|barbaric|barbarity|savage(?:ly|ry)?|heinous|evil|vile|monstrous|"
     r"horrific|cowardly|despicable|callous|ruthless|bloodthirsty|torture chambers?|"
     r"reign of terror|ethnic cleansing|cheer(?:s|ed|ing)?(?: on)? (?:(?:every|each|the|their|"
     r"this|that) )?(?:atrocit(?:y|ies)|massacres?|killings?|deaths?|attacks?|crimes?|"
     r"bombings?)|genocid(?:e|al)"),
    (EXAGGERATION,
     r"the world (?:did|does|has done) nothing|nothing but|never before|unprecedented|"
     r"worst \w+ (?:ever|in history)|every single|wiped (?:off|out)|"
     r"(?:completely|totally|entirely) (?:destroyed|wiped|annihilated)|countless|endless|"
     r"a mere|merely|only a handful|just a handful"),
    (FEAR,
     r"existential threat|threat to our (?:\w+ )?(?:way of life|nation|country|children|"
     r"security)|before it is too late|if we do not act|will be wiped out|"
     r"floods? of (?:migrants|refugees)|hordes? of|time bomb|breeding ground"),
    (DOUBT, r"so[- ]called|self-styled|self-proclaimed|supposedly"),
)  # fmt: skip
_LOADED = re.compile(
    r"\b(?:" + "|".join(f"(?P<t{i}>{p})" for i, (_, p) in enumerate(_LEXICON)) + r")\b"
)
_LOADED_WORDS = WordStarts(_LOADED)  # every alternative opens with a letter
_TECHNIQUES = {f"t{i}": technique for i, (technique, _) in enumerate(_LEXICON)}
# A label the sentence attributes to someone else is reported, not applied.
_ATTRIBUTED_LABEL = re.compile(
    r"\b(?:consider\w*|designat\w*|list(?:s|ed|ing)|label\w*|brand\w*|views?|viewed|deem\w*|"
    r"regard\w*|call(?:s|ed|ing)?|describ\w*|accus\w*|alleg\w*|recogni[sz]\w*|den(?:y|ies|ied)|"
    r"charges? of|convicted|tribunal|trial)\b[^.;]*$"
)
# "regime" is a neutral word after these ("sanctions regime", "visa regime").
_NEUTRAL_REGIME = frozenset(
    re.findall(
        r"\w+",
        """sanctions tax visa inspection inspections trade legal regulatory fiscal monetary
        ceasefire exchange training treatment drug dietary export import customs""",
    )
)


_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def ascii_lower(text: str) -> str:
    """Lowercase ASCII letters only: offsets stay valid, and the patterns run 4x faster."""
    return text.translate(_ASCII_LOWER)


# A quote left open runs to the end of its paragraph (wire style for multi-paragraph quotes).
_QUOTE_SPAN = re.compile(r"[\"“][^\"“”\n]*(?:[\"”“]|(?=\n)|\Z)")


# Techniques that argue rather than report: outside quotation marks, one of the detector's
# spans of these makes an otherwise unattributed sentence an opinion (loaded words, labels and
# exaggeration alone do not: module docstring).
ARGUING = frozenset(
    {
        DOUBT,
        FEAR,
        "Flag-Waving",
        "Causal_Oversimplification",
        "Slogans",
        "Black-and-White_Fallacy",
        "Thought-terminating_Cliches",
        "Whataboutism,Straw_Men,Red_Herring",
        "Bandwagon,Reductio_ad_hitlerum",
    }
)
DETECTOR, LEXICON = "detector", "lexicon"


def loaded_spans(text: str, *, detector: bool | None = None) -> tuple[list[LoadedSpan], str]:
    """Technique spans in a text and the path that found them: the trained detector
    (`propaganda.py`) when `detector` is True (None: unless WIRETRACE_LOADED=lexicon) and its
    model and the `semantic` extra are installed, else the lexicon (`find_loaded`)."""
    from wiretrace.claims import propaganda

    use = propaganda.wanted() if detector is None else detector
    found = propaganda.load_detector() if use and len(text) <= propaganda.MAX_CHARS else None
    if found is None:
        return find_loaded(text), LEXICON
    quotes = _quotes_in(text)
    return [
        LoadedSpan(
            span.technique,
            text[span.start : span.end],
            span.start,
            span.end,
            any(s <= span.start and span.end <= e for s, e in quotes),
            span.score,
        )
        for span in found.spans(text)
    ], DETECTOR


def _quotes_in(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _QUOTE_SPAN.finditer(text)]


def find_loaded(text: str) -> list[LoadedSpan]:
    """Loaded-language spans in a text from the lexicon (offsets into it), adjacent spans
    merged."""
    quotes = _quotes_in(text)
    low = ascii_lower(text)
    spans: list[LoadedSpan] = []
    for m in _LOADED_WORDS.finditer(low):
        technique = _TECHNIQUES[m.lastgroup or "t0"]
        word = m.group()
        line_start = max(low.rfind("\n", 0, m.start()), low.rfind(". ", 0, m.start())) + 1
        before = low[max(line_start, m.start() - 80) : m.start()]
        if word == "regime":
            prev = before.split()[-1] if before.split() else ""
            if prev in _NEUTRAL_REGIME or low.startswith(" change", m.end()):
                continue
        if (technique == NAME_CALLING or word.startswith("genocid")) and (
            _ATTRIBUTED_LABEL.search(before)
        ):
            continue
        quoted = any(s < m.start() and m.end() < e for s, e in quotes)
        spans.append(LoadedSpan(technique, text[m.start() : m.end()], m.start(), m.end(), quoted))
    return _merge_adjacent(text, spans)


def _merge_adjacent(text: str, spans: list[LoadedSpan]) -> list[LoadedSpan]:
    """'cowardly' + 'butchers' -> one Name_Calling span 'cowardly butchers'."""
    out: list[LoadedSpan] = []
    for span in spans:
        prev = out[-1] if out else None
        if prev is not None and prev.end < span.start and not text[prev.end : span.start].strip():
            technique = (
                NAME_CALLING
                if NAME_CALLING in (prev.technique, span.technique)
                else (prev.technique)
            )
            out[-1] = LoadedSpan(
                technique, text[prev.start : span.end], prev.start, span.end, prev.quoted
            )
        else:
            out.append(span)
    return out


def is_attributed(sentence: str) -> bool:
    """True when a speaker or source stands behind the sentence."""
    if ATTRIBUTION.search(ascii_lower(sentence)):
        return True
    return _quoted(sentence)


def _quoted(sentence: str) -> bool:
    """The sentence is a quote, or quotes four words or more."""
    stripped = sentence.strip()
    if stripped[:1] in '"“' and stripped.rstrip(".")[-1:] in '"”“':
        return True  # the whole sentence is a quote
    return any(len(m.group(1).split()) >= 4 for m in QUOTED.finditer(sentence))


def classify_assertion(sentence: str) -> str:
    """'attributed', 'opinion' or 'unattributed' for one sentence's text."""
    if is_attributed(sentence):
        return "attributed"
    return "opinion" if _opinionated(sentence, ascii_lower(sentence)) else "unattributed"


def _opinionated(sentence: str, low: str) -> bool:
    stripped = sentence.rstrip().rstrip("\"”’')")
    return stripped.endswith(("?", "!")) or _OPINION_WORDS.search(low) is not None


def classify_sentences(
    article: Article, *, loaded: tuple[list[LoadedSpan], str] | None = None
) -> list[SentenceClaims]:
    """Assertion class and loaded spans per sentence (the `artifacts` component adds artifacts).

    `loaded`: the article's technique spans and their path (`loaded_spans`); None takes the
    lexicon's. Detector spans of ARGUING techniques outside quotes make an unattributed
    sentence an opinion."""
    spans_found, path = loaded if loaded is not None else (find_loaded(article.text), LEXICON)
    text = article.text
    spans = article.spans
    starts = [start for start, _ in spans]
    low = ascii_lower(text)
    # One pass of each pattern over the whole text beats one per sentence.
    cued = {bisect_right(starts, m.start()) - 1 for m in _ATTRIBUTION_WORDS.finditer(low)}
    claims: list[SentenceClaims] = []
    for i, (start, end) in enumerate(spans):
        sent = text[start:end]
        if i in cued or _quoted(sent):
            assertion = "attributed"
        elif _opinionated(sent, low[start:end]):
            assertion = "opinion"
        else:
            assertion = "unattributed"
        claims.append(SentenceClaims(i, start, end, assertion))
    for span in spans_found:
        i = bisect_right(starts, span.start) - 1
        if i >= 0:
            claims[i].loaded.append(span)
    if path == DETECTOR:
        for claim in claims:
            if claim.assertion == "unattributed" and any(
                s.technique in ARGUING and not s.quoted for s in claim.loaded
            ):
                claim.assertion = "opinion"
    return claims


def merge_artifacts(claims: list[SentenceClaims], found: dict[int, list[str]]) -> None:
    """Add artifact kinds (per sentence index) to the claims, without duplicates."""
    for claim in claims:
        for kind in found.get(claim.index, ()):
            if kind not in claim.artifacts:
                claim.artifacts.append(kind)
