"""Server-rendered pages: home (the trace form), corpus, outlet, quotes and error pages.

Each function takes the page's data (the same dict its JSON twin serves), turns it into the
page's typed view (web/views.py) and hands that to a template of web/templates/, which reads
its attributes and escapes every value.
"""

from __future__ import annotations

from typing import Any

from wiretrace.web.templating import href, page
from wiretrace.web.views import CorpusView, HomeView, OutletView, QuotesView

FORM_FIELDS = ("text", "fetch_url", "title", "outlet", "published_at")


def error_page(status: int, code: str, message: str) -> str:
    return page(
        "error.html.j2",
        title=f"Error {status}",
        json_url=None,
        active="",
        status=status,
        code=code,
        message=message,
    )


def home_page(
    data: dict[str, Any],
    *,
    token_needed: bool,
    error: str | None = None,
    values: dict[str, str] | None = None,
    field: str | None = None,
) -> str:
    """The trace form; after a failed submit it keeps every value and names the field at fault."""
    return page(
        "home.html.j2",
        title="Trace an article",
        json_url="/index.json",
        active="Trace",
        view=HomeView.of(data),
        token_needed=token_needed,
        error=error,
        values=values or {},
        bad_field=field if error else None,
    )


def corpus_page(data: dict[str, Any]) -> str:
    view = CorpusView.of(data)
    return page(
        "corpus.html.j2",
        title="Corpus",
        json_url=href("corpus.json", query=view.search.query()),
        active="Corpus",
        view=view,
    )


def outlet_page(data: dict[str, Any]) -> str:
    view = OutletView.of(data)
    return page(
        "outlet.html.j2",
        title=view.name,
        json_url=href("outlets", view.name + ".json"),
        active="Corpus",
        view=view,
    )


def quotes_page(data: dict[str, Any]) -> str:
    view = QuotesView.of(data)
    return page(
        "quotes.html.j2",
        title="Quotes",
        json_url=href("quotes.json", query=view.search.query()),
        active="Quotes",
        view=view,
    )
