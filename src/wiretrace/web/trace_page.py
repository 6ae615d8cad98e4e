"""The trace view: the article coloured by source, a side-by-side panel, flags, quotes, figures.

Built from the standalone report's pieces (render/report_view.py and the macros of
render/templates/report_parts.html.j2), so both look and escape alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from wiretrace.render.markdown import as_list, as_map, display_index, text_of
from wiretrace.render.report_view import report_view
from wiretrace.web.templating import href, page

FLAG_LABELS = {
    "unsourced": "no source",
    "duplicate": "duplicate",
    "likely_insertion": "likely insertion",
    "attribution_mismatch": "attribution mismatch",
    "factual_change": "factual change",
}


@dataclass(frozen=True, slots=True)
class FlagRow:
    """A sentence with something to look at, and badges (kind, words) saying what."""

    position: int
    shown: int
    badges: list[tuple[str, str]]
    text: str


@dataclass(frozen=True, slots=True)
class QuoteRow:
    speaker: str
    resolved: str | None  # who the speaker is, where the text names them elsewhere
    role: str
    cue: str
    channel: str
    content: str
    kind: str


@dataclass(frozen=True, slots=True)
class FigureRow:
    value: str
    what: str
    actor: str
    where: str
    source: str | None


def flag_rows(report: Mapping[str, Any]) -> list[FlagRow]:
    claims = as_map(report.get("claims"))
    loaded = {
        as_map(s).get("index"): as_list(as_map(s).get("loaded"))
        for s in as_list(claims.get("sentences"))
    }
    artifacts = {
        as_map(s).get("index"): as_list(as_map(s).get("artifacts"))
        for s in as_list(claims.get("sentences"))
    }
    rows = []
    for position, sent in enumerate(as_list(report.get("sentences"))):
        sent = as_map(sent)
        index = sent.get("index")
        badges = []
        status = text_of(sent.get("status"))
        if status in ("unsourced", "duplicate"):
            badges.append((status, FLAG_LABELS[status]))
        for flag in as_list(sent.get("flags")):
            name = text_of(flag)
            if name in FLAG_LABELS:
                badges.append((name, FLAG_LABELS[name]))
        for span in loaded.get(index, []):
            span = as_map(span)
            words = text_of(span.get("text"))
            badges.append(("loaded", f"loaded: {text_of(span.get('technique'))} “{words}”"))
        for artifact in artifacts.get(index, []):
            badges.append(("artifact", text_of(artifact).replace("_", " ")))
        if badges:
            rows.append(
                FlagRow(position, display_index(sent, position), badges, text_of(sent.get("text")))
            )
    return rows


def quote_rows(claims: Mapping[str, Any]) -> list[QuoteRow]:
    rows = []
    for quote in as_list(claims.get("quotes")):
        quote = as_map(quote)
        resolved = quote.get("speaker_resolved")
        rows.append(
            QuoteRow(
                speaker=text_of(quote.get("speaker"), "—"),
                resolved=(
                    text_of(resolved) if resolved and resolved != quote.get("speaker") else None
                ),
                role=text_of(quote.get("role")),
                cue=text_of(quote.get("cue"), "—"),
                channel=text_of(quote.get("channel"), "—"),
                content=text_of(quote.get("content")),
                kind="direct" if quote.get("direct") is True else "reported",
            )
        )
    return rows


def figure_rows(claims: Mapping[str, Any]) -> list[FigureRow]:
    rows = []
    for figure in as_list(claims.get("figures")):
        figure = as_map(figure)
        raw = figure.get("value")
        value = f"{raw:g}" if isinstance(raw, float) else text_of(raw)
        low, high = figure.get("low"), figure.get("high")
        if low is not None and high is not None and low != high:
            value = f"{value} ({text_of(low)}–{text_of(high)})"
        source = figure.get("attributed_to")
        rows.append(
            FigureRow(
                value=value,
                what=" ".join(
                    text_of(figure.get(k)) for k in ("group", "kind", "unit") if figure.get(k)
                ),
                actor=text_of(figure.get("actor"), "—"),
                where=text_of(
                    ", ".join(text_of(figure.get(k)) for k in ("place", "date") if figure.get(k)),
                    "—",
                ),
                source=text_of(source) if source else None,
            )
        )
    return rows


def deaths_line(claims: Mapping[str, Any]) -> str:
    """The main incident's deaths by group ("civilians 12, children 3"), or nothing."""
    casualties = as_map(claims.get("casualties"))
    return ", ".join(
        f"{text_of(k).replace('_', ' ')} {text_of(v)}"
        for k, v in casualties.items()
        if v is not None
    )


def trace_page(report: Mapping[str, Any], *, stored: bool) -> str:
    """The whole trace view of one report."""
    claims = as_map(report.get("claims"))
    article = as_map(report.get("article"))
    article_id = text_of(article.get("id"))
    return page(
        "trace.html.j2",
        title=text_of(article.get("title"), "Untitled article"),
        json_url=href("articles", article_id + ".json"),
        active="Trace",
        view=report_view(report),
        article_id=article_id,
        outlet=text_of(article.get("outlet")),
        stored=stored,
        notes=[text_of(n) for n in as_list(report.get("notes"))],
        flags=flag_rows(report),
        quotes=quote_rows(claims),
        figures=figure_rows(claims),
        deaths=deaths_line(claims),
    )
