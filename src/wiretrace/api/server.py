"""The api of `serve`: the HTTP API and web workbench over a store (the `web` extra)."""

from __future__ import annotations

from pathlib import Path

from wiretrace.errors import UsageError


def serve(
    *,
    db: str | Path | None = None,
    host: str = "127.0.0.1",
    port: int = 8765,
    token: str | None = None,
    allow_private: bool = False,
    read_only: bool = False,
    workers: int = 1,
) -> None:
    """Serve the HTTP API and the web workbench until interrupted; writes need `token` off
    loopback. More than one of `workers` needs `read_only`: only one process may write."""
    if workers > 1 and not read_only:
        raise UsageError("--workers above 1 needs --read-only: only one process may write")
    from wiretrace.web import serve as run_server

    run_server(
        db=db,
        host=host,
        port=port,
        token=token,
        allow_private=allow_private,
        read_only=read_only,
        workers=workers,
    )
