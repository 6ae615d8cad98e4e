"""Plain-Python steps over Arrow data, for engines that ship work to workers (Spark).

Nothing here imports an engine: `extract_batch` runs `claim_rows` on a batch of stored articles,
`keyed_batches` adds each claim's part (`groups.Partitioner`: the grouping key, `key_of`, the
claim kind or a quote's speaker, split further into spatial cells and runs of days; parts never
share a group), and `group_table` runs `group_all` on the claims of one or more whole parts. The
DuckDB path calls `claim_rows` and `group_all` directly; Spark calls these in `mapInArrow` /
`applyInArrow`, so both engines run the same code on the same rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pyarrow as pa

from wiretrace.corroborate.claimrows import claim_rows
from wiretrace.corroborate.groups import Partitioner, group_all, key_of
from wiretrace.corroborate.storage import CLAIMS_SCHEMA, claims_from_table, claims_table
from wiretrace.doc.article import Article

# The stored article columns an engine exports for extraction (`starts`/`stops`: the sentence
# offsets in text order, as `Store.get_many` sets them).
ARTICLE_COLUMNS = (
    "id", "url", "version", "outlet", "title", "author", "published_at", "language", "text",
    "ingested_at", "origin_file", "origin_record", "starts", "stops",
)  # fmt: skip
GROUPS_SCHEMA = pa.schema([("claim_id", pa.string()), ("group_id", pa.string())])
KEY_FIELD = "gkey"
KEYED_SCHEMA = CLAIMS_SCHEMA.append(pa.field(KEY_FIELD, pa.string()))


def _utc(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def articles_of(batch: pa.RecordBatch | pa.Table) -> list[Article]:
    """Articles (with sentence offsets) from a batch with `ARTICLE_COLUMNS`."""
    out = []
    for row in batch.to_pylist():
        article = Article(
            id=row["id"],
            text=row["text"],
            title=row["title"] or "",
            url=row["url"],
            outlet=row["outlet"],
            author=row["author"],
            published_at=_utc(row["published_at"]),
            language=row["language"],
            ingested_at=_utc(row["ingested_at"]),
            origin_file=row["origin_file"],
            origin_record=row["origin_record"],
            version=row["version"],
        )
        article.set_spans(list(zip(row["starts"] or (), row["stops"] or (), strict=True)))
        out.append(article)
    return out


def extract_batch(batch: pa.RecordBatch | pa.Table) -> pa.Table:
    """The claim rows (`CLAIMS_SCHEMA`) of a batch of articles."""
    return claims_table([row for article in articles_of(batch) for row in claim_rows(article)])


def extract_batches(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """`extract_batch` over a stream of article batches (a `mapInArrow` function)."""
    for batch in batches:
        yield from extract_batch(batch).to_batches()


def keyed_batches(
    batches: Iterator[pa.RecordBatch], partitioner: Partitioner | None = None
) -> Iterator[pa.RecordBatch]:
    """Claim batches with their part appended as `gkey` (a `mapInArrow` function, with
    `functools.partial` for the partitioner): the grouping key, or with a `Partitioner` the
    part of the key (spatial cell and run of days) that groups on its own."""
    for batch in batches:
        rows = claims_from_table(pa.Table.from_batches([batch]))
        if partitioner is None:
            labels = ["\x1f".join(key_of(row)) for row in rows]
        else:
            labels = [partitioner.label(row) for row in rows]
        keys = pa.array(labels, pa.string())
        table = claims_table(rows).append_column(KEY_FIELD, keys)
        yield from table.to_batches()


def group_table(table: pa.Table) -> pa.Table:
    """Claim id -> group id (`GROUPS_SCHEMA`) for claims holding whole parts (`group_all`)."""
    groups = group_all(claims_from_table(table))
    ids = sorted(groups)
    return pa.table({"claim_id": ids, "group_id": [groups[i] for i in ids]}, schema=GROUPS_SCHEMA)
