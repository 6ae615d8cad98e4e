"""The store's schema as named migrations, applied in order and recorded in `_migrations`.

A migration, once released, is never edited: a change to the schema is a new named migration
(sqlite-utils' `migrations.py` is the model). Each migration runs in its own transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import duckdb

from wiretrace.store.transaction import transaction


@dataclass(frozen=True, slots=True)
class Migration:
    name: str
    apply: Callable[[duckdb.DuckDBPyConnection], None]


def _m001_articles(db: duckdb.DuckDBPyConnection) -> None:
    db.execute(
        """
        CREATE TABLE articles (
            id            VARCHAR PRIMARY KEY,   -- content hash of normalised text + url
            url           VARCHAR,
            version       INTEGER NOT NULL,      -- 1, 2, ... for changed text at the same url
            outlet        VARCHAR,
            title         VARCHAR NOT NULL,
            author        VARCHAR,
            published_at  TIMESTAMPTZ,
            language      VARCHAR,
            text          VARCHAR NOT NULL,
            chars         INTEGER NOT NULL,
            ingested_at   TIMESTAMPTZ NOT NULL,
            origin_file   VARCHAR,
            origin_record INTEGER
        )
        """
    )
    db.execute("CREATE INDEX articles_url ON articles (url)")
    db.execute(
        """
        CREATE TABLE sentences (
            article_id VARCHAR NOT NULL,
            idx        INTEGER NOT NULL,
            start      INTEGER NOT NULL,   -- character offsets into articles.text, end exclusive
            stop       INTEGER NOT NULL,
            PRIMARY KEY (article_id, idx)
        )
        """
    )


def _m002_shingle_index(db: duckdb.DuckDBPyConnection) -> None:
    # The postings themselves live in memory-mapped segment files beside the store (index.py);
    # these tables say which articles and segments they cover, so both stay consistent.
    db.execute(
        """
        CREATE TABLE index_docs (
            doc_key      INTEGER PRIMARY KEY,  -- compact integer key used in the postings
            article_id   VARCHAR NOT NULL UNIQUE,
            published_at TIMESTAMPTZ
        )
        """
    )
    db.execute(
        """
        CREATE TABLE index_segments (
            name       VARCHAR PRIMARY KEY,
            docs       INTEGER NOT NULL,
            postings   BIGINT NOT NULL,
            created_at TIMESTAMPTZ NOT NULL
        )
        """
    )
    db.execute("CREATE TABLE index_meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)")


def _m003_sentences_by_article(db: duckdb.DuckDBPyConnection) -> None:
    # The primary key (article_id, idx) is not used for a lookup by article alone: without this
    # index, fetching one article's sentence offsets scans every sentence in the store.
    db.execute("CREATE INDEX sentences_article ON sentences (article_id)")


def _m004_quotes(db: duckdb.DuckDBPyConnection) -> None:
    # Quotes extracted from stored articles, for searching by speaker and channel (web, API);
    # `quotes_indexed` records which articles were done, including those with no quote.
    db.execute(
        """
        CREATE TABLE quotes (
            article_id VARCHAR NOT NULL, sentence_index INTEGER, speaker VARCHAR,
            speaker_canonical VARCHAR, role VARCHAR, cue VARCHAR, channel VARCHAR,
            content VARCHAR, start INTEGER, "end" INTEGER, direct BOOLEAN
        )
        """
    )
    db.execute("CREATE INDEX quotes_article ON quotes (article_id)")
    db.execute(
        "CREATE TABLE quotes_indexed (article_id VARCHAR PRIMARY KEY, quotes INTEGER NOT NULL)"
    )


def _m005_corroboration(db: duckdb.DuckDBPyConnection) -> None:
    # Claims extracted per article for grouping into incidents (wiretrace.corroborate).
    db.execute(
        """
    CREATE TABLE corroborate_articles (
        article_id   VARCHAR PRIMARY KEY,     -- articles.id whose claims are in corroborate_claims
        claims       INTEGER NOT NULL
    )
    """
    )
    db.execute(
        """
    CREATE TABLE corroborate_claims (
        claim_id       VARCHAR PRIMARY KEY,   -- '<article id>:<n>'
        article_id     VARCHAR NOT NULL,
        n              INTEGER NOT NULL,      -- claim number within the article, text order
        claim_type     VARCHAR NOT NULL,      -- 'figure' | 'quote'
        kind           VARCHAR NOT NULL,      -- killed | wounded | ... | statement
        grp            VARCHAR,               -- civilians | children | women | non_civilians
        value          DOUBLE,
        low            DOUBLE,
        high           DOUBLE,
        place          VARCHAR,               -- canonical place name (claims.places)
        lat            DOUBLE,
        lon            DOUBLE,
        event_date     DATE,
        published_at   TIMESTAMPTZ,
        actor          VARCHAR,
        actor_class    VARCHAR,               -- air | ground | bomb | gunfire
        actor_party    VARCHAR,
        primary_source VARCHAR,               -- canonical attributed source or speaker
        speaker        VARCHAR,
        content        VARCHAR,
        sentence       VARCHAR NOT NULL,      -- the sentence carrying the claim (copy detection)
        url            VARCHAR,
        outlet         VARCHAR,
        group_id       VARCHAR                -- smallest claim_id of the group
    )
    """
    )
    db.execute("CREATE INDEX corroborate_claims_lookup ON corroborate_claims (kind, event_date)")
    db.execute("CREATE INDEX corroborate_claims_article ON corroborate_claims (article_id)")
    db.execute("CREATE INDEX corroborate_claims_group ON corroborate_claims (group_id)")


def _m006_boilerplate(db: duckdb.DuckDBPyConnection) -> None:
    # The claim sentences the boilerplate rule marks (store.corroboration.BOILERPLATE_SQL), kept
    # up to date as claims are added, so an update looks its sentences up instead of running the
    # rule over every stored claim. `corroborate_meta`'s 'boilerplate' row says whether the table
    # is complete ('current') or must be rebuilt from the claims first ('stale'): a store made
    # before this migration, a bulk extraction under way or a replaced article's claims.
    db.execute("CREATE TABLE corroborate_boilerplate (sentence VARCHAR NOT NULL)")
    db.execute("CREATE TABLE corroborate_meta (key VARCHAR NOT NULL, value VARCHAR NOT NULL)")
    db.execute(
        "INSERT INTO corroborate_meta SELECT 'boilerplate', CASE WHEN EXISTS "
        "(SELECT 1 FROM corroborate_claims) THEN 'stale' ELSE 'current' END"
    )


MIGRATIONS: tuple[Migration, ...] = (
    Migration("001_articles_and_sentences", _m001_articles),
    Migration("002_shingle_index", _m002_shingle_index),
    Migration("003_sentences_by_article", _m003_sentences_by_article),
    Migration("004_quotes", _m004_quotes),
    Migration("005_corroboration", _m005_corroboration),
    Migration("006_boilerplate", _m006_boilerplate),
)


def migrate(db: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply every migration not yet recorded; return the names applied now."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS _migrations (name VARCHAR PRIMARY KEY, applied_at TIMESTAMPTZ)"
    )
    done = {row[0] for row in db.execute("SELECT name FROM _migrations").fetchall()}
    applied: list[str] = []
    for migration in MIGRATIONS:
        if migration.name in done:
            continue
        with transaction(db) as tx:
            migration.apply(db)
            tx.execute("INSERT INTO _migrations VALUES (?, current_timestamp)", [migration.name])
        applied.append(migration.name)
    return applied
