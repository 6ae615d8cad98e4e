"""Markdown rendering of `wiretrace.trace/2` reports, plus the small helpers all renderers share."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

Report = Mapping[str, Any]

STATUSES = ("copied", "paraphrased", "duplicate", "unsourced", "boilerplate")
CHANGE_KINDS = ("number", "entity", "word", "insert", "delete")
SHARES = (
    ("copied_share", "Copied"),
    ("paraphrased_share", "Paraphrased"),
    ("duplicate_share", "Duplicate"),
    ("unsourced_share", "Unsourced"),
    ("boilerplate_share", "Boilerplate"),
)

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]#|~!])")
_WHITESPACE = re.compile(r"\s+")


def as_map(value: object) -> Mapping[str, Any]:
    """The value if it is a mapping, else an empty one."""
    return value if isinstance(value, Mapping) else {}


def as_list(value: object) -> list[Any]:
    """The value as a list if it is a list or tuple, else an empty list."""
    return list(value) if isinstance(value, list | tuple) else []


def as_reports(reports: Sequence[Report] | Report) -> list[Report]:
    """One report or a sequence of them, as a list of mappings."""
    if isinstance(reports, Mapping):
        return [reports]
    return [as_map(report) for report in reports]


def text_of(value: object, default: str = "") -> str:
    """A display string for a report value; None and missing become `default`."""
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def as_int(value: object) -> int | None:
    """The value as an int when it is one (bools excluded), else None."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def as_float(value: object) -> float | None:
    """The value as a finite float when it is a number, else None."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
        return number if number == number and abs(number) != float("inf") else None
    return None


def fmt_share(value: object) -> str:
    """A 0..1 share as a percentage, or an em dash when unknown."""
    number = as_float(value)
    return "—" if number is None else f"{number * 100:.0f}%"


def fmt_similarity(value: object) -> str:
    """A 0..1 similarity with two decimals, or an em dash when unknown."""
    number = as_float(value)
    return "—" if number is None else f"{number:.2f}"


def status_of(sentence: Mapping[str, Any]) -> str:
    """The sentence status if it is a known one, else "unknown"."""
    status = sentence.get("status")
    return status if isinstance(status, str) and status in STATUSES else "unknown"


def is_factual(change: Mapping[str, Any]) -> bool:
    """Whether a change alters a fact (explicit flag, else number/entity kinds)."""
    factual = change.get("factual")
    if isinstance(factual, bool):
        return factual
    return change.get("kind") in ("number", "entity")


def change_kind(change: Mapping[str, Any]) -> str:
    """The change kind if it is a known one, else "other"."""
    kind = change.get("kind")
    return kind if isinstance(kind, str) and kind in CHANGE_KINDS else "other"


def describe_change(change: Mapping[str, Any]) -> tuple[str, str, str]:
    """(from, to, label) for a change, e.g. ("21", "12", "number, factual")."""
    kind = change_kind(change)
    old, new = text_of(change.get("from")), text_of(change.get("to"))
    if kind == "insert":
        old = ""
    elif kind == "delete":
        new = ""
    label = f"{kind}, factual" if is_factual(change) else kind
    return old, new, label


def edit_text(old: str, new: str, arrow: str = "->") -> str:
    """An edit as text: "old -> new", with ∅ for the empty side of an insert or delete."""
    return f"{old or '∅'} {arrow} {new or '∅'}"


def source_key(source: Mapping[str, Any]) -> str:
    """A key identifying a source article across the summary and the sentences."""
    for field in ("article_id", "url", "outlet"):
        value = source.get(field)
        if isinstance(value, str) and value:
            return f"{field}:{value}"
    return ""


def collect_sources(report: Report) -> list[Mapping[str, Any]]:
    """The report's sources in legend order: the summary's, then any only the sentences name."""
    found: list[Mapping[str, Any]] = []
    seen: set[str] = set()
    summary_sources = as_list(as_map(report.get("summary")).get("sources"))
    sentence_sources = [
        src
        for sent in as_list(report.get("sentences"))
        for src in as_list(as_map(sent).get("sources"))
    ]
    for source in [*summary_sources, *sentence_sources]:
        source = as_map(source)
        key = source_key(source)
        if key and key not in seen:
            seen.add(key)
            found.append(source)
    return found


def display_index(sentence: Mapping[str, Any], position: int) -> int:
    """The sentence's own index, or its position in the list when it has none."""
    index = as_int(sentence.get("index"))
    return position if index is None else index


def first_source(sentence: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The sentence's best source, if it has one."""
    sources = as_list(sentence.get("sources"))
    return as_map(sources[0]) if sources else None


def source_number(report_sources: list[Mapping[str, Any]], source: Mapping[str, Any] | None) -> int:
    """The position of a source in the legend, or -1 when it is not there."""
    if source is None:
        return -1
    key = source_key(source)
    for number, known in enumerate(report_sources):
        if key and source_key(known) == key:
            return number
    return -1


def source_tag(report_sources: list[Mapping[str, Any]], source: Mapping[str, Any]) -> str:
    """The legend key of a source followed by a space ("S2 "), or nothing when unknown."""
    number = source_number(report_sources, source)
    return f"S{number + 1} " if number >= 0 else ""


def md(value: object, default: str = "") -> str:
    """Untrusted text made inert for Markdown: one line, punctuation and HTML escaped."""
    flat = _WHITESPACE.sub(" ", text_of(value, default)).strip()
    flat = flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", flat)


def md_url(value: object) -> str:
    """An http(s) url as an autolink, anything else as inert text."""
    url = text_of(value)
    if url.lower().startswith(("http://", "https://")) and not re.search(r"[\s<>]", url):
        return f"<{url}>"
    return md(url, "—")


def _markdown_one(report: Report) -> list[str]:
    article = as_map(report.get("article"))
    summary = as_map(report.get("summary"))
    sources = collect_sources(report)
    lines = [f"# {md(article.get('title'), 'Untitled article')}", ""]
    meta = [
        f"**Outlet:** {md(article.get('outlet'), 'unknown')}",
        f"**URL:** {md_url(article.get('url'))}",
        f"**Published:** {md(article.get('published_at'), 'unknown')}",
    ]
    verdict = md(summary.get("verdict"), "no verdict")
    lines += [" · ".join(meta), "", f"> **Verdict:** {verdict}", ""]
    lines += ["## Summary", "", "| Measure | Value |", "| --- | --- |"]
    lines += [f"| {label} | {fmt_share(summary.get(key))} |" for key, label in SHARES]
    lines.append(f"| Factual changes | {md(summary.get('factual_changes'), '—')} |")
    outlets = ", ".join(md(outlet) for outlet in as_list(summary.get("outlets"))) or "—"
    lines += [f"| Outlets | {outlets} |", "", "## Sources", ""]
    if sources:
        lines += [
            "| # | Outlet | URL | Published | Sentences | Earliest origin |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for number, source in enumerate(sources, 1):
            earliest = "yes" if source.get("earliest") is True else ""
            cells = [
                f"S{number}",
                md(source.get("outlet"), "unknown"),
                md_url(source.get("url")),
                md(source.get("published_at"), "unknown"),
                md(source.get("sentences"), "—"),
                earliest,
            ]
            lines.append(f"| {' | '.join(cells)} |")
    else:
        lines.append("No earlier sources found.")
    lines += ["", "## Sentences", ""]
    for position, sent in enumerate(as_list(report.get("sentences"))):
        lines += _markdown_sentence(as_map(sent), position, sources)
    return lines


def _markdown_sentence(
    sent: Mapping[str, Any], position: int, sources: list[Mapping[str, Any]]
) -> list[str]:
    status = status_of(sent)
    parts = [f"**#{display_index(sent, position)}**", status]
    best = first_source(sent)
    if best is not None:
        parts += [
            f"{source_tag(sources, best)}{md(best.get('outlet'), 'unknown outlet')}",
            f"similarity {fmt_similarity(best.get('similarity'))}",
        ]
    duplicate_of = as_int(sent.get("duplicate_of"))
    if duplicate_of is not None:
        parts.append(f"repeats #{duplicate_of}")
    flags = [md(flag) for flag in as_list(sent.get("flags"))]
    if flags:
        parts.append("flags: " + ", ".join(flags))
    others = [as_map(src) for src in as_list(sent.get("sources"))[1:]]
    if others:
        parts.append(
            "also "
            + ", ".join(
                f"{source_tag(sources, src)}{md(src.get('outlet'), 'unknown outlet')}"
                for src in others
            )
        )
    lines = [f"- {' · '.join(parts)} — {md(sent.get('text'))}"]
    for change in as_list(as_map(best).get("changes")):  # the best source's changes
        old, new, label = describe_change(as_map(change))
        lines.append(f"  - {edit_text(md(old), md(new))} ({label})")
    return lines


def render_markdown(reports: Sequence[Report] | Report) -> str:
    """Render trace reports as one Markdown document."""
    blocks = ["\n".join(_markdown_one(report)) for report in as_reports(reports)]
    return "\n\n---\n\n".join(blocks).rstrip() + "\n"
