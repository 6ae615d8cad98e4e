"""Every command and its `wiretrace.api` twin: the same parameters, and on a real store the same
result (the command's `--format json` against the twin's value)."""

from __future__ import annotations

import inspect
import json
import shutil
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from tests.test_cli_json import demo_store, newest_id
from wiretrace import api
from wiretrace.cli.command import WiretraceCommand
from wiretrace.cli.main import cli
from wiretrace.errors import UsageError

# The api's parameters no command has: the progress callback (the wrapper passes its bars) and
# trace's parameter object (a Python value, no flag).
PYTHON_ONLY = {"progress", "params"}
# Timings and ingest times: they differ between two runs of the same work.
VOLATILE = {"seconds", "articles_per_second", "ingested_at"}


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_each_command_has_an_api_twin_with_its_parameters(name: str) -> None:
    command = cli.commands[name]
    assert isinstance(command, WiretraceCommand), f"{name} is not built by cli.command.command"
    twin = getattr(api, name.replace("-", "_"))
    signature = inspect.signature(twin).parameters
    passed = [p for p in command.params if p.name not in command.shown_by]
    names = {p.name for p in passed}
    assert names <= set(signature), f"{name}: no api parameter for {names - set(signature)}"
    assert set(signature) - names <= PYTHON_ONLY, f"{name}: no option for the api's extra ones"
    arguments = [p.name for p in passed if isinstance(p, click.Argument)]
    positional = [
        n for n, p in signature.items() if p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
    ]
    assert arguments == positional, name


def run_json(*args: str, code: int = 0) -> Any:
    result = CliRunner().invoke(cli, [*args, "--format", "json"])
    assert result.exit_code == code, result.output
    return json.loads(result.stdout)


def stable(value: Any) -> Any:
    """A JSON value without its timings and sizes, as JSON would carry it."""
    value = json.loads(json.dumps(value, default=str))
    return _drop(value)


def _drop(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [_drop(v) for v in value]
    return value


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo_store(tmp_path_factory.mktemp("twins"))


def copy_store(db: Path, folder: Path) -> Path:
    """The store file with its index beside it, copied into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    for part in db.parent.glob(f"{db.name}*"):
        if part.is_dir():
            shutil.copytree(part, folder / part.name)
        else:
            shutil.copy(part, folder / part.name)
    return folder / db.name


@pytest.fixture()
def twin_stores(built: Path, tmp_path: Path) -> tuple[Path, Path]:
    """Two copies of the demo store: one for the api twin, one for the command."""
    return copy_store(built, tmp_path / "api"), copy_store(built, tmp_path / "cli")


def test_add(tmp_path: Path) -> None:
    inputs = [str(p) for p in api.demo_corpus_files()[:3]] + [str(tmp_path / "missing.txt")]
    by_api = api.add(inputs, db=tmp_path / "a.duckdb", outlet="Invented Wire")
    by_cli = run_json(
        "add", *inputs, "--db", str(tmp_path / "b.duckdb"), "--outlet", "Invented Wire", code=1
    )
    assert by_api.added == 3 and by_api.exit_code == 1
    assert stable(by_cli) == stable(by_api.to_dict())


def test_stats_show_and_export(built: Path, tmp_path: Path) -> None:
    assert stable(run_json("stats", "--db", str(built))) == stable(api.stats(db=built).to_dict())
    target = newest_id(built)
    shown = run_json("show", target, "--db", str(built))
    article = api.show(target, db=built)
    assert shown["id"] == article.id and shown["text"] == article.text
    assert [(s["start"], s["end"]) for s in shown["sentences"]] == [
        (s.start, s.end) for s in article.sentences
    ]
    out = tmp_path / "sentences.csv"
    by_api = api.export(out, db=built, table="sentences")
    written = out.read_bytes()
    by_cli = run_json("export", str(out), "--db", str(built), "--table", "sentences")
    assert by_cli == by_api.to_dict() and out.read_bytes() == written
    assert by_api.rows == written.count(b"\n") - 1 > 0


def test_trace_and_claims(built: Path) -> None:
    target = newest_id(built)
    by_api = api.trace([target], db=built)
    assert stable(run_json("trace", target, "--db", str(built))) == stable(by_api[0].to_dict())
    claims = api.claims([target, target], db=built)
    by_cli = run_json("claims", target, target, "--db", str(built))
    assert stable(by_cli) == stable([c.to_dict() for c in claims])


def test_reindex(twin_stores: tuple[Path, Path]) -> None:
    mine, theirs = twin_stores
    by_api = api.reindex(db=mine)
    assert by_api.articles >= 6 and by_api.postings > 0
    assert stable(run_json("reindex", "--db", str(theirs))) == stable(by_api.to_dict())


def test_demo(tmp_path: Path) -> None:
    db = tmp_path / "demo.duckdb"  # made afresh by each run, so both can use it
    by_api = api.demo(db=db)
    by_cli = run_json("demo", "--db", str(db), "--html", str(tmp_path / "demo.html"))
    assert stable(by_cli) == stable(by_api.to_dict())


def test_reuse_and_graph(twin_stores: tuple[Path, Path], tmp_path: Path) -> None:
    mine, theirs = twin_stores
    by_api = api.reuse(db=mine, workdir=tmp_path / "reuse-api", min_shared=1)
    work = tmp_path / "reuse-cli"
    by_cli = run_json("reuse", "--db", str(theirs), "--workdir", str(work), "--min-shared", "1")
    assert by_api.relation_count, "the demo corpus has copies"
    assert stable(_no_workdir(by_cli)) == stable(_no_workdir(by_api.to_dict()))
    edges = tmp_path / "edges.csv"
    drawn = api.graph(edges, workdir=work)
    written = edges.read_bytes()
    assert run_json("graph", str(edges), "--workdir", str(work)) == drawn.to_dict()
    assert drawn.format == "csv" and edges.read_bytes() == written and written.count(b"\n") > 1


def _no_workdir(value: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in value.items() if k != "workdir"}


def test_incidents_and_corroborate(twin_stores: tuple[Path, Path], tmp_path: Path) -> None:
    mine, theirs = twin_stores
    by_api = api.incidents(db=mine, claimreview=tmp_path / "api.jsonld")
    by_cli = run_json(
        "incidents", "--db", str(theirs), "--claimreview", str(tmp_path / "cli.jsonld")
    )
    assert by_api.incidents
    assert stable(by_cli) == stable(by_api.to_dict())
    assert (tmp_path / "api.jsonld").read_text() == (tmp_path / "cli.jsonld").read_text()
    target = newest_id(mine)
    found = api.corroborate(target, db=mine)
    assert found
    by_cli = run_json("corroborate", target, "--db", str(theirs))
    assert stable(by_cli) == stable([c.to_dict() for c in found])


def test_serve_refuses_several_writing_workers(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    with pytest.raises(UsageError):
        api.serve(db=db, workers=2)
    result = CliRunner().invoke(cli, ["serve", "--db", str(db), "--workers", "2"])
    assert result.exit_code == 2 and "--read-only" in result.stderr and "[W101]" in result.stderr


def test_one_progress_display_for_ingest_and_reuse_stages() -> None:
    from io import StringIO

    from rich.console import Console

    from wiretrace.cli.progress import ProgressBars, shown
    from wiretrace.corpus import ProgressEvent
    from wiretrace.ingest.run import IngestProgress

    assert not shown(quiet=True)
    with ProgressBars(visible=False) as hidden:
        assert hidden.callback(ProgressBars.ingest) is None  # the api then reports nothing
    screen = StringIO()
    console = Console(file=screen, force_terminal=True, width=120)
    with ProgressBars(visible=True, console=console) as bars:
        on_ingest = bars.callback(ProgressBars.ingest)
        on_stage = bars.callback(ProgressBars.stages)
        assert on_ingest is not None and on_stage is not None
        on_ingest(IngestProgress(inputs_done=3, inputs_total=5, articles=40, chars=0, seconds=2.0))
        on_stage(ProgressEvent("shingles", done=7, total=None, per_second=3.5))
        on_stage(ProgressEvent("docs", done=9, total=9, per_second=0.0, skipped=True))
        assert bars.shown_tasks() == {
            "ingest": (3, 5, "inputs · 40 articles · 20 articles/s"),
            "shingles": (7, None, "4/s"),
            "docs": (9, 9, "checkpoint"),
        }
    assert "ingest" in screen.getvalue()
