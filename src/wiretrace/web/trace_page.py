"""The trace view: the article coloured by source, a side-by-side panel, flags, quotes, figures.

Built from the standalone report's pieces (render/html.py) so both look and escape alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from wiretrace.render.html import (
    _article,
    _details,
    _header,
    _legend,
    _summary,
    esc,
)
from wiretrace.render.markdown import as_list, as_map, collect_sources, display_index, text_of
from wiretrace.web.pages import href, layout

FLAG_LABELS = {
    "unsourced": "no source",
    "duplicate": "duplicate",
    "likely_insertion": "likely insertion",
    "attribution_mismatch": "attribution mismatch",
    "factual_change": "factual change",
}


def _flag_rows(report: Mapping[str, Any], rid: str) -> str:
    """One row per sentence with something to look at, with badges saying what."""
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
        if not badges:
            continue
        shown = "".join(
            f'<span class="flag f-{esc(kind)}">{esc(label)}</span>' for kind, label in badges
        )
        rows.append(
            f'<tr><td class="nw"><a class="pick" href="#{rid}-s{position}" '
            f'data-pos="{position}">#{display_index(sent, position)}</a></td>'
            f'<td>{shown}</td><td class="sent-text">{esc(sent.get("text"))}</td></tr>'
        )
    if not rows:
        return '<p class="note">Nothing flagged.</p>'
    return (
        '<table class="flags"><thead><tr><th>#</th><th>Flags</th><th>Sentence</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _resolved(quote: Mapping[str, Any]) -> str:
    """Who the speaker is, where the text names them elsewhere ('she' = Lena Ortiz)."""
    name = quote.get("speaker_resolved")
    if not name or name == quote.get("speaker"):
        return ""
    return f'<div class="snip">= {esc(name)}</div>'


def _quotes(claims: Mapping[str, Any]) -> str:
    rows = []
    for quote in as_list(claims.get("quotes")):
        quote = as_map(quote)
        role = f'<div class="snip">{esc(quote.get("role"))}</div>' if quote.get("role") else ""
        kind = "direct" if quote.get("direct") is True else "reported"
        rows.append(
            f"<tr><td>{esc(quote.get('speaker'), '—')}{_resolved(quote)}{role}</td>"
            f"<td>{esc(quote.get('cue'), '—')}</td><td>{esc(quote.get('channel'), '—')}</td>"
            f'<td class="quote">{esc(quote.get("content"))}'
            f'<div class="snip">{kind}</div></td></tr>'
        )
    if not rows:
        return '<p class="note">No quotes found.</p>'
    return (
        "<table><thead><tr><th>Speaker</th><th>Cue</th><th>Channel</th><th>Says</th></tr>"
        f"</thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _figures(claims: Mapping[str, Any]) -> str:
    rows = []
    for figure in as_list(claims.get("figures")):
        figure = as_map(figure)
        raw = figure.get("value")
        value = f"{raw:g}" if isinstance(raw, float) else text_of(raw)
        low, high = figure.get("low"), figure.get("high")
        if low is not None and high is not None and low != high:
            value = f"{value} ({text_of(low)}–{text_of(high)})"
        what = " ".join(text_of(figure.get(k)) for k in ("group", "kind", "unit") if figure.get(k))
        where = ", ".join(text_of(figure.get(k)) for k in ("place", "date") if figure.get(k))
        source = figure.get("attributed_to")
        rows.append(
            f'<tr><td class="num">{esc(value)}</td><td>{esc(what)}</td>'
            f"<td>{esc(figure.get('actor'), '—')}</td><td>{esc(where, '—')}</td>"
            + (
                f"<td>{esc(source)}</td>"
                if source
                else '<td><span class="flag f-unsourced">no attribution</span></td>'
            )
            + "</tr>"
        )
    casualties = as_map(claims.get("casualties"))
    deaths = ", ".join(
        f"{esc(k.replace('_', ' '))} {esc(v)}" for k, v in casualties.items() if v is not None
    )
    summary = f'<p class="meta">Deaths in the main incident: {deaths}</p>' if deaths else ""
    if not rows:
        return summary + '<p class="note">No figures found.</p>'
    return summary + (
        '<table><thead><tr><th class="num">Figure</th><th>Of what</th><th>By</th>'
        f"<th>Where, when</th><th>Attributed to</th></tr></thead><tbody>{''.join(rows)}</tbody>"
        "</table>"
    )


def trace_page(report: Mapping[str, Any], *, stored: bool) -> str:
    """The whole trace view of one report."""
    rid = "r0"
    sources = collect_sources(report)
    positions: dict[int, int] = {}
    for position, sent in enumerate(as_list(report.get("sentences"))):
        positions.setdefault(display_index(as_map(sent), position), position)
    claims = as_map(report.get("claims"))
    article = as_map(report.get("article"))
    article_id = text_of(article.get("id"))
    links = [
        f'<a href="{href("articles", article_id + ".json")}">JSON</a>',
        f'<a href="{href("articles", article_id, "claims")}">claims</a>',
    ]
    if stored:
        links.append(
            f'<a href="{href("api", "articles", article_id, "trace.html")}">standalone report</a>'
        )
    else:
        links.append('<span class="badge">not stored: traced only</span>')
    if article.get("outlet"):
        links.append(
            f'<a href="{href("outlets", text_of(article.get("outlet")))}">outlet profile</a>'
        )
    notes = "".join(f'<p class="note">{esc(n)}</p>' for n in as_list(report.get("notes")))
    body = (
        f'<section class="report" id="{rid}">{_header(report, 0, 1)}'
        f'<p class="links">{" · ".join(links)}</p>{notes}'
        f'<div class="grid">{_summary(report)}{_legend(sources)}</div>'
        '<div class="workspace"><div><h2>Article <span class="note">click a sentence to '
        f"compare it with its source</span></h2>{_article(report, rid, sources, positions)}</div>"
        '<aside class="panel" id="cmp-panel" aria-live="polite"><h2>Side by side</h2>'
        '<div id="cmp-body"><p class="note">Click a sentence of the article to see its source '
        "next to it, with the edits highlighted.</p></div></aside></div>"
        f"<h2>Flags</h2>{_flag_rows(report, rid)}"
        f'<div class="grid2"><div><h2>Quotes</h2>{_quotes(claims)}</div>'
        f"<div><h2>Figures</h2>{_figures(claims)}</div></div>"
        "<h2>Sentence by sentence</h2>"
        '<p class="noprint"><button type="button" data-toggle="open">Expand all</button> '
        '<button type="button" data-toggle="close">Collapse all</button></p>'
        f"{_details(report, rid, sources, positions)}</section>"
    )
    title = text_of(article.get("title"), "Untitled article")
    return layout(title, body, json_url=href("articles", article_id + ".json"), active="Trace")
