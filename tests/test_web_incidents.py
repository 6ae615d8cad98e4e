"""Incident pages in-process (httpx ASGI transport) against a real DuckDB file.

Synthetic invented articles only: a wire story, a content-farm copy of it, an independent
report, and a hostile article whose text and outlet carry markup.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from wiretrace.web import create_app

WIRE = (
    "Air strikes killed 12 civilians in Homs on Tuesday, the Syrian Observatory for Human "
    "Rights said. Rescue teams searched the rubble of several buildings through the night."
)
FARM = (
    "Air strikes killed 12 civilians in Homs on Tuesday, the Syrian Observatory for Human "
    "Rights said. Rescue teams combed the rubble of many buildings overnight. Share this story."
)
LOCAL = (
    "Our correspondent in Homs counted 14 dead civilians after air strikes hit a residential "
    "street, according to civil defence workers. Families waited outside the hospital."
)
HOSTILE = (
    '<script>alert("x")</script> A car bomb killed 7 civilians in Aleppo on Tuesday, '
    "<img src=x onerror=alert(1)> a local council said."
)
PAYLOADS = ("<script>alert", "<img src=x onerror", "<b>Evil</b>")


def _client(app: Any) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app)
    return httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1")


def run(coro: Any) -> Any:
    return asyncio.run(coro)


@pytest.fixture()
def app(tmp_path: Path) -> Iterator[Any]:
    application = create_app(tmp_path / "web.duckdb")
    yield application
    application.state.bench.close()


def _article(text: str, url: str, outlet: str, hour: int) -> dict[str, str]:
    return {
        "text": text,
        "title": text.split(",")[0][:60],
        "url": url,
        "outlet": outlet,
        "published_at": f"2031-05-06T{hour:02d}:00:00Z",
    }


def _seed(app: Any) -> None:
    batch = {
        "articles": [
            _article(WIRE, "https://northwire.example/1", "Northwire", 8),
            _article(FARM, "https://farm-a.example/1", "Farm A", 10),
            _article(LOCAL, "https://cityherald.example/1", "City Herald", 14),
            _article(HOSTILE, "https://evil.example/1", "<b>Evil</b> & Co", 9),
        ]
    }

    async def go() -> None:
        async with _client(app) as client:
            response = await client.post("/api/articles/batch", json=batch)
            assert response.status_code == 201, response.text

    run(go())


def get(app: Any, path: str, **kwargs: Any) -> httpx.Response:
    async def go() -> httpx.Response:
        async with _client(app) as client:
            return await client.get(path, **kwargs)

    return run(go())


def _homs(app: Any) -> dict[str, Any]:
    listing = get(app, "/incidents.json").json()
    found: dict[str, Any] = next(
        i for i in listing["incidents"] if "https://northwire.example/1" in i["articles"]
    )
    return found


def test_incident_list_and_twin(app: Any) -> None:
    _seed(app)
    listing = get(app, "/incidents.json")
    assert listing.status_code == 200
    data = listing.json()
    assert data["total"] == len(data["incidents"]) >= 2
    homs = _homs(app)
    assert homs["kind"] == "killed" and homs["counts"]["origins"] == 2
    page = get(app, "/incidents", headers={"accept": "text/html"})
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert f'href="/incidents/{homs["id"]}"' in page.text
    assert 'href="/incidents.json"' in page.text


def test_incident_page_shows_origins_copies_sources_and_figures(app: Any) -> None:
    _seed(app)
    key = _homs(app)["id"]
    data = get(app, f"/incidents/{key}.json").json()
    assert data["grade"] == "fair"
    assert [o["url"] for o in data["origin_articles"]] == [
        "https://northwire.example/1",
        "https://cityherald.example/1",
    ]
    wire = data["origin_articles"][0]
    assert [c["url"] for c in wire["copies"]] == ["https://farm-a.example/1"]
    assert wire["figures"] == {"civilians": 12.0}
    assert data["primary_sources"] == [
        "Syrian Observatory for Human Rights",
        "civil defence workers",
    ]
    html = get(app, f"/incidents/{key}", headers={"accept": "text/html"}).text
    assert "Grade: fair" in html
    assert "copy: " in html and "Farm A" in html
    assert "Syrian Observatory for Human Rights" in html
    assert '<td class="num">12</td>' in html and '<td class="num">14</td>' in html
    assert f'href="/incidents/{key}/claimreview.json"' in html
    assert f'href="/incidents/{key}.json"' in html


def test_claimreview_export(app: Any) -> None:
    _seed(app)
    key = _homs(app)["id"]
    response = get(app, f"/incidents/{key}/claimreview.json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/ld+json")
    review = response.json()
    assert review["@type"] == "ClaimReview" and review["identifier"] == key
    assert review["reviewRating"]["alternateName"] == "fair"


def test_unknown_incident_is_404_in_both_forms(app: Any) -> None:
    _seed(app)
    assert get(app, "/incidents/inc-000000000000.json").json()["error"]["code"] == "not_found"
    page = get(app, "/incidents/inc-000000000000", headers={"accept": "text/html"})
    assert page.status_code == 404 and "text/html" in page.headers["content-type"]


def test_hostile_article_is_escaped_on_incident_pages(app: Any) -> None:
    _seed(app)
    listing = get(app, "/incidents.json").json()
    hostile = next(i for i in listing["incidents"] if "https://evil.example/1" in i["articles"])
    assert hostile["origins"][0]["outlet"] == "<b>Evil</b> & Co"  # JSON keeps the data as is
    for path in ("/incidents", f"/incidents/{hostile['id']}"):
        page = get(app, path, headers={"accept": "text/html"}).text
        for payload in PAYLOADS:
            assert payload not in page, (path, payload)
    detail = get(app, f"/incidents/{hostile['id']}", headers={"accept": "text/html"}).text
    assert "&lt;b&gt;Evil&lt;/b&gt; &amp; Co" in detail
