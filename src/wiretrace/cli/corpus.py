"""Corpus-wide commands over `wiretrace.api`: `reuse`, `graph` (wiretrace.corpus), `incidents`,
`corroborate` (wiretrace.corroborate)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from wiretrace import api
from wiretrace.cli import text
from wiretrace.cli.command import command
from wiretrace.cli.progress import ProgressBars

if TYPE_CHECKING:
    from wiretrace.corpus import ReuseResult
    from wiretrace.corroborate import ClaimCorroboration, IncidentsResult

ENGINE_CHOICE = click.Choice(["duckdb", "spark"])


def register(cli: click.Group) -> None:
    """Add the corpus commands to the `wiretrace` group."""

    @command(
        cli,
        formats={"text": text.reuse_text, "json": text.reuse_json},
        progress=ProgressBars.stages,
    )
    @click.option(
        "--workdir",
        type=click.Path(file_okay=False, path_type=Path),
        default="out/reuse",
        show_default=True,
        help="Where stage checkpoints (Parquet) and the result go; a rerun resumes from them.",
    )
    @click.option(
        "--engine",
        type=ENGINE_CHOICE,
        default="duckdb",
        show_default=True,
        help="Run the plan in DuckDB or on Apache Spark.",
    )
    @click.option("--until", type=click.Choice(api.STAGE_NAMES), help="Stop after this stage.")
    @click.option(
        "--min-shared",
        type=int,
        default=2,
        show_default=True,
        help="Shingles a sentence pair must share to be aligned.",
    )
    @click.option(
        "--max-df",
        type=int,
        default=200,
        show_default=True,
        help="Shingles in more sentences than this are stock phrases.",
    )
    @click.option("--master", default="local[2]", show_default=True, help="Spark master URL.")
    @click.option(
        "--workers",
        type=int,
        default=1,
        show_default=True,
        help="DuckDB engine: processes aligning batches.",
    )
    def reuse(**options: Any) -> ReuseResult:
        """Who copies whom across the whole store: relations, story clusters, outlet profiles."""
        return api.reuse(**options)

    @command(cli, formats={"text": text.graph_text, "json": text.as_json}, db=False)
    @click.argument("output", type=click.Path(dir_okay=False, path_type=Path))
    @click.option(
        "--workdir",
        type=click.Path(file_okay=False, path_type=Path),
        default="out/reuse",
        show_default=True,
        help="The finished reuse run to draw.",
    )
    @click.option(
        "--as",
        "format",
        type=click.Choice(["csv", "graphml", "parquet"]),
        help="Export format (default: from OUTPUT's suffix; .png/.svg draws a plot).",
    )
    def graph(output: Path, **options: Any) -> api.GraphFile:
        """Export the outlet reuse graph (CSV edges, GraphML, Parquet) or draw it (PNG, SVG)."""
        return api.graph(output, **options)

    reuse_dir = click.option(
        "--reuse-workdir",
        type=click.Path(file_okay=False, path_type=Path),
        help="A finished `wiretrace reuse` run whose relations also mark copies.",
    )

    @command(cli, formats={"text": text.incidents_text, "json": text.incidents_json})
    @reuse_dir
    @click.option(
        "--claimreview",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Also write every incident as schema.org ClaimReview JSON-LD here.",
    )
    @click.option(
        "--engine",
        type=ENGINE_CHOICE,
        default="duckdb",
        show_default=True,
        help="Extract and group claims in this process (DuckDB) or on Apache Spark.",
    )
    @click.option("--master", default="local[2]", show_default=True, help="Spark master URL.")
    @click.option(
        "--workdir",
        type=click.Path(file_okay=False, path_type=Path),
        help="Spark: where Parquet goes between the store and Spark (default: a temporary "
        "directory; on a cluster, a file system all executors see).",
    )
    def incidents(**options: Any) -> IncidentsResult:
        """Group claims across the store into incidents, copy-aware, and grade each group."""
        return api.incidents(**options)

    @command(cli, formats={"text": text.corroborate_text, "json": text.list_json})
    @click.argument("target")
    @reuse_dir
    def corroborate(target: str, **options: Any) -> list[ClaimCorroboration]:
        """Every claim of a stored article with its group, independent origins and grade."""
        return api.corroborate(target, **options)
