"""`wiretrace serve`: the app on uvicorn, in one process or several (`wiretrace.web.workers`),
announced in the store's server file while it runs."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import uvicorn

from wiretrace.store.articles import default_db_path
from wiretrace.store.server_file import announce
from wiretrace.web.app import create_app
from wiretrace.web.guards import is_loopback
from wiretrace.web.heap import settle_heap
from wiretrace.web.service import DEFAULT_MAX_BODY
from wiretrace.web.workers import run_workers


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
    """Serve the API and workbench until interrupted (see `wiretrace.web.serve`)."""
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
    shown_host = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    url = f"http://{f'[{shown_host}]' if ':' in shown_host else shown_host}:{port}"
    if workers > 1:
        if not read_only:
            raise ValueError("several workers need read_only: only one process may write a store")
        with announce(Path(settings["db"]), url, read_only=read_only):
            code = run_workers(settings, host, port, workers)
        if code:
            raise SystemExit(code)
        return
    app = create_app(**settings)
    settle_heap()
    with announce(Path(settings["db"]), url, read_only=read_only):
        uvicorn.run(app, host=host, port=port, log_level="info", access_log=False)
