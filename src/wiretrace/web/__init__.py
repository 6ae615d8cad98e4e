"""HTTP API and web workbench over a wiretrace store (the `web` extra: FastAPI on uvicorn).

The entry points import the server modules when called, so that `import wiretrace.web` works
without the `web` extra and says which extra is missing when it is needed.
"""

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
    from wiretrace.web.server import serve as run

    run(
        db=db,
        host=host,
        port=port,
        token=token,
        allow_private=allow_private,
        read_only=read_only,
        max_body=max_body,
        workers=workers,
    )


def settle_heap() -> None:
    """See `wiretrace.web.heap.settle_heap` (server processes only)."""
    from wiretrace.web.heap import settle_heap as settle

    settle()
