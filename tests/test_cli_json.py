"""The JSON contract of every command: the keys of each `--format json` output, on the bundled
synthetic demo corpus, against a snapshot taken before the CLI was rebuilt on one wrapper.

A key that appears or disappears is a change of a JSON contract: it needs a new schema version
(docs/) and a new snapshot (`python -m tests.test_cli_json` rewrites it), never a silent one.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from wiretrace import api
from wiretrace.cli.main import cli
from wiretrace.store.articles import Store, fetch_one

SNAPSHOT = Path(__file__).with_name("snapshots") / "cli_json_keys.json"


def key_shape(value: Any) -> Any:
    """The keys of a JSON value, nested: a dict maps each key to its value's shape, a list is
    the merged shape of its items, anything else is ""."""
    if isinstance(value, dict):
        return {key: key_shape(item) for key, item in sorted(value.items())}
    if isinstance(value, list):
        merged: Any = None
        for item in value:
            merged = _merge(merged, key_shape(item))
        return [] if merged is None else [merged]
    return ""


def _merge(a: Any, b: Any) -> Any:
    if a is None or a == "":
        return b if b is not None else a
    if isinstance(a, dict) and isinstance(b, dict):
        return {k: _merge(a.get(k), b.get(k)) for k in sorted(a.keys() | b.keys())}
    if isinstance(a, list) and isinstance(b, list):
        return [_merge(a[0] if a else None, b[0] if b else None)] if a or b else []
    return a


def run_json(*args: str, code: int = 0) -> Any:
    result = CliRunner().invoke(cli, [*args, "--format", "json"])
    assert result.exit_code == code, result.output
    return json.loads(result.stdout)


def demo_store(folder: Path) -> Path:
    """A store of the bundled synthetic demo articles (wires, their copies, an unrelated one)."""
    db = folder / "demo.duckdb"
    report = api.add(api.demo_corpus_files(), db=db)
    assert report.added >= 6 and not report.errors
    return db


def newest_id(db: Path) -> str:
    with Store(db, read_only=True) as opened:
        row = fetch_one(opened.db, "SELECT id FROM articles ORDER BY published_at DESC LIMIT 1")
    assert row is not None
    return str(row[0])


def command_outputs(db: Path, folder: Path) -> dict[str, Any]:
    """Every command that has `--format json`, run once on the demo store (`graph` has it since
    the wrapper: its keys joined the snapshot then)."""
    target = newest_id(db)
    first = str(api.demo_corpus_files()[0])
    reuse_dir = str(folder / "reuse")
    out: dict[str, Any] = {
        "add": run_json(  # one input stored, one missing: both lists have items
            "add", first, str(folder / "missing.txt"), "--db", str(folder / "fresh.duckdb"), code=1
        ),
        "stats": run_json("stats", "--db", str(db)),
        "show": run_json("show", target, "--db", str(db)),
        "export": run_json("export", str(folder / "a.parquet"), "--db", str(db)),
        "trace": run_json("trace", target, "--db", str(db)),
        "claims": run_json("claims", target, "--db", str(db)),
        "reindex": run_json("reindex", "--db", str(db)),
        "reuse": run_json("reuse", "--db", str(db), "--workdir", reuse_dir, "-q"),
        "incidents": run_json("incidents", "--db", str(db), "--reuse-workdir", reuse_dir),
        "corroborate": run_json("corroborate", target, "--db", str(db)),
        "graph": run_json("graph", str(folder / "g.csv"), "--workdir", reuse_dir),
        "demo": run_json("demo", "--db", str(folder / "demo-cmd.duckdb")),
    }
    return {name: key_shape(payload) for name, payload in out.items()}


def test_json_keys_of_every_command(tmp_path: Path) -> None:
    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    found = command_outputs(demo_store(tmp_path), tmp_path)
    assert sorted(found) == sorted(expected)
    for name in expected:
        assert found[name] == expected[name], name


def test_key_shape_merges_list_items() -> None:
    shape = key_shape({"b": [{"x": 1}, {"y": [2]}], "a": "s", "c": []})
    assert shape == {"a": "", "b": [{"x": "", "y": [""]}], "c": []}


if __name__ == "__main__":  # rewrite the snapshot: only with a new schema version
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        db = demo_store(Path(scratch))
        shapes = command_outputs(db, Path(scratch))
    SNAPSHOT.parent.mkdir(exist_ok=True)
    SNAPSHOT.write_text(json.dumps(shapes, indent=1, sort_keys=True) + "\n", encoding="utf-8")
