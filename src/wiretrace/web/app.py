"""The FastAPI application: settings, the security middleware, one error envelope, the routes."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from importlib.resources import files
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from wiretrace import __version__
from wiretrace.errors import WiretraceError
from wiretrace.web import api_docs, claims_page, incident_pages, routes_api, routes_pages
from wiretrace.web.errors import ApiError, envelope, from_wiretrace, wants_json
from wiretrace.web.guards import PAGE_CSP, UNSAFE_METHODS, BodyLimit, host_ok, same_origin
from wiretrace.web.pages import error_page
from wiretrace.web.service import DEFAULT_MAX_BODY, WebConfig, Workbench


def create_app(
    db: str | Path,
    token: str | None = None,
    max_body: int = DEFAULT_MAX_BODY,
    *,
    host: str = "127.0.0.1",
    allow_private: bool = False,
    read_only: bool = False,
    readers: int = 2,
    allowed_hosts: list[str] | None = None,
) -> FastAPI:
    """The wiretrace HTTP API and web workbench over the store at `db`."""
    config = WebConfig(
        db=Path(db),
        host=host,
        token=token or None,
        max_body=max_body,
        allow_private=allow_private,
        read_only=read_only,
        readers=readers,
        allowed_hosts=list(allowed_hosts or []),
    )
    bench = Workbench(config)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        bench.close()

    app = FastAPI(
        title="wiretrace",
        version=__version__,
        description="Where every sentence of a news article came from, over one store. "
        'Every error answers `{"error": {"code", "message", "detail"}}`.',
        lifespan=lifespan,
        docs_url=None,  # served offline by wiretrace.web.api_docs
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.bench = bench
    _install_handlers(app)

    @app.middleware("http")
    async def guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Any:
        if not host_ok(request, config):
            return envelope(421, "bad_host", "this server answers loopback host names only")
        if request.method in UNSAFE_METHODS and not same_origin(request):
            return envelope(403, "cross_origin", "cross-site writes are refused")
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", PAGE_CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        return response

    app.add_middleware(BodyLimit, limit=max_body)
    static = Path(str(files("wiretrace.web") / "static"))
    app.mount("/static", StaticFiles(directory=static), name="static")
    api_docs.mount(app)
    app.include_router(claims_page.router)  # before routes_pages' /articles/{key}

    app.include_router(routes_api.router)
    app.include_router(routes_pages.router)
    app.include_router(incident_pages.router)
    return app


def _install_handlers(app: FastAPI) -> None:
    async def api_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        if wants_json(request):
            return envelope(exc.status, exc.code, exc.message, exc.detail)
        return HTMLResponse(error_page(exc.status, exc.code, exc.message), exc.status)

    async def wiretrace_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, WiretraceError)
        return await api_error(request, from_wiretrace(exc))

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        codes = {404: "not_found", 405: "method_not_allowed", 413: "payload_too_large"}
        code = codes.get(exc.status_code, f"http_{exc.status_code}")
        message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
        return await api_error(request, ApiError(exc.status_code, code, message))

    async def validation_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        detail = json.loads(json.dumps(exc.errors(), default=str))
        for item in detail:
            item.pop("input", None)  # never echo untrusted input back
            item.pop("ctx", None)
        return await api_error(
            request, ApiError(422, "validation_error", "the request is not valid", detail)
        )

    app.add_exception_handler(ApiError, api_error)
    app.add_exception_handler(WiretraceError, wiretrace_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
