"""The claims page of any article (/articles/{id}/claims, JSON twin at .../claims.json): quotes,
figures with the main incident's casualty summary, loaded spans and stitching artifacts.

Every value from the article goes through `esc`; numbers are shown as people write them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from wiretrace.render.claims_text import casualty_line, number
from wiretrace.render.html import esc
from wiretrace.render.markdown import as_list, as_map, text_of
from wiretrace.web.app import check_write
from wiretrace.web.pages import href, layout
from wiretrace.web.service import Workbench

router = APIRouter(include_in_schema=False)


def _bench(request: Request) -> Workbench:
    bench: Workbench = request.app.state.bench
    return bench


def _words(value: object) -> str:
    return esc(text_of(value).replace("_", " "))


def _quotes(quotes: list[Any]) -> str:
    if not quotes:
        return '<p class="note">No quotes or reported speech found.</p>'
    rows = []
    for quote in (as_map(q) for q in quotes):
        channel = esc(quote.get("channel"), "—")
        rows.append(
            f'<tr><td class="num">{esc(quote.get("sentence_index"))}</td>'
            f"<td>{esc(quote.get('speaker'), 'unknown')}"
            f'<div class="snip">{esc(quote.get("role"))}</div></td>'
            f"<td>{esc(quote.get('cue'))}</td><td>{channel}</td>"
            f'<td class="quote">{esc(quote.get("content"))}</td>'
            f"<td>{'direct' if quote.get('direct') else 'reported'}</td></tr>"
        )
    return (
        '<div class="scroll"><table><thead><tr><th class="num">#</th><th>Speaker</th><th>Cue</th>'
        "<th>To</th><th>What</th><th>Kind</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def _amount(figure: Mapping[str, Any]) -> str:
    low, high = figure.get("low"), figure.get("high")
    if low is not None and high is not None and low != high:
        return f"{number(low)}–{number(high)}"
    value = figure.get("value")
    return number(value if value is not None else low) if (value, low) != (None, None) else "some"


def _figures(figures: list[Any]) -> str:
    if not figures:
        return '<p class="note">No figures found.</p>'
    rows = []
    for figure in (as_map(f) for f in figures):
        what = figure.get("group") or figure.get("unit")
        rows.append(
            f'<tr><td class="num">{esc(figure.get("sentence_index"))}</td>'
            f"<td>{_words(figure.get('kind'))}</td>"
            f'<td class="num">{esc(_amount(figure))}</td><td>{_words(what)}</td>'
            f"<td>{esc(figure.get('place'), '—')}</td><td>{esc(figure.get('date'), '—')}</td>"
            f"<td>{esc(figure.get('attributed_to'), '—')}</td></tr>"
        )
    return (
        '<div class="scroll"><table><thead><tr><th class="num">#</th><th>Kind</th>'
        '<th class="num">Number</th><th>Of</th><th>Place</th><th>Date</th><th>Per</th></tr>'
        f"</thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def _sentences(report: Mapping[str, Any], texts: list[str]) -> str:
    """Sentences with loaded spans or artifacts, the spans marked in the sentence's text."""
    rows = []
    for sentence in (as_map(s) for s in as_list(report.get("sentences"))):
        index = sentence.get("index")
        loaded = [as_map(s) for s in as_list(sentence.get("loaded"))]
        artifacts = as_list(sentence.get("artifacts"))
        if not loaded and not artifacts:
            continue
        text = texts[index] if isinstance(index, int) and 0 <= index < len(texts) else ""
        marks = "".join(
            f'<span class="flag f-loaded" title="{_words(span.get("technique"))}">'
            f"{_words(span.get('technique'))}: “{esc(span.get('text'))}”</span>"
            for span in loaded
        )
        marks += "".join(f'<span class="flag">{_words(a)}</span>' for a in artifacts)
        rows.append(
            f'<tr><td class="num">{esc(index)}</td><td class="sent-text">{esc(text)}</td>'
            f"<td>{marks}</td></tr>"
        )
    if not rows:
        return '<p class="note">No loaded language or stitching artifacts found.</p>'
    return (
        '<div class="scroll"><table class="flags"><thead><tr><th class="num">#</th>'
        f"<th>Sentence</th><th>Found</th></tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def claims_page(data: Mapping[str, Any]) -> str:
    report = as_map(data.get("claims"))
    article = as_map(report.get("article"))
    article_id = text_of(article.get("id"))
    title_notes = ", ".join(_words(a) for a in as_list(report.get("title_artifacts")))
    entities = as_list(report.get("entities"))
    body = (
        '<section class="report"><p class="kicker">Claims</p>'
        f"<h1>{esc(article.get('title'), 'Untitled article')}</h1>"
        f'<p class="meta"><span>{esc(article.get("outlet"), "unknown outlet")}</span>'
        f"<span>{esc(article.get('published_at'), 'undated')}</span>"
        f'<span><a href="{href("articles", article_id)}">trace of this article</a></span></p>'
        + (f'<p class="note">Title: {title_notes}</p>' if title_notes else "")
        + f"<h2>Quotes ({len(as_list(report.get('quotes')))})</h2>"
        + _quotes(as_list(report.get("quotes")))
        + f"<h2>Figures ({len(as_list(report.get('figures')))})</h2>"
        + f'<p class="meta">Casualties in the main incident: '
        f"{esc(casualty_line(report.get('casualties')))}</p>"
        + _figures(as_list(report.get("figures")))
        + "<h2>Loaded language and stitching artifacts</h2>"
        + _sentences(report, [text_of(t) for t in as_list(data.get("sentences"))])
        + f'<p class="note">{len(entities)} entities; all fields in the '
        f'<a href="{href("articles", article_id, "claims.json")}">JSON twin</a>.</p></section>'
    )
    return layout(
        f"Claims: {text_of(article.get('title'), 'article')}",
        body,
        json_url=href("articles", article_id, "claims.json"),
    )


@router.get("/articles/{key}/claims")
@router.get("/articles/{key}/claims.json")
def claims_view(key: str, request: Request) -> Response:
    bench = _bench(request)
    article = bench.article(key)
    report = bench.claims(article)
    if request.url.path.endswith(".json"):
        return JSONResponse(report)
    data = {"claims": report, "sentences": [s.text for s in article.sentences]}
    return HTMLResponse(claims_page(data))


@router.post("/quotes/index")
async def build_quote_index(request: Request) -> Response:
    """The quotes page's button: extract the quotes of stored articles not processed yet."""
    form = await request.form(max_files=0, max_fields=5)
    token = form.get("token")
    check_write(request, token if isinstance(token, str) else None)
    bench = _bench(request)
    await run_in_threadpool(lambda: bench.index_quotes(20_000))
    return RedirectResponse("/quotes", status_code=303)
