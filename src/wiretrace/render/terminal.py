"""Rich terminal rendering of `wiretrace.trace/2` reports (report text never parsed as markup)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich import box
from rich.console import Console, Group
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from wiretrace.render.markdown import (
    SHARES,
    Report,
    as_int,
    as_list,
    as_map,
    as_reports,
    collect_sources,
    describe_change,
    display_index,
    edit_text,
    first_source,
    fmt_share,
    fmt_similarity,
    is_factual,
    source_number,
    source_tag,
    status_of,
    text_of,
)

COLOURS = ("blue", "dark_orange", "green", "magenta", "cyan", "yellow", "purple", "bright_blue")
STATUS_STYLES = {
    "unsourced": "bold red",
    "duplicate": "magenta",
    "boilerplate": "dim",
    "unknown": "",
}


def _colour(number: int) -> str:
    return COLOURS[number % len(COLOURS)] if number >= 0 else "white"


def _header(report: Report) -> Panel:
    article, summary = as_map(report.get("article")), as_map(report.get("summary"))
    meta = Text(style="dim")
    meta.append(text_of(article.get("outlet"), "unknown outlet"))
    meta.append(" · ")
    meta.append(text_of(article.get("url"), "no url"))
    meta.append(" · published ")
    meta.append(text_of(article.get("published_at"), "unknown"))
    verdict = Text.assemble(("Verdict: ", "bold"), text_of(summary.get("verdict"), "none"))
    shares = Text(
        " · ".join(f"{label.lower()} {fmt_share(summary.get(key))}" for key, label in SHARES)
    )
    shares.append(f" · factual changes {text_of(summary.get('factual_changes'), '—')}")
    title = Text(text_of(article.get("title"), "Untitled article"), style="bold")
    return Panel(
        Group(title, meta, verdict, shares),
        title=Text("wiretrace trace"),
        title_align="left",
        box=box.ROUNDED,
    )


def _sources_list(sources: list[Mapping[str, Any]]) -> Group:
    """Sources one per line pair, for terminals too narrow for a table."""
    lines: list[Text | Padding] = [Text("Sources", style="bold")]
    for number, source in enumerate(sources):
        head = Text.assemble(
            (f"S{number + 1}", f"bold reverse {_colour(number)}"),
            " ",
            text_of(source.get("outlet"), "unknown outlet"),
            f" · {text_of(source.get('sentences'), '?')} sent.",
        )
        if source.get("earliest") is True:
            head.append(" (earliest origin)", style="bold yellow")
        detail = Text(
            f"{text_of(source.get('url'), 'no url')} · "
            f"{text_of(source.get('published_at'), 'unknown')}",
            style="dim",
            overflow="fold",
        )
        lines += [head, Padding(detail, (0, 0, 0, 4))]
    return Group(*lines)


def _sources_table(sources: list[Mapping[str, Any]]) -> Table:
    table = Table(title=Text("Sources"), box=box.SIMPLE_HEAD, expand=True, title_justify="left")
    table.add_column("Key", no_wrap=True)
    table.add_column("Outlet", overflow="fold", ratio=2)
    table.add_column("URL", overflow="fold", ratio=3)
    table.add_column("Published", no_wrap=True)
    table.add_column("Sents", justify="right", no_wrap=True)
    for number, source in enumerate(sources):
        outlet = Text(text_of(source.get("outlet"), "unknown"))
        if source.get("earliest") is True:
            outlet.append(" (earliest origin)", style="bold yellow")
        table.add_row(
            Text(f"S{number + 1}", style=f"bold reverse {_colour(number)}"),
            outlet,
            Text(text_of(source.get("url"), "—")),
            Text(text_of(source.get("published_at"), "unknown")),
            Text(text_of(source.get("sentences"), "—")),
        )
    return table


def _sentence(
    sent: Mapping[str, Any], position: int, sources: list[Mapping[str, Any]]
) -> list[Text | Padding]:
    status, best = status_of(sent), first_source(sent)
    number = source_number(sources, best)
    tag = f"[{display_index(sent, position)} {status}"
    if best is not None and number >= 0:
        tag += f" S{number + 1} {fmt_similarity(best.get('similarity'))}"
    duplicate_of = as_int(sent.get("duplicate_of"))
    if duplicate_of is not None:
        tag += f" of #{duplicate_of}"
    tag += "]"
    style = STATUS_STYLES.get(status, "")
    if status in ("copied", "paraphrased"):
        style = _colour(number) + (" italic" if status == "paraphrased" else "")
    line = Text()
    line.append(tag, style=f"bold {style}".strip())
    line.append(" ")
    line.append(text_of(sent.get("text")), style=style)
    for flag in as_list(sent.get("flags")):
        line.append(" ")
        line.append(f"<{text_of(flag)}>", style="bold red" if flag == "factual_change" else "dim")
    lines: list[Text | Padding] = [line]
    others = [as_map(src) for src in as_list(sent.get("sources"))[1:]]
    if others:
        also = Text(
            "also in "
            + ", ".join(
                f"{source_tag(sources, src)}{text_of(src.get('outlet'), 'unknown outlet')}"
                for src in others
            ),
            style="dim",
        )
        lines.append(Padding(also, (0, 0, 0, 4)))
    for change in as_list(as_map(best).get("changes")):  # the best source's changes
        change = as_map(change)
        old, new, label = describe_change(change)
        factual = is_factual(change)
        detail = Text()
        detail.append(edit_text(old, new), style="bold red" if factual else "yellow")
        detail.append(f" ({label})", style="red" if factual else "dim")
        lines.append(Padding(detail, (0, 0, 0, 4)))
    return lines


def render_terminal(reports: Sequence[Report] | Report, console: Console) -> None:
    """Print trace reports to a rich console: header, sources, coloured sentences with changes."""
    for number, report in enumerate(as_reports(reports)):
        if number:
            console.rule()
        sources = collect_sources(report)
        console.print(_header(report))
        if sources:
            wide = console.width >= 80
            console.print(_sources_table(sources) if wide else _sources_list(sources))
        else:
            console.print(Text("No earlier source found.", style="dim"))
        console.print(Text("Sentences", style="bold"))
        for position, sent in enumerate(as_list(report.get("sentences"))):
            for line in _sentence(as_map(sent), position, sources):
                console.print(line)
