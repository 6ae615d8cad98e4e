"""Copy-aware corroboration: how many independent sources stand behind each claim.

`build_incidents(db=...)` extracts the figures, quotes and assertions of every stored article not
seen yet (on DuckDB, or on Spark with `engine="spark"`), groups claims about one incident,
statement or assertion, collapses copies into their origins, names the
primary sources, compares figures and grades each group (`wiretrace.incidents/2`, see
docs/corroborate.md). `update_incidents(db, ids)` does the same for new articles only.
`corroborate(target, db=...)` lists one article's claims with their groups and grades, and
`to_claimreview(incident)` exports a group as schema.org ClaimReview JSON-LD.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wiretrace.corroborate.claimreview import to_claimreview
from wiretrace.corroborate.claimrows import SENTENCE_LIMIT, ClaimRow, claim_rows
from wiretrace.corroborate.event_groups import merge_by_event, merge_within_articles
from wiretrace.corroborate.events import Event, EventDoc, group_events
from wiretrace.corroborate.groups import attach, group_all
from wiretrace.corroborate.incidents import SCHEMA, Incident, assemble, assemble_all
from wiretrace.corroborate.independence import Relations
from wiretrace.corroborate.storage import (
    boilerplate_sentences,
    insert_claims,
    load_claims,
    mark_boilerplate_stale,
    rebuild_boilerplate,
    set_groups,
    unprocessed,
)
from wiretrace.errors import InputNotFound
from wiretrace.store.articles import Store
from wiretrace.store.corroboration import processed_among

__all__ = [
    "SCHEMA",
    "ClaimCorroboration",
    "Event",
    "Incident",
    "IncidentsResult",
    "build_incidents",
    "corroborate",
    "to_claimreview",
    "update_incidents",
]

DbArg = str | Path | Store | None
_BATCH = 500


@dataclass(slots=True)
class IncidentsResult:
    """Incidents (and statements) found across the store."""

    incidents: list[Incident] = field(default_factory=list)
    articles_processed: int = 0
    seconds: dict[str, float] = field(default_factory=dict)  # extract, group, events, assemble
    events: list[Event] = field(default_factory=list)  # whole articles by real-world event

    def to_dict(self) -> dict[str, Any]:
        """The `wiretrace.incidents/2` JSON (`events` is added when they were grouped)."""
        out: dict[str, Any] = {
            "schema": SCHEMA,
            "incidents": [inc.to_dict() for inc in self.incidents],
        }
        if self.events:
            out["events"] = [event.to_dict() for event in self.events]
        return out


@dataclass(slots=True)
class ClaimCorroboration:
    """One claim of an article with the group it belongs to."""

    claim: ClaimRow
    incident: Incident
    # Earlier reports the claim's sentence was copied or paraphrased from, as `trace` found them
    # (its best earlier source and the chain's earliest): one origin with the claim, not
    # corroboration.
    copied_from: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the claim, its incident id, counts, grade and why, and the earlier
        reports it was copied from."""
        row, inc = self.claim, self.incident
        out = inc.to_dict()
        return {
            "claim": {
                "type": row.claim_type, "kind": row.kind, "group": row.grp, "value": row.value,
                "low": row.low, "high": row.high, "place": row.place,
                "date": row.event_date.isoformat() if row.event_date else None,
                "actor": row.actor, "primary_source": row.primary_source,
                "speaker": row.speaker, "content": row.content, "sentence": row.sentence,
            },
            "incident": out["id"],
            "articles": out["counts"]["articles"],
            "origins": out["origins"],
            "primary_sources": out["primary_sources"],
            "figures": out["figures"],
            "grade": inc.grade,
            "why": inc.why,
            "copied_from": self.copied_from,
        }  # fmt: skip


@contextmanager
def _opened(db: DbArg) -> Iterator[Store]:
    if isinstance(db, Store):  # opened writable, so its migrations made the tables
        yield db
        return
    store = Store(db)
    try:
        yield store
    finally:
        store.close()


def _relations(reuse_workdir: str | Path | None) -> Relations:
    if reuse_workdir is None:
        return frozenset()
    from wiretrace.corpus import relation_links

    pairs: set[tuple[str, str]] = set()
    for source, target, origins in relation_links(reuse_workdir):
        pairs.add((source, target))
        pairs.update((origin, target) for origin in origins)
    return frozenset(pairs)


def _extract(store: Store, ids: Sequence[str]) -> list[ClaimRow]:
    """Extract and store the claims of these articles, in batches; the rows added."""
    added: list[ClaimRow] = []
    for start in range(0, len(ids), _BATCH):
        batch = list(ids[start : start + _BATCH])
        rows = [row for article in store.get_many(batch) for row in claim_rows(article)]
        insert_claims(store.db, rows, batch)
        added += rows
    return added


def build_incidents(
    *,
    db: DbArg = None,
    reuse_workdir: str | Path | None = None,
    engine: str = "duckdb",
    master: str = "local[2]",
    spark: Any = None,
    workdir: str | Path | None = None,
) -> IncidentsResult:
    """Extract claims of articles not seen yet, regroup the whole store and grade every group.

    `engine="spark"` extracts and groups on Spark (`spark`, a session, else one on `master`;
    `workdir`, where Parquet goes between the store and Spark, else a temporary directory);
    the result is the same as DuckDB's. Spark needs the `spark` extra (MissingExtra).
    """
    if engine not in ("duckdb", "spark"):
        raise ValueError(f"unknown engine {engine!r} (duckdb or spark)")
    seconds: dict[str, float] = {}
    with _opened(db) as store:
        clock = time.perf_counter()
        ids = unprocessed(store.db)
        if ids:  # the boilerplate table is rebuilt once below, not kept up to date per batch
            mark_boilerplate_stale(store.db)
        if engine == "spark":
            from wiretrace.corroborate import spark_engine

            session = spark_engine.spark_session(spark, master)
            with spark_engine.work_directory(workdir) as work:
                spark_engine.extract(session, store, ids, work)
                seconds["extract"] = time.perf_counter() - clock
                clock = time.perf_counter()
                groups = spark_engine.group(session, store, work)
            rows = load_claims(store.db)
        else:
            _extract(store, ids)
            seconds["extract"] = time.perf_counter() - clock
            clock = time.perf_counter()
            rows = load_claims(store.db)
            groups = group_all(rows)
        seconds["group"] = time.perf_counter() - clock
        clock = time.perf_counter()
        events, event_of = _store_events(store)
        groups = merge_by_event(rows, groups, event_of)
        set_groups(store.db, groups)
        rows = [_with_group(row, groups[row.claim_id]) for row in rows]
        seconds["events"] = time.perf_counter() - clock
        clock = time.perf_counter()
        incidents = assemble_all(rows, _relations(reuse_workdir), rebuild_boilerplate(store.db))
        seconds["assemble"] = time.perf_counter() - clock
        return IncidentsResult(incidents, len(ids), seconds, events)


def store_events(store: Store) -> list[Event]:
    """Every stored article grouped by real-world event (`wiretrace.corroborate.events`);
    articles are named by url (else id), as in the incidents."""
    return _store_events(store)[0]


def _store_events(store: Store) -> tuple[list[Event], dict[str, str]]:
    """The events of every stored article (named by url, else id) and article id -> event id."""
    cursor = store.db.cursor()
    cursor.execute("SELECT id, url, title, text, published_at, outlet FROM articles ORDER BY id")
    docs, labels = [], {}
    while rows := cursor.fetchmany(5000):
        for article_id, url, title, text, published, outlet in rows:
            day = published.date() if published is not None else None
            docs.append(EventDoc(article_id, title or "", text or "", day, outlet or ""))
            labels[article_id] = url or article_id
    events = group_events(docs)
    event_of = {article: event.id for event in events for article in event.articles}
    for event in events:
        event.articles = [labels[a] for a in event.articles]
        event.follow_ups = [labels[a] for a in event.follow_ups]
    return events, event_of


def _with_group(row: ClaimRow, group_id: str) -> ClaimRow:
    from dataclasses import replace

    return row if row.group_id == group_id else replace(row, group_id=group_id)


def _group_rows(store: Store, group_ids: Sequence[str]) -> list[ClaimRow]:
    if not group_ids:
        return []
    marks = ", ".join("?" for _ in group_ids)
    return load_claims(store.db, f"WHERE group_id IN ({marks})", list(group_ids))


def update_incidents(
    db: DbArg, article_ids: Sequence[str], *, reuse_workdir: str | Path | None = None
) -> IncidentsResult:
    """Add the claims of new stored articles to the groups; the incidents they touched."""
    with _opened(db) as store:
        done = processed_among(store.db, article_ids)
        fresh = sorted(set(article_ids) - done)
        if len(fresh) > _BATCH:  # many: the boilerplate table is rebuilt once, when next read
            mark_boilerplate_stale(store.db)
        new_rows = _extract(store, fresh)
        touched = attach(store.db, new_rows)
        rows = _group_rows(store, sorted(touched))
        # Events are not regrouped on update: each new article stands for its event, and the
        # figure groups its claims are in are merged as a rebuild merges one event's groups.
        moved = merge_within_articles(rows, {r.article_id for r in new_rows})
        if moved:
            set_groups(store.db, moved)
            touched = {moved.get(r.claim_id, r.group_id or "") for r in rows}
            rows = _group_rows(store, sorted(touched))
        stock = boilerplate_sentences(
            store.db, [r.sentence for r in rows if r.claim_type in ("quote", "assertion")]
        )
        incidents = assemble_all(rows, _relations(reuse_workdir), stock)
        return IncidentsResult(incidents, len(fresh))


def corroborate(
    article_id_or_url: str,
    *,
    db: DbArg = None,
    reuse_workdir: str | Path | None = None,
    sources: bool = True,
) -> list[ClaimCorroboration]:
    """Every claim in one stored article with its group, independent origins and grade.

    `sources`: trace the article against the store first (`wiretrace trace`, lexical path) and
    list for each claim the earlier reports its sentence was copied or paraphrased from; those
    copies also count as one origin with the article in its groups."""
    with _opened(db) as store:
        article = store.get(article_id_or_url)
        if article is None:
            raise InputNotFound(f"no such article in {store.path}", source=article_id_or_url)
        update_incidents(store, unprocessed(store.db))  # the article and any not seen yet
        mine = load_claims(store.db, "WHERE article_id = ?", [article.id])
        stock = boilerplate_sentences(
            store.db, [r.sentence for r in mine if r.claim_type in ("quote", "assertion")]
        )
        gids = sorted({r.group_id for r in mine if r.group_id and r.sentence not in stock})
        copied = _traced_sources(store, article) if sources else {}
        traced = {(src["article_id"], article.id) for found in copied.values() for src in found}
        relations = frozenset(_relations(reuse_workdir)) | traced
        rows = _group_rows(store, gids)
        by_group: dict[str, list[ClaimRow]] = {}
        for row in rows:
            by_group.setdefault(row.group_id or "", []).append(row)
        incidents = {gid: assemble(gid, by_group[gid], relations) for gid in gids}
        return [
            ClaimCorroboration(row, incidents[row.group_id], copied.get(row.sentence, []))
            for row in mine
            if row.group_id in incidents
        ]


def _traced_sources(store: Store, article: Any) -> dict[str, list[dict[str, Any]]]:
    """Per sentence text of the article, the earlier reports `trace` found it copied or
    paraphrased from: the best earlier source and, when its chain goes further back, the
    earliest."""
    from wiretrace.trace.params import DEFAULT_PARAMS
    from wiretrace.trace.tracer import Tracer

    tracer = Tracer(store, params=DEFAULT_PARAMS, semantic=False)
    tracer.index.catch_up()
    report = tracer.trace(article)
    out: dict[str, list[dict[str, Any]]] = {}
    for sentence_trace in report.sentences:
        if sentence_trace.status not in ("copied", "paraphrased"):
            continue
        earlier = [m for m in sentence_trace.sources if m.doc.direction == "earlier"]
        chosen = earlier[:1] + [m for m in earlier[1:] if m.earliest]
        found = [
            {
                "article_id": m.doc.article_id,
                "url": m.doc.url,
                "outlet": m.doc.outlet,
                "published_at": m.doc.published_at.isoformat() if m.doc.published_at else None,
                "status": sentence_trace.status,
                "similarity": round(m.similarity, 3),
            }
            for m in chosen
            if m.doc.article_id != article.id
        ]
        if found:  # keyed as claim rows keep their sentence
            out[sentence_trace.sentence.text[:SENTENCE_LIMIT]] = found
    return out
