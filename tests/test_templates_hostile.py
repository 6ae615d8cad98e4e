"""Every workbench page and the standalone report, rendered with hostile article strings in
every text field: each string is shown escaped, never as markup, and never run as a template."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from typing import Any

import pytest
from jinja2 import Environment, Template
from markupsafe import escape

from wiretrace.render import html as report_html
from wiretrace.render.html import REPORT_ENV, render_html
from wiretrace.web import api_docs
from wiretrace.web.claims_page import claims_page
from wiretrace.web.incident_pages import detail_page, list_page
from wiretrace.web.pages import corpus_page, error_page, home_page, outlet_page, quotes_page
from wiretrace.web.templating import PAGES
from wiretrace.web.trace_page import trace_page


def hostile(field: str) -> str:
    """A string that breaks out of text, attributes, a textarea and a template if unescaped."""
    return (
        f'<script>alert("{field}")</script>"onload=alert(1) x=\'</textarea>'
        f"{{{{ 7*7 }}}}{{% if 1 %}}{field}-ran{{% endif %}}"
    )


FIELDS = (
    "title",
    "outlet",
    "url",
    "sentence",
    "source",
    "source_outlet",
    "source_url",
    "verdict",
    "speaker",
    "resolved",
    "role",
    "cue",
    "channel",
    "quote",
    "figure",
    "actor",
    "place",
    "attributed",
    "technique",
    "loaded",
    "change_from",
    "change_to",
    "note",
    "snippet",
    "search",
    "error",
    "value",
    "group",
    "grade",
    "why",
    "primary",
    "incident_place",
)
H = {name: hostile(name) for name in FIELDS}


def _report() -> dict[str, Any]:
    sentence = "Before " + H["sentence"] + " " + H["loaded"] + " after."
    loaded_at = sentence.index(H["loaded"])
    source = {
        "article_id": "src-1",
        "url": "https://a.example/" + H["source_url"],
        "outlet": H["source_outlet"],
        "published_at": "2031-05-05T06:10:00+00:00",
        "sentence_index": 3,
        "text": H["source"] + " " + H["change_from"],
        "similarity": 0.9,
        "direction": "earlier",
        "earliest": True,
        "chain": ["src-1", "x"],
        "changes": [
            {
                "kind": "number",
                "from": H["change_from"],
                "to": H["change_to"],
                "factual": True,
                "source_start": len(H["source"]) + 1,
                "source_end": len(H["source"]) + 1 + len(H["change_from"]),
                "target_start": 0,
                "target_end": 6,
            }
        ],
    }
    return {
        "schema": "wiretrace.trace/2",
        "article": {
            "id": "art-1",
            "title": H["title"],
            "outlet": H["outlet"],
            "url": H["url"],
            "published_at": "2031-05-08T14:30:00+00:00",
            "language": "en",
        },
        "summary": {
            "sources": [{**source, "sentences": 1}],
            "outlets": [H["source_outlet"]],
            "copied_share": 0.5,
            "unsourced_share": 0.5,
            "factual_changes": 1,
            "verdict": H["verdict"],
        },
        "sentences": [
            {
                "index": 0,
                "start": 0,
                "end": len(sentence),
                "text": sentence,
                "status": "copied",
                "sources": [source],
                "duplicate_of": None,
                "flags": ["factual_change"],
            },
            {
                "index": 1,
                "start": 200,
                "end": 210,
                "text": H["sentence"],
                "status": "duplicate",
                "sources": [],
                "duplicate_of": 0,
                "flags": [],
            },
        ],
        "notes": [H["note"]],
        "claims": {
            "quotes": [
                {
                    "speaker": H["speaker"],
                    "speaker_resolved": H["resolved"],
                    "role": H["role"],
                    "cue": H["cue"],
                    "channel": H["channel"],
                    "content": H["quote"],
                    "direct": True,
                }
            ],
            "figures": [
                {
                    "value": H["figure"],
                    "group": H["group"],
                    "kind": "killed",
                    "actor": H["actor"],
                    "place": H["place"],
                    "date": "2031-05-07",
                    "attributed_to": H["attributed"],
                }
            ],
            "casualties": {"civilians": H["figure"]},
            "sentences": [
                {
                    "index": 0,
                    "artifacts": ["stitched"],
                    "loaded": [
                        {
                            "technique": H["technique"],
                            "text": H["loaded"],
                            "score": 0.9,
                            "start": loaded_at,
                            "end": loaded_at + len(H["loaded"]),
                        }
                    ],
                }
            ],
        },
    }


def _claims() -> dict[str, Any]:
    report = _report()
    claims = {
        "article": report["article"],
        "quotes": [{**report["claims"]["quotes"][0], "sentence_index": 0}],
        "figures": [{**report["claims"]["figures"][0], "sentence_index": 0, "unit": H["value"]}],
        "casualties": {"civilians": 3},
        "title_artifacts": [H["note"]],
        "entities": [],
        "sentences": [
            {
                "index": 0,
                "artifacts": [H["value"]],
                "loaded": report["claims"]["sentences"][0]["loaded"],
            }
        ],
    }
    return {"claims": claims, "sentences": [report["sentences"][0]["text"]]}


def _row() -> dict[str, Any]:
    return {
        "id": "art-1",
        "url": H["url"],
        "outlet": H["outlet"],
        "title": H["title"],
        "published_at": "2031-05-08T14:30:00",
        "snippet": H["snippet"],
    }


def _incident() -> dict[str, Any]:
    member = {
        "article_id": "art-1",
        "url": H["url"],
        "outlet": H["outlet"],
        "published_at": "2031-05-08T14:30:00",
        "figures": {"civilians": 12.0},
    }
    return {
        "id": "inc-1",
        "kind": "incident",
        "place": H["incident_place"],
        "date": "2031-05-07",
        "speaker": H["speaker"],
        "grade": H["grade"],
        "why": H["why"],
        "counts": {"articles": 2, "origins": 1, "primary_sources": 1},
        "figures": {"civilians": {"best": 12.0, "low": 12.0, "high": 14.0}},
        "agreement": {"civilians": {"status": H["value"]}},
        "primary_sources": [H["primary"]],
        "changed_in_copy": [
            {"outlet": H["outlet"], "url": H["url"], "group": "civilians", "from": 12, "to": 14}
        ],
        "origin_articles": [
            {**member, "primary_sources": [H["primary"]], "copies": [{**member, "figures": {}}]}
        ],
        "claimreview_url": "/incidents/inc-1/claimreview.json",
    }


def _pages() -> Iterator[tuple[str, Callable[[], str], tuple[str, ...]]]:
    """(page, render it, the fields it must show)."""
    trace_fields = (
        "title",
        "outlet",
        "url",
        "sentence",
        "source",
        "source_outlet",
        "verdict",
        "change_from",
        "change_to",
        "loaded",
        "technique",
    )
    claim_fields = (
        "speaker",
        "resolved",
        "role",
        "cue",
        "channel",
        "quote",
        "figure",
        "actor",
        "place",
        "attributed",
        "note",
    )
    yield "standalone report", lambda: render_html(_report()), trace_fields
    yield "trace view", lambda: trace_page(_report(), stored=True), trace_fields + claim_fields
    yield "trace view, not stored", lambda: trace_page(_report(), stored=False), ("title",)
    yield (
        "claims",
        lambda: claims_page(_claims()),
        (
            "title",
            "outlet",
            "speaker",
            "role",
            "cue",
            "channel",
            "quote",
            "place",
            "attributed",
            "value",
            "technique",
            "loaded",
            "sentence",
            "note",
        ),
    )
    search = {"q": H["search"], "outlet": H["outlet"], "since": H["value"], "until": None}
    corpus = {
        "overview": {"articles": 1, "outlets": 1, "first": None, "last": None},
        "timeline": {
            "unit": "day",
            "bins": [{"start": f"2031-05-0{d}", "articles": d} for d in (1, 2, 3, 4)],
        },
        "outlets": [{"outlet": H["outlet"], "articles": 1, "first": None, "last": None}],
        "search": search,
        "results": [_row()],
        "error": "since: " + H["error"],
    }
    yield (
        "corpus",
        lambda: corpus_page(corpus),
        ("search", "outlet", "value", "title", "snippet", "error"),
    )
    values = {
        "text": H["sentence"],
        "title": H["title"],
        "outlet": H["outlet"],
        "published_at": H["value"],
        "fetch_url": H["url"],
    }
    yield (
        "home",
        lambda: home_page(
            {"articles": 1, "latest": [_row()]},
            token_needed=True,
            error=H["error"],
            values=values,
            field="published_at",
        ),
        ("sentence", "title", "outlet", "value", "url", "error"),
    )
    profile = {
        "outlet": H["outlet"],
        "articles": 1,
        "sampled_articles": 1,
        "copied_share": 0.5,
        "paraphrased_share": 0.1,
        "unsourced_share": 0.2,
        "median_delay_hours": 2.5,
        "factual_changes": 1,
        "method": H["note"],
        "top_sources": [{"outlet": H["source_outlet"], "sentences": 3}],
        "factual_change_examples": [
            {
                "article_id": "art-1",
                "source_outlet": H["source_outlet"],
                "kind": "number",
                "from": H["change_from"],
                "to": H["change_to"],
            }
        ],
    }
    yield (
        "outlet",
        lambda: outlet_page({"profile": profile, "latest": [_row()]}),
        ("outlet", "source_outlet", "note", "change_from", "change_to", "title"),
    )
    quote = {
        "article_id": "art-1",
        "speaker": H["speaker"],
        "speaker_canonical": H["resolved"],
        "role": H["role"],
        "cue": H["cue"],
        "channel": H["channel"],
        "content": H["quote"],
        "outlet": H["outlet"],
        "published_at": None,
    }
    quotes = {
        "search": {"speaker": H["search"], "channel": H["channel"]},
        "quotes": [quote],
        "coverage": {"articles_stored": 3, "articles_with_quotes_extracted": 1},
        "token_needed": True,
    }
    yield (
        "quotes",
        lambda: quotes_page(quotes),
        ("speaker", "resolved", "role", "cue", "channel", "quote", "outlet", "search"),
    )
    listing = {"total": 1, "incidents": [_incident()]}
    yield "incidents", lambda: list_page(listing), ("incident_place", "speaker", "grade")
    yield (
        "incident",
        lambda: detail_page(_incident()),
        ("incident_place", "grade", "why", "primary", "outlet", "url", "value"),
    )
    yield "error", lambda: error_page(404, H["value"], H["error"]), ("value", "error")
    yield "api docs", lambda: api_docs.api_docs().body.decode(), ()


PAGES_UNDER_TEST = list(_pages())


class _Parsed(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.textareas: list[str] = []
        self._in_textarea = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        self._in_textarea = tag == "textarea"
        if self._in_textarea:
            self.textareas.append("")

    def handle_endtag(self, tag: str) -> None:
        self._in_textarea = self._in_textarea and tag != "textarea"

    def handle_data(self, data: str) -> None:
        if self._in_textarea:
            self.textareas[-1] += data


@pytest.mark.parametrize(
    ("name", "render", "fields"), PAGES_UNDER_TEST, ids=lambda x: x if isinstance(x, str) else ""
)
def test_hostile_strings_stay_text(
    name: str, render: Callable[[], str], fields: tuple[str, ...]
) -> None:
    page = render()
    assert "<script>alert" not in page and '"onload=' not in page and "'</textarea>" not in page
    # Run as a template, {{ 7*7 }} would write 49 right after the escaped </textarea>, and the
    # {% if %} would leave "<field>-ran" without its literal {% endif %}.
    assert "&gt;49" not in page
    # (in links the payload is percent-encoded: {% is %7B%25)
    assert not re.search(r"-ran(?!\{% endif %\}|%7B%25)", page), "a template statement ran"
    for field in fields:  # each field is shown, escaped (quotes included) and not evaluated
        assert str(escape(H[field])) in page or str(escape(H[field]))[:60] in page, (name, field)
    parsed = _Parsed()
    parsed.feed(page)
    for tag, attrs in parsed.tags:
        assert tag != "script" or dict(attrs).get("src") or name == "standalone report", name
        for attribute, value in attrs:
            assert not attribute.startswith("on"), (name, tag, attribute)
            if attribute == "href" and tag == "a":
                assert value is not None and value.startswith(("/", "#", "http://", "https://")), (
                    value
                )
    for content in parsed.textareas:  # the typed text comes back whole, as text
        assert content == H["sentence"]
    if name == "standalone report":
        scripts = [t for t, _ in parsed.tags if t == "script"]
        assert scripts == ["script"] and page.count("<script>") == 1


def test_every_template_is_rendered_here(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pages above use every template of render/ and web/ (so a new one gets checked)."""
    used: set[str] = set()

    def recording(env: Environment) -> Callable[..., Template]:
        original = env.get_template

        def get_template(name: str | Template, *args: Any, **kwargs: Any) -> Template:
            used.add(str(name))
            return original(name, *args, **kwargs)

        return get_template

    for env in (REPORT_ENV, PAGES):
        monkeypatch.setattr(env, "get_template", recording(env))
    for _, render, _ in PAGES_UNDER_TEST:
        render()
    assert used >= set(REPORT_ENV.list_templates()) | set(PAGES.list_templates())
    assert report_html.REPORT_ENV is REPORT_ENV
