"""The `result` stage writes result.json as it makes it: the bytes the whole in-memory document
gave (tests/reuse_reference.py), through a temporary file, with the run keeping only a summary."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.reuse_reference import reference_json
from tests.test_corpus import QUIET_A, QUIET_B, build_store, crawl
from wiretrace.cli.main import cli
from wiretrace.corpus import (
    ProgressEvent,
    ReuseError,
    ReuseResult,
    export_graph,
    load_result,
    relation_links,
    run_reuse,
)
from wiretrace.corpus.json_stream import Streamed, write_object
from wiretrace.corroborate import _relations
from wiretrace.doc.article import Article
from wiretrace.render.safe import escape_controls
from wiretrace.store.articles import Store

# Ids whose order differs between UTF-16 code units (an astral character before U+FF21) and code
# points (after), urls and an outlet with controls a terminal would obey, and non-ASCII letters.
ODD_IDS = [
    "ä-northwire",
    "\U0001f600-south",
    "\uff21-east",
    "a\x1b[31m-echo",
    "B\u202e-herald",  # before "a..." in code points, after it lowered
    "\x85c1-farm",
    "z\x7f-oaks",
    "Ω-library",
    "e\u0301-tower",
    "é-tower",
]


def _odd_crawl() -> list[Article]:
    odd = []
    for article, new_id in zip(crawl(), ODD_IDS, strict=True):
        url = f"{article.url}/ü\x1b]0;title\x07\u2028\u0085"
        outlet = "nörth\u200fwire.example" if article.outlet == "northwire.example" else None
        odd.append(replace(article, id=new_id, url=url, outlet=outlet or article.outlet))
    return odd


@pytest.fixture(scope="module")
def odd_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ReuseResult]:
    folder = tmp_path_factory.mktemp("odd")
    db = folder / "odd.duckdb"
    with Store(db) as store:
        for article in _odd_crawl():
            store.add_articles([article])
    return db, run_reuse(db=db, workdir=folder / "work")


@pytest.fixture(scope="module")
def plain_run(tmp_path_factory: pytest.TempPathFactory) -> ReuseResult:
    folder = tmp_path_factory.mktemp("plain")
    build_store(folder / "crawl.duckdb")
    return run_reuse(db=folder / "crawl.duckdb", workdir=folder / "work")


def _written(result: ReuseResult) -> bytes:
    assert result.json_path is not None
    return Path(result.json_path).read_bytes()


def test_streamed_file_is_the_whole_document_byte_for_byte(plain_run: ReuseResult) -> None:
    written = _written(plain_run)
    assert written == reference_json(Path(plain_run.workdir)).encode("utf-8")
    assert plain_run.json_path == str(Path(plain_run.workdir) / "result.json")
    document = json.loads(written)
    assert plain_run.relation_count == len(document["relations"]) == 5
    assert plain_run.related_count == len(document["related"]) == 1
    assert plain_run.cluster_count == len(document["clusters"]) == 2
    assert plain_run.articles == document["articles"] == 10
    assert plain_run.outlets == document["outlets"]
    assert plain_run.outlet_edges == document["outlet_edges"]
    assert plain_run.stages["result"]["rows"] == 5
    assert not list(Path(plain_run.workdir).glob(".result.json*"))


def test_odd_ids_and_urls_round_trip(odd_run: tuple[Path, ReuseResult]) -> None:
    _, result = odd_run
    written = _written(result)
    assert written == reference_json(Path(result.workdir)).encode("utf-8")
    document = json.loads(written)
    assert result.relation_count == 5 and result.related_count == 1
    ids = {a for r in document["relations"] for a in (r["source"], r["target"])}
    assert ids <= set(ODD_IDS) and "\U0001f600-south" in ids and "\uff21-east" in ids
    # Sorted by target then source in code point order (Python's), not UTF-16 order.
    keys = [(r["target"], r["source"]) for r in document["relations"]]
    assert keys == sorted(keys)
    urls = {r["source_url"] for r in document["relations"]}
    assert any("ü\x1b]0;title\x07\u2028\u0085" in url for url in urls)
    assert "nörth\u200fwire.example" in {o["outlet"] for o in document["outlets"]}
    pair = document["related"][0]
    assert (pair["a"], pair["b"]) == ("e\u0301-tower", "é-tower")
    assert b"\x1b" not in written  # json escapes C0 controls; the rest stay raw UTF-8
    assert "\u0085".encode() in written and "\u202e".encode() in written


def test_reuse_json_streams_the_file_escaped(odd_run: tuple[Path, ReuseResult]) -> None:
    db, result = odd_run
    shown = CliRunner().invoke(
        cli, ["reuse", "--db", str(db), "--workdir", result.workdir, "--format", "json", "-q"]
    )
    assert shown.exit_code == 0, shown.output
    text = _written(result).decode("utf-8")
    assert shown.stdout == escape_controls(text) + "\n"
    assert "\u0085" not in shown.stdout and "\u202e" not in shown.stdout
    assert json.loads(shown.stdout) == json.loads(text)  # the escapes are JSON's own


def test_a_failed_writer_leaves_no_result_file(crawl_store: Path, tmp_path: Path) -> None:
    work = tmp_path / "work"
    run_reuse(db=crawl_store, workdir=work, until="aligned")

    def stop_in_the_relations(event: ProgressEvent) -> None:
        if event.stage == "result":  # reported after a batch of relations was written
            raise RuntimeError("killed mid-write")

    with pytest.raises(RuntimeError, match="mid-write"):
        run_reuse(db=crawl_store, workdir=work, progress=stop_in_the_relations)
    assert sorted(p.name for p in work.iterdir() if "result" in p.name) == []
    finished = run_reuse(db=crawl_store, workdir=work)
    before = _written(finished)
    assert before == reference_json(work).encode("utf-8")
    # A rerun that fails leaves the finished file whole (it is replaced only when complete).
    with pytest.raises(RuntimeError):
        run_reuse(db=crawl_store, workdir=work, progress=stop_in_the_relations)
    assert (work / "result.json").read_bytes() == before
    assert not (work / ".result.json.tmp").exists()


@pytest.fixture()
def crawl_store(tmp_path: Path) -> Path:
    db = tmp_path / "crawl.duckdb"
    build_store(db)
    return db


def test_a_stage_run_again_removes_the_old_result(crawl_store: Path, tmp_path: Path) -> None:
    work = tmp_path / "work"
    run_reuse(db=crawl_store, workdir=work)
    (work / "aligned.done").unlink()  # the aligned checkpoint is to be made again
    stopped = run_reuse(db=crawl_store, workdir=work, until="aligned")
    assert not (work / "result.json").exists() and stopped.json_path is None
    assert json.loads(stopped.to_json())["stopped_after"] == "aligned"


def test_no_relations_and_an_empty_store(tmp_path: Path) -> None:
    db = tmp_path / "quiet.duckdb"
    with Store(db) as store:
        store.add_articles([Article.create(" ".join(QUIET_A), url="https://q.example/a")])
        store.add_articles([Article.create(" ".join(QUIET_B), url="https://q.example/b")])
    quiet = run_reuse(db=db, workdir=tmp_path / "quiet")
    assert _written(quiet) == reference_json(tmp_path / "quiet").encode("utf-8")
    document = quiet.to_dict()
    assert document["relations"] == document["related"] == document["clusters"] == []
    assert document["articles"] == 2 and [o["articles"] for o in document["outlets"]] == [2]
    assert quiet.relation_count == quiet.cluster_count == 0
    assert list(relation_links(tmp_path / "quiet")) == []

    empty = tmp_path / "empty.duckdb"
    Store(empty).close()
    nothing = run_reuse(db=empty, workdir=tmp_path / "empty")
    assert _written(nothing) == reference_json(tmp_path / "empty").encode("utf-8")
    assert nothing.to_dict()["articles"] == 0 and nothing.outlets == []


def test_the_writer_indents_as_json_dumps(tmp_path: Path) -> None:
    items = [{"k": [1, {"x": "\n\u2028"}], "b": None}, [], "s", {}]
    whole = {"z": [], "a": items, "m": {"inner": [1.5, True]}, "e": [], "n": 3}
    fields = {**whole, "a": Streamed(iter(items)), "e": Streamed(iter(()))}
    with (tmp_path / "out.json").open("w", encoding="utf-8", newline="") as handle:
        write_object(handle, fields)
    want = json.dumps(whole, sort_keys=True, ensure_ascii=False, indent=1)
    assert (tmp_path / "out.json").read_text(encoding="utf-8") == want


def test_load_result_graph_and_corroboration_give_the_same_answers(
    plain_run: ReuseResult, tmp_path: Path
) -> None:
    loaded = load_result(plain_run.workdir)
    for name in ("articles", "relation_count", "related_count", "cluster_count"):
        assert getattr(loaded, name) == getattr(plain_run, name), name
    assert loaded.outlets == plain_run.outlets and loaded.outlet_edges == plain_run.outlet_edges
    for suffix in ("csv", "graphml", "parquet"):
        a = export_graph(loaded, tmp_path / f"loaded.{suffix}").read_bytes()
        assert a == export_graph(plain_run, tmp_path / f"run.{suffix}").read_bytes()
    relations = plain_run.to_dict()["relations"]
    links = sorted(relation_links(plain_run.workdir))
    assert links == sorted((r["source"], r["target"], r["earliest_origins"]) for r in relations)
    # What corroboration made of the whole relations before it read them as links.
    expected = {(r["source"], r["target"]) for r in relations}
    expected |= {(o, r["target"]) for r in relations for o in r["earliest_origins"]}
    assert _relations(plain_run.workdir) == frozenset(expected)
    with pytest.raises(ReuseError, match="no finished reuse run"):
        relation_links(tmp_path / "nothing")
