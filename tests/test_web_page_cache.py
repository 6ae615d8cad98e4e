"""Rendered trace pages are cached per store generation: a write shows on the next view."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx

from wiretrace.web import create_app

STORY = (
    "The Quell river ferry resumed service on Tuesday after a three-week closure, the harbour "
    "office of Marrowby said. Repairs to the landing stage cost 40,000 crowns, it added."
)


def _run(app: Any, calls: list[tuple[str, str, dict[str, Any] | None]]) -> list[httpx.Response]:
    async def go() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            out = []
            for method, path, body in calls:
                headers = {"accept": "text/html"}
                out.append(await client.request(method, path, json=body, headers=headers))
            return out

    return asyncio.run(go())


def test_trace_page_follows_writes(tmp_path: Path) -> None:
    app = create_app(tmp_path / "cache.duckdb")
    try:
        copy = STORY + " Passengers on the first crossing welcomed the news with applause."
        later = {"text": copy, "outlet": "Copy Desk", "published_at": "2031-03-05T12:00:00Z"}
        [added] = _run(app, [("POST", "/api/articles", later)])
        article_id = added.json()["articles"][0]["id"]
        first, again, standalone = _run(
            app,
            [
                ("GET", f"/articles/{article_id}", None),
                ("GET", f"/articles/{article_id}", None),
                ("GET", f"/api/articles/{article_id}/trace.html", None),
            ],
        )
        assert first.status_code == again.status_code == standalone.status_code == 200
        assert first.text == again.text  # the same generation: the same page
        assert "Harbour Wire" not in first.text and "Harbour Wire" not in standalone.text
        earlier = {"text": STORY, "outlet": "Harbour Wire", "published_at": "2031-03-05T08:00:00Z"}
        [stored] = _run(app, [("POST", "/api/articles", earlier)])
        assert stored.json()["added"] == 1
        after, standalone_after = _run(
            app,
            [
                ("GET", f"/articles/{article_id}", None),
                ("GET", f"/api/articles/{article_id}/trace.html", None),
            ],
        )
        assert "Harbour Wire" in after.text and "st-copied" in after.text
        assert "Harbour Wire" in standalone_after.text
    finally:
        app.state.bench.close()
