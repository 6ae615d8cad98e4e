"""The FastAPI application: settings, security checks, one error envelope, and the routes."""

from __future__ import annotations

import hmac
import ipaddress
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from importlib.resources import files
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from wiretrace import __version__
from wiretrace.errors import (
    BlockedAddress,
    FetchError,
    InputError,
    InputNotFound,
    MissingExtra,
    MissingPart,
    ReadOnlyStore,
    StoreError,
    WiretraceError,
)
from wiretrace.web.service import WebConfig, Workbench

DEFAULT_MAX_BODY = 10_000_000
_LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1", "[::1]"}
_UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
# Pages load their script and styles from /static only; inline style attributes carry colours.
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' "
    "data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)


class ApiError(Exception):
    """An error answered with the envelope: HTTP status, code, message and detail."""

    def __init__(self, status: int, code: str, message: str, detail: Any = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.detail = status, code, message, detail


def is_loopback(host: str | None) -> bool:
    """Whether a host name or address is this machine only."""
    if not host:
        return False
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def wants_json(request: Request) -> bool:
    """API paths and `.json` twins answer errors as JSON; pages answer them as HTML."""
    path = request.url.path
    if path.startswith(("/api/", "/static/")) or path.endswith(".json") or path == "/openapi":
        return True
    accept = request.headers.get("accept", "")
    return "text/html" not in accept


def envelope(status: int, code: str, message: str, detail: Any = None) -> JSONResponse:
    body = {"error": {"code": code, "message": message, "detail": detail}}
    return JSONResponse(body, status_code=status)


_STATUS_OF: list[tuple[type[WiretraceError], int, str]] = [
    (InputNotFound, 404, "not_found"),
    (BlockedAddress, 403, "blocked_address"),
    (MissingPart, 501, "missing_extra"),
    (FetchError, 502, "fetch_failed"),
    (InputError, 422, "unusable_input"),
    (ReadOnlyStore, 403, "read_only"),
    (StoreError, 503, "store_unavailable"),
    (MissingExtra, 501, "missing_extra"),
]


def from_wiretrace(exc: WiretraceError) -> ApiError:
    """A wiretrace error as an API error (status by kind, the W-code in the detail)."""
    status, code = 500, "error"
    for kind, kind_status, kind_code in _STATUS_OF:
        if isinstance(exc, kind):
            status, code = kind_status, kind_code
            break
    detail: dict[str, Any] = {"wiretrace_code": exc.code}
    if isinstance(exc, InputError):
        detail.update(source=exc.source, record=exc.record)
    return ApiError(status, code, exc.message, detail)


class BodyLimit:
    """Refuse request bodies over the limit (413), whether declared or streamed."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        message = f"request body larger than {self.limit} bytes"
        response = envelope(413, "payload_too_large", message, {"limit": self.limit})
        await response(scope, receive, send)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit():
            if int(declared) > self.limit:
                await self._refuse(scope, receive, send)
                return
            await self.app(scope, receive, send)  # the server stops at the declared length
            return
        # No declared length (chunked): read up to the limit first, then replay to the app.
        messages: list[Message] = []
        seen = 0
        while True:
            message = await receive()
            messages.append(message)
            seen += len(message.get("body", b""))
            if seen > self.limit:
                await self._refuse(scope, receive, send)
                return
            if message["type"] != "http.request" or not message.get("more_body"):
                break

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)


def check_write(request: Request, supplied: str | None = None) -> None:
    """Refuse a write without the token when one is needed (non-loopback bind or client)."""
    config: WebConfig = request.app.state.bench.config
    client = request.client.host if request.client else None
    needed = config.token is not None or not is_loopback(config.host) or not is_loopback(client)
    if not needed:
        return
    if config.token is None:
        raise ApiError(
            403, "token_not_configured", "writes need a token: start the server with --token"
        )
    auth = request.headers.get("authorization", "")
    given = supplied or request.headers.get("x-wiretrace-token") or auth.removeprefix("Bearer ")
    if not given or not hmac.compare_digest(given.encode(), config.token.encode()):
        raise ApiError(401, "unauthorized", "this endpoint needs the server's token")


def _host_ok(request: Request, config: WebConfig) -> bool:
    """On a loopback bind, only loopback Host headers: a rebound DNS name cannot reach us."""
    if not is_loopback(config.host):
        return True
    host = request.headers.get("host", "").rsplit(":", 1)[0] if request.headers else ""
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    return is_loopback(host) or host in config.allowed_hosts


def _same_origin(request: Request) -> bool:
    """A cross-site form POST (CSRF against a loopback server) is refused."""
    site = request.headers.get("sec-fetch-site")
    if site is not None:  # browsers say where a request comes from; other ports are same-site
        return site in ("same-origin", "none")
    origin = request.headers.get("origin")
    if origin is None:
        return True  # not a browser: curl, scripts, the test client
    return origin != "null" and origin.split("://", 1)[-1] == request.headers.get("host", "")


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
        if not _host_ok(request, config):
            return envelope(421, "bad_host", "this server answers loopback host names only")
        if request.method in _UNSAFE and not _same_origin(request):
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
    from wiretrace.web import api_docs, claims_page, incident_pages, routes_api, routes_pages

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
        from wiretrace.web.pages import error_page

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
