"""Who holds a store: `wiretrace serve` leaves `STORE.duckdb.server.json` (its url and pid) beside
the store while it runs, so a command that finds the store locked can say where to reach it.

DuckDB lets one process write a store; while a server writes it, no other process can open it,
not even read-only. The way in is then the server's HTTP API.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

_PID = re.compile(r"\(PID (\d+)\)")


def server_file(db: Path) -> Path:
    return db.with_name(db.name + ".server.json")


@contextmanager
def announce(db: Path, url: str, *, read_only: bool) -> Iterator[None]:
    """Write the server file for as long as the server runs (removed on the way out)."""
    path = server_file(db)
    record = {"url": url, "pid": os.getpid(), "read_only": read_only}
    # In a read-only directory the lock message is only less specific.
    with suppress(OSError):
        path.write_text(json.dumps(record), encoding="utf-8")
    try:
        yield
    finally:
        with suppress(OSError):
            if path.exists() and json.loads(path.read_text(encoding="utf-8")) == record:
                path.unlink()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def running_server(db: Path) -> dict[str, Any] | None:
    """The server holding `db` ({url, pid, read_only}), or None when none is running."""
    try:
        record = json.loads(server_file(db).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or not isinstance(record.get("pid"), int):
        return None
    return record if _alive(record["pid"]) else None


def lock_message(db: Path, duckdb_message: str) -> str:
    """What to tell a user whose command found the store locked by another process."""
    server = running_server(db)
    if server is not None:
        url = str(server.get("url") or "")
        how = (
            f"read it at {url}/api/articles/ID (and its /trace, /claims), add articles with "
            f"POST {url}/api/articles; the API is described at {url}/api/docs"
        )
        mode = " read-only" if server.get("read_only") else ""
        return (
            f"{db}: the store is held by `wiretrace serve`{mode} (pid {server['pid']}) at {url}, "
            f"and DuckDB lets no other process open it while it runs; {how}; or stop the server"
        )
    found = _PID.search(duckdb_message)
    holder = f" (pid {found.group(1)})" if found else ""
    return (
        f"{db}: the store is locked by another process{holder}; only one process may write a "
        "store: wait for it to finish, or stop it"
    )
