"""The `wiretrace` command: each command is a thin wrapper over a function in `wiretrace.api`.

Exit codes and the shared options are in `options.py`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from wiretrace import api
from wiretrace.cli.options import db_option, emit_json, fail, format_option, say
from wiretrace.errors import InputError, WiretraceError
from wiretrace.ingest.run import IngestProgress, IngestReport
from wiretrace.ingest.sources import FORMATS
from wiretrace.render.safe import escape_tree, safe_json

REPORT_FORMATS = ("text", "json", "html", "md")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="wiretrace")
def cli() -> None:
    """wiretrace: where every sentence of a news article came from, and what was changed."""


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@db_option
@click.option("--input-format", type=click.Choice(FORMATS), help="Read every input as this format.")
@click.option("--url", help="URL of the article (single text or HTML file).")
@click.option("--outlet", help="Outlet name for every article read.")
@click.option("--published", help="Publication time (ISO 8601) for every article read.")
@click.option(
    "--field",
    "fields",
    multiple=True,
    metavar="OURS=THEIRS",
    help="Map a JSONL/CSV column to a field, e.g. --field text=body. Repeatable.",
)
@click.option("--follow", "follow_links", is_flag=True, help="Feeds: fetch each entry's page.")
@click.option("--allow-private", is_flag=True, help="Allow fetching loopback/private addresses.")
@click.option("--timeout", type=float, default=20.0, show_default=True, help="HTTP timeout, s.")
@click.option(
    "--max-bytes",
    type=int,
    default=100_000_000,
    show_default=True,
    help="Largest file or HTTP body read.",
)
@click.option("--semantic", is_flag=True, help="Also embed sentences for paraphrase search.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar, no summary.")
@format_option
def add(
    inputs: tuple[str, ...],
    db: Path,
    input_format: str | None,
    url: str | None,
    outlet: str | None,
    published: str | None,
    fields: tuple[str, ...],
    follow_links: bool,
    allow_private: bool,
    timeout: float,
    max_bytes: int,
    semantic: bool,
    quiet: bool,
    output_format: str,
) -> None:
    """Ingest files, directories, globs, feeds, WARC files and URLs into the store."""
    field_map = {}
    for pair in fields:
        ours, sep, theirs = pair.partition("=")
        if not sep or not ours or not theirs:
            raise click.BadParameter(f"{pair!r} is not OURS=THEIRS", param_hint="--field")
        field_map[ours.strip()] = theirs.strip()
    show_bar = not quiet and output_format == "text" and sys.stderr.isatty()
    try:
        with _progress_bar(show_bar) as on_progress:
            report = api.add(
                list(inputs),
                db=db,
                input_format=input_format,
                url=url,
                outlet=outlet,
                published=published,
                field_map=field_map,
                follow_links=follow_links,
                allow_private=allow_private,
                timeout=timeout,
                max_bytes=max_bytes,
                progress=on_progress,
                semantic=semantic,
            )
    except WiretraceError as exc:
        fail(exc)
    _print_ingest(report, output_format=output_format, quiet=quiet)
    sys.exit(report.exit_code)


def _print_ingest(report: IngestReport, *, output_format: str, quiet: bool) -> None:
    if output_format == "json":
        emit_json(report.to_dict())
        return
    for warning in report.warnings:
        say(f"wiretrace: warning: {warning}", err=True, one_line=True)
    for error in report.errors:
        say(f"wiretrace: error: {error} [{error.code}]", err=True, one_line=True)
    if not quiet:
        rate = f" ({report.added / report.seconds:,.0f} articles/s)" if report.seconds else ""
        failed = f"; {len(report.errors)} failed" if report.errors else ""
        say(
            f"Added {report.added} articles ({report.already_stored} already stored) "
            f"from {report.inputs} inputs in {report.seconds:.2f} s{rate}{failed}"
        )


class _progress_bar:
    """A rich progress bar on stderr with articles/s, or a no-op when hidden."""

    def __init__(self, visible: bool) -> None:
        self.visible = visible
        self.progress: Any = None
        self.task: Any = None

    def __enter__(self) -> Callable[[IngestProgress], None] | None:
        if not self.visible:
            return None
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        self.progress = Progress(
            TextColumn("[bold]ingest"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("inputs · {task.fields[articles]:,} articles · {task.fields[rate]}"),
            console=Console(stderr=True),
            transient=True,
        )
        self.progress.start()
        self.task = self.progress.add_task("ingest", total=None, articles=0, rate="")
        return self.update

    def update(self, state: IngestProgress) -> None:
        rate = f"{state.articles / state.seconds:,.0f} articles/s" if state.seconds > 0 else ""
        self.progress.update(
            self.task,
            total=state.inputs_total,
            completed=state.inputs_done,
            articles=state.articles,
            rate=rate,
        )

    def __exit__(self, *exc: object) -> None:
        if self.progress is not None:
            self.progress.stop()


@cli.command()
@db_option
@format_option
def stats(db: Path, output_format: str) -> None:
    """Articles, outlets, sentences, date range and size of the store."""
    try:
        result = api.stats(db=db)
    except WiretraceError as exc:
        fail(exc)
    if output_format == "json":
        emit_json(result.to_dict())
        return
    langs = ", ".join(f"{k} {v}" for k, v in result.languages.items())
    say(
        f"store          {result.path} ({result.store_bytes / 1e6:,.1f} MB)\n"
        f"articles       {result.articles:,} ({result.versioned_urls:,} urls with several "
        f"versions)\n"
        f"outlets        {result.outlets:,}\n"
        f"sentences      {result.sentences:,}\n"
        f"characters     {result.chars:,}\n"
        f"published      {result.first_published or '-'} .. {result.last_published or '-'} "
        f"({result.undated:,} undated)\n"
        f"languages      {langs or '-'}"
    )


@cli.command()
@click.argument("output", type=click.Path(dir_okay=False, path_type=Path))
@db_option
@click.option(
    "--table",
    type=click.Choice(api.EXPORT_TABLES),
    default="articles",
    show_default=True,
    help="What to export.",
)
@click.option(
    "--as",
    "export_format",
    type=click.Choice(api.EXPORT_FORMATS),
    help="File format (default: from OUTPUT's suffix).",
)
@format_option
def export(
    output: Path, db: Path, table: str, export_format: str | None, output_format: str
) -> None:
    """Write articles or sentences (with offsets and text) to Parquet, CSV or JSON Lines."""
    try:
        result = api.export(output, db=db, table=table, format=export_format)
    except WiretraceError as exc:
        fail(exc)
    if output_format == "json":
        emit_json(result.to_dict())
    else:
        say(f"Wrote {result.rows:,} {result.table} to {result.path} ({result.format})")


@cli.command()
@click.argument("key")
@db_option
@format_option
def show(key: str, db: Path, output_format: str) -> None:
    """Show a stored article (by id or url) with its sentences and their offsets."""
    try:
        article = api.show(key, db=db)
    except WiretraceError as exc:
        fail(exc)
    if output_format == "json":
        payload = article.to_dict()
        payload["sentences"] = [
            {"index": s.index, "start": s.start, "end": s.end, "text": s.text}
            for s in article.sentences
        ]
        emit_json(payload)
        return
    say(
        f"{article.title}\n{article.url or '-'} · {article.outlet or '-'} · "
        f"{article.published_at.isoformat() if article.published_at else 'undated'} · "
        f"{article.id} v{article.version}\n"
    )
    for sent in article.sentences:
        say(f"[{sent.index:>3}] {sent.start:>6}-{sent.end:<6} {sent.text}")


@cli.command()
@click.argument("targets", nargs=-1, required=True)
@db_option
@click.option("--input-format", type=click.Choice(FORMATS), help="Read file targets as this.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(REPORT_FORMATS),
    default="text",
    show_default=True,
    help="Terminal text, JSON, standalone HTML or Markdown.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to this file instead of standard output.",
)
@click.option(
    "--semantic/--no-semantic",
    default=None,
    help="Use (or skip) the store's semantic index; default: use it when it exists.",
)
def trace(
    targets: tuple[str, ...],
    db: Path,
    input_format: str | None,
    output_format: str,
    output: Path | None,
    semantic: bool | None,
) -> None:
    """Trace each sentence of articles (stored id or url, file, or URL) to its earlier sources."""
    try:
        reports = api.trace(list(targets), db=db, input_format=input_format, semantic=semantic)
    except WiretraceError as exc:
        fail(exc)
    _write_reports([r.to_dict() for r in reports], output_format, output)


def _write_reports(reports: list[dict[str, Any]], output_format: str, output: Path | None) -> None:
    from wiretrace.render import render, render_terminal

    if output_format in ("text", "md"):  # JSON escapes for itself, HTML for its page
        reports = escape_tree(reports)
    if output_format == "text":
        from rich.console import Console

        if output is None:
            render_terminal(reports, Console())
            return
        with output.open("w", encoding="utf-8") as handle:
            render_terminal(reports, Console(file=handle, width=100, color_system=None))
        return
    if output_format == "json":
        payload: Any = reports[0] if len(reports) == 1 else reports
        text = safe_json(payload) + "\n"
    else:
        text = render(reports, output_format)
    if output is None:
        say(text, nl=False)
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
        say(f"Wrote {output}", err=True)


@cli.command()
@click.argument("targets", nargs=-1, required=True)
@db_option
@click.option("--input-format", type=click.Choice(FORMATS), help="Read file targets as this.")
@click.option(
    "--parser",
    is_flag=True,
    default=None,
    help="Reported speech from a dependency parse (the parse extra; slower, finds more).",
)
@click.option(
    "--tagger",
    is_flag=True,
    default=None,
    help="Attributions from the trained tagger (the semantic extra; slowest, most accurate).",
)
@format_option
def claims(
    targets: tuple[str, ...],
    db: Path,
    input_format: str | None,
    parser: bool | None,
    tagger: bool | None,
    output_format: str,
) -> None:
    """Quotes, figures, entities, assertion classes and stitching artifacts (no corpus needed)."""
    try:
        reports = api.claims(
            list(targets), db=db, input_format=input_format, parser=parser, tagger=tagger
        )
    except WiretraceError as exc:
        fail(exc)
    payload = [r.to_dict() for r in reports]
    if output_format == "json":
        emit_json(payload[0] if len(payload) == 1 else payload)
        return
    for report in payload:
        _print_claims(report)


def _print_claims(report: dict[str, Any]) -> None:
    from wiretrace.render.claims_text import claims_text

    say(claims_text(report))


@cli.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--port", type=int, default=8765, show_default=True, help="Port to listen on.")
@click.option(
    "--token",
    envvar="WIRETRACE_TOKEN",
    help="Token that write requests must carry (required off loopback; or WIRETRACE_TOKEN).",
)
@click.option("--allow-private", is_flag=True, help="Let URL fetches reach private addresses.")
@click.option("--read-only", is_flag=True, help="Open the store read-only; refuse writes.")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Server processes (more than one needs --read-only).",
)
def serve(
    db: Path,
    host: str,
    port: int,
    token: str | None,
    allow_private: bool,
    read_only: bool,
    workers: int,
) -> None:
    """Serve the HTTP API and the web workbench over the store."""
    from wiretrace.web import serve as run_server

    if workers > 1 and not read_only:
        raise click.UsageError("--workers above 1 needs --read-only: only one process may write")

    try:
        run_server(
            db=db,
            host=host,
            port=port,
            token=token,
            allow_private=allow_private,
            read_only=read_only,
            workers=workers,
        )
    except WiretraceError as exc:
        fail(exc)


@cli.command()
@db_option
@click.option("--semantic", is_flag=True, help="Also embed every sentence (the semantic extra).")
@format_option
def reindex(db: Path, semantic: bool, output_format: str) -> None:
    """Rebuild the shingle index of every stored article (and the sentence embeddings)."""
    try:
        result = api.reindex(db=db, semantic=semantic)
    except WiretraceError as exc:
        fail(exc)
    if output_format == "json":
        emit_json(result.to_dict())
    else:
        say(
            f"Indexed {result.articles:,} articles: {result.postings:,} postings in "
            f"{result.segments} segments, {result.index_bytes / 1e6:,.1f} MB, "
            f"{result.seconds:.1f} s"
            + (f"; {result.embedded_sentences:,} sentences embedded" if semantic else "")
        )


@cli.command()
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    default="out/demo.duckdb",
    show_default=True,
    help="Demo store (made afresh).",
)
@click.option(
    "--html",
    "html_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default="out/demo-trace.html",
    show_default=True,
    help="Where the HTML report goes.",
)
@format_option
def demo(db: Path, html_path: Path, output_format: str) -> None:
    """Ingest the bundled demo corpus into a fresh store and take its newest article apart."""
    try:
        result = api.demo(db=db)
    except WiretraceError as exc:
        fail(exc)
    if output_format == "json":
        emit_json(result.to_dict())
        return
    report = result.ingest
    say(
        f"Ingested {report.added} demo articles into {result.db} "
        f"in {report.seconds:.2f} s; tracing the newest one.\n"
    )
    traced = [r.to_dict() for r in result.reports]
    _write_reports(traced, "text", None)
    _write_reports(traced, "html", html_path)


from wiretrace.cli.corpus import register as _register_corpus  # noqa: E402 - needs `cli`
from wiretrace.cli.corpus import register_corroboration  # noqa: E402

_register_corpus(cli)
register_corroboration(cli)


def main() -> None:
    """Console entry point: user errors become one line, never a traceback."""
    try:
        cli.main(standalone_mode=True)
    except InputError as exc:  # raised outside a command's own handler
        fail(exc)


if __name__ == "__main__":
    main()
