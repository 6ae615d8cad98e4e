"""The workbench pages; each has a JSON twin at the same URL plus `.json`."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from wiretrace.doc.article import Article
from wiretrace.errors import FetchError, InputError, WiretraceError
from wiretrace.render.report_style import REPORT_CSS
from wiretrace.web import corpus, quotes
from wiretrace.web.errors import ApiError, from_wiretrace
from wiretrace.web.guards import check_write, is_loopback
from wiretrace.web.inputs import ArticleIn, from_record, from_upload
from wiretrace.web.pages import FORM_FIELDS, corpus_page, home_page, outlet_page, quotes_page
from wiretrace.web.service import Workbench
from wiretrace.web.trace_page import trace_page

router = APIRouter(include_in_schema=False)
Text = Annotated[str | None, Query(max_length=200)]


def _bench(request: Request) -> Workbench:
    bench: Workbench = request.app.state.bench
    return bench


def _page(request: Request, key: str, data: dict[str, Any], render: Any) -> Response:
    """The HTML page, or its JSON twin when the path ends in `.json`."""
    if key.endswith(".json") or request.url.path.endswith(".json"):
        return JSONResponse(data)
    return HTMLResponse(render(data))


def _token_needed(request: Request) -> bool:
    config = _bench(request).config
    client = request.client.host if request.client else None
    return config.token is not None or not (is_loopback(config.host) and is_loopback(client))


@router.get("/assets/report.css")
def report_css() -> Response:
    return Response(REPORT_CSS, media_type="text/css")


def _home_data(bench: Workbench) -> dict[str, Any]:
    return {"articles": bench.count(), "latest": corpus.search_articles(bench, limit=15)}


@router.get("/")
@router.get("/index")
@router.get("/index.json")
def home(request: Request) -> Response:
    data = _home_data(_bench(request))
    needed = _token_needed(request)
    return _page(request, "", data, lambda d: home_page(d, token_needed=needed))


def _form_text(form: Any, name: str) -> str | None:
    value = form.get(name)
    return value.strip() or None if isinstance(value, str) else None


@router.post("/trace")
async def trace_form(request: Request) -> Response:
    """The workbench form: trace pasted text, an uploaded file or a URL, then show it."""
    bench = _bench(request)
    form = await request.form(max_files=1, max_fields=20, max_part_size=bench.config.max_body)
    check_write(request, _form_text(form, "token"))
    upload = form.get("file")
    data = await upload.read() if isinstance(upload, UploadFile) and upload.filename else b""

    def work() -> Article:
        record = ArticleIn(
            text=_form_text(form, "text"),
            html=None,
            url=_form_text(form, "fetch_url"),
            title=_form_text(form, "title"),
            outlet=_form_text(form, "outlet"),
            published_at=_form_text(form, "published_at"),
        )
        if data and isinstance(upload, UploadFile):
            article = from_upload(
                data,
                filename=upload.filename or "upload",
                content_type=upload.content_type,
                title=record.title,
            )
        else:
            config = bench.config
            article = from_record(
                record,
                source="form",
                allow_private=config.allow_private,
                timeout=config.fetch_timeout,
                max_bytes=config.max_body,
            )
        if form.get("store"):
            bench.add([article])
        else:
            bench.remember(article)
        return article

    try:
        article = await run_in_threadpool(work)
    except WiretraceError as exc:
        error = from_wiretrace(exc)
        values = {name: str(form.get(name) or "") for name in (*FORM_FIELDS, "store")}
        page = home_page(
            _home_data(bench),
            token_needed=_token_needed(request),
            error=str(exc),
            values=values,
            field=_field_at_fault(exc, bool(data)),
        )
        return HTMLResponse(page, status_code=error.status)
    return RedirectResponse(f"/articles/{article.id}", status_code=303)


def _field_at_fault(exc: WiretraceError, uploaded: bool) -> str | None:
    """Which form field an error is about: the one it names, else where the article came from."""
    named = getattr(exc, "field", None)
    if named:
        return str(named)
    if isinstance(exc, FetchError):
        return "fetch_url"
    if isinstance(exc, InputError):
        return "file" if uploaded else "text"
    return None


@router.get("/articles/{key}")
def article_page(key: str, request: Request) -> Response:
    bench = _bench(request)
    generation = bench.generation
    article = bench.article(key.removesuffix(".json"))
    report = bench.trace(article)
    if key.endswith(".json"):
        return JSONResponse(report)
    stored = bench.adhoc.get(article.id) is None
    page = bench.page(
        ("trace", article.id, stored), generation, lambda: trace_page(report, stored=stored)
    )
    return HTMLResponse(page)


def _day(value: str | None, name: str) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise ApiError(422, "validation_error", f"{name}: not a date (YYYY-MM-DD)") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@router.get("/corpus")
@router.get("/corpus.json")
def corpus_view(
    request: Request,
    q: Text = None,
    outlet: Text = None,
    since: Text = None,
    until: Text = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> Response:
    bench = _bench(request)
    search = {"q": q, "outlet": outlet, "since": since, "until": until}
    results = None
    problem: ApiError | None = None
    if any(search.values()):
        try:
            bounds = (_day(since, "since"), _day(until, "until"))
        except ApiError as exc:  # the page keeps the search and names the bad date
            problem = exc
        else:
            results = corpus.search_articles(
                bench, q=q, outlet=outlet, since=bounds[0], until=bounds[1], limit=limit
            )
    if problem is not None and request.url.path.endswith(".json"):
        raise problem
    data = {
        "overview": corpus.overview(bench),
        "timeline": corpus.timeline(bench),
        "outlets": corpus.outlets(bench, limit=50),
        "search": search,
        "results": results,
    }
    if problem is not None:
        page = corpus_page({**data, "error": problem.message})
        return HTMLResponse(page, status_code=problem.status)
    return _page(request, "", data, corpus_page)


@router.get("/outlets/{name:path}")
def outlet_view(name: str, request: Request) -> Response:
    bench = _bench(request)
    outlet = name.removesuffix(".json")
    profile = corpus.outlet_profile(bench, outlet)
    data = {"profile": profile, "latest": corpus.search_articles(bench, outlet=outlet, limit=20)}
    return _page(request, name, data, outlet_page)


@router.get("/quotes")
@router.get("/quotes.json")
def quotes_view(request: Request, speaker: Text = None, channel: Text = None) -> Response:
    bench = _bench(request)
    with bench.reader() as reader:
        found = quotes.search(reader.store.db, speaker=speaker, channel=channel, limit=100)
        cover = quotes.coverage(reader.store.db)
    data = {"search": {"speaker": speaker, "channel": channel}, "quotes": found, "coverage": cover}
    writable = not bench.config.read_only
    return _page(
        request,
        "",
        data,
        lambda d: quotes_page({**d, "token_needed": _token_needed(request), "writable": writable}),
    )
