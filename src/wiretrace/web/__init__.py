"""HTTP API and web workbench over a wiretrace store (the `web` extra: FastAPI on uvicorn)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from wiretrace.errors import MissingExtra

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["create_app", "serve", "settle_heap"]


def _require() -> None:
    try:
        import fastapi  # noqa: F401
        import fastapi_offline  # noqa: F401
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

    `workers` > 1 runs that many server processes, each on its own SO_REUSEPORT socket
    (`wiretrace.web.workers`; Python traces on one core per process); DuckDB lets only one
    process write a store, so several workers need `read_only`. A worker that stops by itself
    ends the others and raises SystemExit with its exit code."""
    _require()
    import os
    import sys

    import uvicorn

    from wiretrace.store.articles import default_db_path
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
    from wiretrace.store.server_file import announce

    shown_host = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    url = f"http://{f'[{shown_host}]' if ':' in shown_host else shown_host}:{port}"
    if workers > 1:
        if not read_only:
            raise ValueError("several workers need read_only: only one process may write a store")
        from wiretrace.web.workers import run_workers

        with announce(Path(settings["db"]), url, read_only=read_only):
            code = run_workers(settings, host, port, workers)
        if code:
            raise SystemExit(code)
        return
    app = create_app(**settings)
    settle_heap()
    with announce(Path(settings["db"]), url, read_only=read_only):
        uvicorn.run(app, host=host, port=port, log_level="info", access_log=False)


def settle_heap() -> None:
    """Move what the server built at start (index id lists, gazetteers, tracers) out of the
    cyclic garbage collector's sight: full collections otherwise rescan it all and stall a
    request now and then (traces' p99 is mostly such pauses). Server processes only."""
    import gc

    from wiretrace.claims import extract_claims
    from wiretrace.doc.article import Article

    # One small extraction loads the lazily built tables (places, patterns) before the freeze.
    extract_claims(Article.create("Officials in Aleppo said on Monday that 3 people were hurt."))
    gc.collect()
    gc.freeze()
