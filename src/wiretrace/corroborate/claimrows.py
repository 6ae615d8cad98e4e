"""Claim rows: the figures and quotes of one article, flattened for grouping and storage."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from wiretrace.claims.entities import canonical_org
from wiretrace.claims.figures import Figure, find_figures
from wiretrace.claims.places import Place, resolve_place
from wiretrace.claims.quotes import Quote, find_quotes
from wiretrace.model import Article

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
_WORD = re.compile(r"[A-Z][\w'’-]+(?:\s+(?:al-)?[A-Z][\w'’-]+){0,2}")
_SENTENCE_LIMIT = 600
# Unnamed victims ("12 people") count as civilians, as FA-KES coders and casualty_summary read them.
_GROUP = {"people": "civilians"}


@dataclass(frozen=True, slots=True)
class ClaimRow:
    """One claim of one article, with everything grouping and grading need."""

    claim_id: str  # "<article id>:<n>"
    article_id: str
    n: int
    claim_type: str  # "figure" | "quote"
    kind: str  # a casualty kind, or "statement" for quotes
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


def _match(text: str | None, table: tuple[tuple[str, tuple[str, ...]], ...]) -> str | None:
    if not text:
        return None
    low = text.casefold()
    return next((name for name, keys in table if any(k in low for k in keys)), None)


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
    if "observatory" in low or "monitor" in low:
        return "Syrian Observatory for Human Rights"
    return name


def _local_place(name: str | None) -> Place | None:
    """A place below country level with coordinates, or None."""
    if not name:
        return None
    place = resolve_place(name)
    if place is None or place.kind == "country" or place.lat is None:
        return None
    return place


def main_place(article: Article, figures: list[Figure]) -> Place | None:
    """The article's main place: its figures' commonest place, else the first in title or text."""
    found = [p for p in (_local_place(f.place) for f in figures) if p is not None]
    if found:
        return Counter(found).most_common(1)[0][0]
    for text in (article.title, article.text[:1500]):
        for match in _WORD.finditer(text):
            place = _local_place(match.group(0))
            if place is not None and len(match.group(0)) >= 4:
                return place
    return None


def _event_date(figure: Figure, published: datetime | None) -> date | None:
    if figure.date:
        try:
            day = date.fromisoformat(figure.date)
        except ValueError:
            day = None
        if day is not None and (published is None or abs(day - published.date()) < timedelta(30)):
            return day
    return published.date() if published else None


def _sentence(article: Article, index: int) -> str:
    spans = article.spans
    if 0 <= index < len(spans):
        start, end = spans[index]
        return article.text[start:end][:_SENTENCE_LIMIT]
    return ""


def claim_rows(article: Article) -> list[ClaimRow]:
    """The incident figures and quotes of one article as claim rows, in text order."""
    figures = find_figures(article)
    home = main_place(article, figures)
    published = article.published_at
    rows: list[ClaimRow] = []
    for figure in figures:
        if figure.kind not in INCIDENT_KINDS or figure.cumulative or figure.value is None:
            continue
        place = _local_place(figure.place) or home
        n = len(rows)
        rows.append(
            ClaimRow(
                claim_id=f"{article.id}:{n}",
                article_id=article.id,
                n=n,
                claim_type="figure",
                kind=figure.kind,
                grp=_GROUP.get(figure.group or "people", figure.group),
                value=figure.value,
                low=figure.low,
                high=figure.high,
                place=place.name if place else None,
                lat=place.lat if place else None,
                lon=place.lon if place else None,
                event_date=_event_date(figure, published),
                published_at=published,
                actor=figure.actor,
                actor_class=actor_class(figure.actor),
                actor_party=party_of(figure.actor),
                primary_source=primary_name(figure.attributed_to),
                speaker=None,
                content=None,
                sentence=_sentence(article, figure.sentence_index),
                url=article.url,
                outlet=article.outlet,
            )
        )
    with_figures = {f.sentence_index for f in figures if f.kind in INCIDENT_KINDS}
    for quote in find_quotes(article):
        if quote.sentence_index not in with_figures:  # the figure is the claim there
            rows.extend(_quote_row(article, quote, len(rows)))
    return rows


def _quote_row(article: Article, quote: Quote, n: int) -> list[ClaimRow]:
    speaker = quote.speaker_canonical or quote.speaker
    if not speaker or len(quote.content.split()) < 4:
        return []
    return [
        ClaimRow(
            claim_id=f"{article.id}:{n}",
            article_id=article.id,
            n=n,
            claim_type="quote",
            kind="statement",
            grp=None,
            value=None,
            low=None,
            high=None,
            place=None,
            lat=None,
            lon=None,
            event_date=article.published_at.date() if article.published_at else None,
            published_at=article.published_at,
            actor=None,
            actor_class=None,
            actor_party=None,
            primary_source=primary_name(quote.channel),
            speaker=primary_name(speaker),
            content=quote.content[:_SENTENCE_LIMIT],
            sentence=_sentence(article, quote.sentence_index),
            url=article.url,
            outlet=article.outlet,
        )
    ]
