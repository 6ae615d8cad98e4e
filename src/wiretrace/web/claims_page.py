"""The claims page of any article (/articles/{id}/claims, JSON twin at .../claims.json): quotes,
figures with the main incident's casualty summary, loaded spans and stitching artifacts.

The page is templates/claims.html.j2 (autoescaped); numbers are shown as people write them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from wiretrace.render.claims_text import casualty_line, number
from wiretrace.render.markdown import as_list, as_map, text_of
from wiretrace.web.guards import check_write
from wiretrace.web.service import Workbench
from wiretrace.web.templating import href, page, words

router = APIRouter(include_in_schema=False)


def _bench(request: Request) -> Workbench:
    bench: Workbench = request.app.state.bench
    return bench


def amount(figure: Mapping[str, Any]) -> str:
    """A figure's number as written: a range "low–high", the value, or "some"."""
    low, high = figure.get("low"), figure.get("high")
    if low is not None and high is not None and low != high:
        return f"{number(low)}–{number(high)}"
    value = figure.get("value")
    return number(value if value is not None else low) if (value, low) != (None, None) else "some"


@dataclass(frozen=True, slots=True)
class ClaimQuote:
    """A quote or reported speech, each field as the report writes it ("" when missing)."""

    sentence_index: str
    speaker: str
    role: str
    cue: str
    channel: str
    content: str
    direct: bool

    @classmethod
    def of(cls, quote: Mapping[str, Any]) -> ClaimQuote:
        return cls(
            sentence_index=text_of(quote.get("sentence_index")),
            speaker=text_of(quote.get("speaker")),
            role=text_of(quote.get("role")),
            cue=text_of(quote.get("cue")),
            channel=text_of(quote.get("channel")),
            content=text_of(quote.get("content")),
            direct=bool(quote.get("direct")),
        )


@dataclass(frozen=True, slots=True)
class ClaimFigure:
    """A figure: its kind, its number as written, what it counts, where, when, said by whom."""

    sentence_index: str
    kind: str
    amount: str
    of: str
    place: str
    date: str
    attributed_to: str

    @classmethod
    def of_figure(cls, figure: Mapping[str, Any]) -> ClaimFigure:
        return cls(
            sentence_index=text_of(figure.get("sentence_index")),
            kind=text_of(figure.get("kind")),
            amount=amount(figure),
            of=text_of(figure.get("group") or figure.get("unit")),
            place=text_of(figure.get("place")),
            date=text_of(figure.get("date")),
            attributed_to=text_of(figure.get("attributed_to")),
        )


@dataclass(frozen=True, slots=True)
class LoadedSpan:
    """Loaded language in a sentence: the technique and the words."""

    technique: str
    text: str


@dataclass(frozen=True, slots=True)
class FoundRow:
    """A sentence with loaded spans or stitching artifacts."""

    index: str
    text: str
    loaded: tuple[LoadedSpan, ...]
    artifacts: tuple[str, ...]


def found_rows(report: Mapping[str, Any], texts: list[str]) -> list[FoundRow]:
    rows = []
    for sentence in (as_map(s) for s in as_list(report.get("sentences"))):
        index = sentence.get("index")
        loaded = tuple(
            LoadedSpan(text_of(span.get("technique")), text_of(span.get("text")))
            for span in (as_map(s) for s in as_list(sentence.get("loaded")))
        )
        artifacts = tuple(text_of(a) for a in as_list(sentence.get("artifacts")))
        if loaded or artifacts:
            text = texts[index] if isinstance(index, int) and 0 <= index < len(texts) else ""
            rows.append(FoundRow(text_of(index), text, loaded, artifacts))
    return rows


@dataclass(frozen=True, slots=True)
class ClaimsView:
    """The claims page of one article, read defensively from its claims report."""

    article_id: str
    title: str
    outlet: str
    published_at: str
    title_notes: str
    quotes: tuple[ClaimQuote, ...]
    figures: tuple[ClaimFigure, ...]
    casualties: str
    found: tuple[FoundRow, ...]
    entities: int

    @classmethod
    def of(cls, data: Mapping[str, Any]) -> ClaimsView:
        report = as_map(data.get("claims"))
        article = as_map(report.get("article"))
        return cls(
            article_id=text_of(article.get("id")),
            title=text_of(article.get("title")),
            outlet=text_of(article.get("outlet")),
            published_at=text_of(article.get("published_at")),
            title_notes=", ".join(words(a) for a in as_list(report.get("title_artifacts"))),
            quotes=tuple(ClaimQuote.of(as_map(q)) for q in as_list(report.get("quotes"))),
            figures=tuple(ClaimFigure.of_figure(as_map(f)) for f in as_list(report.get("figures"))),
            casualties=casualty_line(report.get("casualties")),
            found=tuple(found_rows(report, [text_of(t) for t in as_list(data.get("sentences"))])),
            entities=len(as_list(report.get("entities"))),
        )


def claims_page(data: Mapping[str, Any]) -> str:
    view = ClaimsView.of(data)
    return page(
        "claims.html.j2",
        title=f"Claims: {view.title or 'article'}",
        json_url=href("articles", view.article_id, "claims.json"),
        active="",
        view=view,
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
