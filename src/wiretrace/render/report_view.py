"""A `wiretrace.trace/2` report as the typed values its HTML templates show.

The report arrives as its JSON dict (from a file, the server's cache or `TraceReport.to_dict`)
and may be partial or hostile: every field is read defensively, and everything handed to the
templates is a plain string, number or one of the dataclasses below, which the templates
escape when they write it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from wiretrace.render.markdown import (
    SHARES,
    Report,
    as_float,
    as_int,
    as_list,
    as_map,
    change_kind,
    collect_sources,
    describe_change,
    display_index,
    edit_text,
    first_source,
    fmt_share,
    fmt_similarity,
    is_factual,
    source_number,
    status_of,
    text_of,
)
from wiretrace.render.report_style import PALETTE

STATUS_LABELS = {
    "copied": "copied",
    "paraphrased": "paraphrased",
    "duplicate": "duplicate",
    "unsourced": "no source",
    "boilerplate": "boilerplate",
    "unknown": "unknown",
}
SHARE_COLOURS = {
    "copied_share": "#1d232a",
    "paraphrased_share": "#7b93a6",
    "duplicate_share": "#9b7fc4",
    "unsourced_share": "#c0262d",
    "boilerplate_share": "#c4c9ce",
}


@dataclass(frozen=True, slots=True)
class Link:
    """A url shown as text, and linked only when it is http(s) (never javascript:, data:)."""

    text: str
    href: str | None

    @classmethod
    def of(cls, value: object, default: str = "no url") -> Link:
        url = text_of(value)
        if url.lower().startswith(("http://", "https://")):
            return cls(url, url)
        return cls(text_of(value, default), None)


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of text; `tag` ("mark", "ins", "del") wraps it with a class and a hover title."""

    text: str
    tag: str | None = None
    css: str = ""
    title: str = ""


@dataclass(frozen=True, slots=True)
class Key:
    """A source's colour key: "S1" in the palette's colour class."""

    label: str
    css: str


@dataclass(frozen=True, slots=True)
class Header:
    kicker: str
    title: str
    outlet: str
    url: Link
    published: str
    language: str
    verdict: str


@dataclass(frozen=True, slots=True)
class ShareRow:
    label: str
    colour: str
    share: str
    bar_width: str | None  # a CSS percentage; None when the share is zero
    bar_title: str


@dataclass(frozen=True, slots=True)
class Summary:
    shares: list[ShareRow]
    factual_changes: str
    outlets: list[str]


@dataclass(frozen=True, slots=True)
class LegendRow:
    key: Key
    outlet: str
    earliest: bool
    url: Link
    date: str
    time: str | None
    sentences: str


@dataclass(frozen=True, slots=True)
class Change:
    text: str
    label: str
    factual: bool


@dataclass(frozen=True, slots=True)
class Comparison:
    """One source of a sentence beside it, the edits marked on both sides."""

    key: Key | None
    outlet: str
    sentence_index: str
    similarity: str
    url: Link
    published: str
    order_unknown: bool
    earliest: bool
    changes: list[Change]
    source: list[Piece]
    target: list[Piece]
    chain: str | None


@dataclass(frozen=True, slots=True)
class SentenceView:
    position: int
    shown: int
    status: str
    status_label: str
    colour: str
    label: str
    text: str
    pieces: list[Piece]  # the text with its loaded-language spans marked
    key: Key | None
    flags: list[tuple[str, str]]  # (css class, words)
    repeats: int | None  # position of the sentence this one repeats
    repeats_label: str
    comparisons: list[Comparison] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ReportView:
    rid: str
    header: Header
    summary: Summary
    legend: list[LegendRow]
    sentences: list[SentenceView]


def colour_class(number: int) -> str:
    return f"c{number % len(PALETTE)}" if number >= 0 else "cx"


def publication(value: object) -> tuple[str, str | None]:
    """A publication time as (date, time) when it is ISO with a "T", else (text, None)."""
    text = text_of(value, "unknown")
    if len(text) > 10 and text[:4].isdigit() and text[10] == "T":
        return text[:10], text[11:]
    return text, None


def changes_marked(text: str, changes: list[Any], side: str) -> list[Piece]:
    """The text cut at each change's span on `side` ("source"/"target"), spans marked."""
    spans: list[tuple[int, int, Mapping[str, Any]]] = []
    for change in changes:
        change = as_map(change)
        start, end = as_int(change.get(f"{side}_start")), as_int(change.get(f"{side}_end"))
        if start is not None and end is not None and 0 <= start < end <= len(text):
            spans.append((start, end, change))
    spans.sort(key=lambda span: (span[0], span[1]))
    out, pos = [], 0
    for start, end, change in spans:
        if start < pos:
            continue  # overlapping spans: keep the first
        kind = change_kind(change)
        tag = {"insert": "ins", "delete": "del"}.get(kind, "mark")
        css = f"chg k-{kind}" + (" fact" if is_factual(change) else "")
        old, new, label = describe_change(change)
        out.append(Piece(text[pos:start]))
        out.append(Piece(text[start:end], tag, css, f"{label}: {edit_text(old, new, '→')}"))
        pos = end
    out.append(Piece(text[pos:]))
    return out


def loaded_marked(sent: Mapping[str, Any], spans: list[Mapping[str, Any]]) -> list[Piece]:
    """The sentence's text with its technique spans marked, the techniques (and scores) as the
    hover title. Overlapping spans become one mark naming all their techniques; a span whose
    offsets do not match the sentence's text is left out."""
    text = text_of(sent.get("text"))
    start = sent.get("start")
    found: list[tuple[int, int, str]] = []
    for span in spans:
        s, e = span.get("start"), span.get("end")
        if not (isinstance(start, int) and isinstance(s, int) and isinstance(e, int)):
            continue
        a, b = s - start, e - start
        if 0 <= a < b <= len(text) and text[a:b] == text_of(span.get("text")):
            score = span.get("score")
            label = text_of(span.get("technique"))
            if isinstance(score, (int, float)) and not isinstance(score, bool):
                label += f" {score:.2f}"
            found.append((a, b, label))
    merged: list[tuple[int, int, list[str]]] = []
    for a, b, label in sorted(found):
        if merged and a < merged[-1][1]:
            last = merged[-1]
            merged[-1] = (last[0], max(last[1], b), [*last[2], label])
        else:
            merged.append((a, b, [label]))
    out, pos = [], 0
    for a, b, labels in merged:
        out.append(Piece(text[pos:a]))
        out.append(Piece(text[a:b], "mark", "loaded", "; ".join(labels)))
        pos = b
    out.append(Piece(text[pos:]))
    return out


def header_of(report: Report, number: int, total: int) -> Header:
    article, summary = as_map(report.get("article")), as_map(report.get("summary"))
    return Header(
        kicker=f"Trace report {number + 1} of {total}" if total > 1 else "Trace report",
        title=text_of(article.get("title"), "Untitled article"),
        outlet=text_of(article.get("outlet"), "unknown outlet"),
        url=Link.of(article.get("url")),
        published=text_of(article.get("published_at"), "unknown"),
        language=text_of(article.get("language")),
        verdict=text_of(summary.get("verdict"), "none"),
    )


def summary_of(report: Report) -> Summary:
    summary = as_map(report.get("summary"))
    rows = []
    for key, label in SHARES:
        share = min(max(as_float(summary.get(key)) or 0.0, 0.0), 1.0)
        rows.append(
            ShareRow(
                label=label,
                colour=SHARE_COLOURS[key],
                share=fmt_share(summary.get(key)),
                bar_width=f"{share * 100:.2f}%" if share > 0 else None,
                bar_title=f"{label} {fmt_share(share)}",
            )
        )
    return Summary(
        shares=rows,
        factual_changes=text_of(summary.get("factual_changes"), "—"),
        outlets=[text_of(outlet) for outlet in as_list(summary.get("outlets"))],
    )


def legend_of(sources: list[Mapping[str, Any]]) -> list[LegendRow]:
    rows = []
    for number, source in enumerate(sources):
        date, time = publication(source.get("published_at"))
        rows.append(
            LegendRow(
                key=Key(f"S{number + 1}", colour_class(number)),
                outlet=text_of(source.get("outlet"), "unknown outlet"),
                earliest=source.get("earliest") is True,
                url=Link.of(source.get("url")),
                date=date,
                time=time,
                sentences=text_of(source.get("sentences"), "—"),
            )
        )
    return rows


def _key(sources: list[Mapping[str, Any]], source: Mapping[str, Any] | None) -> Key | None:
    number = source_number(sources, source)
    return Key(f"S{number + 1}", colour_class(number)) if number >= 0 else None


def comparison_of(
    sent: Mapping[str, Any],
    source: Mapping[str, Any],
    sources: list[Mapping[str, Any]],
    outlets: dict[str, str],
) -> Comparison:
    changes = as_list(source.get("changes"))
    listed = []
    for change in changes:
        change = as_map(change)
        old, new, label = describe_change(change)
        listed.append(Change(edit_text(old, new, "→"), label, is_factual(change)))
    chain = [outlets.get(text_of(link), text_of(link)) for link in as_list(source.get("chain"))]
    return Comparison(
        key=_key(sources, source),
        outlet=text_of(source.get("outlet"), "unknown outlet"),
        sentence_index=text_of(source.get("sentence_index"), "?"),
        similarity=fmt_similarity(source.get("similarity")),
        url=Link.of(source.get("url")),
        published=text_of(source.get("published_at"), "unknown"),
        order_unknown=source.get("direction") == "unknown",
        earliest=source.get("earliest") is True,
        changes=listed,
        source=changes_marked(text_of(source.get("text")), changes, "source"),
        target=changes_marked(text_of(sent.get("text")), changes, "target"),
        chain=" → ".join(chain) if len(chain) > 1 else None,
    )


def sentence_label(sent: Mapping[str, Any], number: int) -> str:
    status = status_of(sent)
    if status in ("copied", "paraphrased") and number >= 0:
        return f"S{number + 1}" + (" para." if status == "paraphrased" else "")
    return STATUS_LABELS[status]


def loaded_by_sentence(report: Report) -> dict[object, list[Mapping[str, Any]]]:
    """The claims' loaded-language and other technique spans, by sentence index."""
    claims = as_map(report.get("claims"))
    return {
        as_map(s).get("index"): [as_map(span) for span in as_list(as_map(s).get("loaded"))]
        for s in as_list(claims.get("sentences"))
    }


def report_view(report: Report, number: int = 0, total: int = 1) -> ReportView:
    """Everything the report's templates show of one report."""
    rid = f"r{number}"
    sources = collect_sources(report)
    sentences = [as_map(sent) for sent in as_list(report.get("sentences"))]
    positions: dict[int, int] = {}
    for position, sent in enumerate(sentences):
        positions.setdefault(display_index(sent, position), position)
    outlets = {
        text_of(src.get("article_id")): text_of(src.get("outlet"), "unknown outlet")
        for src in sources
        if src.get("article_id")
    }
    loaded = loaded_by_sentence(report)
    views = []
    for position, sent in enumerate(sentences):
        status = status_of(sent)
        number_of_source = source_number(sources, first_source(sent))
        duplicate_of = as_int(sent.get("duplicate_of"))
        sent_sources = [as_map(src) for src in as_list(sent.get("sources"))]
        views.append(
            SentenceView(
                position=position,
                shown=display_index(sent, position),
                status=status,
                status_label=STATUS_LABELS[status],
                colour=(
                    colour_class(number_of_source) if status in ("copied", "paraphrased") else ""
                ),
                label=sentence_label(sent, number_of_source),
                text=text_of(sent.get("text")),
                pieces=loaded_marked(sent, loaded.get(sent.get("index"), [])),
                key=_key(sources, first_source(sent)),
                flags=[
                    (
                        "flag-factual_change" if text_of(flag) == "factual_change" else "",
                        text_of(flag).replace("_", " "),
                    )
                    for flag in as_list(sent.get("flags"))
                ],
                repeats=None if duplicate_of is None else positions.get(duplicate_of),
                repeats_label=text_of(sent.get("duplicate_of")),
                comparisons=[comparison_of(sent, src, sources, outlets) for src in sent_sources],
            )
        )
    return ReportView(
        rid=rid,
        header=header_of(report, number, total),
        summary=summary_of(report),
        legend=legend_of(sources),
        sentences=views,
    )
