"""The HTTP API in-process (httpx ASGI transport) against a real DuckDB file."""

from __future__ import annotations

import asyncio
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from wiretrace.web import create_app

# Synthetic articles about an invented town; no real news text.
WIRE = (
    "Floodwater rose across the lower districts of Marrowby on Monday after the Quell dam "
    "released water overnight. Engineers from the Marrowby Water Board said 42 homes were "
    "evacuated before dawn. The board's chief engineer, Ilse Varno, told Northwire that the "
    "spillway gates would stay open until Thursday. Residents were moved to a sports hall on "
    "Carden Road, where volunteers handed out blankets and soup."
)
COPY = (
    "Floodwater rose across the lower districts of Marrowby on Monday after the Quell dam "
    "released water overnight. Engineers from the Marrowby Water Board said 57 homes were "
    "evacuated before dawn. The board's chief engineer, Ilse Varno, told Northwire that the "
    "spillway gates would stay open until Thursday. The reckless board has ignored warnings "
    "for years."
)
HOSTILE = (
    '<script>alert("x")</script> The <img src=x onerror=alert(1)> gates '
    '<a href="javascript:alert(2)">opened</a> early on Friday, <b>unclosed <i>markup said '
    "the harbour master of Marrowby. Officials said the water would recede by Sunday."
)
PAYLOADS = ("<script>alert", "<img src=x onerror", 'javascript:alert(2)">', "<b>unclosed")


def _client(app: Any, **headers: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app)
    return httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1", headers=headers)


def run(coro: Any) -> Any:
    return asyncio.run(coro)


@pytest.fixture()
def app(tmp_path: Path) -> Iterator[Any]:
    application = create_app(tmp_path / "web.duckdb")
    yield application
    application.state.bench.close()


def _seed(app: Any) -> dict[str, str]:
    async def go() -> dict[str, str]:
        async with _client(app) as client:
            batch = {
                "articles": [
                    {
                        "text": WIRE,
                        "title": "Floodwater rises in Marrowby",
                        "url": "https://northwire.example/marrowby-flood",
                        "outlet": "Northwire",
                        "published_at": "2031-04-07T08:00:00Z",
                    },
                    {
                        "text": COPY,
                        "title": "Marrowby flood: board to blame",
                        "url": "https://dailyspin.example/marrowby",
                        "outlet": "Daily Spin",
                        "published_at": "2031-04-07T11:30:00Z",
                    },
                    {
                        "text": HOSTILE,
                        "title": '<script>alert("t")</script>Gates',
                        "url": "javascript:alert(3)",
                        "outlet": "<b>Evil</b> & Co",
                        "published_at": "2031-04-08T09:00:00Z",
                    },
                ]
            }
            response = await client.post("/api/articles/batch", json=batch)
            assert response.status_code == 201, response.text
            ids = [a["id"] for a in response.json()["articles"]]
            return {"wire": ids[0], "copy": ids[1], "hostile": ids[2]}

    return run(go())


def get(app: Any, path: str, **kwargs: Any) -> httpx.Response:
    async def go() -> httpx.Response:
        async with _client(app) as client:
            return await client.get(path, **kwargs)

    return run(go())


def post(app: Any, path: str, headers: dict[str, str] | None = None, **kwargs: Any) -> Any:
    async def go() -> httpx.Response:
        async with _client(app, **(headers or {})) as client:
            return await client.post(path, **kwargs)

    return run(go())


def test_health_version_and_openapi(app: Any) -> None:
    assert get(app, "/api/health").json()["status"] == "ok"
    assert "wiretrace.trace/2" in get(app, "/api/version").json()["schemas"]
    spec = get(app, "/api/openapi.json").json()
    for path in ("/api/articles", "/api/articles/{article_id}/trace", "/api/quotes"):
        assert path in spec["paths"]
    assert "ErrorEnvelope" in spec["components"]["schemas"]


def test_add_get_trace_and_claims(app: Any) -> None:
    ids = _seed(app)
    article = get(app, f"/api/articles/{ids['copy']}").json()
    assert article["outlet"] == "Daily Spin" and article["sentences"]
    report = get(app, f"/api/articles/{ids['copy']}/trace").json()
    assert report["schema"] == "wiretrace.trace/2"
    statuses = [s["status"] for s in report["sentences"]]
    assert statuses.count("copied") >= 2 and "unsourced" in statuses
    assert report["summary"]["factual_changes"] >= 1
    assert report["summary"]["sources"][0]["outlet"] == "Northwire"
    claims = get(app, f"/api/articles/{ids['wire']}/claims").json()
    assert claims["schema"] == "wiretrace.claims/1"
    assert any(q["channel"] == "Northwire" for q in claims["quotes"])
    html = get(app, f"/api/articles/{ids['copy']}/trace.html")
    assert html.headers["content-type"].startswith("text/html")
    assert "script-src 'sha256-" in html.headers["content-security-policy"]


def test_cached_reports_are_their_json_text(app: Any) -> None:
    # A server keeps hundreds of reports; as dicts and lists, every full garbage collection
    # walked them (a pause inside some request). Kept as JSON bytes, each served copy is the
    # same report whichever route or cache path gives it.
    ids = _seed(app)
    first = get(app, f"/api/articles/{ids['copy']}/trace").json()
    claims = get(app, f"/api/articles/{ids['wire']}/claims").json()
    bench = app.state.bench
    cached = [*bench.traces.items.values(), *bench.claims_cache.items.values()]
    assert len(cached) >= 3 and all(type(kept) is bytes for kept in cached)
    assert get(app, f"/api/articles/{ids['copy']}/trace").json() == first  # from the cache
    article = bench.article(ids["copy"])
    assert bench.trace(article) == first  # the dict the pages read, parsed from the same text
    assert bench.claims(bench.article(ids["wire"])) == claims
    assert get(app, f"/api/articles/{ids['copy']}/trace.html").status_code == 200


def test_adding_again_is_idempotent(app: Any) -> None:
    ids = _seed(app)
    again = post(
        app, "/api/articles", json={"text": WIRE, "url": "https://northwire.example/marrowby-flood"}
    )
    assert again.status_code == 201
    assert again.json()["articles"][0] == {
        **again.json()["articles"][0],
        "status": "already_stored",
    }
    assert again.json()["articles"][0]["id"] == ids["wire"]


def test_raw_text_and_html_bodies(app: Any) -> None:
    text = post(
        app,
        "/api/articles/raw?outlet=Plain",
        content=WIRE.encode(),
        headers={"content-type": "text/plain"},
    )
    assert text.status_code == 201 and text.json()["articles"][0]["outlet"] == "Plain"
    page = (
        "<html><head><title>Harbour</title></head>"
        f"<body><article><p>{COPY}</p></article></body></html>"
    )
    html = post(
        app, "/api/articles/raw", content=page.encode(), headers={"content-type": "text/html"}
    )
    assert html.status_code == 201, html.text


def test_search_articles_by_words_outlet_and_dates(app: Any) -> None:
    _seed(app)
    found = get(app, "/api/articles", params={"q": "spillway gates"}).json()["articles"]
    assert {a["outlet"] for a in found} == {"Northwire", "Daily Spin"}
    only = get(app, "/api/articles", params={"q": "spillway", "outlet": "Northwire"}).json()
    assert [a["outlet"] for a in only["articles"]] == ["Northwire"]
    dated = get(app, "/api/articles", params={"since": "2031-04-08T00:00:00Z"}).json()
    assert len(dated["articles"]) == 1
    assert get(app, "/api/articles", params={"q": "no-such-word-anywhere"}).json()["articles"] == []


def test_quotes_by_speaker_and_channel(app: Any) -> None:
    _seed(app)
    found = get(app, "/api/quotes", params={"channel": "northwire"}).json()
    assert found["quotes"] and found["quotes"][0]["speaker"].endswith("Varno")
    assert found["coverage"]["articles_with_quotes_extracted"] == 3
    assert get(app, "/api/quotes", params={"speaker": "nobody-at-all"}).json()["quotes"] == []


def test_outlet_profile(app: Any) -> None:
    _seed(app)
    outlets = {o["outlet"] for o in get(app, "/api/outlets").json()["outlets"]}
    assert {"Northwire", "Daily Spin"} <= outlets
    profile = get(app, "/api/outlets/Daily Spin").json()
    assert profile["articles"] == 1 and profile["copied_share"] > 0.5
    assert profile["top_sources"][0]["outlet"] == "Northwire"
    assert profile["median_delay_hours"] == 3.5
    assert profile["factual_changes"] >= 1


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status", "code"),
    [
        ("get", "/api/articles/0000000000000000", {}, 404, "not_found"),
        ("get", "/api/nowhere", {}, 404, "not_found"),
        ("get", "/api/articles?limit=0", {}, 422, "validation_error"),
        ("post", "/api/articles", {"json": {"txt": "x"}}, 422, "validation_error"),
        ("post", "/api/articles", {"json": {}}, 422, "unusable_input"),
        ("post", "/api/articles", {"content": b"{bad json"}, 422, "validation_error"),
    ],
)
def test_one_error_envelope(
    app: Any, method: str, path: str, kwargs: dict[str, Any], status: int, code: str
) -> None:
    response = get(app, path) if method == "get" else post(app, path, **kwargs)
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "detail"}
    assert body["error"]["code"] == code


def test_body_limit_413(tmp_path: Path) -> None:
    app = create_app(tmp_path / "small.duckdb", max_body=2_000)
    try:
        big = {"text": "word " * 2_000}
        response = post(app, "/api/articles", json=big)
        assert response.status_code == 413
        assert response.json()["error"]["code"] == "payload_too_large"

        async def streamed() -> httpx.Response:
            async def chunks() -> Any:
                for _ in range(10):
                    yield b"x" * 500

            async with _client(app) as client:
                return await client.post(
                    "/api/articles/raw", content=chunks(), headers={"content-type": "text/plain"}
                )

        response = run(streamed())
        assert response.status_code == 413
        assert response.json()["error"]["code"] == "payload_too_large"
    finally:
        app.state.bench.close()


def test_writes_need_a_token_off_loopback(tmp_path: Path) -> None:
    app = create_app(tmp_path / "open.duckdb", host="0.0.0.0")
    try:
        refused = post(app, "/api/articles", json={"text": WIRE})
        assert refused.status_code == 403
        assert refused.json()["error"]["code"] == "token_not_configured"
        assert get(app, "/api/health").status_code == 200
    finally:
        app.state.bench.close()
    app = create_app(tmp_path / "token.duckdb", token="s3cret", host="0.0.0.0")
    try:
        assert post(app, "/api/articles", json={"text": WIRE}).status_code == 401
        wrong = {"authorization": "Bearer nope"}
        assert post(app, "/api/articles", wrong, json={"text": WIRE}).status_code == 401
        right = {"authorization": "Bearer s3cret"}
        assert post(app, "/api/articles", right, json={"text": WIRE}).status_code == 201
        header = {"x-wiretrace-token": "s3cret"}
        assert post(app, "/api/trace", header, json={"text": COPY}).status_code == 200
    finally:
        app.state.bench.close()


def test_cross_site_writes_and_foreign_hosts_are_refused(app: Any) -> None:
    evil = {"origin": "https://evil.example", "sec-fetch-site": "cross-site"}
    refused = post(app, "/api/articles", evil, json={"text": WIRE})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "cross_origin"
    rebound = get(app, "/api/health", headers={"host": "attacker.example"})
    assert rebound.status_code == 421


def test_read_only_server_refuses_writes(tmp_path: Path) -> None:
    db = tmp_path / "ro.duckdb"
    writable = create_app(db)
    _seed(writable)
    writable.state.bench.close()
    app = create_app(db, read_only=True)
    try:
        assert get(app, "/api/articles", params={"q": "Marrowby"}).json()["articles"]
        refused = post(app, "/api/articles", json={"text": WIRE + " More."})
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "read_only"
    finally:
        app.state.bench.close()


def test_several_workers_serve_a_read_only_store(tmp_path: Path) -> None:
    """`serve --read-only --workers 2`: real processes on loopback answer; without
    --read-only the command is refused as a usage error (only one process may write)."""
    import os
    import socket
    import subprocess
    import sys
    import time

    from click.testing import CliRunner

    from wiretrace.cli.main import cli

    db = tmp_path / "workers.duckdb"
    writable = create_app(db)
    _seed(writable)
    writable.state.bench.close()
    refused = CliRunner().invoke(cli, ["serve", "--db", str(db), "--workers", "2"])
    assert refused.exit_code == 2 and "--read-only" in refused.output
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    command = [sys.executable, "-m", "wiretrace", "serve", "--db", str(db), "--read-only"]
    server = subprocess.Popen(
        [*command, "--workers", "2", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "WIRETRACE_TOKEN": ""},
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                health = httpx.get(f"{base}/api/health", timeout=2)
                if health.status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline and server.poll() is None, "no server"
            time.sleep(0.2)
        assert health.json()["articles"] == 3
        found = httpx.get(f"{base}/api/articles", params={"q": "Marrowby"}, timeout=10).json()
        ids = [a["id"] for a in found["articles"]]
        for article_id in ids * 3:  # spread over both workers by the kernel
            trace = httpx.get(f"{base}/api/articles/{article_id}/trace", timeout=30)
            assert trace.status_code == 200 and trace.json()["schema"] == "wiretrace.trace/2"
    finally:
        server.terminate()
        assert server.wait(timeout=30) is not None


class _Page(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = (
            "<html><head><title>Quell dam update</title></head><body><article>"
            f"<h1>Quell dam update</h1><p>{WIRE}</p></article></body></html>"
        ).encode()
        self.send_response(200)
        self.send_header("content-type", "text/html; charset=utf-8")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture()
def local_page() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/story"
    server.shutdown()
    server.server_close()


def test_url_fetch_refuses_loopback_unless_allowed(
    app: Any, tmp_path: Path, local_page: str
) -> None:
    refused = post(app, "/api/articles", json={"url": local_page})
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "blocked_address"
    assert refused.json()["error"]["detail"]["wiretrace_code"] == "W121"
    allowed = create_app(tmp_path / "fetch.duckdb", allow_private=True)
    try:
        added = post(allowed, "/api/articles", json={"url": local_page})
        assert added.status_code == 201, added.text
        assert added.json()["articles"][0]["title"] == "Quell dam update"
    finally:
        allowed.state.bench.close()


def test_hostile_payloads_are_text_in_every_view(app: Any) -> None:
    ids = _seed(app)
    pages = [
        "/",
        f"/articles/{ids['hostile']}",
        f"/articles/{ids['copy']}",
        "/corpus?q=gates",
        "/quotes",
        "/outlets/" + httpx.URL("/x").copy_with(path="/<b>Evil</b> & Co").raw_path.decode()[1:],
        f"/api/articles/{ids['hostile']}/trace.html",
    ]
    for path in pages:
        response = get(app, path, headers={"accept": "text/html"})
        assert response.status_code == 200, (path, response.text[:300])
        page = response.text
        for payload in PAYLOADS:
            assert payload not in page, (path, payload)
        assert 'href="javascript:' not in page.lower(), path
        assert "<script>alert" not in page
    shown = get(app, f"/articles/{ids['hostile']}", headers={"accept": "text/html"}).text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in shown  # &#34; is &quot;
    assert "script-src 'self'" in get(app, "/").headers["content-security-policy"]


def test_every_page_has_a_json_twin(app: Any) -> None:
    ids = _seed(app)
    assert get(app, "/index.json").json()["articles"] == 3
    assert get(app, f"/articles/{ids['copy']}.json").json()["schema"] == "wiretrace.trace/2"
    corpus = get(app, "/corpus.json", params={"q": "Marrowby"}).json()
    assert corpus["overview"]["articles"] == 3 and len(corpus["results"]) == 3
    assert get(app, "/outlets/Northwire.json").json()["profile"]["outlet"] == "Northwire"
    assert "quotes" in get(app, "/quotes.json", params={"speaker": "Varno"}).json()
    missing = get(app, "/articles/ffffffffffffffff.json")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    html_missing = get(app, "/articles/ffffffffffffffff", headers={"accept": "text/html"})
    assert html_missing.status_code == 404 and "<h1>" in html_missing.text


def test_workbench_form_traces_pasted_text_without_storing(app: Any) -> None:
    ids = _seed(app)
    response = post(app, "/trace", data={"text": COPY + " Extra words here now."})
    assert response.status_code == 303
    page = get(app, response.headers["location"], headers={"accept": "text/html"})
    assert page.status_code == 200 and "not stored" in page.text
    assert get(app, "/api/health").json()["articles"] == 3
    upload = post(
        app,
        "/trace",
        files={"file": ("story.txt", WIRE.encode(), "text/plain")},
        data={"store": "1"},
    )
    assert upload.status_code == 303
    assert (
        upload.headers["location"] == f"/articles/{ids['wire']}"
        or get(app, "/api/health").json()["articles"] == 4
    )
