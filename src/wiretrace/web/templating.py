"""The workbench's Jinja2 environment: its templates (web/templates/), the report's pieces
(render/templates/), and the small filters pages use. Autoescape is on for every template."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from jinja2 import Environment

from wiretrace.render.claims_text import number
from wiretrace.render.markdown import fmt_share, text_of
from wiretrace.render.report_view import Link
from wiretrace.render.templating import environment

NAV = (("Trace", "/"), ("Corpus", "/corpus"), ("Quotes", "/quotes"), ("Incidents", "/incidents"))


def href(*parts: object, query: dict[str, Any] | None = None) -> str:
    """A path built from untrusted parts, each percent-encoded (the template escapes it)."""
    path = "/" + "/".join(quote(str(part), safe="") for part in parts)
    kept = {k: v for k, v in (query or {}).items() if v not in (None, "")}
    return path + (f"?{urlencode(kept)}" if kept else "")


def when(value: Any) -> str:
    """An ISO time shortened to minutes."""
    text = str(value or "")
    return text[:16].replace("T", " ") if text else "—"


def thousands(value: Any) -> str:
    """An int with thousands separators."""
    return f"{int(value):,}"


def plain_number(value: Any) -> str:
    """A number as people write it (12.0 as 12), None as an em dash."""
    return "—" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def words(value: Any) -> str:
    """A snake_case name as words."""
    return text_of(value).replace("_", " ")


PAGES: Environment = environment(
    ["wiretrace.web", "wiretrace.render"],
    filters={
        "text": text_of,
        "when": when,
        "thousands": thousands,
        "share": fmt_share,
        "plain_number": plain_number,
        "number": number,
        "words": words,
    },
    globals={"href": href, "nav": NAV, "link": Link.of},
)


def page(template: str, **context: Any) -> str:
    """Render the page template `template` with `context`."""
    return PAGES.get_template(template).render(**context)
