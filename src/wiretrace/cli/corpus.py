"""Corpus-wide commands: `reuse`, `graph` (wiretrace.corpus), `incidents`, `corroborate`."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from wiretrace.cli.options import db_option, fail, format_option, say
from wiretrace.errors import MissingExtra, WiretraceError
from wiretrace.render.safe import safe_json

STAGE_NAMES = ("docs", "shingles", "candidates", "aligned", "result")


def _engine(name: str, *, master: str, workers: int) -> Any:
    """The engine object; Spark needs the `spark` extra."""
    if name == "spark":
        try:
            from wiretrace.corpus.spark_engine import SparkEngine
        except ImportError as exc:
            raise MissingExtra("spark", "the Spark engine") from exc
        return SparkEngine(master=master)
    from wiretrace.corpus.duckdb_engine import DuckDBEngine

    return DuckDBEngine(workers=workers)


class _StageBars:
    """One rich progress bar per stage on stderr, with items/s; nothing when hidden."""

    def __init__(self, visible: bool) -> None:
        self.visible = visible
        self.progress: Any = None
        self.tasks: dict[str, Any] = {}

    def __enter__(self) -> Any:
        if not self.visible:
            return None
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

        self.progress = Progress(
            TextColumn("[bold]{task.description:<10}"),
            BarColumn(),
            TextColumn("{task.completed:,} · {task.fields[rate]}"),
            TimeRemainingColumn(),
            console=Console(stderr=True),
        )
        self.progress.start()
        return self.update

    def update(self, event: Any) -> None:
        task = self.tasks.get(event.stage)
        if task is None:
            task = self.tasks[event.stage] = self.progress.add_task(
                event.stage, total=event.total, rate=""
            )
        rate = "checkpoint" if event.skipped else f"{event.per_second:,.0f}/s"
        self.progress.update(task, completed=event.done, total=event.total, rate=rate)

    def __exit__(self, *exc: object) -> None:
        if self.progress is not None:
            self.progress.stop()


def register(cli: click.Group) -> None:
    """Add the corpus commands to the `wiretrace` group."""

    @cli.command()
    @db_option
    @click.option(
        "--workdir",
        type=click.Path(file_okay=False, path_type=Path),
        default="out/reuse",
        show_default=True,
        help="Where stage checkpoints (Parquet) and the result go; a rerun resumes from them.",
    )
    @click.option(
        "--engine",
        type=click.Choice(["duckdb", "spark"]),
        default="duckdb",
        show_default=True,
        help="Run the plan in DuckDB or on Apache Spark.",
    )
    @click.option("--until", type=click.Choice(STAGE_NAMES), help="Stop after this stage.")
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
    @format_option
    @click.option("--quiet", "-q", is_flag=True, help="No progress bars.")
    def reuse(
        db: Path,
        workdir: Path,
        engine: str,
        until: str | None,
        min_shared: int,
        max_df: int,
        master: str,
        workers: int,
        output_format: str,
        quiet: bool,
    ) -> None:
        """Who copies whom across the whole store: relations, story clusters, outlet profiles."""
        from wiretrace.corpus import ReuseParams, run_reuse
        from wiretrace.trace.params import DEFAULT_PARAMS

        params = ReuseParams(trace=replace(DEFAULT_PARAMS, max_df=max_df), min_shared=min_shared)
        try:
            chosen = _engine(engine, master=master, workers=workers)
            with _StageBars(not quiet and sys.stderr.isatty()) as on_progress:
                result = run_reuse(
                    db=db,
                    engine=chosen,
                    workdir=workdir,
                    until=until,
                    params=params,
                    progress=on_progress,
                )
        except WiretraceError as exc:
            fail(exc)
        if output_format == "json":
            say(result.to_json())
            return
        data = result.to_dict()
        say(
            f"{len(data['relations']):,} source-to-copy relations, "
            f"{len(data['clusters']):,} story clusters, {len(data['outlets']):,} outlets "
            f"(work directory {workdir})"
        )
        ranked = sorted(data["outlets"], key=lambda o: -(o["farm_score"] or 0))[:10]
        if ranked:
            say("\nOutlets most like content farms:")
        for outlet in ranked:
            say(
                f"  {outlet['outlet']:<32} farm {outlet['farm_score']:.2f}  copied "
                f"{outlet['copied_share']:.0%}  articles {outlet['articles']}"
            )

    @cli.command()
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
        "graph_format",
        type=click.Choice(["csv", "graphml", "parquet"]),
        help="Export format (default: from OUTPUT's suffix; .png/.svg draws a plot).",
    )
    def graph(output: Path, workdir: Path, graph_format: str | None) -> None:
        """Export the outlet reuse graph (CSV edges, GraphML, Parquet) or draw it (PNG, SVG)."""
        from wiretrace.corpus import export_graph, load_result, plot_graph

        try:
            result = load_result(workdir)
            if graph_format is None and output.suffix.lower() in (".png", ".svg"):
                plot_graph(result, output)
            else:
                export_graph(result, output, graph_format)
        except WiretraceError as exc:
            fail(exc)
        say(f"Wrote {output}", err=True)


def register_corroboration(cli: click.Group) -> None:
    """Add `incidents` and `corroborate` (wiretrace.corroborate) to the `wiretrace` group."""

    reuse_dir = click.option(
        "--reuse-workdir",
        type=click.Path(file_okay=False, path_type=Path),
        help="A finished `wiretrace reuse` run whose relations also mark copies.",
    )

    @cli.command()
    @db_option
    @reuse_dir
    @click.option(
        "--claimreview",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Also write every incident as schema.org ClaimReview JSON-LD here.",
    )
    @click.option(
        "--engine",
        type=click.Choice(["duckdb", "spark"]),
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
    @format_option
    def incidents(
        db: Path,
        reuse_workdir: Path | None,
        claimreview: Path | None,
        engine: str,
        master: str,
        workdir: Path | None,
        output_format: str,
    ) -> None:
        """Group claims across the store into incidents, copy-aware, and grade each group."""
        from wiretrace.corroborate import build_incidents, to_claimreview

        try:
            result = build_incidents(
                db=db, reuse_workdir=reuse_workdir, engine=engine, master=master, workdir=workdir
            )
        except WiretraceError as exc:
            fail(exc)
        if claimreview is not None:
            reviews = [to_claimreview(inc) for inc in result.incidents]
            claimreview.parent.mkdir(parents=True, exist_ok=True)
            claimreview.write_text(
                json.dumps(reviews, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
            )
        data = result.to_dict()
        if output_format == "json":
            say(safe_json(data))
            return
        say(
            f"{len(data['incidents']):,} incidents and statements "
            f"({result.articles_processed:,} articles read now)"
        )
        for inc in data["incidents"][:20]:
            say(
                f"  {inc['id']}  {inc['kind']:<9} {inc['place'] or '-':<18} "
                f"{inc['date'] or '-':<10} {inc['grade']:<18} {inc['why']}"
            )

    @cli.command()
    @click.argument("target")
    @db_option
    @reuse_dir
    @format_option
    def corroborate(target: str, db: Path, reuse_workdir: Path | None, output_format: str) -> None:
        """Every claim of a stored article with its group, independent origins and grade."""
        from wiretrace.corroborate import corroborate as corroborate_article

        try:
            found = corroborate_article(target, db=db, reuse_workdir=reuse_workdir)
        except WiretraceError as exc:
            fail(exc)
        payload = [c.to_dict() for c in found]
        if output_format == "json":
            say(safe_json(payload))
            return
        for item in payload:
            claim = item["claim"]
            if claim["type"] == "quote":
                what = claim["content"]
            elif claim["type"] == "assertion":
                what = claim["sentence"]
            else:
                what = f"{claim['kind']} {claim['value']} {claim['group'] or ''}"
            say(
                f"- {what}\n    {item['grade']}: {item['why']} "
                f"({item['articles']} articles, {len(item['origins'])} origins)"
            )
            for source in item["copied_from"]:
                say(f"    copied from {source['url'] or source['article_id']} ({source['status']})")
