"""The workbench as a user meets it: offline API docs, the claims page, building the quotes index
from the page, forms that keep input and name the wrong field, and a 390 px wide screen.

Debian's chromium headless (never skipped), the server on loopback over a real DuckDB file.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from tests.test_web_browser import CHROMIUM, LAUNCH_ARGS, SOURCES, STITCHED, _free_port
from wiretrace import api
from wiretrace.web import create_app

# Synthetic: an invented town, a spokesman, a toll.
TOLL = {
    "title": "Ferry strike toll rises in Marrowby",
    "outlet": "Northwire",
    "url": "https://northwire.example/toll",
    "published_at": "2031-04-09T08:00:00Z",
    "text": "The death toll from Monday's strike on two ferries near the Carden pier climbed to "
    "12 civilians, including eight children, the Marrowby Civil Watch said on Wednesday. "
    "Harbour official Pel Orrin told Lumen TV that the pier would stay closed. "
    '"We have never seen anything like it," said Ilse Varno, the watch\'s director. '
    "The reckless attack was condemned by the town council.",
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A store filled by `wiretrace add` (so its quotes are not indexed yet), then served."""
    folder = tmp_path_factory.mktemp("bench")
    records = folder / "seed.jsonl"
    records.write_text("\n".join(json.dumps(r) for r in [*SOURCES, TOLL]) + "\n")
    db = folder / "bench.duckdb"
    assert api.add([records], db=db).added == 3
    app = create_app(db)
    port = _free_port()
    running = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.1)
    yield base
    running.should_exit = True
    thread.join(timeout=10)
    app.state.bench.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    assert CHROMIUM.exists(), "chromium is missing: apt-get install -y chromium chromium-driver"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS
        )
        yield launched
        launched.close()


def _toll_id(base: str) -> str:
    found = httpx.get(f"{base}/api/articles", params={"q": "ferries"}, timeout=30).json()
    [article] = [a for a in found["articles"] if a["url"] == TOLL["url"]]
    return str(article["id"])


def test_api_docs_are_served_offline_inside_the_csp(server: str, browser: Any) -> None:
    page = browser.new_page()
    requests: list[str] = []
    console: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: console.append(message.text))
    page.goto(server + "/api/docs")
    page.wait_for_selector(".opblock", timeout=30_000)
    paths = page.eval_on_selector_all(".opblock-summary-path", "els => els.map(e => e.textContent)")
    assert any("/api/articles/batch" in p for p in paths) and any("/api/trace" in p for p in paths)
    assert all(url.startswith(server) for url in requests), requests
    assert not [c for c in console if "Content Security Policy" in c], console
    page.close()


def test_claims_page_and_its_json_twin(server: str) -> None:
    article_id = _toll_id(server)
    page = httpx.get(f"{server}/articles/{article_id}/claims", timeout=60)
    assert page.status_code == 200
    html = page.text
    assert "Pel Orrin" in html and "Lumen TV" in html and "Ilse Varno" in html
    assert "Casualties in the main incident: 12 civilians" in html
    assert "12.0" not in html
    assert "loaded" in html.lower()
    twin = httpx.get(f"{server}/articles/{article_id}/claims.json", timeout=60).json()
    assert twin == httpx.get(f"{server}/api/articles/{article_id}/claims", timeout=60).json()
    assert twin["casualties"]["civilians"] == 12
    missing = httpx.get(f"{server}/articles/nothing-here/claims", headers={"accept": "text/html"})
    assert missing.status_code == 404


def test_hostile_text_on_the_claims_page_stays_text(server: str, browser: Any) -> None:
    added = httpx.post(
        f"{server}/api/articles",
        json={"text": STITCHED + " Officials said 9 people were killed.", "title": "<b>x</b>"},
        timeout=60,
    )
    article_id = added.json()["articles"][0]["id"]
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{server}/articles/{article_id}/claims")
    assert page.locator("h1").inner_text() == "<b>x</b>"
    assert page.locator("script:not([src])").count() == 0 and dialogs == []
    page.close()


def test_quotes_index_is_built_from_the_page(server: str, browser: Any) -> None:
    page = browser.new_page()
    page.goto(server + "/quotes")
    button = page.locator("#index-quotes")
    assert button.count() == 1 and "Extract the quotes of" in button.inner_text()
    button.click()
    page.wait_for_url("**/quotes")
    assert page.locator("#index-quotes").count() == 0
    assert "Pel Orrin" in page.locator("table").inner_text()
    page.close()


def test_form_keeps_input_and_names_the_wrong_field(server: str, browser: Any) -> None:
    page = browser.new_page()
    page.goto(server + "/")
    page.fill("textarea[name=text]", SOURCES[0]["text"])
    page.fill("input[name=title]", "Kept title")
    page.fill("input[name=outlet]", "Kept outlet")
    page.fill("input[name=published_at]", "the day after the flood")
    page.click("#trace-btn")
    page.wait_for_load_state()
    alert = page.locator(".problem").inner_text()
    assert "published_at" in alert and "field: published at" in alert
    assert page.input_value("textarea[name=text]") == SOURCES[0]["text"]
    assert page.input_value("input[name=title]") == "Kept title"
    assert page.input_value("input[name=outlet]") == "Kept outlet"
    assert page.input_value("input[name=published_at]") == "the day after the flood"
    assert page.get_attribute("input[name=published_at]", "aria-invalid") == "true"
    page.fill("input[name=published_at]", "0001-01-01")
    page.click("#trace-btn")
    page.wait_for_load_state()
    assert "outside 1800..2100" in page.locator(".problem").inner_text()
    page.close()
    answer = httpx.post(
        f"{server}/api/articles", json={"text": SOURCES[1]["text"], "published_at": "soon"}
    )
    assert answer.status_code == 422 and "published_at" in answer.json()["error"]["message"]


def test_corpus_search_keeps_input_and_names_the_bad_date(server: str) -> None:
    query = {"q": "ferry", "outlet": "Northwire", "since": "last week"}
    page = httpx.get(f"{server}/corpus", params=query, headers={"accept": "text/html"})
    assert page.status_code == 422
    assert "since: not a date (YYYY-MM-DD)" in page.text
    assert (
        'name="since" placeholder="YYYY-MM-DD" value="last week" aria-invalid="true"' in page.text
    )
    assert 'value="ferry"' in page.text and 'value="Northwire"' in page.text
    twin = httpx.get(f"{server}/corpus.json", params=query)
    assert twin.status_code == 422 and "since" in twin.json()["error"]["message"]


@pytest.mark.parametrize(
    "path", ["/", "/corpus", "/quotes", "/incidents", "/outlets/Northwire", "TRACE", "CLAIMS"]
)
def test_usable_at_390_pixels(server: str, browser: Any, path: str) -> None:
    if path in ("TRACE", "CLAIMS"):
        article_id = _toll_id(server)
        path = f"/articles/{article_id}" + ("/claims" if path == "CLAIMS" else "")
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(server + path)
    page.wait_for_load_state()
    width = page.evaluate("document.documentElement.scrollWidth")
    overflowing = page.evaluate(
        """() => {
          const scrolled = e => {
            for (let a = e.parentElement; a; a = a.parentElement) {
              if (['auto', 'scroll'].includes(getComputedStyle(a).overflowX)) return true;
            }
            return false;
          };
          return [...document.querySelectorAll('main *')]
             .filter(e => e.getBoundingClientRect().right > 391 && !scrolled(e))
             .map(e => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`)
             .slice(0, 6);
        }"""
    )
    assert width <= 390, f"{path} is {width} px wide at a 390 px screen: {overflowing}"
    assert overflowing == [], f"{path}: {overflowing}"
    page.close()


def test_claims_text_output_is_readable(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from wiretrace.cli.main import cli

    story = tmp_path / "toll.txt"
    story.write_text(f"{TOLL['title']}\n\n{TOLL['text']}\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["claims", str(story)])
    assert result.exit_code == 0
    assert "Pel Orrin (Harbour official) told Lumen TV" in result.stdout or (
        "told Lumen TV" in result.stdout and "told to" not in result.stdout
    )
    assert "12 civilians" in result.stdout and "12.0" not in result.stdout
    assert "{" not in result.stdout and "None" not in result.stdout
