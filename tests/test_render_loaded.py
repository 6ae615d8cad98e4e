"""Loaded-language and technique spans marked in the report's article text (render/html.py)."""

from __future__ import annotations

import re
from typing import Any

from wiretrace.render.html import render_html


def _marked_text(sent: dict[str, Any], spans: list[Any]) -> str:
    """The sentence's marked-up text as the standalone report writes it in the article."""
    sentence = {**sent, "status": "unsourced", "sources": []}
    claims = {"sentences": [{"index": sent["index"], "loaded": spans}]}
    page = render_html({"sentences": [sentence], "claims": claims})
    found = re.search(r'<a class="go" href="#r0-d0">(.*?)</a>', page)
    assert found is not None
    return found.group(1)


def _span(sent: dict[str, object], phrase: str, technique: str, score: object) -> dict[str, object]:
    text = str(sent["text"])
    start = int(str(sent["start"])) + text.index(phrase)
    return {"technique": technique, "text": phrase, "start": start, "end": start + len(phrase),
            "score": score}  # fmt: skip


def test_spans_are_marked_with_technique_and_score_on_hover() -> None:
    sent = {"index": 2, "start": 100, "text": "The <vile> mob & its cronies wrecked Osterby."}
    spans = [
        _span(sent, "<vile> mob", 'Loaded_Language"><script>', 0.91),
        _span(sent, "cronies", "Name_Calling,Labeling", None),
    ]
    got = _marked_text(sent, spans)
    assert got == (
        'The <mark class="loaded" title="Loaded_Language&#34;&gt;&lt;script&gt; 0.91">'
        "&lt;vile&gt; mob</mark> &amp; its "
        '<mark class="loaded" title="Name_Calling,Labeling">cronies</mark> wrecked Osterby.'
    )


def test_overlapping_spans_make_one_mark_naming_both() -> None:
    sent = {"index": 0, "start": 0, "text": "A spineless coward runs Varrow."}
    spans = [
        _span(sent, "spineless", "Loaded_Language", 0.8),
        _span(sent, "A spineless coward", "Name_Calling,Labeling", 0.7),
    ]
    got = _marked_text(sent, spans)
    assert got == (
        '<mark class="loaded" title="Name_Calling,Labeling 0.70; Loaded_Language 0.80">'
        "A spineless coward</mark> runs Varrow."
    )


def test_spans_that_do_not_match_the_sentence_are_left_out() -> None:
    sent = {"index": 0, "start": 10, "text": "Calm <b>day</b> in Varrow."}
    stale = {"technique": "Doubt", "text": "Storm", "start": 10, "end": 15, "score": 0.5}
    outside = {"technique": "Doubt", "text": "x", "start": 500, "end": 501, "score": 0.5}
    assert _marked_text(sent, [stale, outside, {"start": "3"}]) == (
        "Calm &lt;b&gt;day&lt;/b&gt; in Varrow."
    )
