"""Hostile records: each bad one is one W113 line naming file and record; no good record is lost."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import BODY_A, BODY_B
from wiretrace import api
from wiretrace.cli.main import cli
from wiretrace.errors import RecordError
from wiretrace.ingest.json_limits import MAX_DEPTH, array_items, loads_bounded
from wiretrace.store.articles import Store

GOOD = [
    {"url": f"https://good.example/{n}", "title": f"Good {n}", "text": f"{BODY_A}\n\nItem {n}."}
    for n in range(4)
]
# (record, what the error must say)
BAD: list[tuple[str, str]] = [
    ('{"text": ' + "[" * 50_000 + "]" * 50_000 + "}", "nested"),
    ('{"text": "x", "count": ' + "7" * 5_000 + "}", "5,000 digits"),
    (json.dumps({"text": {"body": BODY_B}}), "'text' must be a string, not an object"),
    (json.dumps({"text": [BODY_B]}), "'text' must be a string, not an array"),
    (json.dumps({"text": 12}), "'text' must be a string, not a number"),
    (json.dumps({"text": BODY_B, "url": 42}), "'url' must be a string, not a number"),
    (json.dumps({"text": BODY_B, "title": True}), "'title' must be a string, not a boolean"),
    (json.dumps({"text": BODY_B, "published": "0001-01-01"}), "publication year 1 is outside"),
    (json.dumps({"text": BODY_B, "published": "9999-12-31"}), "publication year 9999"),
    ("[1, 2]", "not a JSON object but an array"),
]


def _lines(with_surrogate: bool = True) -> tuple[list[str], dict[int, str]]:
    """Good and bad records interleaved; returns the lines and {record number: expected}."""
    lines: list[str] = []
    expected: dict[int, str] = {}
    good = iter(GOOD)
    for bad, says in BAD:
        if len(lines) % 3 == 0:
            lines.append(json.dumps(next(good, GOOD[0])))
        lines.append(bad)
        expected[len(lines)] = says
    lines.extend(json.dumps(g) for g in GOOD)
    if with_surrogate:  # repaired, stored, warned about
        lines.append(
            '{"url": "https://good.example/s", "title": "Odd \\ud800 title", '
            f'"text": {json.dumps(BODY_A + " Surrogate.")}}}'
        )
    return lines, expected


def _check(report: api.IngestReport, path: Path, expected: dict[int, str], db: Path) -> None:
    assert all(isinstance(e, RecordError) for e in report.errors), report.errors
    got = {e.record: str(e) for e in report.errors}
    assert set(got) == set(expected), got
    for number, says in expected.items():
        assert str(path) in got[number] and f"record {number}:" in got[number]
        assert says in got[number], (says, got[number])
    with Store(db, read_only=True) as store:
        urls = {r[0] for r in store.db.execute("SELECT url FROM articles").fetchall()}
        odd = store.db.execute(
            "SELECT title FROM articles WHERE url = 'https://good.example/s'"
        ).fetchall()
    assert urls == {g["url"] for g in GOOD} | {"https://good.example/s"}
    assert odd == [("Odd \ufffd title",)]
    assert any("surrogate" in w for w in report.warnings)


def test_jsonl_keeps_every_good_record(tmp_path: Path, db_path: Path) -> None:
    lines, expected = _lines()
    path = tmp_path / "hostile.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = api.add([path], db=db_path)
    _check(report, path, expected, db_path)
    assert report.exit_code == 1


def test_json_array_isolates_each_element(tmp_path: Path, db_path: Path) -> None:
    lines, expected = _lines()
    path = tmp_path / "hostile.json"
    path.write_text("[\n" + ",\n".join(lines) + "\n]\n", encoding="utf-8")
    report = api.add([path], db=db_path)
    _check(report, path, expected, db_path)


def test_broken_array_element_costs_only_itself() -> None:
    items = list(array_items('[{"a": 1}, {"b": tru}, {"c": "]"}, {"d": [1, {"e": 2}]}]'))
    assert items[0] == {"a": 1} and items[2] == {"c": "]"} and items[3] == {"d": [1, {"e": 2}]}
    assert isinstance(items[1], ValueError)
    cut = list(array_items('[{"a": 1}, {"b": 2'))
    assert cut[0] == {"a": 1} and "ends inside the array" in str(cut[1])


def test_limits_hold_before_the_parser_is_reached() -> None:
    deep = "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)
    for text, says in ((deep, "nested"), ("1" + "0" * 200, "201 digits")):
        try:
            loads_bounded(text)
        except ValueError as exc:
            assert says in str(exc)
        else:
            raise AssertionError(f"{text[:20]} was parsed")
    # brackets inside strings do not count
    assert loads_bounded(json.dumps({"text": "[" * 500})) == {"text": "[" * 500}


def test_csv_bad_byte_costs_only_its_row(tmp_path: Path, db_path: Path) -> None:
    rows = [b"url,title,text,published"]
    for n in range(6):
        text = f"{BODY_B} Row {n}.".encode()
        if n == 2:
            text = text.replace(b"Relief", b"Reli\xffef")
        if n == 4:
            rows.append(f"https://csv.example/{n},Row {n},{BODY_A[:40]},-0001-01-01".encode())
            continue
        rows.append(b'https://csv.example/%d,Row %d,"%s",2031-05-04' % (n, n, text))
    path = tmp_path / "rows.csv"
    path.write_bytes(b"\n".join(rows) + b"\n")
    report = api.add([path], db=db_path)
    got = {e.record: str(e) for e in report.errors}
    assert set(got) == {3, 5}, got
    assert "not valid UTF-8" in got[3] and f"{path} record 3:" in got[3]
    assert "rows.csv record 5" in got[5]
    assert report.added == 4


def test_tsv_nul_in_a_row_costs_only_that_row(tmp_path: Path, db_path: Path) -> None:
    body = BODY_B.replace("\n", " ")
    lines = ["url\ttext"] + [f"https://tsv.example/{n}\t{body} Row {n}." for n in range(4)]
    lines[2] = lines[2].replace("Relief", "Rel\x00ief")
    path = tmp_path / "rows.tsv"
    path.write_bytes(("\n".join(lines) + "\n").encode())
    report = api.add([path], db=db_path)
    assert report.added == 3
    assert [e.record for e in report.errors] == [2]


def test_cli_prints_one_w113_line_per_bad_record(tmp_path: Path, db_path: Path) -> None:
    lines, expected = _lines(with_surrogate=False)
    path = tmp_path / "hostile.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["add", str(path), "--db", str(db_path)])
    errors = [line for line in result.stderr.splitlines() if line.startswith("wiretrace: error")]
    assert len(errors) == len(expected)
    assert all(line.endswith("[W113]") and str(path) in line for line in errors)
    assert "Traceback" not in result.stderr and result.exit_code == 1
    assert all(len(line) < 300 for line in errors)  # never the record echoed back


def test_sidecar_field_that_is_not_text(tmp_path: Path, db_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_text(f"Title\n\n{BODY_A}\n", encoding="utf-8")
    (tmp_path / "story.txt.json").write_text(json.dumps({"url": 42}), encoding="utf-8")
    report = api.add([story], db=db_path)
    assert report.added == 0
    assert "sidecar field 'url' must be a string, not a number" in str(report.errors[0])


def test_feed_entry_with_a_year_out_of_range(tmp_path: Path, db_path: Path) -> None:
    items = "".join(
        f"<item><title>Item {n}</title><link>https://feed.example/{n}</link>"
        f"<description>{BODY_B} Entry {n}.</description>"
        f"<pubDate>{'Sat, 01 Jan 3000 00:00:00 GMT' if n == 1 else 'Sat, 03 May 2031 10:00:00 GMT'}"
        "</pubDate></item>"
        for n in range(3)
    )
    path = tmp_path / "feed.rss"
    path.write_text(f'<rss version="2.0"><channel><title>F</title>{items}</channel></rss>')
    report = api.add([path], db=db_path)
    assert report.added == 2
    [error] = report.errors
    assert error.record == 2 and "publication year 3000" in str(error) and error.code == "W113"


def test_jsonl_whose_first_line_is_an_array_is_still_lines(tmp_path: Path, db_path: Path) -> None:
    """Found by the fuzz benchmark: a first line "[[[...]]]" made the file a JSON array."""
    good = [json.dumps(g) for g in GOOD[:2]]
    for first in ("[" * 700 + "]" * 700, "[1, 2]"):
        path = tmp_path / "array-first.jsonl"
        path.write_text("\n".join([first, *good]) + "\n", encoding="utf-8")
        report = api.add([path], db=db_path)
        assert report.added + report.already_stored == 2
        assert [e.record for e in report.errors] == [1]


def test_jsonl_whose_first_line_is_broken_is_still_lines(tmp_path: Path, db_path: Path) -> None:
    """Found by the fuzz benchmark: a first line with a bad byte made the file one document."""
    good = [json.dumps(g).encode() for g in GOOD[:2]]
    broken = json.dumps({"text": BODY_B}).encode().replace(b"Relief", b"Rel\xffef")[:-3]
    path = tmp_path / "broken-first.jsonl"
    path.write_bytes(b"\n".join([broken, *good]) + b"\n")
    report = api.add([path], db=db_path)
    assert report.added == 2 and [e.record for e in report.errors] == [1]


def test_bad_byte_after_an_array_first_line_costs_one_line(tmp_path: Path, db_path: Path) -> None:
    """Found by the fuzz benchmark: the whole-file decode for a possible array refused the file."""
    good = [json.dumps(g).encode() for g in GOOD[:2]]
    bad = json.dumps({"text": BODY_B}).encode().replace(b"Relief", b"Rel\xffef")
    path = tmp_path / "array-then-bad-byte.jsonl"
    path.write_bytes(b"\n".join([b'["\\u2066"]', good[0], bad, good[1]]) + b"\n")
    report = api.add([path], db=db_path)
    assert report.added == 2 and [e.record for e in report.errors] == [1, 3]
    array = tmp_path / "array-with-bad-byte.json"
    array.write_bytes(b"[" + b",\n".join([good[0], bad, good[1]]) + b"]")
    report = api.add([array], db=db_path)
    assert report.added + report.already_stored == 3  # the bad byte replaced, with a warning
    assert any("surrogate" in w for w in report.warnings)


def test_nul_after_an_array_first_line_costs_one_line(tmp_path: Path, db_path: Path) -> None:
    """Found by the fuzz benchmark (seed 22, case 128): one NUL byte in a later line made the
    whole-file decode for a possible array call the file binary, and both good records were lost.
    A stray NUL costs its own record, in JSON Lines and in a JSON array alike."""
    good = [json.dumps(g).encode() for g in GOOD[:2]]
    with_nul = b'\x00"text": ' + json.dumps(BODY_B).encode() + b"}"
    path = tmp_path / "array-then-nul.jsonl"
    path.write_bytes(b"\n".join([b"[{}, null]", with_nul, good[0], b"{}", good[1]]) + b"\n")
    report = api.add([path], db=db_path)
    assert report.added == 2 and [e.record for e in report.errors] == [1, 2, 4]
    array = tmp_path / "array-with-nul.json"
    nul_in_string = json.dumps({"text": BODY_B}).encode().replace(b"Relief", b"Rel\x00ief")
    array.write_bytes(b"[" + b",\n".join([good[0], nul_in_string, good[1]]) + b"]")
    report = api.add([array], db=db_path)
    assert report.added + report.already_stored == 2 and [e.record for e in report.errors] == [2]


def test_array_that_never_closes_before_more_lines_is_lines(tmp_path: Path, db_path: Path) -> None:
    """Found by the fuzz benchmark (seed 24, case 1571): a JSON Lines file whose first line is a
    lone "[" was read as one JSON array that never closes, and its good records were lost."""
    good = [json.dumps(g) for g in GOOD[:3]]
    path = tmp_path / "open-bracket-first.jsonl"
    path.write_text("\n".join(["[", good[0], '{"text": tru', good[1], good[2]]) + "\n")
    report = api.add([path], db=db_path)
    assert report.added == 3 and [e.record for e in report.errors] == [1, 3]
    assert all(e.code == "W113" for e in report.errors)
    # An array cut off in the middle of an element is still read as an array: every element
    # before the cut is kept.
    cut = tmp_path / "cut-off.json"
    cut.write_text("[\n" + ",\n".join(json.dumps(g, indent=2) for g in GOOD) + ',\n{"text": "Cut')
    report = api.add([cut], db=db_path)
    assert report.added + report.already_stored == len(GOOD)
    assert [e.record for e in report.errors] == [len(GOOD) + 1]


@pytest.mark.parametrize("bom", [b"\xff\xfe", b"\xfe\xff"])
def test_utf8_lines_after_a_bom_like_first_line_are_kept(
    tmp_path: Path, db_path: Path, bom: bytes
) -> None:
    """Two bytes of a UTF-16 byte-order mark opening a junk first line made the whole UTF-8 file
    decode as UTF-16, and its good records were lost; the first line alone is lost now, also
    when the records are longer than the sniffed head."""
    padding = " ".join([BODY_B] * (9000 // len(BODY_B) + 1))
    long = [{**g, "text": g["text"] + " " + padding} for g in GOOD[:2]]
    assert all(len(json.dumps(g)) > 8192 for g in long)
    lines = [bom + b"\x01junk", *(json.dumps(g).encode() for g in long)]
    path = tmp_path / "bom-like.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    rows = tmp_path / "bom-like.csv"
    rows.write_bytes(bom + b"id,url,text\n" + f'7,https://bom.example/1,"{BODY_B}"\n'.encode())
    report = api.add([path, rows], db=db_path)
    assert report.added == 2 + 1, report.errors
    assert [(Path(e.source).name, e.record) for e in report.errors] == [("bom-like.jsonl", 1)]
    assert api.show("https://bom.example/1", db=db_path).text.startswith(BODY_B[:20])


def test_utf16_lines_in_any_script_are_still_utf16() -> None:
    """The weighing keeps real UTF-16: ASCII (a NUL in every line read as UTF-8) and scripts
    with no ASCII at all (invalid UTF-8 sequences); one line, with nothing to weigh, trusts the
    BOM."""
    from wiretrace.ingest.text import is_utf16

    for text in (
        "".join(json.dumps(g) + "\n" for g in GOOD),
        "\u5317\u6cb3\u7684\u6865\u5728\u591c\u91cc\u6253\u5f00\u4e86\n" * 20,
        "\u0421\u0435\u0432\u0435\u0440\u043d\u044b\u0439 \u043c\u043e\u0441\u0442\n" * 20,
        "one line only",
    ):
        for codec in ("utf-16-le", "utf-16-be"):
            bom = b"\xff\xfe" if codec.endswith("le") else b"\xfe\xff"
            assert is_utf16(bom + text.encode(codec)), (text[:10], codec)
    assert not is_utf16(b"\xff\xfe junk\n" + b"".join(json.dumps(g).encode() + b"\n" for g in GOOD))
