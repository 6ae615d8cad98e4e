"""The workbench in a real browser: Debian's chromium driven by Playwright, server on loopback.

These tests fail (never skip) when chromium or Playwright is missing: CI installs both.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn

from wiretrace.web import create_app

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Synthetic sources and a stitched article about an invented town; no real news text.
SOURCES = [
    {
        "title": "Quell dam opens spillway",
        "outlet": "Northwire",
        "url": "https://northwire.example/quell",
        "published_at": "2031-04-07T08:00:00Z",
        "text": "Floodwater rose across the lower districts of Marrowby on Monday after the "
        "Quell dam released water overnight. Engineers from the Marrowby Water Board said 42 "
        "homes were evacuated before dawn. The board's chief engineer, Ilse Varno, told "
        "Northwire that the spillway gates would stay open until Thursday.",
    },
    {
        "title": "Shelters fill in Marrowby",
        "outlet": "Coastline Press",
        "url": "https://coastline.example/shelters",
        "published_at": "2031-04-07T09:15:00Z",
        "text": "Volunteers in Marrowby opened a second shelter at the Carden Road sports hall "
        "on Monday afternoon. The shelter coordinator, Pel Orrin, said about 300 people had "
        "slept there since the water began to rise.",
    },
]
STITCHED = (
    "Floodwater rose across the lower districts of Marrowby on Monday after the Quell dam "
    "released water overnight. Engineers from the Marrowby Water Board said 75 homes were "
    "evacuated before dawn. Volunteers in Marrowby opened a second shelter at the Carden Road "
    "sports hall on Monday afternoon. The corrupt board has lied to residents for years. "
    '<script>alert("pwned")</script> <img src=x onerror=alert(1)> and <a href="javascript:'
    'alert(2)">a link</a> were in the feed that morning.'
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    app = create_app(tmp_path_factory.mktemp("web") / "browser.duckdb")
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.1)
    added = httpx.post(f"{base}/api/articles/batch", json={"articles": SOURCES}, timeout=30)
    assert added.status_code == 201, added.text
    yield base
    running.should_exit = True
    thread.join(timeout=10)
    app.state.bench.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    assert CHROMIUM.exists(), "chromium is missing: apt-get install -y chromium chromium-driver"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS
        )
        yield launched
        launched.close()


def test_paste_trace_compare_and_hostile_text(server: str, browser: object) -> None:
    from playwright.sync_api import Browser, expect

    assert isinstance(browser, Browser)
    page = browser.new_page(viewport={"width": 1360, "height": 1000})
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(server + "/")
    page.fill("textarea[name=text]", STITCHED)
    page.fill("input[name=title]", "Marrowby <b>flood</b> roundup")
    page.fill("input[name=published_at]", "2031-04-07T12:00")
    page.click("#trace-btn")
    page.wait_for_url("**/articles/*")

    copied = page.locator(".article .sent.st-copied")
    expect(copied.first).to_be_visible()
    assert copied.count() >= 2
    colours = {
        copied.nth(i).evaluate("el => getComputedStyle(el).backgroundColor")
        for i in range(copied.count())
    }
    assert len(colours) >= 2 and "rgba(0, 0, 0, 0)" not in colours  # one colour per source
    legend = page.locator("table").filter(has_text="Northwire")
    expect(legend.first).to_be_visible()
    expect(page.locator(".article .sent.st-unsourced").first).to_be_visible()

    page.locator(".article .sent.st-copied a.go").nth(1).click()  # the sentence with 42 -> 75
    panel = page.locator("#cmp-body")
    expect(panel.locator(".cols")).to_be_visible()
    expect(panel).to_contain_text("Source sentence")
    expect(panel.locator(".chg.fact").first).to_be_visible()
    expect(panel).to_contain_text("42")
    expect(page.locator("table.flags")).to_contain_text("likely insertion")

    article_text = page.locator(".article").inner_text()
    assert '<script>alert("pwned")</script>' in article_text
    assert "<img src=x onerror=alert(1)>" in article_text
    assert page.locator(".article img, .article script, main a[href^='javascript']").count() == 0
    expect(page.locator("h1").first).to_have_text("Marrowby <b>flood</b> roundup")
    assert dialogs == []
    assert all(url.startswith(server) for url in requests), "the page must not leave the server"

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "web-trace.png"), full_page=True)
    page.close()


def test_corpus_and_outlet_pages(server: str, browser: object) -> None:
    from playwright.sync_api import Browser, expect

    assert isinstance(browser, Browser)
    page = browser.new_page(viewport={"width": 1360, "height": 900})
    page.goto(server + "/corpus?q=Marrowby")
    expect(page.locator("svg.chart rect").first).to_be_visible()
    expect(page.locator("main")).to_contain_text("Northwire")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "web-corpus.png"), full_page=True)
    page.goto(server + "/outlets/Northwire")
    expect(page.locator("h1")).to_have_text("Northwire")
    page.close()


def test_incident_page_shows_origins_and_copies(server: str, browser: object) -> None:
    """A wire report and a farm copy of it (with a script tag added) form one incident whose
    page shows one origin, the copy under it, and the grade's reason; the payload is text."""
    from playwright.sync_api import Browser, expect

    assert isinstance(browser, Browser)
    wire = (
        "An air strike on a vegetable market in Aleppo killed 14 civilians on Monday, the "
        "city's civil defence said. Rescue workers searched the rubble of three shops for "
        "survivors until late in the evening."
    )
    articles = [
        {
            "text": wire,
            "title": "Strike hits Aleppo market",
            "outlet": "Northwire",
            "url": "https://northwire.example/aleppo-market",
            "published_at": "2031-05-06T10:00:00Z",
        },
        {
            "text": wire + ' <script>alert("farm")</script> The brutal regime must answer.',
            "title": "Market strike",
            "outlet": "Farmsite",
            "url": "https://farm.example/market",
            "published_at": "2031-05-06T15:00:00Z",
        },
    ]
    added = httpx.post(f"{server}/api/articles/batch", json={"articles": articles}, timeout=30)
    assert added.status_code == 201, added.text
    page = browser.new_page(viewport={"width": 1360, "height": 900})
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(server + "/incidents")
    page.get_by_role("link", name="single-origin echo").first.click()
    main = page.locator("main")
    expect(main).to_contain_text("Origins and their copies")
    expect(main).to_contain_text("northwire.example/aleppo-market")
    expect(main).to_contain_text("farm.example/market")
    expect(main).to_contain_text("one report and 1 copy of it")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "web-incident.png"), full_page=True)
    page.goto(server + "/articles/" + added.json()["articles"][1]["id"])
    expect(page.locator("main")).to_contain_text('<script>alert("farm")</script>')
    assert dialogs == []
    page.close()


def test_loaded_spans_show_their_technique_on_hover(
    server: str, browser: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from playwright.sync_api import Browser, expect

    assert isinstance(browser, Browser)
    # The lexicon path, so that the spans are known; the page shows either path's alike.
    monkeypatch.setenv("WIRETRACE_LOADED", "lexicon")
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.goto(server + "/")
    page.fill(
        "textarea[name=text]",
        "The butchers of Quillmont shelled the Varrow market at dawn. "
        "Witnesses called it a massacre <i>nobody</i> will forget.",
    )
    page.fill("input[name=title]", "Varrow market shelled")
    page.click("#trace-btn")
    page.wait_for_url("**/articles/*")
    marks = page.locator(".article mark.loaded")
    expect(marks.first).to_be_visible()
    assert marks.count() == 2
    assert marks.nth(0).inner_text() == "butchers"
    assert marks.nth(0).get_attribute("title") == "Name_Calling,Labeling"
    assert marks.nth(1).inner_text() == "massacre"
    assert marks.nth(1).get_attribute("title") == "Loaded_Language"
    marks.nth(1).hover()  # the mark, not the sentence around it, owns the tooltip
    hovered = page.evaluate("document.querySelector('.article mark.loaded:hover').title")
    assert hovered == "Loaded_Language"
    assert "<i>nobody</i>" in page.locator(".article").inner_text()
    assert page.locator(".article i").count() == 0
    page.close()
