"""Standalone offline HTML for `wiretrace.trace/2` reports, written by Jinja2 templates
(templates/report.html.j2) that escape every value."""

from __future__ import annotations

from collections.abc import Sequence

from jinja2 import Environment

from wiretrace.render.markdown import Report, as_reports
from wiretrace.render.report_style import REPORT_CSS, SCRIPT, SCRIPT_HASH
from wiretrace.render.report_view import report_view
from wiretrace.render.templating import environment, package_code

__all__ = ["REPORT_ENV", "SCRIPT_HASH", "render_html"]

REPORT_ENV: Environment = environment(["wiretrace.render"])
_STYLE = package_code(REPORT_CSS)
_SCRIPT = package_code(SCRIPT)


def render_html(reports: Sequence[Report] | Report) -> str:
    """Render trace reports as one standalone HTML page (no network needed, deterministic)."""
    items = as_reports(reports)
    views = [report_view(report, number, len(items)) for number, report in enumerate(items)]
    return REPORT_ENV.get_template("report.html.j2").render(
        reports=views, css=_STYLE, script=_SCRIPT, script_hash=SCRIPT_HASH
    )
