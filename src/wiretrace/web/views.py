"""The workbench pages' data as the typed values their templates read.

Each page's route builds one dict, which its JSON twin serves as it is; the HTML page turns that
dict into one of the frozen dataclasses below, so a template reads named, typed attributes
instead of looking keys up in a dict. Values a page shows stay strings, numbers or None (the
templates escape them and write None as nothing).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from wiretrace.render.markdown import fmt_share, text_of
from wiretrace.web.svg import Graph, Timeline, sources_graph, timeline


def _text(value: object) -> str | None:
    """A stored value as the text a page shows (booleans as words, as templates write them);
    None when missing."""
    return None if value is None else text_of(value)


@dataclass(frozen=True, slots=True)
class ArticleRow:
    """One stored article in a list: when, where, its title and (in search results) a snippet."""

    id: str
    outlet: str | None
    title: str | None
    published_at: str | None
    snippet: str | None

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> ArticleRow:
        return cls(
            id=str(row["id"]),
            outlet=_text(row.get("outlet")),
            title=_text(row.get("title")),
            published_at=_text(row.get("published_at")),
            snippet=_text(row.get("snippet")),
        )


def article_rows(rows: Sequence[Mapping[str, Any]]) -> tuple[ArticleRow, ...]:
    """A list of stored articles (as the JSON twins serve them) as rows to show."""
    return tuple(ArticleRow.of(row) for row in rows)


@dataclass(frozen=True, slots=True)
class HomeView:
    """The home page: how many articles the store holds and the latest ones."""

    articles: int
    latest: tuple[ArticleRow, ...]

    @classmethod
    def of(cls, data: Mapping[str, Any]) -> HomeView:
        return cls(articles=int(data["articles"]), latest=article_rows(data["latest"]))


@dataclass(frozen=True, slots=True)
class OutletRow:
    """An outlet in the corpus: how many articles, first and last published."""

    outlet: str
    articles: int
    first: str | None
    last: str | None

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> OutletRow:
        return cls(
            outlet=str(row["outlet"]),
            articles=int(row["articles"]),
            first=_text(row.get("first")),
            last=_text(row.get("last")),
        )


@dataclass(frozen=True, slots=True)
class CorpusSearch:
    """What the corpus page was asked for (kept in the form as typed)."""

    q: str | None
    outlet: str | None
    since: str | None
    until: str | None

    def query(self) -> dict[str, str | None]:
        """The search as the page's query string (its JSON twin's link)."""
        return {"q": self.q, "outlet": self.outlet, "since": self.since, "until": self.until}


@dataclass(frozen=True, slots=True)
class CorpusView:
    """The corpus page: counts, articles over time, the search and its results, the outlets."""

    articles: int
    outlet_count: int
    first: str | None
    last: str | None
    chart: Timeline | None
    outlets: tuple[OutletRow, ...]
    search: CorpusSearch
    results: tuple[ArticleRow, ...] | None
    error: str

    @property
    def wrong(self) -> str:
        """The search field the error is about ('since: not a date' names since)."""
        return self.error.partition(":")[0] if self.error else ""

    @classmethod
    def of(cls, data: Mapping[str, Any]) -> CorpusView:
        over = data["overview"]
        search = data["search"]
        results = data.get("results")
        return cls(
            articles=int(over["articles"]),
            outlet_count=int(over["outlets"]),
            first=_text(over.get("first")),
            last=_text(over.get("last")),
            chart=timeline(data["timeline"]["bins"], data["timeline"]["unit"]),
            outlets=tuple(OutletRow.of(row) for row in data["outlets"]),
            search=CorpusSearch(
                q=_text(search.get("q")),
                outlet=_text(search.get("outlet")),
                since=_text(search.get("since")),
                until=_text(search.get("until")),
            ),
            results=None if results is None else article_rows(results),
            error=str(data.get("error") or ""),
        )


@dataclass(frozen=True, slots=True)
class SourceCount:
    """An outlet another one copies from, with how many sentences it copied."""

    outlet: str
    sentences: int


@dataclass(frozen=True, slots=True)
class FactualChange:
    """A fact changed when an outlet copied a sentence: what it was, what it became."""

    article_id: str
    source_outlet: str | None
    kind: str | None
    old: str | None
    new: str | None


@dataclass(frozen=True, slots=True)
class OutletView:
    """An outlet's page: its profile's figures as labelled rows, the outlets it copies most
    (a table and a graph), factual changes when copying and its latest articles."""

    name: str
    method: str | None
    rows: tuple[tuple[str, str], ...]
    top_sources: tuple[SourceCount, ...]
    graph: Graph | None
    changes: tuple[FactualChange, ...]
    latest: tuple[ArticleRow, ...]

    @classmethod
    def of(cls, data: Mapping[str, Any]) -> OutletView:
        profile = data["profile"]
        name = str(profile["outlet"])
        delay = profile["median_delay_hours"]
        rows = [
            ("Articles stored", f"{profile['articles']:,}"),
            ("Articles sampled", str(profile["sampled_articles"])),
            ("Copied from other outlets", fmt_share(profile["copied_share"])),
            ("Paraphrased from other outlets", fmt_share(profile["paraphrased_share"])),
            ("No source found", fmt_share(profile["unsourced_share"])),
            ("Median delay after the source", f"{delay:g} h" if delay is not None else "—"),
            ("Factual changes when copying", str(profile["factual_changes"])),
        ]
        engine = profile.get("corpus_profile")
        if isinstance(engine, dict) and engine.get("farm_score") is not None:
            rows.append(("Farm score (corpus engine)", f"{float(engine['farm_score']):.2f}"))
        return cls(
            name=name,
            method=_text(profile.get("method")),
            rows=tuple(rows),
            top_sources=tuple(
                SourceCount(str(s["outlet"]), int(s["sentences"])) for s in profile["top_sources"]
            ),
            graph=sources_graph(name, profile["top_sources"]),
            changes=tuple(
                FactualChange(
                    article_id=str(c["article_id"]),
                    source_outlet=_text(c.get("source_outlet")),
                    kind=_text(c.get("kind")),
                    old=_text(c.get("from")),
                    new=_text(c.get("to")),
                )
                for c in profile.get("factual_change_examples") or ()
            ),
            latest=article_rows(data["latest"]),
        )


@dataclass(frozen=True, slots=True)
class QuoteRow:
    """One stored quote, with the article it was said in."""

    article_id: str
    speaker: str | None
    speaker_canonical: str | None
    role: str | None
    cue: str | None
    channel: str | None
    content: str | None
    outlet: str | None
    published_at: str | None

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> QuoteRow:
        return cls(
            article_id=str(row["article_id"]),
            speaker=_text(row.get("speaker")),
            speaker_canonical=_text(row.get("speaker_canonical")),
            role=_text(row.get("role")),
            cue=_text(row.get("cue")),
            channel=_text(row.get("channel")),
            content=_text(row.get("content")),
            outlet=_text(row.get("outlet")),
            published_at=_text(row.get("published_at")),
        )


@dataclass(frozen=True, slots=True)
class QuoteSearch:
    """What the quotes page was asked for."""

    speaker: str | None
    channel: str | None

    def query(self) -> dict[str, str | None]:
        """The search as the page's query string (its JSON twin's link)."""
        return {"speaker": self.speaker, "channel": self.channel}


@dataclass(frozen=True, slots=True)
class QuotesView:
    """The quotes page: the search, its quotes and how much of the store has been extracted."""

    search: QuoteSearch
    quotes: tuple[QuoteRow, ...]
    articles_stored: int
    articles_extracted: int
    token_needed: bool
    writable: bool

    @property
    def missing(self) -> int:
        """Stored articles whose quotes have not been extracted yet."""
        return self.articles_stored - self.articles_extracted

    @classmethod
    def of(cls, data: Mapping[str, Any]) -> QuotesView:
        search = data["search"]
        cover = data["coverage"]
        return cls(
            search=QuoteSearch(_text(search.get("speaker")), _text(search.get("channel"))),
            quotes=tuple(QuoteRow.of(row) for row in data["quotes"]),
            articles_stored=int(cover["articles_stored"]),
            articles_extracted=int(cover["articles_with_quotes_extracted"]),
            token_needed=bool(data.get("token_needed")),
            writable=bool(data.get("writable", True)),
        )
