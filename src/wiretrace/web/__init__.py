"""HTTP API and web workbench over a wiretrace store (the `web` extra: FastAPI on uvicorn)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from wiretrace.errors import MissingExtra

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["create_app", "serve"]


def _require() -> None:
    try:
        import fastapi  # noqa: F401
        import python_multipart  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as exc:
        raise MissingExtra("web", "wiretrace serve") from exc


def create_app(db: str | Path, token: str | None = None, **options: Any) -> FastAPI:
    """The FastAPI app over the store at `db` (see `wiretrace.web.app.create_app`)."""
    _require()
    from wiretrace.web.app import create_app as build

    return build(db, token, **options)


def serve(
    *,
    db: str | Path | None = None,
    host: str = "127.0.0.1",
    port: int = 8765,
    token: str | None = None,
    allow_private: bool = False,
    read_only: bool = False,
    max_body: int | None = None,
) -> None:
    """Serve the API and workbench until interrupted; writes need `token` off loopback."""
    _require()
    import os
    import sys

    import uvicorn

    from wiretrace.store import default_db_path
    from wiretrace.web.app import DEFAULT_MAX_BODY, is_loopback

    token = token or os.environ.get("WIRETRACE_TOKEN") or None
    if not is_loopback(host) and token is None:
        print(
            f"wiretrace serve: bound to {host} without a token: writes are refused "
            "(give --token or set WIRETRACE_TOKEN)",
            file=sys.stderr,
        )
    app = create_app(
        db if db is not None else default_db_path(),
        token,
        host=host,
        allow_private=allow_private,
        read_only=read_only,
        max_body=max_body or DEFAULT_MAX_BODY,
    )
    uvicorn.run(app, host=host, port=port, log_level="info", access_log=False)
