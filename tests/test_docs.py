"""Every command, option and error code is in the README (sqlite-utils' test_docs habit)."""

from __future__ import annotations

import inspect
from pathlib import Path

import click
import pytest

from wiretrace import errors
from wiretrace.cli.main import cli

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_command_is_documented(name: str) -> None:
    assert f"wiretrace {name}" in README


@pytest.mark.parametrize(
    ("name", "option"),
    [
        (name, opt)
        for name, command in sorted(cli.commands.items())
        for param in command.params
        if isinstance(param, click.Option)
        for opt in param.opts
        if opt.startswith("--")
    ],
)
def test_option_is_documented(name: str, option: str) -> None:
    assert f"`{option}" in README, f"wiretrace {name} {option} is not in the README"


@pytest.mark.parametrize(
    "exc",
    [
        obj
        for _, obj in inspect.getmembers(errors, inspect.isclass)
        if issubclass(obj, errors.WiretraceError)
    ],
)
def test_error_code_is_documented(exc: type[errors.WiretraceError]) -> None:
    assert f"| {exc.code} | `{exc.__name__}` |" in README


def test_quickstart_is_two_commands_and_ci_runs_the_test_one() -> None:
    block = README.split("```", 2)[1].splitlines()[1:]
    commands = [line for line in block if line.strip()]
    assert len(commands) == 2
    ci = (Path(__file__).parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1] in ci
