"""Quotes extracted from stored articles, so quotes can be searched by speaker and channel.

Extracting claims takes milliseconds per article, too slow to do for a whole store on each
search, so quotes are stored when an article is added through the server and by a bounded
catch-up. The tables and their SQL are the store's (`wiretrace.store.quotes`, migration 004).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb

from wiretrace.claims import bulk_quotes
from wiretrace.store import quotes as tables
from wiretrace.store.articles import Store

QUOTE_COLUMNS = tables.QUOTE_COLUMNS
exists = tables.exists
coverage = tables.coverage
search = tables.search


def ensure(db: duckdb.DuckDBPyConnection) -> None:
    """The quote tables come from the store's migration 004; nothing to create here."""


def record(db: duckdb.DuckDBPyConnection, article_id: str, quotes: Sequence[Any]) -> None:
    """Store an article's quotes (replacing any stored before)."""
    rows = []
    for quote in quotes:
        data = quote.to_dict()
        rows.append([article_id, *(data.get(name) for name in QUOTE_COLUMNS[1:])])
    tables.replace_quotes(db, article_id, rows)


def catch_up(store: Store, limit: int) -> dict[str, int]:
    """Extract the quotes of up to `limit` stored articles not processed yet."""
    ids = tables.unextracted(store.db, limit)
    found = 0
    for article in store.get_many(ids):
        # Quotes only, on the fast path (the rules): a whole store is read.
        quotes = bulk_quotes(article)
        record(store.db, article.id, quotes)
        found += len(quotes)
    return {"articles": len(ids), "quotes": found, **coverage(store.db)}
