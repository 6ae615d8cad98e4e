"""Shared fixtures: synthetic articles written for these tests and a fresh store file per test."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

# Synthetic wire-style paragraphs about an invented place; no real news text.
BODY_A = (
    "VELMORA (Northwire) - Militia units crossed the Tessel river at dawn on Tuesday, "
    "according to Lt. Gen. Arno Pell of the coalition command.\n\n"
    "Pell told Northwire that 14 civilians were evacuated from the old market. "
    '"The crossing is done. The hard part begins now," he said.\n\n'
    "The U.S. embassy in Caldra said it was watching the offensive closely."
)
BODY_B = (
    "Relief convoys reached the northern districts of Velmora late on Wednesday.\n\n"
    "Aid workers counted 230 families sheltering in two schools, the Velmora Relief "
    "Committee said in a statement."
)


@pytest.fixture()
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "store.duckdb"


ArticleWriter = Callable[..., Path]


@pytest.fixture()
def write_article(tmp_path: Path) -> ArticleWriter:
    """Write a plain-text article (title, blank line, body) with an optional JSON sidecar."""

    def write(
        name: str,
        title: str,
        body: str,
        meta: dict[str, str] | None = None,
        folder: Path | None = None,
    ) -> Path:
        directory = folder or tmp_path / "articles"
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / name
        path.write_text(f"{title}\n\n{body}\n", encoding="utf-8")
        if meta is not None:
            (directory / f"{name}.json").write_text(json.dumps(meta), encoding="utf-8")
        return path

    return write
