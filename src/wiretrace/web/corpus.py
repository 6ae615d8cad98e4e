"""Corpus queries behind the API and the corpus pages: search, timeline, outlets, profiles.

Full-text search uses the SQLite FTS5 sidecar of `wiretrace.store.fulltext` (DuckDB's FTS extension
cannot be installed offline); a read-only store without a current sidecar falls back to a scan
(ILIKE over the text, every word required).
"""

from __future__ import annotations

import importlib
import logging
import sqlite3
import statistics
from collections import Counter
from datetime import datetime
from typing import Any

import pyarrow as pa

from wiretrace.errors import InputNotFound
from wiretrace.store.fulltext import TextIndex
from wiretrace.web.service import Workbench

log = logging.getLogger(__name__)

MAX_TERMS = 8
SNIPPET = 160


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def search_articles(
    bench: Workbench,
    *,
    q: str | None = None,
    outlet: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Articles matching every word of `q` (title or text), an outlet and a date range."""
    where: list[str] = []
    params: list[Any] = []
    if outlet:
        where.append("outlet = ?")
        params.append(outlet)
    if since:
        where.append("published_at >= ?")
        params.append(since)
    if until:
        where.append("published_at < ?")
        params.append(until)
    index = bench.text_index
    if index is not None and q and q.split():
        try:
            return _indexed_search(
                bench, index, q, where, params, limit, offset, by_filter=bool(outlet)
            )
        except sqlite3.DatabaseError:
            # The sidecar broke under us: answer by the scan; a writable start rebuilds it.
            log.exception("text index unusable; searching by scan")
    # Quotes are dropped: the scan takes a phrase as its separate words.
    terms = [t for t in (q or "").replace('"', " ").lower().split() if t][:MAX_TERMS]
    scan: list[str] = []
    patterns: list[str] = []
    for term in terms:
        # ILIKE measured fastest of ILIKE / strpos / contains for a full scan (docs/web.md).
        pattern = "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        scan.append("(text ILIKE ? ESCAPE '\\' OR title ILIKE ? ESCAPE '\\')")
        patterns += [pattern, pattern]
    where, params = scan + where, patterns + params
    # The snippet is cut in SQL so that whole texts are not shipped for every hit.
    first = "strpos(lower(text), ?)" if terms else "1"
    sql = (
        "SELECT id, url, outlet, title, published_at, chars, "
        f"substring(text, greatest(1, {first} - 60), {SNIPPET}) FROM articles "
        + (f"WHERE {' AND '.join(where)} " if where else "")
        + "ORDER BY published_at DESC NULLS LAST, id LIMIT ? OFFSET ?"
    )
    head = [terms[0]] if terms else []
    rows = bench.query(sql, [*head, *params, limit, offset])
    return [_result(r[:6], r[6]) for r in rows]


def _indexed_search(
    bench: Workbench,
    index: TextIndex,
    q: str,
    where: list[str],
    params: list[Any],
    limit: int,
    offset: int,
    *,
    by_filter: bool,
) -> list[dict[str, Any]]:
    """`q` answered by the text index, best match first; other filters applied in DuckDB.

    Filtered, the articles passing the filters are found in DuckDB and only those are ranked
    and paged in SQLite, so paging stays exact whatever the filter keeps. `by_filter`: the
    filters select few articles (an outlet), so DuckDB lists them directly; otherwise (dates
    only) the unranked matches of `q` are filtered, which is cheaper for a rare word.
    """
    within: list[str] | None = None
    if by_filter:
        within = [
            r[0]
            for r in bench.query(f"SELECT id FROM articles WHERE {' AND '.join(where)}", params)
        ]
    elif where:
        matches = index.matching(q)
        if not matches:
            return []
        within = [r[0] for r in _rows(bench, matches, "a.id", where, params)]
    hits = index.search(q, limit=limit, offset=offset, within=within)
    if not hits:
        return []
    ids = [hit[0] for hit in hits]
    found = {
        r[0]: r
        for r in _rows(bench, ids, "a.id, a.url, a.outlet, a.title, a.published_at, a.chars")
    }
    # Ids the store does not have (a sidecar ahead of it) are dropped.
    return [_result(found[i], snippet) for i, _, snippet in hits if i in found]


def _rows(
    bench: Workbench,
    ids: list[str],
    columns: str,
    where: list[str] | None = None,
    params: list[Any] | None = None,
) -> list[tuple[Any, ...]]:
    """Columns of the stored articles among `ids` passing `where` (joined, not an IN list)."""
    with bench.reader() as reader:
        db = reader.store.db
        db.register("_text_hits", pa.table({"id": ids}))
        try:
            return db.execute(
                f"SELECT {columns} FROM articles a JOIN _text_hits h USING (id)"
                + (f" WHERE {' AND '.join(where)}" if where else ""),
                list(params or []),
            ).fetchall()
        finally:
            db.unregister("_text_hits")


def _result(row: tuple[Any, ...], snippet: str) -> dict[str, Any]:
    return {
        "id": row[0],
        "url": row[1],
        "outlet": row[2],
        "title": row[3],
        "published_at": _iso(row[4]),
        "chars": row[5],
        "snippet": snippet,
    }


def timeline(bench: Workbench) -> dict[str, Any]:
    """Articles per day, week or month (whichever gives a readable number of bars)."""
    row = bench.query("SELECT min(published_at), max(published_at) FROM articles")[0]
    if row[0] is None:
        return {"unit": "day", "bins": []}
    days = (row[1] - row[0]).days
    unit = "day" if days <= 120 else "week" if days <= 900 else "month"
    rows = bench.query(
        f"SELECT date_trunc('{unit}', published_at) AS bin, count(*) FROM articles "
        "WHERE published_at IS NOT NULL GROUP BY bin ORDER BY bin"
    )
    return {"unit": unit, "bins": [{"start": _iso(r[0]), "articles": r[1]} for r in rows]}


def outlets(bench: Workbench, *, limit: int = 200) -> list[dict[str, Any]]:
    """Outlets by number of stored articles, with their first and last publication."""
    rows = bench.query(
        "SELECT outlet, count(*), min(published_at), max(published_at) FROM articles "
        "WHERE outlet IS NOT NULL GROUP BY outlet ORDER BY 2 DESC, 1 LIMIT ?",
        [limit],
    )
    return [
        {"outlet": r[0], "articles": r[1], "first": _iso(r[2]), "last": _iso(r[3])} for r in rows
    ]


def overview(bench: Workbench) -> dict[str, Any]:
    """Counts for the corpus page header."""
    row = bench.query(
        "SELECT count(*), count(DISTINCT outlet), min(published_at), max(published_at) "
        "FROM articles"
    )[0]
    return {"articles": row[0], "outlets": row[1], "first": _iso(row[2]), "last": _iso(row[3])}


def _hours(later: str | None, earlier: str | None) -> float | None:
    if not later or not earlier:
        return None
    delta = datetime.fromisoformat(later) - datetime.fromisoformat(earlier)
    return delta.total_seconds() / 3600


def outlet_profile(bench: Workbench, outlet: str) -> dict[str, Any]:
    """An outlet's profile from the traces of its latest articles (bounded, cached)."""
    key = (outlet, bench.generation)
    cached = bench.profiles.get(key)
    if cached is not None:
        return dict(cached)
    count = bench.query("SELECT count(*) FROM articles WHERE outlet = ?", [outlet])[0][0]
    if not count:
        raise InputNotFound("no stored article has this outlet", source=outlet)
    sample = bench.recent_of(outlet, bench.config.profile_sample)
    chars: Counter[str] = Counter()
    source_sents: Counter[str] = Counter()
    source_articles: Counter[str] = Counter()
    delays: list[float] = []
    factual = 0
    examples: list[dict[str, Any]] = []
    reports = []
    for article in sample:
        report = bench.trace(article)
        reports.append((article, report))
        published = report["article"]["published_at"]
        pairs: dict[str, str | None] = {}
        for sent in report["sentences"]:
            size = sent["end"] - sent["start"]
            chars["total"] += size
            best = next((s for s in sent["sources"] if s.get("direction") == "earlier"), None)
            other = best is not None and best.get("outlet") != outlet
            if sent["status"] in ("copied", "paraphrased") and best is not None and other:
                chars[sent["status"]] += size
                name = best.get("outlet") or "unknown outlet"
                source_sents[name] += 1
                pairs[best["article_id"]] = best.get("published_at")
                for change in best.get("changes", []):
                    if change.get("factual") and change.get("kind") in ("number", "entity"):
                        factual += 1
                        if len(examples) < 8:
                            examples.append(
                                {
                                    "article_id": article.id,
                                    "source_outlet": name,
                                    "kind": change.get("kind"),
                                    "from": change.get("from"),
                                    "to": change.get("to"),
                                }
                            )
            elif sent["status"] == "unsourced":
                chars["unsourced"] += size
        for source_id, when in pairs.items():
            hours = _hours(published, when)
            if hours is not None and hours >= 0:
                delays.append(hours)
            source_articles[source_id] += 1
    total = chars["total"] or 1
    profile = {
        "outlet": outlet,
        "articles": count,
        "sampled_articles": len(sample),
        "copied_share": round(chars["copied"] / total, 4),
        "paraphrased_share": round(chars["paraphrased"] / total, 4),
        "unsourced_share": round(chars["unsourced"] / total, 4),
        "top_sources": [
            {"outlet": name, "sentences": n} for name, n in source_sents.most_common(10)
        ],
        "median_delay_hours": round(statistics.median(delays), 2) if delays else None,
        "factual_changes": factual,
        "factual_change_examples": examples,
        "method": (
            f"traces of the outlet's {len(sample)} latest articles; shares of sentence "
            "characters whose closest earlier source is another outlet"
        ),
    }
    engine = _engine_profile(outlet, reports)
    if engine is not None:
        profile["corpus_profile"] = engine
    bench.profiles.put(key, profile)
    return dict(profile)


def _engine_profile(outlet: str, reports: list[tuple[Any, dict[str, Any]]]) -> Any:
    """The corpus engine's profile (wiretrace.corpus.profiles) of the same traces, when present."""
    try:  # imported by name: the corpus engine is a separate, optional part of the package
        corpus_align = importlib.import_module("wiretrace.corpus.align")
        corpus_profiles = importlib.import_module("wiretrace.corpus.profiles")
    except ImportError:
        return None
    credits = corpus_align.credits
    ArticleStats = corpus_profiles.ArticleStats
    RelationStats = corpus_profiles.RelationStats
    outlet_profiles = corpus_profiles.outlet_profiles
    articles, relations = [], []
    for article, report in reports:
        stats = ArticleStats(outlet=outlet)
        by_source: dict[str, list[Any]] = {}
        for sent in report["sentences"]:
            size = sent["end"] - sent["start"]
            status = sent["status"]
            setattr(stats, status, getattr(stats, status) + size)
            best = next((s for s in sent["sources"] if s.get("direction") == "earlier"), None)
            if best is not None and status in ("copied", "paraphrased"):
                entry = by_source.setdefault(best["article_id"], [best, 0, 0])
                entry[1] += size
                entry[2] += sum(1 for c in best.get("changes", []) if c.get("factual"))
        stats.sources = len(by_source)
        stats.mixed = bool(by_source) and stats.unsourced > 0
        articles.append(stats)
        for best, size, changes in by_source.values():
            source_outlet = best.get("outlet") or "(unknown)"
            relations.append(
                RelationStats(
                    source_outlet=source_outlet,
                    target_outlet=outlet,
                    chars=size,
                    delay_hours=_hours(report["article"]["published_at"], best.get("published_at")),
                    factual_changes=changes,
                    credited=credits(article.text, best.get("outlet")),
                )
            )
    found = [p for p in outlet_profiles(articles, relations) if p["outlet"] == outlet]
    return found[0] if found else None
