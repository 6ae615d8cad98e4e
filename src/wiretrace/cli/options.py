"""Options, output and the one error-to-exit-code mapping shared by every `wiretrace` command
(`command.py` applies them).

Exit codes: 0 ok; 1 some inputs failed (the rest was done); 2 usage error; 3 nothing could be
done with the input (nothing ingested, target not found); 4 store error; 5 missing extra.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from wiretrace.errors import MissingExtra, StoreError, UsageError, WiretraceError
from wiretrace.render.safe import escape_controls, safe_json

EXIT_USAGE = 2
EXIT_INPUT = 3
EXIT_STORE = 4
EXIT_EXTRA = 5

db_option = click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="WIRETRACE_DB",
    default="wiretrace.duckdb",
    show_default=True,
    help="Store file (or set WIRETRACE_DB).",
)
quiet_option = click.option("--quiet", "-q", is_flag=True, help="No progress bars, no summary.")


def say(text: str, *, err: bool = False, nl: bool = True, one_line: bool = False) -> None:
    """click.echo with every control character shown escaped: output carries untrusted text."""
    click.echo(escape_controls(text, newlines=not one_line), err=err, nl=nl)


def fail(exc: WiretraceError) -> NoReturn:
    """Print one line for a user-facing error and exit with its code; never a traceback."""
    say(f"wiretrace: error: {exc} [{exc.code}]", err=True, one_line=True)
    if isinstance(exc, UsageError):
        sys.exit(EXIT_USAGE)
    if isinstance(exc, StoreError):
        sys.exit(EXIT_STORE)
    if isinstance(exc, MissingExtra):
        sys.exit(EXIT_EXTRA)
    sys.exit(EXIT_INPUT)


def emit_json(payload: Any) -> None:
    """JSON on stdout, every control character escaped (`safe_json`)."""
    click.echo(safe_json(payload))
