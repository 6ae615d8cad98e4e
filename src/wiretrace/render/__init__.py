"""Renderers for `wiretrace.trace/2` reports: standalone HTML, Markdown and the terminal."""

from __future__ import annotations

from collections.abc import Sequence

from wiretrace.render.html import render_html
from wiretrace.render.markdown import Report, render_markdown
from wiretrace.render.terminal import render_terminal

FORMATS = ("html", "md")

__all__ = ["FORMATS", "render", "render_html", "render_markdown", "render_terminal"]


def render(reports: Sequence[Report] | Report, fmt: str) -> str:
    """Render trace reports as "html" or "md" text."""
    if fmt == "html":
        return render_html(reports)
    if fmt == "md":
        return render_markdown(reports)
    raise ValueError(f"unknown report format {fmt!r}; expected one of {', '.join(FORMATS)}")
