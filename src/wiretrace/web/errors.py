"""The API's one error envelope: `ApiError`, wiretrace errors mapped to HTTP, and whether a
request is answered in JSON or as an HTML page."""

from __future__ import annotations

import re
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse

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

# Lone surrogates (a JSON "\udcff" escape in a client's url, say) cannot be encoded as UTF-8:
# echoed into an error answer they turned a 422 into a 500 while the answer was being written.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _encodable(value: Any) -> Any:
    """A JSON-like value with every lone surrogate in its strings replaced by U+FFFD."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {_encodable(key): _encodable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_encodable(item) for item in value]
    return value


class ApiError(Exception):
    """An error answered with the envelope: HTTP status, code, message and detail (their text
    made encodable: an error answer must never fail to be written)."""

    def __init__(self, status: int, code: str, message: str, detail: Any = None) -> None:
        message, detail = _encodable(message), _encodable(detail)
        super().__init__(message)
        self.status, self.code, self.message, self.detail = status, code, message, detail


def wants_json(request: Request) -> bool:
    """API paths and `.json` twins answer errors as JSON; pages answer them as HTML."""
    path = request.url.path
    if path.startswith(("/api/", "/static/")) or path.endswith(".json") or path == "/openapi":
        return True
    accept = request.headers.get("accept", "")
    return "text/html" not in accept


def envelope(status: int, code: str, message: str, detail: Any = None) -> JSONResponse:
    body = _encodable({"error": {"code": code, "message": message, "detail": detail}})
    return JSONResponse(body, status_code=status)


STATUS_OF: list[tuple[type[WiretraceError], int, str]] = [
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
    for kind, kind_status, kind_code in STATUS_OF:
        if isinstance(exc, kind):
            status, code = kind_status, kind_code
            break
    detail: dict[str, Any] = {"wiretrace_code": exc.code}
    if isinstance(exc, InputError):
        detail.update(source=exc.source, record=exc.record)
    return ApiError(status, code, exc.message, detail)
