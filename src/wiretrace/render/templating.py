"""The Jinja2 environments that write every HTML page, with autoescape on for all of them.

Every `{{ value }}` in a template is HTML-escaped (quotes included), so a string from an article
cannot become markup by accident: templates do the markup, Python hands them typed values.
Nothing calls `|safe`; the only pre-built markup a template receives is the package's own CSS
and script text, made in `package_code` below.

Template sources are written one element per line for reading; `JoinLines` removes each line
break and the indentation after it where a tag or a template statement meets it, and makes it
one space between two words of running text, so pages come out as compact as hand-written
markup. A value that must be followed by a space before text on the next line writes it on
the same line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from jinja2 import ChoiceLoader, Environment, PackageLoader, StrictUndefined, select_autoescape
from jinja2.ext import Extension
from markupsafe import Markup

# A line break with the blanks around it (blank lines included).
_BREAK = re.compile(r"[ \t]*\n\s*")
_JOINING = set("<>{}%#")


class JoinLines(Extension):
    """Template source lines joined: nothing between markup, one space inside running text."""

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        body = source.rstrip("\n")
        final = "\n" if body != source else ""

        def join(match: re.Match[str]) -> str:
            start, end = match.start(), match.end()
            before = body[start - 1] if start > 0 else ""
            after = body[end] if end < len(body) else ""
            markup = not before or not after or before in _JOINING or after in _JOINING
            return "" if markup else " "

        return _BREAK.sub(join, body) + final


def package_code(text: str) -> Markup:
    """CSS or script text written in this package (a module constant, never data) as markup,
    for a <style> or <script> element. The only place in render/ and web/ that makes Markup."""
    if "</" in text:
        raise ValueError("package code must not close its element")
    return Markup(text)  # a constant of this package, checked above


def shown(value: Any) -> Any:
    """What `{{ value }}` writes: None as nothing and booleans as words (as the JSON reports
    mean them), anything else as itself (then escaped)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


def environment(
    packages: Sequence[str],
    *,
    filters: dict[str, Callable[..., Any]] | None = None,
    globals: dict[str, Any] | None = None,
) -> Environment:
    """An environment over the `templates/` folders of `packages` (earlier ones first)."""
    env = Environment(
        loader=ChoiceLoader([PackageLoader(package, "templates") for package in packages]),
        # Every template escapes: .html.j2 and .svg.j2 by name, and any other name too.
        autoescape=select_autoescape(
            enabled_extensions=("html.j2", "svg.j2"), default_for_string=True, default=True
        ),
        undefined=StrictUndefined,
        extensions=[JoinLines],
        auto_reload=False,
        keep_trailing_newline=True,
        finalize=shown,
    )
    env.filters.update(filters or {})
    env.globals.update(globals or {})
    return env
