"""Ingest of local files into a real store: formats, bad input, partial failures, exit codes."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from tests.conftest import BODY_A, BODY_B, ArticleWriter
from wiretrace import api
from wiretrace.errors import InputNotFound, RecordError, UnreadableInput
from wiretrace.ingest.run import EXIT_NOTHING_INGESTED, EXIT_OK, EXIT_SOME_FAILED, Reading
from wiretrace.store.articles import Store


def test_text_file_with_sidecar(db_path: Path, write_article: ArticleWriter) -> None:
    meta = {
        "url": "https://northwire.example/crossing",
        "outlet": "Northwire",
        "published": "2031-05-03T07:15:00+03:00",
        "author": "Ada Vell",
    }
    path = write_article("crossing.txt", "Militias cross the Tessel", BODY_A, meta)
    report = api.add([path], db=db_path)
    assert report.exit_code == EXIT_OK and report.added == 1
    article = api.show("https://northwire.example/crossing", db=db_path)
    assert article.title == "Militias cross the Tessel"
    assert article.text.startswith("VELMORA (Northwire)")
    assert article.outlet == "Northwire" and article.author == "Ada Vell"
    assert article.published_at is not None and article.published_at.isoformat() == (
        "2031-05-03T04:15:00+00:00"
    )
    assert article.origin_file == str(path)


def test_directory_recurses_and_skips_sidecars(
    db_path: Path, write_article: ArticleWriter, tmp_path: Path
) -> None:
    write_article("a.txt", "A", BODY_A, {"url": "https://a.example/1"})
    write_article("b.txt", "B", BODY_B, folder=tmp_path / "articles" / "nested")
    report = api.add([tmp_path / "articles"], db=db_path)
    assert report.errors == [] and report.added == 2 and report.inputs == 2


def test_glob(db_path: Path, write_article: ArticleWriter, tmp_path: Path) -> None:
    write_article("a.txt", "A", BODY_A)
    write_article("b.txt", "B", BODY_B)
    report = api.add([str(tmp_path / "articles" / "*.txt")], db=db_path)
    assert report.added == 2


def test_reingest_is_a_no_op(db_path: Path, write_article: ArticleWriter) -> None:
    path = write_article("a.txt", "A", BODY_A)
    api.add([path], db=db_path)
    report = api.add([path], db=db_path)
    assert report.added == 0 and report.already_stored == 1 and report.exit_code == EXIT_OK


def test_jsonl_with_one_broken_line(db_path: Path, tmp_path: Path) -> None:
    rows = [
        json.dumps(
            {
                "url": "https://a.example/1",
                "title": "One",
                "text": BODY_A,
                "published": "2031-05-03",
                "outlet": "A Wire",
            }
        ),
        '{"url": "https://a.example/2", "text": "cut off',
        json.dumps({"url": "https://a.example/3", "title": "Three", "text": BODY_B}),
    ]
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    report = api.add([path], db=db_path)
    assert report.added == 2 and report.exit_code == EXIT_SOME_FAILED
    [error] = report.errors
    assert isinstance(error, RecordError) and error.record == 2 and str(path) in str(error)


def test_jsonl_gz_and_field_map(db_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "dump.jsonl.gz"
    row = {"link": "https://b.example/9", "headline": "Convoys", "story": BODY_B, "site": "B"}
    path.write_bytes(gzip.compress((json.dumps(row) + "\n").encode()))
    report = api.add([path], db=db_path, field_map={"text": "story"})
    assert report.added == 1
    article = api.show("https://b.example/9", db=db_path)
    assert article.title == "Convoys" and article.outlet == "B"


def test_truncated_gzip(db_path: Path, tmp_path: Path) -> None:
    data = gzip.compress((json.dumps({"text": BODY_A}) + "\n").encode() * 50)
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    report = api.add([path], db=db_path)
    assert report.exit_code == EXIT_NOTHING_INGESTED
    assert "gzip" in str(report.errors[0])


def test_csv_with_mapped_columns_and_bad_dates(db_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "articles.csv"
    body = BODY_A.replace('"', '""')
    path.write_text(
        "link,headline,body,date\n"
        f'https://c.example/1,First,"{body}",2031-05-04T10:00:00Z\n'
        f'https://c.example/2,Second,"{BODY_B}",not a date at all\n'
        "https://c.example/3,Third,,2031-05-04\n",
        encoding="utf-8",
    )
    report = api.add([path], db=db_path)
    assert report.added == 2
    assert [e.record for e in report.errors] == [3]
    assert any("record 2" in w and "unparseable date" in w for w in report.warnings)
    assert api.show("https://c.example/2", db=db_path).published_at is None
    assert api.show("https://c.example/1", db=db_path).published_at is not None


def test_bad_files_are_named_and_nothing_is_lost(
    db_path: Path, tmp_path: Path, write_article: ArticleWriter
) -> None:
    good = write_article("good.txt", "Good", BODY_A)
    api.add([good], db=db_path)
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "latin1.txt").write_bytes("Title\n\nCaf\xe9 opened in Velmora.".encode("latin-1"))
    (bad / "empty.txt").write_bytes(b"")
    (bad / "blob.txt").write_bytes(bytes(range(256)) * 10)
    report = api.add([bad, tmp_path / "missing.txt"], db=db_path)
    assert report.exit_code == EXIT_NOTHING_INGESTED
    messages = {Path(e.source or "").name: e for e in report.errors}
    assert isinstance(messages["latin1.txt"], UnreadableInput)
    assert "UTF-8" in str(messages["latin1.txt"])
    assert "empty" in str(messages["empty.txt"])
    assert "binary" in str(messages["blob.txt"])
    assert isinstance(messages["missing.txt"], InputNotFound)
    with Store(db_path, read_only=True) as store:
        assert store.count() == 1


def test_fifty_megabyte_article(db_path: Path, tmp_path: Path) -> None:
    paragraph = (
        "Convoy number {n} reached the depot at Velmora after a long night. "
        "Drivers said the road was quiet. "
    )
    parts = []
    size = 0
    n = 0
    while size < 50_000_000:
        chunk = paragraph.format(n=n) * 8 + "\n\n"
        parts.append(chunk)
        size += len(chunk)
        n += 1
    path = tmp_path / "huge.txt"
    path.write_text("A very long dispatch\n\n" + "".join(parts), encoding="utf-8")
    report = api.add([path], db=db_path)
    assert report.added == 1 and report.exit_code == EXIT_OK
    stats = api.stats(db=db_path)
    assert stats.chars > 49_000_000 and stats.sentences >= 16 * n


def test_file_over_the_size_cap_is_refused(db_path: Path, write_article: ArticleWriter) -> None:
    path = write_article("a.txt", "A", BODY_A)
    report = api.add([path], db=db_path, max_bytes=100)
    assert report.exit_code == EXIT_NOTHING_INGESTED and "cap" in str(report.errors[0])


def test_jsonl_larger_than_the_cap_streams_records(db_path: Path, tmp_path: Path) -> None:
    """The byte cap bounds one record of a multi-record file, not the whole dump."""
    path = tmp_path / "dump.jsonl"
    rows = [
        json.dumps({"url": f"https://d.example/{n}", "text": f"{BODY_B} Item {n}."})
        for n in range(12)
    ]
    rows.insert(5, json.dumps({"url": "https://d.example/big", "text": BODY_A * 5}))
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert path.stat().st_size > 1500
    report = api.add([path], db=db_path, max_bytes=1500)
    assert report.added == 12 and [e.record for e in report.errors] == [6]
    assert "cap" in str(report.errors[0])


def test_reading_alone_writes_nothing(tmp_path: Path) -> None:
    """The readers hand Articles on and report what they refused; no store is opened."""
    good = json.dumps({"url": "https://a.example/1", "title": "One", "text": BODY_A})
    path = tmp_path / "feed.jsonl"
    path.write_text(good + '\n{"text": "cut off\n', encoding="utf-8")
    missing = tmp_path / "absent.txt"
    reading = Reading([path, missing])
    articles = list(reading)
    assert [a.url for a in articles] == ["https://a.example/1"]
    assert reading.report.chars == len(articles[0].text) and reading.report.added == 0
    assert sorted(type(e).__name__ for e in reading.report.errors) == [
        "InputNotFound",
        "RecordError",
    ]
    assert list(tmp_path.iterdir()) == [path]  # nothing written beside the input
