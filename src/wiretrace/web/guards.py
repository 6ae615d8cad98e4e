"""Who may reach the server and who may write: loopback checks, the write token, the Host and
Origin checks against DNS rebinding and cross-site writes, and the request body limit."""

from __future__ import annotations

import hmac
import ipaddress

from fastapi import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from wiretrace.web.errors import ApiError, envelope
from wiretrace.web.service import WebConfig

_LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1", "[::1]"}
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# Pages load their script and styles from /static only; inline style attributes carry colours.
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' "
    "data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)


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


def host_ok(request: Request, config: WebConfig) -> bool:
    """On a loopback bind, only loopback Host headers: a rebound DNS name cannot reach us."""
    if not is_loopback(config.host):
        return True
    host = request.headers.get("host", "").rsplit(":", 1)[0] if request.headers else ""
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    return is_loopback(host) or host in config.allowed_hosts


def same_origin(request: Request) -> bool:
    """A cross-site form POST (CSRF against a loopback server) is refused."""
    site = request.headers.get("sec-fetch-site")
    if site is not None:  # browsers say where a request comes from; other ports are same-site
        return site in ("same-origin", "none")
    origin = request.headers.get("origin")
    if origin is None:
        return True  # not a browser: curl, scripts, the test client
    return origin != "null" and origin.split("://", 1)[-1] == request.headers.get("host", "")
