"""Resumable stages: Parquet checkpoints in a work directory, its parameters, and progress events.

A stage's output is written under a temporary name, renamed, then marked done (`STAGE.done`);
a run killed mid-stage leaves no marker, so the stage's leftovers are removed and it runs again.
The parameters and the store's fingerprint are saved in `params.json` when a run starts; a resume
with other parameters or a changed store is refused rather than mixing results.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wiretrace.corpus.plan import STAGES
from wiretrace.errors import ReuseError as ReuseError  # re-exported; it lives in errors.py


@dataclass(frozen=True, slots=True)
class ProgressEvent:
    """Where a run is: stage, items done (and expected, when known), items per second."""

    stage: str
    done: int
    total: int | None
    per_second: float
    skipped: bool = False  # the stage's checkpoint was already there


ProgressCallback = Callable[[ProgressEvent], None]


class Meter:
    """Reports a stage's progress through the callback, with its rate since the stage began."""

    def __init__(self, stage: str, callback: ProgressCallback | None, total: int | None) -> None:
        self.stage, self.callback, self.total = stage, callback, total
        self.started = time.perf_counter()
        self.done = 0

    def advance(self, count: int) -> None:
        self.done += count
        if self.callback is not None:
            elapsed = max(time.perf_counter() - self.started, 1e-9)
            self.callback(ProgressEvent(self.stage, self.done, self.total, self.done / elapsed))


class Workdir:
    """The checkpoints of one reuse run."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)

    def output(self, name: str) -> Path:
        """Where a stage table lives (a Parquet file, or a directory of parts from Spark)."""
        return self.path / f"{name}.parquet"

    def scan(self, name: str) -> str:
        """A path glob that DuckDB and Spark both read, whichever engine wrote the table."""
        out = self.output(name)
        return str(out / "*.parquet") if out.is_dir() else str(out)

    def temporary(self, name: str) -> Path:
        tmp = self.path / f".{name}.parquet.tmp"
        _remove(tmp)
        return tmp

    def commit(self, name: str, tmp: Path) -> None:
        """Move a finished table into place (atomic rename)."""
        _remove(self.output(name))
        tmp.rename(self.output(name))

    def is_done(self, stage: str) -> bool:
        return (self.path / f"{stage}.done").exists()

    def mark_done(self, stage: str, info: dict[str, Any]) -> None:
        (self.path / f"{stage}.done").write_text(json.dumps(info, sort_keys=True), encoding="utf-8")

    def done_info(self, stage: str) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((self.path / f"{stage}.done").read_text("utf-8"))
        return data

    def check_params(self, params: dict[str, Any]) -> None:
        """Save the run's parameters, or refuse when the directory holds another run's."""
        saved_path = self.path / "params.json"
        if not saved_path.exists():
            for stage in STAGES:  # checkpoints without parameters cannot be trusted
                (self.path / f"{stage}.done").unlink(missing_ok=True)
            saved_path.write_text(json.dumps(params, indent=2, sort_keys=True), encoding="utf-8")
            return
        saved = json.loads(saved_path.read_text(encoding="utf-8"))
        if saved != params:
            changed = sorted(_differences(saved, params))
            raise ReuseError(
                f"{self.path}: this work directory holds a run with other settings "
                f"({', '.join(changed)}); resume with the same settings, or use a new "
                "--workdir (or delete this one)"
            )


def _differences(old: dict[str, Any], new: dict[str, Any], prefix: str = "") -> list[str]:
    out: list[str] = []
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        if isinstance(a, dict) and isinstance(b, dict):
            out.extend(_differences(a, b, f"{prefix}{key}."))
        elif a != b:
            out.append(f"{prefix}{key}: {a!r} -> {b!r}")
    return out


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)
