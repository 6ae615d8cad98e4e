"""Claim rows: the figures, quotes and assertions of one article, flattened for grouping."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from wiretrace.claims import layers
from wiretrace.claims.dates import find_dates
from wiretrace.claims.entities import canonical_org, is_outlet
from wiretrace.claims.figures import Figure
from wiretrace.claims.found import Quote
from wiretrace.claims.places import Place, region_at, resolve_local
from wiretrace.corroborate.placing import countries_of, first_place, main_place
from wiretrace.doc import pipeline
from wiretrace.doc.article import Article
from wiretrace.doc.words import word_set as _words
from wiretrace.trace.matching import STOPWORDS

# Kinds of casualty figure that make an incident (quantities such as "35 miles" do not).
INCIDENT_KINDS = frozenset({"killed", "wounded", "missing", "displaced", "fled"})

# Actor classes: how the harm was done. Two known, different classes never share an incident.
_CLASSES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("bomb", ("car bomb", "suicide", "explosion", "explosive", "bombing", "blast", "ied")),
    ("air", ("air strike", "airstrike", "air raid", "warplane", "jet", "aircraft", "helicopter",
             "barrel bomb", "missile", "drone", "bomber")),
    ("ground", ("shelling", "shell", "mortar", "rocket", "artillery", "tank")),
    ("gunfire", ("gunmen", "gunman", "sniper", "gunfire", "shooting")),
)  # fmt: skip
# Parties: who did it (or who speaks for whom). Known, different parties make a dispute.
_PARTIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("coalition", ("coalition", "pentagon", "u.s.", "us-led", "american", "cjtf", "inherent")),
    ("russia", ("russia", "russian", "moscow", "kremlin")),
    ("syrian government", ("regime", "government", "syrian army", "assad", "damascus")),
    ("islamic state", ("islamic state", "isis", "isil", "daesh", "jihadist")),
    ("turkey", ("turkey", "turkish", "ankara")),
    ("kurdish forces", ("kurdish", "sdf", "ypg", "syrian democratic")),
    ("rebels", ("rebel", "opposition", "insurgent")),
)
_CONTEXT_CHARS = 3000  # how much of an article decides which countries it is about
SENTENCE_LIMIT = 600
# Unnamed victims ("12 people") count as civilians, as FA-KES coders and casualty_summary read them.
_GROUP = {"people": "civilians"}


@dataclass(frozen=True, slots=True)
class ClaimRow:
    """One claim of one article, with everything grouping and grading need."""

    claim_id: str  # "<article id>:<n>"
    article_id: str
    n: int
    claim_type: str  # "figure" | "quote" | "assertion"
    kind: str  # a casualty kind, "statement" for quotes, "assertion" for assertions
    grp: str | None  # civilians | children | women | non_civilians | people
    value: float | None
    low: float | None
    high: float | None
    place: str | None  # canonical place name
    lat: float | None
    lon: float | None
    event_date: date | None
    published_at: datetime | None
    actor: str | None
    actor_class: str | None
    actor_party: str | None
    primary_source: str | None
    speaker: str | None
    content: str | None
    sentence: str
    url: str | None
    outlet: str | None
    group_id: str | None = None

    @property
    def region(self) -> str | None:
        """The first-order region of the claim's place ("SY.09"), or None."""
        return region_at(self.lat, self.lon)


def _word_pattern(keys: tuple[str, ...]) -> re.Pattern[str]:
    """Whole words or phrases, plural allowed ("jets", "shells"); never inside a word: "allied"
    holds no "ied", "Jetson" no "jet"."""
    alternatives = "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))
    return re.compile(rf"(?<![\w.])(?:{alternatives})(?:e?s)?(?![\w])")


_PATTERNS: dict[int, list[tuple[str, re.Pattern[str]]]] = {}


def _match(text: str | None, table: tuple[tuple[str, tuple[str, ...]], ...]) -> str | None:
    if not text:
        return None
    patterns = _PATTERNS.get(id(table))
    if patterns is None:
        patterns = _PATTERNS.setdefault(id(table), [(n, _word_pattern(k)) for n, k in table])
    low = text.casefold()
    return next((name for name, pattern in patterns if pattern.search(low)), None)


def actor_class(text: str | None) -> str | None:
    """The class of harm an actor phrase names ("air strikes" -> "air"), or None."""
    return _match(text, _CLASSES)


def party_of(text: str | None) -> str | None:
    """The party an actor or source phrase names ("Russian jets" -> "russia"), or None."""
    return _match(text, _PARTIES)


_LEADING = frozenset(["a", "an", "the", "local", "some", "several"])


def primary_name(source: str | None) -> str | None:
    """A source phrase made canonical ("the SOHR" -> "Syrian Observatory for Human Rights")."""
    if not source:
        return None
    words = source.strip().rstrip(".,;:").split()
    while len(words) > 1 and words[0].casefold() in _LEADING:
        words.pop(0)
    name = canonical_org(" ".join(words))
    low = name.casefold()
    if low in ("he", "she", "they", "it", "officials", "sources", "witnesses") or len(low) < 2:
        return None
    if is_outlet(name):
        return None  # the outlet that published or was told is not who the claim comes from
    return name


def _same_article_names(rows: list[ClaimRow]) -> list[ClaimRow]:
    """A short name of a source ("the Observatory", "the ministry") is the one longer source
    of the same article that has it as a word ("Syrian Observatory for Human Rights"): the
    article's own back-reference, never a guess across articles."""
    from dataclasses import replace

    names = {r.primary_source for r in rows if r.primary_source}
    longer = {n: {w.casefold() for w in n.split()} for n in names if len(n.split()) > 1}
    resolved: dict[str, str] = {}
    for name in names:
        if len(name.split()) != 1:
            continue
        fits = [full for full, words in longer.items() if name.casefold() in words]
        if len(fits) == 1:
            resolved[name] = fits[0]
    if not resolved:
        return rows
    return [
        replace(r, primary_source=resolved[r.primary_source]) if r.primary_source in resolved else r
        for r in rows
    ]


def _figure_place(
    article: Article, figure: Figure, countries: list[str], home: Place | None
) -> Place | None:
    """A figure's place: its own, else the first named in its sentence, else the article's."""
    if figure.place:
        own = resolve_local(figure.place, countries)
        if own is not None:
            return own
    return first_place(_sentence(article, figure.sentence_index), countries) or home


# A stated event date is believed when it falls in the week before publication (or the next
# day, for time zones); a date further off is a background date ("since March 25"), and the
# publication date stands in.
_EVENT_BEFORE = timedelta(days=7)
_EVENT_AFTER = timedelta(days=1)
_LEAD_DATE_CHARS = 600  # the opening text whose dates say when the incident happened


def _plausible(day: date, published: date) -> bool:
    return published - _EVENT_BEFORE <= day <= published + _EVENT_AFTER


def _own_date(figure: Figure, published: datetime | None) -> date | None:
    """The date a figure's own sentence states, when it is believable as the event's."""
    if not figure.date:
        return None
    try:
        day = date.fromisoformat(figure.date)
    except ValueError:
        return None
    return day if published is None or _plausible(day, published.date()) else None


def stated_date(article: Article, incident: list[Figure]) -> date | None:
    """The day an article says its incident happened: the first date its incident figures'
    sentences state, else the earliest date its lead states (both within the week before
    publication), else None. A title's count ("2 killed in shooting") has no date of its own;
    dated by publication it would stay apart from the body's count dated "on Saturday"."""
    published = article.published_at
    for figure in incident:
        if (day := _own_date(figure, published)) is not None:
            return day
    lead = article.text[:_LEAD_DATE_CHARS]
    days = [
        day
        for _, _, day in find_dates(lead, published)
        if published is None or _plausible(day, published.date())
    ]
    return min(days, default=None)


def _event_date(
    figure: Figure, published: datetime | None, stated: date | None, in_title: bool
) -> date | None:
    """A figure's own stated date; else, for a count in the title, the day the article
    states; else its publication day (a body sentence with no date of its own is often a
    later development, reported the day it is published)."""
    own = _own_date(figure, published)
    if own is not None:
        return own
    if in_title and stated is not None:
        return stated
    return published.date() if published else None


def _in_title(article: Article, figure: Figure) -> bool:
    spans = article.spans
    title = article.title.strip()
    if not title or not article.text.lstrip().startswith(title):
        return False
    return 0 <= figure.sentence_index < len(spans) and spans[figure.sentence_index][0] < len(
        article.text
    ) - len(article.text.lstrip()) + len(title)


def _sentence(article: Article, index: int) -> str:
    spans = article.spans
    if 0 <= index < len(spans):
        start, end = spans[index]
        return article.text[start:end][:SENTENCE_LIMIT]
    return ""


def _claim(
    article: Article,
    n: int,
    claim_type: str,
    kind: str,
    sentence: str,
    *,
    event_date: date | None,
    grp: str | None = None,
    value: float | None = None,
    low: float | None = None,
    high: float | None = None,
    place: Place | None = None,
    actor: str | None = None,
    actor_class: str | None = None,
    actor_party: str | None = None,
    primary_source: str | None = None,
    speaker: str | None = None,
    content: str | None = None,
) -> ClaimRow:
    """A claim row of one article: identity, publication and outlet come from the article."""
    return ClaimRow(
        claim_id=f"{article.id}:{n}",
        article_id=article.id,
        n=n,
        claim_type=claim_type,
        kind=kind,
        grp=grp,
        value=value,
        low=low,
        high=high,
        place=place.name if place else None,
        lat=place.lat if place else None,
        lon=place.lon if place else None,
        event_date=event_date,
        published_at=article.published_at,
        actor=actor,
        actor_class=actor_class,
        actor_party=actor_party,
        primary_source=primary_source,
        speaker=speaker,
        content=content,
        sentence=sentence,
        url=article.url,
        outlet=article.outlet,
    )


# The claims components a claim row is made from; loaded language by the lexicon (the detector
# would change which sentences are opinions, and corroboration was measured with the lexicon).
_COMPONENTS = ("figures", "quotes", "loaded", "assertions")
_SETTINGS = pipeline.Settings(detector=False)


def claim_rows(article: Article) -> list[ClaimRow]:
    """The incident figures, quotes and assertions of one article as claim rows, in text order
    (read off the layers the claims components set)."""
    pipeline.run(article, _COMPONENTS, _SETTINGS)
    figures = article.layer(layers.FIGURES)
    countries = countries_of(article.title + "\n" + article.text[:_CONTEXT_CHARS])
    incident = [f for f in figures if f.kind in INCIDENT_KINDS and not f.cumulative]
    lead = [_sentence(article, f.sentence_index) for f in incident[:1]]
    home = main_place(article.title, article.text, lead, countries)
    published = article.published_at
    stated = stated_date(article, incident)
    rows: list[ClaimRow] = []
    for figure in figures:
        if figure.kind not in INCIDENT_KINDS or figure.cumulative or figure.value is None:
            continue
        place = _figure_place(article, figure, countries, home)
        rows.append(
            _claim(
                article,
                len(rows),
                "figure",
                figure.kind,
                _sentence(article, figure.sentence_index),
                event_date=_event_date(figure, published, stated, _in_title(article, figure)),
                grp=_GROUP.get(figure.group or "people", figure.group),
                value=figure.value,
                low=figure.low,
                high=figure.high,
                place=place,
                actor=figure.actor,
                actor_class=actor_class(figure.actor),
                actor_party=party_of(figure.actor),
                primary_source=primary_name(figure.attributed_to),
            )
        )
    if not any(r.kind == "killed" for r in rows):
        rows.extend(_mention_row(article, home, len(rows), stated))
    with_figures = {f.sentence_index for f in figures if f.kind in INCIDENT_KINDS}
    quotes = article.layer(layers.QUOTES)
    for quote in quotes:
        if quote.sentence_index not in with_figures:  # the figure is the claim there
            rows.extend(_quote_row(article, quote, len(rows)))
    taken = with_figures | {q.sentence_index for q in quotes}
    rows.extend(_assertion_rows(article, taken, len(rows)))
    return _same_article_names(rows)


# Deaths reported without a count ("Syria gas attack kills hundreds", "the attack caused deaths"):
# an article whose title or lead says people died but gives no death figure still reports the
# incident, so it takes part in grouping with a figure-less "killed" claim at its main place and
# publication date (it joins only a group of the same day within 25 km; figures need a count).
_DEATHS = re.compile(
    r"\b(?:kill(?:s|ed|ing)?|dead|deaths?|died|dies|death toll|massacred?)\b", re.IGNORECASE
)
_LEAD_SENTENCES = 2


def _mention_row(
    article: Article, home: Place | None, n: int, stated: date | None
) -> list[ClaimRow]:
    if home is None or article.published_at is None:
        return []
    lead = [article.title, *(_sentence(article, i) for i in range(_LEAD_SENTENCES))]
    said = next((text for text in lead if text and _DEATHS.search(text)), None)
    if said is None:
        return []
    return [
        _claim(
            article,
            n,
            "figure",
            "killed",
            said[:SENTENCE_LIMIT],
            event_date=stated or article.published_at.date(),
            place=home,
            actor_class=actor_class(said),
        )
    ]


# Assertions: a sentence stating (or attributing) a fact, not opinion, holding no figure or quote
# claim, with at least ASSERTION_MIN_WORDS content words and a name (a capitalised word after the
# first), so "Rescue teams searched the rubble" is not one but "The White Helmets staged the
# attack in Douma" is. Content: its content words (stopwords dropped, numbers as #), names (a
# capitalised word after the first) as written, other words casefolded.
ASSERTION_MIN_WORDS = 6
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_NAME = re.compile(r"(?<=\s)[A-Z][a-z]+")


def content_words(text: str) -> list[str]:
    """Content words of a sentence (stopwords and one-letter words dropped, numbers as "#"):
    names, capitalised words after the first, as written; other words casefolded."""
    words = []
    for n, word in enumerate(_WORD.findall(text)):
        low = word.casefold()
        if word.isdigit():
            words.append("#")
        elif len(word) > 1 and low not in STOPWORDS:
            words.append(word if n and word[0].isupper() else low)
    return words


def _assertion_rows(article: Article, taken: set[int], n: int) -> list[ClaimRow]:
    published = article.published_at
    rows: list[ClaimRow] = []
    for found in article.layer(layers.ASSERTIONS):
        if found.index in taken or found.assertion not in ("unattributed", "attributed"):
            continue
        sentence = _sentence(article, found.index)
        words = content_words(sentence)
        if len(words) < ASSERTION_MIN_WORDS or not _NAME.search(sentence):
            continue
        rows.append(
            _claim(
                article,
                n + len(rows),
                "assertion",
                "assertion",
                sentence,
                event_date=published.date() if published else None,
                content=" ".join(words),
            )
        )
    return rows


# Speakers that name a crowd, not a source: "Critics say ...", "Residents said ...".
_CROWDS = _words(
    """critics residents activists witnesses observers analysts experts locals people
    officials sources others many some supporters opponents"""
)


def _quote_row(article: Article, quote: Quote, n: int) -> list[ClaimRow]:
    speaker = quote.speaker_canonical or quote.speaker
    if not speaker or len(quote.content.split()) < 4 or speaker.casefold() in _CROWDS:
        return []
    return [
        _claim(
            article,
            n,
            "quote",
            "statement",
            _sentence(article, quote.sentence_index),
            event_date=article.published_at.date() if article.published_at else None,
            primary_source=primary_name(speaker),  # who said it, not the outlet told
            speaker=primary_name(speaker),
            content=quote.content[:SENTENCE_LIMIT],
        )
    ]
