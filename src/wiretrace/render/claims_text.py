"""The `wiretrace claims` report as readable text: plain words and numbers, never Python reprs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

# Cues whose verb takes the audience as its object: "told Lumen TV", not "told to Lumen TV".
_OBJECT_CUES = {
    "told",
    "tell",
    "tells",
    "telling",
    "informed",
    "informs",
    "assured",
    "assures",
    "briefed",
    "briefs",
    "warned",
    "warns",
    "reminded",
    "advised",
    "notified",
    "urged",
    "urges",
    "asked",
    "asks",
}
_PREVIEW = 160


def number(value: Any) -> str:
    """12.0 -> '12', 1500 -> '1,500', 2.5 -> '2.5'; anything else as text."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _words(name: str) -> str:
    return name.replace("_", " ")


def _cut(text: str, limit: int = _PREVIEW) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def speaker_shown(quote: Mapping[str, Any]) -> str:
    """The speaker as written, and who that is where the text says it elsewhere: 'she =
    Lena Ortiz'; a quotation continuing its speaker's quote: '(continued) = Lena Ortiz'."""
    written = quote.get("speaker") or ("(continued)" if quote.get("continued") else "(none)")
    resolved = quote.get("speaker_resolved")
    return f"{written} = {resolved}" if resolved and resolved != written else str(written)


def quote_line(quote: Mapping[str, Any]) -> str:
    """'Nadia Orvash (LVF spokeswoman) told Meridian Press (reported): the offensive began'."""
    speaker = speaker_shown(quote)
    role = f" ({quote['role']})" if quote.get("role") else ""
    cue = str(quote.get("cue") or "")  # none on a quotation that continues its speaker's
    channel = quote.get("channel")
    if channel:
        last = cue.split()[-1].lower() if cue.split() else ""
        cue = f"{cue} {channel}" if last in _OBJECT_CUES else f"{cue} to {channel}".strip()
    kind = "direct" if quote.get("direct") else "reported"
    content = _cut(str(quote.get("content") or ""))
    said = f" {cue}" if cue else ""
    return f"{speaker}{role}{said} ({kind}): {content}"


def _amount(figure: Mapping[str, Any]) -> str:
    value, low, high = figure.get("value"), figure.get("low"), figure.get("high")
    if low is not None and high is not None and low != high:
        return f"{number(low)}–{number(high)}"
    if value is None:
        return number(low if low is not None else high) if (low or high) is not None else "some"
    return number(value)


def figure_line(figure: Mapping[str, Any]) -> str:
    """'killed: 12 civilians · Old Mill Gate · 2031-05-05 · per The Civil Watch'."""
    what = figure.get("group") or figure.get("unit") or ""
    parts = [f"{_words(str(figure.get('kind') or 'figure'))}: {_amount(figure)} {what}".rstrip()]
    for key in ("actor", "place", "date"):
        if figure.get(key):
            parts.append(f"by {figure[key]}" if key == "actor" else str(figure[key]))
    if figure.get("cumulative"):
        parts.append("cumulative")
    if figure.get("attributed_to"):
        parts.append(f"per {figure['attributed_to']}")
    return " · ".join(parts)


def casualty_line(casualties: Any) -> str:
    """'12 civilians, 8 children' from the main incident's deaths by group."""
    if not isinstance(casualties, Mapping):
        return "none reported" if not casualties else str(casualties)
    counts = [
        f"{number(value)} {_words(str(group))}"
        for group, value in casualties.items()
        if isinstance(value, int | float) and not isinstance(value, bool) and value
    ]
    return ", ".join(counts) if counts else "none reported"


def _loaded(spans: Sequence[Mapping[str, Any]]) -> str:
    return ", ".join(
        f"{_words(str(s.get('technique')))} “{_cut(str(s.get('text')), 60)}”" for s in spans
    )


def _at(item: Mapping[str, Any]) -> str:
    """'[3] ' for an item of sentence 3; nothing when the item names no sentence."""
    index = item.get("sentence_index")
    return f"[{index}] " if index is not None else ""


def claims_text(report: Mapping[str, Any]) -> str:
    """The whole report as lines of text (the caller escapes control characters)."""
    article = report.get("article") or {}
    lines = [str(article.get("title") or "(untitled)")]
    meta = [str(article[k]) for k in ("outlet", "published_at", "id") if article.get(k)]
    if meta:
        lines.append(" · ".join(meta))
    if report.get("title_artifacts"):
        lines.append("title: " + ", ".join(_words(str(a)) for a in report["title_artifacts"]))
    quotes = report.get("quotes") or []
    lines += ["", f"Quotes ({len(quotes)})"]
    lines += [f"  {_at(q)}{quote_line(q)}" for q in quotes] or ["  none"]
    figures = report.get("figures") or []
    lines += ["", f"Figures ({len(figures)})"]
    lines += [f"  {_at(f)}{figure_line(f)}" for f in figures] or ["  none"]
    lines += ["", f"Casualties (main incident): {casualty_line(report.get('casualties'))}"]
    lines += ["", "Sentences"]
    for sentence in report.get("sentences") or []:
        notes = [_words(str(sentence.get("assertion") or ""))]
        notes += [_words(str(a)) for a in sentence.get("artifacts") or []]
        if sentence.get("loaded"):
            notes.append("loaded: " + _loaded(sentence["loaded"]))
        lines.append(f"  [{sentence.get('index')}] {'; '.join(n for n in notes if n)}")
    return "\n".join(lines)
