"""Control characters in untrusted text are shown escaped in every text output, never sent raw."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.console import Console

from tests.conftest import BODY_A
from wiretrace import api
from wiretrace.cli.main import cli
from wiretrace.render import render_terminal
from wiretrace.render.claims_text import claims_text, number, quote_line
from wiretrace.render.safe import escape_controls, safe_json

TITLE_SET = "\x1b]0;owned\x07"  # sets the terminal's title
RED = "\x1b[31m"
RAW = ("\x1b", "\x07", "\r", "\u202e", "\x9b", "\x00")


def _hostile_store(tmp_path: Path) -> Path:
    db = tmp_path / "store.duckdb"
    body = BODY_A.replace("Militia", f"Mili{TITLE_SET}tia").replace(
        "evacuated", f"evac{RED}uated\r\u202e"
    )
    record = {
        "url": "https://hostile.example/1",
        "title": f"Crossing {TITLE_SET}\x9b2J",
        "outlet": f"Wire{RED}",
        "author": "A\x00B",
        "text": body + "\n\nThe bridge\x08\x08 closed.",
    }
    path = tmp_path / "hostile.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    report = api.add([path], db=db)
    assert report.added == 1, report.errors
    return db


def _assert_clean(text: str) -> None:
    for raw in RAW:
        assert raw not in text, repr(raw)


def test_escape_controls_keeps_text_and_newlines() -> None:
    assert escape_controls(f"a{TITLE_SET}b\nc\td") == "a\\u001b]0;owned\\u0007b\nc\td"
    assert escape_controls("x\ny", newlines=False) == "x\\u000ay"
    assert escape_controls("caf\u00e9 \u2014 \u0627") == "caf\u00e9 \u2014 \u0627"
    decoded = json.loads(safe_json({"t": "a\x85b\u202ec\x1b"}))
    assert decoded == {"t": "a\x85b\u202ec\x1b"}  # still the same JSON value
    _assert_clean(safe_json({"t": "a\x85b\u202ec\x1b\x9b"}))


@pytest.mark.parametrize(
    "args",
    [
        ["show", "https://hostile.example/1"],
        ["trace", "https://hostile.example/1"],
        ["trace", "https://hostile.example/1", "--format", "md"],
        ["claims", "https://hostile.example/1"],
        ["show", "https://hostile.example/1", "--format", "json"],
        ["claims", "https://hostile.example/1", "--format", "json"],
        ["trace", "https://hostile.example/1", "--format", "json"],
    ],
)
def test_cli_outputs_escape_controls(tmp_path: Path, args: list[str]) -> None:
    db = _hostile_store(tmp_path)
    result = CliRunner().invoke(cli, [*args, "--db", str(db)])
    assert result.exit_code == 0, result.output
    _assert_clean(result.stdout)
    _assert_clean(result.stderr)
    if "json" not in args:
        assert "u001b" in result.stdout and "0;owned" in result.stdout


def test_errors_and_stats_escape_controls(tmp_path: Path) -> None:
    folder = tmp_path / f"in{RED}dir"
    folder.mkdir()
    missing = str(folder / f"gone{TITLE_SET}.txt")
    result = CliRunner().invoke(cli, ["add", missing, "--db", str(folder / "s.duckdb")])
    assert result.exit_code == 3
    _assert_clean(result.stderr)
    assert "gone\\u001b]0;owned\\u0007.txt" in result.stderr
    (folder / "a.txt").write_text(f"T\n\n{BODY_A}\n", encoding="utf-8")
    CliRunner().invoke(cli, ["add", str(folder / "a.txt"), "--db", str(folder / "s.duckdb")])
    stats = CliRunner().invoke(cli, ["stats", "--db", str(folder / "s.duckdb")])
    assert stats.exit_code == 0 and "\\u001b[31m" in stats.stdout
    _assert_clean(stats.stdout)


def test_rich_terminal_view_on_a_real_terminal_sends_no_article_escape(tmp_path: Path) -> None:
    """With colours on, rich's own SGR codes are expected; the article's OSC and CSI are not."""
    from wiretrace.render.safe import escape_tree

    db = _hostile_store(tmp_path)
    [report] = api.trace(["https://hostile.example/1"], db=db)
    out = io.StringIO()
    render_terminal(escape_tree([report.to_dict()]), Console(file=out, force_terminal=True))
    text = out.getvalue()
    assert "\x1b]0;" not in text and "\x07" not in text and "\r" not in text
    assert "\x1b[31m" not in text and "\u202e" not in text


def test_claims_text_is_readable() -> None:
    assert number(12.0) == "12" and number(1500.0) == "1,500" and number(2.5) == "2.5"
    quote = {"speaker": "Ilse Varno", "role": "engineer", "cue": "told", "channel": "Lumen TV"}
    assert quote_line({**quote, "content": "the gates stay open"}).startswith(
        "Ilse Varno (engineer) told Lumen TV (reported):"
    )
    said = quote_line({**quote, "cue": "said", "content": "x"})
    assert "said to Lumen TV" in said
    report = {
        "article": {"title": "T", "outlet": "O", "id": "abc"},
        "quotes": [],
        "figures": [
            {
                "kind": "killed",
                "value": 12.0,
                "low": 12.0,
                "high": 12.0,
                "group": "civilians",
                "place": "Old Gate",
                "date": "2031-05-05",
                "attributed_to": "the Watch",
            },
            {"kind": "injured", "value": None, "low": 10.0, "high": 20.0, "group": "people"},
        ],
        "casualties": {"civilians": 12, "children": 8, "women": 0, "non_civilians": None},
        "sentences": [
            {
                "index": 0,
                "assertion": "unattributed",
                "artifacts": ["caption"],
                "loaded": [{"technique": "Name_Calling", "text": "thugs"}],
            }
        ],
        "title_artifacts": ["truncated_headline"],
    }
    text = claims_text(report)
    assert "killed: 12 civilians · Old Gate · 2031-05-05 · per the Watch" in text
    assert "injured: 10–20 people" in text
    assert "Casualties (main incident): 12 civilians, 8 children" in text
    assert "loaded: Name Calling “thugs”" in text and "title: truncated headline" in text
    for repr_sign in ("{", "}", "None", "12.0", "'"):
        assert repr_sign not in text, repr_sign
