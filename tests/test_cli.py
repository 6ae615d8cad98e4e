"""The command line end to end: output formats, one-line errors, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from tests.conftest import BODY_A, BODY_B, ArticleWriter
from wiretrace.cli.main import cli


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_add_stats_show_export(db_path: Path, write_article: ArticleWriter, tmp_path: Path) -> None:
    write_article(
        "a.txt",
        "Crossing",
        BODY_A,
        {"url": "https://northwire.example/a", "published": "2031-05-03T10:00:00Z"},
    )
    write_article("b.txt", "Convoys", BODY_B, {"url": "https://relief.example/b"})
    code, out, _ = run("add", str(tmp_path / "articles"), "--db", str(db_path), "--format", "json")
    assert code == 0
    report = json.loads(out)
    assert report["added"] == 2 and report["errors"] == [] and report["exit_code"] == 0

    code, out, _ = run("stats", "--db", str(db_path), "--format", "json")
    stats = json.loads(out)
    assert code == 0 and stats["articles"] == 2 and stats["outlets"] == 2
    assert stats["first_published"].startswith("2031-05-03") and stats["undated"] == 1

    code, out, _ = run(
        "show", "https://northwire.example/a", "--db", str(db_path), "--format", "json"
    )
    shown = json.loads(out)
    assert code == 0 and shown["title"] == "Crossing"
    for sent in shown["sentences"]:
        assert shown["text"][sent["start"] : sent["end"]] == sent["text"]

    for table, suffix in (("articles", "parquet"), ("sentences", "csv"), ("sentences", "jsonl")):
        target = tmp_path / f"out.{table}.{suffix}"
        code, out, _ = run("export", str(target), "--table", table, "--db", str(db_path))
        assert code == 0 and target.stat().st_size > 0, out
    lines = (tmp_path / "out.sentences.jsonl").read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0])
    assert set(first) == {"article_id", "sentence_index", "start", "end", "text"}


def test_errors_are_one_line_with_exit_codes(
    db_path: Path, tmp_path: Path, write_article: ArticleWriter
) -> None:
    code, _, err = run("add", str(tmp_path / "nothing-here.txt"), "--db", str(db_path))
    assert code == 3
    assert err.strip().splitlines() == [
        f"wiretrace: error: {tmp_path / 'nothing-here.txt'}: no such file or directory [W111]"
    ]
    good = write_article("a.txt", "A", BODY_A)
    code, _, err = run("add", str(good), str(tmp_path / "nope.txt"), "--db", str(db_path))
    assert code == 1 and "nope.txt" in err and "Traceback" not in err
    code, _, err = run("show", "0000000000000000", "--db", str(db_path))
    assert code == 3 and "no stored article" in err
    code, _, err = run("stats", "--db", str(tmp_path / "absent.duckdb"))
    assert code == 4 and "no store here" in err
    code, _, err = run("add", str(good), "--field", "nonsense", "--db", str(db_path))
    assert code == 2


def test_store_that_is_not_duckdb(tmp_path: Path, write_article: ArticleWriter) -> None:
    fake = tmp_path / "fake.duckdb"
    fake.write_text("this is not a database", encoding="utf-8")
    code, _, err = run("add", str(write_article("a.txt", "A", BODY_A)), "--db", str(fake))
    assert code == 4 and err.count("\n") == 1 and "cannot open the store" in err
    assert fake.read_text(encoding="utf-8") == "this is not a database"


def test_env_var_chooses_the_store(tmp_path: Path, write_article: ArticleWriter) -> None:
    db = tmp_path / "from-env.duckdb"
    result = CliRunner().invoke(
        cli, ["add", str(write_article("a.txt", "A", BODY_A))], env={"WIRETRACE_DB": str(db)}
    )
    assert result.exit_code == 0 and db.exists()


def test_demo_runs_in_a_subprocess(tmp_path: Path) -> None:
    db = tmp_path / "demo.duckdb"
    done = subprocess.run(
        [sys.executable, "-m", "wiretrace.cli", "demo", "--db", str(db), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["ingest"]["added"] >= 6 and result["ingest"]["errors"] == []
    assert result["target"]["outlet"]
