"""HTTP API and web workbench over a wiretrace store (the `web` extra: FastAPI on uvicorn)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from wiretrace.errors import MissingExtra

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["app_from_environment", "create_app", "serve"]


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
    workers: int = 1,
) -> None:
    """Serve the API and workbench until interrupted; writes need `token` off loopback.

    `workers` > 1 runs that many server processes (Python traces on one core per process);
    DuckDB lets only one process write a store, so several workers need `read_only`."""
    _require()
    import json
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
    settings: dict[str, Any] = {
        "db": str(db if db is not None else default_db_path()),
        "token": token,
        "host": host,
        "allow_private": allow_private,
        "read_only": read_only,
        "max_body": max_body or DEFAULT_MAX_BODY,
    }
    if workers > 1:
        if not read_only:
            raise ValueError("several workers need read_only: only one process may write a store")
        # Each worker process builds its own app from these settings (uvicorn imports it).
        os.environ[_SETTINGS_VARIABLE] = json.dumps(settings)
        uvicorn.run(
            "wiretrace.web:app_from_environment",
            factory=True,
            workers=workers,
            host=host,
            port=port,
            log_level="info",
            access_log=False,
        )
        return
    app = create_app(**settings)
    uvicorn.run(app, host=host, port=port, log_level="info", access_log=False)


_SETTINGS_VARIABLE = "WIRETRACE_SERVE_SETTINGS"


def app_from_environment() -> FastAPI:
    """The app of one worker process of `serve(workers=N)`."""
    import json
    import os

    return create_app(**json.loads(os.environ[_SETTINGS_VARIABLE]))
