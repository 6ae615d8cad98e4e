"""The `wiretrace` command: each command calls its twin in `wiretrace.api` and returns the result;
`command.py` wraps it (shared options, errors and exit codes, `--format`, progress) and `text.py`
shows it. The corpus-wide commands are in `corpus.py`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from wiretrace import api
from wiretrace.claims import ClaimsReport
from wiretrace.cli import text
from wiretrace.cli.command import command
from wiretrace.cli.options import fail
from wiretrace.cli.progress import ProgressBars
from wiretrace.doc.article import Article
from wiretrace.doc.pipeline import Component
from wiretrace.errors import InputError
from wiretrace.ingest.sources import FORMATS
from wiretrace.trace.report import TraceReport

REPORT_FORMATS = ("text", "json", "html", "md")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="wiretrace")
def cli() -> None:
    """wiretrace: where every sentence of a news article came from, and what was changed."""


def _field_map(ctx: click.Context, param: click.Parameter, pairs: tuple[str, ...]) -> Any:
    """--field OURS=THEIRS, repeated, as the {ours: theirs} map the readers take."""
    mapping = {}
    for pair in pairs:
        ours, sep, theirs = pair.partition("=")
        if not sep or not ours or not theirs:
            raise click.BadParameter(f"{pair!r} is not OURS=THEIRS", param_hint="--field")
        mapping[ours.strip()] = theirs.strip()
    return mapping


@command(
    cli, formats={"text": text.ingest_text, "json": text.as_json}, progress=ProgressBars.ingest
)
@click.argument("inputs", nargs=-1, required=True)
@click.option("--input-format", type=click.Choice(FORMATS), help="Read every input as this format.")
@click.option("--url", help="URL of the article (single text or HTML file).")
@click.option("--outlet", help="Outlet name for every article read.")
@click.option("--published", help="Publication time (ISO 8601) for every article read.")
@click.option(
    "--field",
    "field_map",
    multiple=True,
    metavar="OURS=THEIRS",
    callback=_field_map,
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
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="Processes that parse and split articles [default: every core, for big inputs].",
)
def add(inputs: tuple[str, ...], **options: Any) -> api.IngestReport:
    """Ingest files, directories, globs, feeds, WARC files and URLs into the store."""
    return api.add(list(inputs), **options)


@command(cli, formats={"text": text.stats_text, "json": text.as_json})
def stats(db: Path) -> api.StoreStats:
    """Articles, outlets, sentences, date range and size of the store."""
    return api.stats(db=db)


@command(cli, formats={"text": text.export_text, "json": text.as_json})
@click.argument("output", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--table",
    type=click.Choice(api.EXPORT_TABLES),
    default="articles",
    show_default=True,
    help="What to export.",
)
@click.option(
    "--as",
    "format",
    type=click.Choice(api.EXPORT_FORMATS),
    help="File format (default: from OUTPUT's suffix).",
)
def export(output: Path, **options: Any) -> api.ExportResult:
    """Write articles or sentences (with offsets and text) to Parquet, CSV or JSON Lines."""
    return api.export(output, **options)


@command(cli, formats={"text": text.show_text, "json": text.show_json})
@click.argument("key")
def show(key: str, db: Path) -> Article:
    """Show a stored article (by id or url) with its sentences and their offsets."""
    return api.show(key, db=db)


@command(
    cli,
    formats={name: text.trace_renderer(name) for name in REPORT_FORMATS},
    shown_by=("output",),
    format_help="Terminal text, JSON, standalone HTML or Markdown.",
)
@click.argument("targets", nargs=-1, required=True)
@click.option("--input-format", type=click.Choice(FORMATS), help="Read file targets as this.")
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
def trace(targets: tuple[str, ...], **options: Any) -> list[TraceReport]:
    """Trace each sentence of articles (stored id or url, file, or URL) to its earlier sources."""
    return api.trace(list(targets), **options)


@command(cli, formats={"text": text.claims_text, "json": text.one_or_many_json})
@click.argument("targets", nargs=-1, required=True)
@click.option("--input-format", type=click.Choice(FORMATS), help="Read file targets as this.")
@click.option(
    "--parser",
    is_flag=True,
    default=None,
    help="Reported speech from a dependency parse (the parse extra; slower, finds more).",
)
@click.option(
    "--tagger/--rules",
    default=None,
    help="Quotes from the trained tagger with the rules' speakers (the default with the "
    "semantic extra; most accurate) or from the rules alone (fast; the default without it).",
)
@click.option(
    "--detector/--lexicon",
    default=None,
    help="Loaded language from the trained detector (the default with the semantic extra) or "
    "from the small lexicon (fast; the default without it).",
)
def claims(targets: tuple[str, ...], **options: Any) -> list[ClaimsReport]:
    """Quotes, figures, entities, assertion classes and stitching artifacts (no corpus needed)."""
    return api.claims(list(targets), **options)


@command(cli, formats={"text": text.components_text, "json": text.list_json}, db=False)
def components() -> list[Component]:
    """The pipeline's components: the layers each needs and sets, and what it does."""
    return api.components()


@command(cli, formats={"text": text.nothing})
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
def serve(**options: Any) -> None:
    """Serve the HTTP API and the web workbench over the store."""
    api.serve(**options)


@command(cli, formats={"text": text.reindex_text, "json": text.as_json})
@click.option("--semantic", is_flag=True, help="Also embed every sentence (the semantic extra).")
def reindex(db: Path, semantic: bool) -> api.IndexStats:
    """Rebuild the shingle index of every stored article (and the sentence embeddings)."""
    return api.reindex(db=db, semantic=semantic)


@command(
    cli,
    formats={"text": text.demo_text, "json": text.as_json},
    db=click.option(
        "--db",
        type=click.Path(dir_okay=False, path_type=Path),
        default="out/demo.duckdb",
        show_default=True,
        help="Demo store (made afresh).",
    ),
    shown_by=("html_path",),
)
@click.option(
    "--html",
    "html_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default="out/demo-trace.html",
    show_default=True,
    help="Where the HTML report goes.",
)
def demo(db: Path) -> api.DemoResult:
    """Ingest the bundled demo corpus into a fresh store and take its newest article apart."""
    return api.demo(db=db)


from wiretrace.cli.corpus import register as _register_corpus  # noqa: E402 - needs `cli`

_register_corpus(cli)


def main() -> None:
    """Console entry point: user errors become one line, never a traceback."""
    try:
        cli.main(standalone_mode=True)
    except InputError as exc:  # raised outside a command's own handler
        fail(exc)


if __name__ == "__main__":
    main()
