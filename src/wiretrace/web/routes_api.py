"""The JSON API under /api: add, get, trace, claims, search, outlets, quotes, health, version."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, TypeVar

import anyio
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from wiretrace import __version__
from wiretrace.doc.article import Article
from wiretrace.errors import InputError
from wiretrace.render.html import SCRIPT_HASH, render_html
from wiretrace.web import corpus, quotes
from wiretrace.web.errors import ApiError
from wiretrace.web.guards import check_write
from wiretrace.web.inputs import MAX_BATCH, ArticleIn, batch_items, from_record, validate_record
from wiretrace.web.service import Workbench


class ErrorBody(BaseModel):
    code: str
    message: str
    detail: Any = None


class ErrorEnvelope(BaseModel):
    """Every error: `{"error": {"code", "message", "detail"}}`."""

    error: ErrorBody


ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorEnvelope} for status in (401, 403, 404, 413, 422, 502)
}
router = APIRouter(prefix="/api", responses=ERRORS)
Limit = Annotated[int, Query(ge=1, le=500)]
T = TypeVar("T")


def bench_of(request: Request) -> Workbench:
    bench: Workbench = request.app.state.bench
    return bench


def writer(request: Request) -> None:
    """Dependency: a write needs the token unless the server and client are loopback only."""
    check_write(request)


Bench = Annotated[Workbench, Depends(bench_of)]


async def until_disconnected(request: Request, work: Callable[[Callable[[], bool]], T]) -> T:
    """Run `work(cancelled)` in a worker thread while watching the connection: when the client
    goes away, `cancelled()` turns True and the tracer stops at its next check instead of
    finishing a report nobody will read."""
    gone = threading.Event()

    async def watch() -> None:
        # Waits on the connection itself: polling `is_disconnected` sees nothing through the
        # app's `http` middleware, which relays messages from a task of its own.
        while True:
            message = await request.receive()
            if message["type"] == "http.disconnect":
                gone.set()
                return

    failed: Exception | None = None
    async with anyio.create_task_group() as tasks:
        tasks.start_soon(watch)
        try:
            result = await anyio.to_thread.run_sync(work, gone.is_set)
        except Exception as exc:  # re-raised below, outside the group (not as a group)
            failed = exc
        finally:
            tasks.cancel_scope.cancel()
    if failed is not None:
        raise failed
    return result


def summary_of(article: Article, status: str) -> dict[str, Any]:
    return {**article.to_dict(text=False), "status": status}


def _record(bench: Workbench, record: ArticleIn, source: str) -> Article:
    config = bench.config
    return from_record(
        record,
        source=source,
        allow_private=config.allow_private,
        timeout=config.fetch_timeout,
        max_bytes=config.max_body,
    )


def _store(bench: Workbench, articles: list[Article]) -> dict[str, Any]:
    added, already = bench.add(articles)
    fresh = set(added)
    return {
        "added": len(added),
        "already_stored": already,
        "articles": [
            summary_of(a, "added" if a.id in fresh else "already_stored") for a in articles
        ],
    }


@router.get("/health", tags=["service"])
def health(bench: Bench) -> dict[str, Any]:
    """Whether the store answers, with its article count."""
    return {"status": "ok", "articles": bench.count(), "read_only": bench.config.read_only}


@router.get("/version", tags=["service"])
def version() -> dict[str, Any]:
    """The wiretrace version and the JSON schemas it speaks."""
    return {
        "wiretrace": __version__,
        "schemas": ["wiretrace.trace/2", "wiretrace.claims/1", "wiretrace.web/1"],
    }


@router.post("/articles", status_code=201, tags=["articles"], dependencies=[Depends(writer)])
def add_article(record: ArticleIn, bench: Bench) -> dict[str, Any]:
    """Store one article: text, HTML, or a URL to fetch (public addresses only by default)."""
    return _store(bench, [_record(bench, record, "request")])


_BATCH_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["articles"],
                    "additionalProperties": False,
                    "properties": {
                        "articles": {
                            "type": "array",
                            "minItems": 1,
                            "maxItems": MAX_BATCH,
                            "items": {"$ref": "#/components/schemas/ArticleIn"},
                        }
                    },
                }
            }
        },
    }
}


@router.post(
    "/articles/batch",
    status_code=201,
    tags=["articles"],
    dependencies=[Depends(writer)],
    openapi_extra=_BATCH_BODY,
)
async def add_batch(request: Request, bench: Bench) -> dict[str, Any]:
    """Store several articles in one transaction; each record is checked on its own, and one
    that is unusable (wrong types, nested too deep, a number too long) is reported by index."""
    items = batch_items((await request.body()).decode("utf-8", errors="replace"))

    def work() -> dict[str, Any]:
        articles, errors = [], []
        for number, item in enumerate(items):
            try:
                if isinstance(item, ValueError):
                    raise InputError(f"not a valid JSON value: {item}")
                record = validate_record(item)
                articles.append(_record(bench, record, f"articles[{number}]"))
            except InputError as exc:
                errors.append({"index": number, "code": exc.code, "message": exc.reason})
        if not articles:
            raise ApiError(422, "unusable_input", "no usable article in the batch", errors)
        return {**_store(bench, articles), "errors": errors}

    return await run_in_threadpool(work)


@router.post(
    "/articles/raw",
    status_code=201,
    tags=["articles"],
    dependencies=[Depends(writer)],
    openapi_extra={
        "requestBody": {
            "content": {"text/plain": {"schema": {"type": "string"}}, "text/html": {}},
            "required": True,
        }
    },
)
async def add_raw(
    request: Request,
    bench: Bench,
    title: str | None = None,
    url: str | None = None,
    outlet: str | None = None,
    published_at: str | None = None,
) -> dict[str, Any]:
    """Store one article sent as the raw body: text/plain, or text/html to extract."""
    body = (await request.body()).decode("utf-8", errors="replace")
    html = request.headers.get("content-type", "").startswith(("text/html", "application/xhtml"))
    record = ArticleIn(
        text=None if html else body,
        html=body if html else None,
        url=url,
        title=title,
        outlet=outlet,
        published_at=published_at,
    )
    if not body.strip():
        raise ApiError(422, "unusable_input", "the request body is empty")
    return await run_in_threadpool(lambda: _store(bench, [_record(bench, record, "request")]))


@router.get("/articles", tags=["articles"])
def search_articles(
    bench: Bench,
    q: Annotated[str | None, Query(max_length=200, description="words, all required")] = None,
    outlet: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: Limit = 50,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> dict[str, Any]:
    """Search stored articles by words (title or text), outlet and publication range."""
    rows = corpus.search_articles(
        bench, q=q, outlet=outlet, since=since, until=until, limit=limit, offset=offset
    )
    return {"articles": rows, "limit": limit, "offset": offset}


@router.get("/articles/{article_id}", tags=["articles"])
def get_article(article_id: str, bench: Bench) -> dict[str, Any]:
    """A stored article by id (or url), with its text and sentence offsets."""
    article = bench.article(article_id)
    return {**article.to_dict(), "sentences": [list(span) for span in article.spans]}


@router.get(
    "/articles/{article_id}/trace",
    tags=["trace"],
    response_class=Response,
    responses={200: {"content": {"application/json": {}}}},
)
async def trace_article(article_id: str, bench: Bench, request: Request) -> Response:
    """The `wiretrace.trace/2` report of a stored article (docs/trace-json.md)."""
    body = await until_disconnected(
        request, lambda cancelled: bench.trace_json(article_id, cancelled)
    )
    return Response(body, media_type="application/json")


@router.get("/articles/{article_id}/trace.html", tags=["trace"], response_class=HTMLResponse)
async def trace_article_html(article_id: str, bench: Bench, request: Request) -> HTMLResponse:
    """The standalone HTML trace report, as `wiretrace trace --format html` writes it."""
    generation = bench.generation
    report = await until_disconnected(
        request, lambda cancelled: bench.trace(bench.article(article_id), cancelled)
    )
    page = bench.page(("report", article_id), generation, lambda: render_html(report))
    csp = (
        "default-src 'none'; style-src 'unsafe-inline'; "
        f"script-src 'sha256-{SCRIPT_HASH}'; img-src data:"
    )
    return HTMLResponse(page, headers={"Content-Security-Policy": csp})


@router.get("/articles/{article_id}/claims", tags=["claims"])
def claims_of(article_id: str, bench: Bench) -> dict[str, Any]:
    """The `wiretrace.claims/1` report of a stored article (docs/claims-json.md)."""
    return bench.claims(bench.article(article_id))


@router.post("/trace", tags=["trace"], dependencies=[Depends(writer)])
async def trace_unstored(record: ArticleIn, bench: Bench, request: Request) -> dict[str, Any]:
    """Trace an article that is not stored (text, HTML or a URL) against the store."""
    article = await run_in_threadpool(_record, bench, record, "request")
    bench.remember(article)
    report: dict[str, Any] = await until_disconnected(
        request, lambda cancelled: bench.trace(article, cancelled)
    )
    return report


@router.get("/quotes", tags=["claims"])
def search_quotes(
    bench: Bench,
    speaker: Annotated[str | None, Query(max_length=200)] = None,
    channel: Annotated[str | None, Query(max_length=200)] = None,
    limit: Limit = 50,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> dict[str, Any]:
    """Quotes by speaker and channel ("told Northwire"), from articles whose quotes are stored."""
    with bench.reader() as reader:
        found = quotes.search(
            reader.store.db, speaker=speaker, channel=channel, limit=limit, offset=offset
        )
        cover = quotes.coverage(reader.store.db)
    return {"quotes": found, "coverage": cover, "limit": limit, "offset": offset}


@router.post("/quotes/index", tags=["claims"], dependencies=[Depends(writer)])
def index_quotes(
    bench: Bench, limit: Annotated[int, Query(ge=1, le=20_000)] = 1000
) -> dict[str, Any]:
    """Extract and store the quotes of up to `limit` stored articles not processed yet."""
    return bench.index_quotes(limit)


@router.get("/outlets", tags=["outlets"])
def list_outlets(bench: Bench, limit: Annotated[int, Query(ge=1, le=5000)] = 200) -> dict[str, Any]:
    """Outlets by number of stored articles."""
    return {"outlets": corpus.outlets(bench, limit=limit)}


@router.get("/outlets/{outlet}", tags=["outlets"])
def outlet_profile(outlet: str, bench: Bench) -> dict[str, Any]:
    """An outlet's profile: articles, share copied, top sources, median delay, factual changes."""
    return corpus.outlet_profile(bench, outlet)
