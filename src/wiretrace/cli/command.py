"""The one wrapper every `wiretrace` command is built with.

A command is a function that calls its `wiretrace.api` twin and returns the result. `command`
adds the shared options (`--db`, `--format`, `--quiet` where there is progress), runs the
function under the one error-to-exit-code mapping (`options.fail`), draws its progress, hands the
result to the renderer the chosen `--format` names, and exits with the result's `exit_code` when
it has one (`add`: some inputs failed, nothing ingested).
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable, Mapping
from typing import Any

import click

from wiretrace.cli.options import db_option, fail, quiet_option
from wiretrace.cli.progress import ProgressBars, shown
from wiretrace.errors import WiretraceError

# A renderer shows a result: it gets the result and every parameter the command was given.
Renderer = Callable[[Any, Mapping[str, Any]], None]
ProgressAdapter = Callable[[ProgressBars, Any], None]

# Parameters the wrapper owns: how a result is shown, never passed to the api.
FORMAT = "output_format"
QUIET = "quiet"


def command(
    group: click.Group,
    *,
    formats: Mapping[str, Renderer],
    db: bool | Callable[[Any], Any] = True,
    progress: ProgressAdapter | None = None,
    shown_by: tuple[str, ...] = (),
    format_help: str = "Output for people (text) or scripts (json).",
) -> Callable[[Callable[..., Any]], click.Command]:
    """Make the decorated function a command of `group`.

    `formats`: a renderer per `--format` value, the first the default (one entry: no option).
    `db`: add the shared `--db` option (or this click option instead of it). `progress`: draw
    bars with this adapter and pass the callback to the function as `progress` (with a
    `--quiet` option). `shown_by`: the function's own parameters only its renderers read
    (`--output`), not passed to it.
    """

    def decorate(function: Callable[..., Any]) -> click.Command:
        declared: list[click.Parameter] = list(reversed(getattr(function, "__click_params__", [])))
        arguments = [p for p in declared if isinstance(p, click.Argument)]
        options = [p for p in declared if not isinstance(p, click.Argument)]
        shared: list[click.Parameter] = []
        if db:
            shared += _params(db_option if db is True else db)
        if progress is not None:
            options += _params(quiet_option)
        if len(formats) > 1:
            options += _params(_format_option(tuple(formats), format_help))

        def run(**given: Any) -> None:
            chosen = given.get(FORMAT, next(iter(formats)))
            passed = {
                name: value
                for name, value in given.items()
                if name not in (FORMAT, QUIET) and name not in shown_by
            }
            try:
                with ProgressBars(visible=shown(quiet=given.get(QUIET, False))) as bars:
                    if progress is not None:
                        passed["progress"] = bars.callback(progress)
                    result = function(**passed)
                formats[chosen](result, given)
            except WiretraceError as exc:
                fail(exc)
            code = getattr(result, "exit_code", 0)
            if code:
                sys.exit(code)

        made = WiretraceCommand(
            function.__name__.replace("_", "-"),
            callback=run,
            params=[*arguments, *shared, *options],
            help=inspect.getdoc(function),
            shown_by=frozenset(shown_by) | {FORMAT, QUIET},
        )
        group.add_command(made)
        return made

    return decorate


class WiretraceCommand(click.Command):
    """A command made by `command`; `shown_by` names its parameters that only choose how the
    result is shown (every other parameter is one of its api twin's)."""

    def __init__(self, *args: Any, shown_by: frozenset[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.shown_by = shown_by


def _params(decorator: Callable[[Any], Any]) -> list[click.Parameter]:
    """The click parameter(s) an option decorator would add."""

    def holder() -> None:
        pass

    decorator(holder)
    params: list[click.Parameter] = getattr(holder, "__click_params__", [])
    return list(reversed(params))


def _format_option(choices: tuple[str, ...], help_text: str) -> Callable[[Any], Any]:
    return click.option(
        "--format",
        FORMAT,
        type=click.Choice(choices),
        default=choices[0],
        show_default=True,
        help=help_text,
    )
