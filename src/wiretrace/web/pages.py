"""Server-rendered pages: the layout, home, corpus, outlet, quotes and error pages.

Every value that comes from an article or a request goes through `esc` (or `url_html` for links,
which only links http(s)); nothing untrusted is ever put into markup unescaped.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from wiretrace.render.html import esc
from wiretrace.render.markdown import fmt_share
from wiretrace.web.svg import sources_graph_svg, timeline_svg


def href(*parts: str, query: dict[str, Any] | None = None) -> str:
    """A path built from untrusted parts, each percent-encoded, then escaped for an attribute."""
    path = "/" + "/".join(quote(part, safe="") for part in parts)
    kept = {k: v for k, v in (query or {}).items() if v not in (None, "")}
    return esc(path + (f"?{urlencode(kept)}" if kept else ""))


def layout(title: str, body: str, *, json_url: str | None = None, active: str = "") -> str:
    """The page frame: navigation, the page's JSON twin, local CSS and JS only."""
    nav = "".join(
        f'<a href="{path}"{" class=on" if name == active else ""}>{name}</a>'
        for name, path in (
            ("Trace", "/"),
            ("Corpus", "/corpus"),
            ("Quotes", "/quotes"),
            ("Incidents", "/incidents"),
        )
    )
    twin = f'<a class="twin" href="{json_url}">JSON</a>' if json_url else ""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        f"<title>{esc(title)} · wiretrace</title>"
        '<link rel="icon" href="data:,"><link rel="stylesheet" href="/assets/report.css">'
        '<link rel="stylesheet" href="/static/app.css"></head><body>'
        f'<header class="top"><a class="brand" href="/">wire<b>trace</b></a><nav>{nav}'
        f'<a href="/api/docs">API</a></nav>{twin}</header>'
        f'<main>{body}</main><script src="/static/app.js"></script></body></html>\n'
    )


def when(value: Any) -> str:
    """An ISO time shortened to minutes, escaped."""
    text = str(value or "")
    return esc(text[:16].replace("T", " ") if text else "—")


def error_page(status: int, code: str, message: str) -> str:
    body = (
        f'<section class="report"><p class="kicker">Error {status}</p>'
        f"<h1>{esc(message)}</h1><p class=note>code {esc(code)}</p>"
        '<p><a href="/">Back to the workbench</a></p></section>'
    )
    return layout(f"Error {status}", body)


def articles_table(rows: list[dict[str, Any]], *, snippet: bool = False) -> str:
    if not rows:
        return '<p class="note">No articles.</p>'
    out = []
    for row in rows:
        extra = f'<div class="snip">{esc(row.get("snippet"))}…</div>' if snippet else ""
        outlet = row.get("outlet")
        outlet_link = (
            f'<a href="{href("outlets", str(outlet))}">{esc(outlet)}</a>' if outlet else "—"
        )
        out.append(
            f'<tr><td class="nw">{when(row.get("published_at"))}</td><td>{outlet_link}</td>'
            f'<td><a href="{href("articles", str(row["id"]))}">'
            f"{esc(row.get('title'), 'Untitled')}</a>{extra}</td></tr>"
        )
    return (
        "<table><thead><tr><th>Published</th><th>Outlet</th><th>Title</th></tr></thead>"
        f"<tbody>{''.join(out)}</tbody></table>"
    )


FORM_FIELDS = ("text", "fetch_url", "title", "outlet", "published_at")


def _field(name: str, label: str, values: dict[str, str], bad: str | None, **attrs: str) -> str:
    """One input of the trace form, holding what the user typed; marked when it is at fault."""
    extra = "".join(f' {k.replace("_", "-")}="{esc(v)}"' for k, v in attrs.items())
    wrong = ' aria-invalid="true" class="bad"' if bad == name else ""
    value = esc(values.get(name, ""))
    if name == "text":
        area = f'<textarea name="text" rows="10"{extra}{wrong}>{value}</textarea>'
        return f"<label>{label}{area}</label>"
    return f'<label>{label}<input name="{name}" value="{value}"{extra}{wrong}></label>'


def home_page(
    data: dict[str, Any],
    *,
    token_needed: bool,
    error: str | None = None,
    values: dict[str, str] | None = None,
    field: str | None = None,
) -> str:
    """The trace form; after a failed submit it keeps every value and names the field at fault."""
    values = values or {}
    token = (
        '<label>Token <input type="password" name="token" autocomplete="off" required></label>'
        if token_needed
        else ""
    )
    where = f" (field: {esc(field.replace('_', ' '))})" if error and field else ""
    problem = f'<p class="problem" role="alert">{esc(error)}{where}</p>' if error else ""
    stored = " checked" if values.get("store") else ""
    upload_bad = ' aria-invalid="true" class="bad"' if field == "file" else ""
    form = (
        '<section class="report"><p class="kicker">Workbench</p><h1>Trace an article</h1>'
        '<p class="meta">Paste its text, upload a file or give a URL: each sentence is traced '
        f"to the earlier articles in this store ({data['articles']:,} articles).</p>{problem}"
        '<form method="post" action="/trace" enctype="multipart/form-data" class="trace-form">'
        '<div class="tabs">'
        + _field("text", "Article text", values, field, placeholder="Paste the article here")
        + '</div><div class="row"><label>or upload a file<input type="file" name="file" '
        f'accept=".txt,.html,.htm,text/plain,text/html"{upload_bad}></label>'
        + _field(
            "fetch_url", "or a URL to fetch", values, field, type="url", placeholder="https://"
        )
        + '</div><div class="row">'
        + _field("title", "Title", values, field)
        + _field("outlet", "Outlet", values, field)
        + _field("published_at", "Published", values, field, placeholder="2024-03-01T09:00")
        + f"{token}</div>"
        '<div class="row"><label class="check"><input type="checkbox" name="store" value="1"'
        f"{stored}> also add it to the store</label>"
        '<button type="submit" id="trace-btn">Trace</button></div></form></section>'
    )
    recent = (
        '<section class="report"><h2>Latest stored articles</h2>'
        f"{articles_table(data['latest'])}</section>"
    )
    return layout("Trace an article", form + recent, json_url="/index.json", active="Trace")


def corpus_page(data: dict[str, Any]) -> str:
    over, search = data["overview"], data["search"]
    chart = timeline_svg(data["timeline"]["bins"], data["timeline"]["unit"])
    outlets = "".join(
        f'<tr><td><a href="{href("outlets", str(o["outlet"]))}">{esc(o["outlet"])}</a></td>'
        f'<td class="num">{o["articles"]:,}</td><td class="nw">{when(o["first"])}</td>'
        f'<td class="nw">{when(o["last"])}</td></tr>'
        for o in data["outlets"]
    )
    error = str(data.get("error") or "")
    wrong = error.partition(":")[0] if error else ""

    def mark(name: str) -> str:
        return ' aria-invalid="true" class="bad"' if name == wrong else ""

    form = (
        (f'<p class="problem" role="alert">{esc(error)}</p>' if error else "")
        + '<form method="get" action="/corpus" class="search">'
        f'<label>Words<input name="q" value="{esc(search.get("q"))}"></label>'
        f'<label>Outlet<input name="outlet" value="{esc(search.get("outlet"))}"></label>'
        f'<label>Since<input name="since" placeholder="YYYY-MM-DD" '
        f'value="{esc(search.get("since"))}"{mark("since")}></label>'
        f'<label>Until<input name="until" placeholder="YYYY-MM-DD" '
        f'value="{esc(search.get("until"))}"{mark("until")}></label>'
        '<button type="submit">Search</button></form>'
    )
    results = data.get("results")
    found = (
        f"<h2>Results</h2>{articles_table(results, snippet=True)}" if results is not None else ""
    )
    body = (
        '<section class="report"><p class="kicker">Corpus</p><h1>The corpus</h1>'
        f'<p class="meta"><span>{over["articles"]:,} articles</span>'
        f"<span>{over['outlets']:,} outlets</span>"
        f"<span>{when(over['first'])} to {when(over['last'])}</span></p>"
        f"<h2>Articles over time</h2>{chart}"
        f"<h2>Search</h2>{form}{found}</section>"
        '<section class="report"><h2>Outlets</h2><table><thead><tr><th>Outlet</th>'
        '<th class="num">Articles</th><th>First published</th><th>Last published</th></tr></thead>'
        f"<tbody>{outlets}</tbody></table></section>"
    )
    twin = href("corpus.json", query=search)
    return layout("Corpus", body, json_url=twin, active="Corpus")


def outlet_page(data: dict[str, Any]) -> str:
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
    table = "".join(f'<tr><th scope="row">{k}</th><td class="num">{v}</td></tr>' for k, v in rows)
    sources = "".join(
        f'<tr><td><a href="{href("outlets", str(s["outlet"]))}">{esc(s["outlet"])}</a></td>'
        f'<td class="num">{s["sentences"]}</td></tr>'
        for s in profile["top_sources"]
    )
    changes = "".join(
        f'<li><span class="fact">{esc(c.get("from"))} → {esc(c.get("to"))}</span> '
        f"({esc(c.get('kind'))}, from {esc(c.get('source_outlet'))}, "
        f'<a href="{href("articles", str(c["article_id"]))}">article</a>)</li>'
        for c in profile["factual_change_examples"]
    )
    body = (
        f'<section class="report"><p class="kicker">Outlet</p><h1>{esc(name)}</h1>'
        f'<p class="meta">{esc(profile["method"])}</p><div class="grid">'
        f"<div><h2>Profile</h2><table><tbody>{table}</tbody></table>"
        "<h2>Sources it copies most</h2><table><thead><tr><th>Outlet</th>"
        f'<th class="num">Sentences</th></tr></thead><tbody>{sources}</tbody></table></div>'
        f"<div><h2>Who it copies from</h2>{sources_graph_svg(name, profile['top_sources'])}"
        "</div></div>"
        + (
            f'<h2>Factual changes when copying</h2><ul class="changes">{changes}</ul>'
            if changes
            else ""
        )
        + f"<h2>Latest articles</h2>{articles_table(data['latest'])}</section>"
    )
    return layout(name, body, json_url=href("outlets", name + ".json"), active="Corpus")


def _known_as(q: dict[str, Any]) -> str:
    """The name the speaker resolves to, when it is not what is written ('she' = X)."""
    name = q.get("speaker_canonical")
    if not name or name == q.get("speaker"):
        return ""
    return f'<div class="snip">= {esc(name)}</div>'


def quotes_page(data: dict[str, Any]) -> str:
    search = data["search"]
    rows = "".join(
        f"<tr><td>{esc(q.get('speaker'), '—')}{_known_as(q)}"
        f'<div class="snip">{esc(q.get("role"))}</div></td>'
        f"<td>{esc(q.get('cue'))}</td><td>{esc(q.get('channel'), '—')}</td>"
        f'<td class="quote">{esc(q.get("content"))}</td>'
        f'<td><a href="{href("articles", str(q["article_id"]))}">{esc(q.get("outlet"), "article")}'
        f'</a><div class="snip">{when(q.get("published_at"))}</div></td></tr>'
        for q in data["quotes"]
    )
    cover = data["coverage"]
    missing = cover["articles_stored"] - cover["articles_with_quotes_extracted"]
    token = data.get("token_needed")
    build = (
        '<form method="post" action="/quotes/index" class="search">'
        + (
            '<label>Token<input type="password" name="token" autocomplete="off" required></label>'
            if token
            else ""
        )
        + f'<button type="submit" id="index-quotes">Extract the quotes of {missing:,} '
        f"article{'s' if missing != 1 else ''}</button></form>"
        if missing > 0 and data.get("writable", True)
        else ""
    )
    body = (
        '<section class="report"><p class="kicker">Quotes</p><h1>Who said what, to whom</h1>'
        f'<p class="meta">Quotes extracted from {cover["articles_with_quotes_extracted"]:,} of '
        f"{cover['articles_stored']:,} stored articles.</p>{build}"
        '<form method="get" action="/quotes" class="search">'
        f'<label>Speaker<input name="speaker" value="{esc(search.get("speaker"))}"></label>'
        f'<label>Channel<input name="channel" value="{esc(search.get("channel"))}"></label>'
        '<button type="submit">Search</button></form>'
        + (
            "<table><thead><tr><th>Speaker</th><th>Cue</th><th>Channel</th><th>Quote</th>"
            f"<th>Article</th></tr></thead><tbody>{rows}</tbody></table>"
            if rows
            else '<p class="note">No quotes found.</p>'
        )
        + "</section>"
    )
    return layout("Quotes", body, json_url=href("quotes.json", query=search), active="Quotes")


def standalone_link(article_id: str) -> str:
    return f'<a href="{href("api", "articles", article_id, "trace.html")}">standalone report</a>'
