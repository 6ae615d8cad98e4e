"""The api of copy-aware corroboration: `incidents` (claims across the store grouped into
incidents and graded) and `corroborate` (one article's claims with their groups and grades)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the corroborate package loads when a command runs
    from wiretrace.corroborate import ClaimCorroboration, IncidentsResult


def incidents(
    *,
    db: str | Path | None = None,
    reuse_workdir: str | Path | None = None,
    claimreview: str | Path | None = None,
    engine: str = "duckdb",
    master: str = "local[2]",
    workdir: str | Path | None = None,
) -> IncidentsResult:
    """Group claims across the store into incidents, copy-aware, and grade each group.

    `reuse_workdir`: a finished `reuse` run whose relations also mark copies. `claimreview`:
    also write every incident as schema.org ClaimReview JSON-LD to this file. `engine="spark"`
    extracts and groups on Spark (`master`; `workdir`, where Parquet goes between the store and
    Spark, else a temporary directory).
    """
    from wiretrace.corroborate import build_incidents, to_claimreview

    result = build_incidents(
        db=db, reuse_workdir=reuse_workdir, engine=engine, master=master, workdir=workdir
    )
    if claimreview is not None:
        reviews = [to_claimreview(inc) for inc in result.incidents]
        path = Path(claimreview)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(reviews, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return result


def corroborate(
    target: str, *, db: str | Path | None = None, reuse_workdir: str | Path | None = None
) -> list[ClaimCorroboration]:
    """Every claim of a stored article (id or url) with its group, independent origins and
    grade, and the earlier reports its sentence was copied from."""
    from wiretrace.corroborate import corroborate as corroborate_article

    return corroborate_article(target, db=db, reuse_workdir=reuse_workdir)
