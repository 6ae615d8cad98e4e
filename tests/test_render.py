"""The HTML, Markdown and terminal renderers over an invented `wiretrace.trace/2` report."""

from __future__ import annotations

import copy
import html
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from wiretrace.render import render, render_html, render_markdown, render_terminal

MERIDIAN = {
    "article_id": "a-meridian",
    "url": "https://meridianpress.example/2031/05/05/sarvell",
    "outlet": "Meridian Press",
    "published_at": "2031-05-05T06:10:00+00:00",
}
LITTORALE = {
    "article_id": "a-littorale",
    "url": "javascript:alert(1)",
    "outlet": 'Agence "><b> Littorale',
    "published_at": "2031-05-06T09:00:00+00:00",
}
NORTHWIRE = {"article_id": "a-northwire", "url": None, "outlet": "Northwire", "published_at": None}


def _change(
    kind: str, source: str, target: str, old: str, new: str, *, factual: bool, at: str = ""
) -> dict[str, Any]:
    """A change with its offsets found in the two texts (`at`: where an empty side sits)."""
    s_start = source.index(old) if old else source.index(at)
    t_start = target.index(new) if new else target.index(at)
    return {
        "kind": kind,
        "from": old,
        "to": new,
        "factual": factual,
        "source_start": s_start,
        "source_end": s_start + len(old),
        "target_start": t_start,
        "target_end": t_start + len(new),
    }


def _source(
    base: dict[str, Any],
    text: str,
    sentence_index: int,
    similarity: float,
    changes: list[dict[str, Any]],
    *,
    earliest: bool = True,
    direction: str = "earlier",
) -> dict[str, Any]:
    return {
        **base,
        "sentence_index": sentence_index,
        "start": 100 * sentence_index,
        "end": 100 * sentence_index + len(text),
        "text": text,
        "similarity": similarity,
        "direction": direction,
        "earliest": earliest,
        "chain": [base["article_id"]],
        "changes": changes,
    }


S0 = (
    "An alliance of Hesti and Karvenian fighters launched an assault on Monday to drive the "
    "Ashen Covenant militia out of Sarvell."
)
SRC1 = (
    "A coalition statement said its planes had hit 31 targets in and around the city "
    "since Saturday."
)
S1 = "A coalition statement said its planes had hit 13 targets in the city since Saturday."
SRC2 = (
    "Fighters of the Lusa Valley Forces pushed into the Tannery district before dawn, "
    "two commanders said."
)
S2 = (
    "Fighters of the Lusa Valley Forces stormed into the Old Mill district before dawn, "
    "two commanders said."
)
SRC3 = "Aid groups estimate that about 120,000 civilians remain inside Sarvell."
S3 = "Some 120,000 civilians remain trapped inside Sarvell, aid groups estimate."
S4 = "Witnesses said the militia <img src=x onerror=alert(1)> fired on families fleeing the river."
S6 = "Follow Frontline Daily 24 for the latest from the Lusa front."

CHANGES = {
    1: [
        _change("number", SRC1, S1, "31", "13", factual=True),
        _change("delete", SRC1, S1, "and around ", "", factual=False, at="the city"),
    ],
    2: [
        _change("word", SRC2, S2, "pushed", "stormed", factual=False),
        _change("entity", SRC2, S2, "Tannery", "Old Mill", factual=True),
    ],
    3: [_change("insert", SRC3, S3, "", "trapped ", factual=False, at="inside")],
}


def _sentence(
    index: int,
    text: str,
    status: str,
    sources: list[dict[str, Any]],
    flags: list[str] | None = None,
    duplicate_of: int | None = None,
) -> dict[str, Any]:
    start = index * 120
    return {
        "index": index,
        "start": start,
        "end": start + len(text),
        "text": text,
        "status": status,
        "sources": sources,
        "duplicate_of": duplicate_of,
        "passage": None,
        "flags": flags or [],
    }


def example_report() -> dict[str, Any]:
    """An invented report with every status, a null-url source and hostile strings."""
    sentences = [
        _sentence(0, S0, "copied", [_source(MERIDIAN, S0, 0, 1.0, [])]),
        _sentence(
            1, S1, "copied", [_source(MERIDIAN, SRC1, 11, 0.88, CHANGES[1])], ["factual_change"]
        ),
        _sentence(
            2, S2, "copied", [_source(LITTORALE, SRC2, 1, 0.86, CHANGES[2])], ["factual_change"]
        ),
        _sentence(
            3,
            S3,
            "paraphrased",
            [_source(NORTHWIRE, SRC3, 9, 0.71, CHANGES[3], earliest=False, direction="unknown")],
            ["reordered"],
        ),
        _sentence(4, S4, "unsourced", []),
        _sentence(5, S0, "duplicate", [], duplicate_of=0),
        _sentence(6, S6, "boilerplate", []),
    ]
    return {
        "schema": "wiretrace.trace/2",
        "article": {
            "id": "a-frontline",
            "url": "https://frontlinedaily24.example/sarvell-assault",
            "outlet": "Frontline Daily 24",
            "title": "<script>alert(1)</script>",
            "published_at": "2031-05-08T14:30:00+00:00",
            "language": "en",
        },
        "summary": {
            "sources": [
                {**MERIDIAN, "sentences": 2, "earliest": True},
                {**LITTORALE, "sentences": 1, "earliest": True},
                {**NORTHWIRE, "sentences": 1, "earliest": False},
            ],
            "outlets": ["Meridian Press", 'Agence "><b> Littorale', "Northwire"],
            "copied_share": 0.46,
            "paraphrased_share": 0.12,
            "duplicate_share": 0.17,
            "unsourced_share": 0.15,
            "boilerplate_share": 0.10,
            "factual_changes": 2,
            "verdict": "composite of 3 sources; 1 sentence has no source; 1 sentence repeated",
        },
        "sentences": sentences,
        "passages": [],
        "related": [],
    }


@pytest.fixture()
def report() -> dict[str, Any]:
    return example_report()


class _Tags(HTMLParser):
    """Every start tag and its attributes, as a browser would see them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def test_html_escapes_hostile_strings(report: dict[str, Any]) -> None:
    page = render_html([report])
    assert "<script>alert" not in page
    assert "<img" not in page and '"><b>' not in page
    assert not re.search(r"<[^>]*\sonerror=", page)
    assert not re.search(r"href\s*=\s*[\"']?\s*javascript:", page, re.I)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "javascript:alert(1)" in page  # shown as text
    parser = _Tags()
    parser.feed(page)
    assert [tag for tag, _ in parser.tags if tag in ("script", "img", "b", "iframe")] == ["script"]
    for _, attrs in parser.tags:
        for name, value in attrs:
            assert not name.startswith("on")
            if name == "href":
                assert value and (value.startswith(("#", "https://", "http://")))


def test_html_is_standalone(report: dict[str, Any]) -> None:
    page = render_html([report])
    assert not re.search(r"(src|href)\s*=\s*[\"']?(https?:)?//", page.split("<main>")[0])
    assert "@import" not in page and "<link" not in page
    assert page.startswith("<!DOCTYPE html>")


def test_html_shows_every_sentence_and_status(report: dict[str, Any]) -> None:
    page = render_html(report)
    for sent in report["sentences"]:
        assert html.escape(sent["text"], quote=True) in page
    for status in ("st-copied", "st-paraphrased", "st-duplicate", "st-unsourced", "st-boilerplate"):
        assert status in page
    assert '<a class="dup" href="#r0-s0">' in page  # the duplicate links to sentence 0
    assert "earliest origin" in page
    assert "no url" in page
    assert report["summary"]["verdict"] in page


def test_html_highlights_changes_at_their_offsets(report: dict[str, Any]) -> None:
    page = render_html([report])
    marked = re.findall(r'<(mark|ins|del) class="chg k-(\w+)( fact)?"[^>]*>(.*?)</\1>', page)
    found = {(kind, bool(fact), html.unescape(text)) for _, kind, fact, text in marked}
    for changes in CHANGES.values():
        for change in changes:
            for side in ("from", "to"):
                if change[side]:
                    assert (change["kind"], change["factual"], change[side]) in found


def test_html_tolerates_bad_offsets(report: dict[str, Any]) -> None:
    change = report["sentences"][1]["sources"][0]["changes"][0]
    change.update(source_start=500, source_end=2, target_start=None)
    page = render_html([report])
    assert html.escape(S1) in page


def test_html_is_deterministic(report: dict[str, Any]) -> None:
    assert render_html([report]) == render_html([copy.deepcopy(report)])


def test_html_only_links_http_urls(report: dict[str, Any]) -> None:
    hrefs = re.findall(r'href="([^"#][^"]*)"', render_html([report]))
    assert hrefs and all(href.startswith(("http://", "https://")) for href in hrefs)


def test_markdown_has_verdict_statuses_and_changes(report: dict[str, Any]) -> None:
    text = render_markdown([report])
    assert "composite of 3 sources" in text
    for status in ("copied", "paraphrased", "duplicate", "unsourced", "boilerplate"):
        assert f"· {status}" in text
    assert "31 -> 13 (number, factual)" in text
    assert "Tannery -> Old Mill (entity, factual)" in text
    assert "pushed -> stormed (word)" in text
    assert "<script>" not in text and "<img" not in text
    assert "(javascript" not in text
    assert render(report, "md") == text


def test_terminal_renders_narrow(report: dict[str, Any]) -> None:
    console = Console(record=True, width=60, color_system="truecolor")
    render_terminal([report], console)
    out = console.export_text()
    assert "1 sentence has no source" in " ".join(out.replace("│", " ").split())
    assert "31 -> 13 (number, factual)" in out
    assert "<script>alert(1)</script>" in out  # shown literally, never parsed as markup


@pytest.mark.parametrize(
    "broken",
    [
        {},
        {"article": None, "summary": None, "sentences": None},
        {"sentences": [{}, {"status": "weird", "sources": [{"changes": [{}]}]}, None]},
        {
            "summary": {
                "sources": [{"url": None, "outlet": None, "published_at": None}],
                "copied_share": "lots",
            },
            "sentences": [{"duplicate_of": 99}],
        },
    ],
)
def test_renderers_tolerate_missing_fields(broken: dict[str, Any]) -> None:
    assert "<!DOCTYPE html>" in render(broken, "html")
    assert render_markdown([broken])
    console = Console(record=True, width=20)
    render_terminal([broken], console)
    assert "Verdict" in console.export_text()


def test_several_reports_and_unknown_format(report: dict[str, Any]) -> None:
    page = render_html([report, example_report()])
    assert 'id="r1-d6"' in page and "Trace report 2 of 2" in page
    with pytest.raises(ValueError):
        render([report], "pdf")


def test_example_page_written(report: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "wiretrace-render-example.html"
    path.write_text(render_html([report]), encoding="utf-8")
    assert path.stat().st_size > 1000
