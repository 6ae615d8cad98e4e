"""`wiretrace reuse` on a small synthetic crawl: invented outlets, places and people only.

A wire story copied by two outlets, a farm stitching three wires (one number changed) around
inserted sentences, unrelated articles, and two articles published at the same minute that share
text (direction unknown).
"""

from __future__ import annotations

import csv
import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from wiretrace.corpus import (
    ProgressEvent,
    ReuseError,
    ReuseParams,
    ReuseResult,
    align,
    export_graph,
    load_result,
    plot_graph,
    run_reuse,
)
from wiretrace.corpus.align import credits, outlet_name
from wiretrace.corpus.duckdb_engine import DuckDBEngine
from wiretrace.corpus.profiles import farm_score
from wiretrace.doc.article import Article
from wiretrace.index.postings import ShingleIndex
from wiretrace.store.articles import Store
from wiretrace.trace.candidates import IndexCandidates
from wiretrace.trace.params import TraceParams
from wiretrace.trace.tracer import CandidateTracer, Tracer

T0 = datetime(2032, 3, 4, 6, 0, tzinfo=UTC)

NORTH = [
    "Engineers of the Tessel river authority opened the northern sluice gates early on Friday.",
    "The authority said water at the Marrow weir had risen by 40 centimetres during the night.",
    "Farmers in the lower Brenna valley were told to move their herds to higher pastures.",
    "A spokesman for the provincial council, Ivo Brandt, called the evacuation a precaution.",
    "Forecasters expect the heavy rain to ease on Sunday as a dry front arrives from the coast.",
    "Rescue crews in flat boats reached the flooded hamlets of Harn and Osk late on Saturday.",
]
SOUTH = [
    "Customs officers at the port of Vell seized 312 crates of counterfeit medicine on Tuesday.",
    "The crates had arrived on a cargo ship flying the flag of the island republic of Quorra.",
    "Investigators said the tablets contained chalk, starch and a small amount of dye.",
    "The harbour master, Lene Ostrova, ordered every container from the ship to be opened.",
]
EAST = [
    "The national orchestra of Caldra cancelled its spring tour after a dispute over wages.",
    "Musicians voted by a large majority to stop work until the board reopens the talks.",
    "The board said the demands would cost the orchestra more than it earns in a season.",
]
FARM_OWN = [
    "Shocking scenes unfolded as officials once again failed the ordinary people of the valley.",
    "Many readers have asked why nobody in the capital seems to care about any of this.",
]
QUIET_A = [
    "A gardening club in the village of Sorn planted two hundred young oaks along the canal.",
    "Volunteers brought spades, wheelbarrows and a great deal of tea to the planting day.",
]
QUIET_B = [
    "The public library of Tarrow extended its opening hours to ten in the evening this winter.",
    "Readers can now borrow board games as well as books and recordings at the front desk.",
]
TWIN = [
    "Lightning struck the old clock tower of Pellam during a short but violent storm at noon.",
    "Firefighters kept the flames away from the bells, which were cast nearly three centuries ago.",
    "The town council will meet on Monday to decide how to pay for the repairs to the roof.",
]


def _article(outlet: str, slug: str, hours: float, sentences: list[str], title: str) -> Article:
    return Article.create(
        " ".join(sentences),
        title=title,
        url=f"https://{outlet}/{slug}",
        outlet=outlet,
        published_at=T0 + timedelta(hours=hours),
    )


def crawl() -> list[Article]:
    """The articles, in the order they are ingested."""
    changed = SOUTH[0].replace("312", "513")
    return [
        _article("northwire.example", "floods", 0, NORTH, "Sluice gates opened"),
        _article("southpress.example", "customs", 1, SOUTH, "Fake medicine seized"),
        _article("eastwire.example", "orchestra", 2, EAST, "Orchestra tour cancelled"),
        _article(
            "dailyecho.example",
            "river",
            3,
            [*NORTH[:4], "Northwire first reported the opening of the gates."],
            "Gates opened on the Tessel",
        ),
        _article(
            "metroherald.example",
            "valley",
            5,
            [NORTH[1], NORTH[2], NORTH[5], "The herald will follow the story through the week."],
            "Valley floods",
        ),
        _article(
            "clickfarm.example",
            "outrage",
            6,
            [NORTH[0], NORTH[1], FARM_OWN[0], changed, SOUTH[1], FARM_OWN[1], EAST[0], EAST[1]],
            "You will not believe what happened",
        ),
        _article("quietgazette.example", "oaks", 7, QUIET_A, "Oaks planted"),
        _article("quietgazette.example", "library", 8, QUIET_B, "Library hours"),
        _article("twinpost.example", "tower", 9, TWIN, "Tower struck"),
        _article("mirrorline.example", "tower", 9, TWIN[:2], "Lightning hits tower"),
    ]


def build_store(path: Path) -> list[Article]:
    """Write the crawl into a fresh store at `path`."""
    articles = crawl()
    with Store(path) as store:
        for article in articles:  # one by one: ingest order decides doc keys, as in the index
            store.add_articles([article])
    return articles


@pytest.fixture(scope="module")
def crawl_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("crawl") / "crawl.duckdb"
    build_store(path)
    return path


@pytest.fixture(scope="module")
def result(crawl_db: Path, tmp_path_factory: pytest.TempPathFactory) -> ReuseResult:
    return run_reuse(db=crawl_db, workdir=tmp_path_factory.mktemp("reuse"))


def _ids() -> dict[str, str]:
    """url slug 'outlet/slug' -> article id."""
    return {f"{a.outlet}/{(a.url or '').rsplit('/', 1)[-1]}": a.id for a in crawl()}


def test_relations_name_who_copied_whom(result: ReuseResult) -> None:
    found = {(r["source_outlet"], r["target_outlet"]): r for r in result.to_dict()["relations"]}
    assert set(found) == {
        ("northwire.example", "dailyecho.example"),
        ("northwire.example", "metroherald.example"),
        ("northwire.example", "clickfarm.example"),
        ("southpress.example", "clickfarm.example"),
        ("eastwire.example", "clickfarm.example"),
    }
    echo = found[("northwire.example", "dailyecho.example")]
    assert echo["passages"] == [
        {"sentences": [0, 3], "start": 0, "end": echo["passages"][0]["end"]}
    ]
    assert echo["copied_chars"] == sum(len(s) for s in NORTH[:4])
    assert echo["credited"] is True and echo["delay_hours"] == 3.0
    assert echo["factual_changes"] == 0
    herald = found[("northwire.example", "metroherald.example")]
    # The herald copied sentences the echo also carries: the wire, published first, is the source.
    assert herald["earliest_origins"] == [_ids()["northwire.example/floods"]]
    assert herald["credited"] is False
    farm_south = found[("southpress.example", "clickfarm.example")]
    assert farm_south["factual_changes"] == 1  # 312 crates became 513
    assert [p["sentences"] for p in farm_south["passages"]] == [[3, 4]]
    assert json.loads(json.dumps(result.to_dict()))["schema"] == "wiretrace.reuse/1"


def test_same_time_articles_are_related_not_sources(result: ReuseResult) -> None:
    ids = _ids()
    pair = sorted((ids["twinpost.example/tower"], ids["mirrorline.example/tower"]))
    document = result.to_dict()
    assert [(r["a"], r["b"]) for r in document["related"]] == [tuple(pair)]
    assert not any(
        r["target_outlet"] in ("twinpost.example", "mirrorline.example")
        for r in document["relations"]
    )


def test_clusters_are_connected_components(result: ReuseResult) -> None:
    ids = _ids()
    clusters = result.to_dict()["clusters"]
    sizes = [(c["size"], c["origin"]) for c in clusters]
    assert sizes == [
        (6, ids["northwire.example/floods"]),
        (2, min(ids["twinpost.example/tower"], ids["mirrorline.example/tower"])),
    ]
    clustered = {a for c in clusters for a in c["articles"]}
    assert ids["quietgazette.example/oaks"] not in clustered


def test_outlet_profiles_and_farm_ranking(result: ReuseResult) -> None:
    profiles = {p["outlet"]: p for p in result.outlets}
    assert result.outlets[0]["outlet"] == "clickfarm.example"
    farm = profiles["clickfarm.example"]
    assert farm["stitched_sources"] == 3.0
    assert farm["unsourced_mixed_share"] == 1.0
    assert farm["changed_facts_share"] == pytest.approx(1 / 3, abs=1e-3)
    assert [s["outlet"] for s in farm["top_sources"]][:1] == ["northwire.example"]
    assert farm["median_delay_hours"] == 5.0 and farm["delay_hours"]["1-6h"] == 2
    assert profiles["dailyecho.example"]["credit_share"] == 1.0
    wire = profiles["northwire.example"]
    assert wire["original_share"] == 1.0 and wire["farm_score"] == 0.0
    quiet = profiles["quietgazette.example"]
    assert quiet["articles"] == 2 and quiet["copied_share"] == 0.0
    for profile in result.outlets:
        shares = [
            v
            for k, v in profile.items()
            if k.endswith("_share")
            and k
            in (
                "copied_share",
                "paraphrased_share",
                "original_share",
                "duplicate_share",
                "boilerplate_share",
            )
        ]
        assert sum(shares) == pytest.approx(1.0, abs=1e-3)
    assert farm_score(0.0, 1.0, 1.0) == 0.0 and farm_score(1.0, 1.0, 1.0) == 1.0


@pytest.mark.parametrize("min_shared", [1, 2])
def test_same_results_as_trace(crawl_db: Path, min_shared: int, tmp_path: Path) -> None:
    params = ReuseParams(min_shared=min_shared)  # 1 is trace's own candidate rule
    result = run_reuse(db=crawl_db, workdir=tmp_path / "w", params=params)
    copy = tmp_path / "indexed.duckdb"
    shutil.copy(crawl_db, copy)
    by_target: dict[str, set[tuple[str, tuple[int, int]]]] = {}
    relations = result.to_dict()["relations"]
    for rel in relations:
        for passage in rel["passages"]:
            by_target.setdefault(rel["target"], set()).add(
                (rel["source"], tuple(passage["sentences"]))
            )
    with Store(copy) as store:
        ShingleIndex(store).catch_up()
        tracer = Tracer(store, semantic=False, claims=False)
        for article in store.get_many([a.id for a in crawl()]):
            report = tracer.trace(article)
            want = {(p.article_id, (p.sentences[0], p.sentences[-1])) for p in report.passages}
            assert by_target.get(article.id, set()) == want, article.url
            assert report.factual_changes() == sum(
                r["factual_changes"] for r in relations if r["target"] == article.id
            )


def test_resume_after_a_stop_gives_the_same_result(
    crawl_db: Path, result: ReuseResult, tmp_path: Path
) -> None:
    events: list[ProgressEvent] = []
    partial = run_reuse(db=crawl_db, workdir=tmp_path, until="candidates", progress=events.append)
    assert partial.stopped_after == "candidates" and partial.json_path is None
    assert partial.to_dict()["relations"] == [] and partial.relation_count == 0
    assert [e.stage for e in events] == ["docs", "shingles", "candidates"]
    resumed = run_reuse(db=crawl_db, workdir=tmp_path, progress=events.append)
    assert resumed.stages["shingles"]["skipped"] and not resumed.stages["aligned"]["skipped"]
    assert events[3].skipped and events[-1].stage == "result"
    assert resumed.to_json() == result.to_json()


def test_two_alignment_processes_write_the_same_result(
    crawl_db: Path, result: ReuseResult, tmp_path: Path
) -> None:
    engine = DuckDBEngine(workers=2, batch_articles=3)
    assert run_reuse(db=crawl_db, engine=engine, workdir=tmp_path).to_json() == result.to_json()


def test_killed_stage_is_redone(crawl_db: Path, result: ReuseResult, tmp_path: Path) -> None:
    run_reuse(db=crawl_db, workdir=tmp_path, until="aligned")
    # A run killed while writing `aligned`: half a file under the temporary name, no marker.
    (tmp_path / "aligned.done").unlink()
    (tmp_path / "aligned.parquet").unlink()
    (tmp_path / ".aligned.parquet.tmp").write_bytes(b"PAR1 half written")
    again = run_reuse(db=crawl_db, workdir=tmp_path)
    assert not again.stages["aligned"]["skipped"]
    assert again.to_json() == result.to_json()


def test_resume_with_other_parameters_is_refused(crawl_db: Path, tmp_path: Path) -> None:
    run_reuse(db=crawl_db, workdir=tmp_path, until="docs")
    with pytest.raises(ReuseError, match=r"min_shared: 2 -> 3"):
        run_reuse(db=crawl_db, workdir=tmp_path, params=ReuseParams(min_shared=3))
    other = ReuseParams(trace=TraceParams(copy_coverage=0.7))
    with pytest.raises(ReuseError, match="copy_coverage"):
        run_reuse(db=crawl_db, workdir=tmp_path, params=other)
    with pytest.raises(ReuseError, match="unknown stage"):
        run_reuse(db=crawl_db, workdir=tmp_path, until="pairs")
    with pytest.raises(ReuseError, match="unknown engine"):
        run_reuse(db=crawl_db, workdir=tmp_path, engine="flink")


def test_changed_store_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    build_store(db)
    run_reuse(db=db, workdir=tmp_path / "w", until="docs")
    with Store(db) as store:
        store.add_articles([Article.create(" ".join(QUIET_A[::-1]), url="https://x.example/1")])
    with pytest.raises(ReuseError, match="articles: 10 -> 11"):
        run_reuse(db=db, workdir=tmp_path / "w")


def test_load_result_reads_a_finished_workdir(result: ReuseResult, tmp_path: Path) -> None:
    assert load_result(result.workdir).to_json() == result.to_json()
    with pytest.raises(ReuseError, match="no finished reuse run"):
        load_result(tmp_path)


def test_graph_exports_and_plot(result: ReuseResult, tmp_path: Path) -> None:
    with (export_graph(result, tmp_path / "g.csv")).open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {(r["source"], r["target"]) for r in rows} >= {
        ("southpress.example", "clickfarm.example")
    }
    graphml = export_graph(result, tmp_path / "g.graphml").read_text(encoding="utf-8")
    assert 'source="eastwire.example"' in graphml and "<graphml" in graphml
    table = pq.read_table(export_graph(result, tmp_path / "edges.bin", "parquet"))
    assert table.num_rows == len(result.outlet_edges) == 5
    with pytest.raises(ReuseError):
        export_graph(result, tmp_path / "g.txt")
    pytest.importorskip("matplotlib")
    png = plot_graph(result, tmp_path / "g.png")
    assert png.read_bytes()[:4] == b"\x89PNG"
    assert "<svg" in plot_graph(result, tmp_path / "g.svg").read_text(encoding="utf-8")


def test_align_functions_import_no_engine() -> None:
    source = Path(align.__file__).read_text(encoding="utf-8")
    assert "duckdb" not in source.split('"""')[2] and "pyspark" not in source
    assert outlet_name("www.northwire.example") == "northwire"
    assert credits("as NORTHWIRE reported", "northwire.example")
    assert not credits("northwired cables", "northwire.example")


def test_credits_in_any_case_and_script() -> None:
    # ASCII texts are first looked through lowered (no match without the name as a substring);
    # others go straight to the case-insensitive search, whose folding is wider.
    assert credits("Reporting by Northwire.", "www.northwire.example")
    assert not credits("No outlet is named here.", "www.northwire.example")
    assert credits("Selon Northwire, le pont a cédé.", "northwire.example")
    assert credits("per the \u212aESTREL desk", "kestrel.example")  # Kelvin sign: k
    assert not credits("any text", "ab.example")  # a name under three letters is no credit


def test_text_store_gives_the_docs_rows(tmp_path: Path) -> None:
    import pyarrow as pa

    from wiretrace.corpus.align import Doc
    from wiretrace.corpus.texts import docs_of, keys_between, open_texts, write_texts

    rows = [
        {
            "doc_key": key,
            "article_id": f"a{key}",
            "url": url,
            "outlet": outlet,
            "published_us": published,
            "text": text,
            "starts": [0, 6][: len(spans)],
            "stops": [5, len(text)][: len(spans)],
        }
        for key, url, outlet, published, text, spans in [
            (0, "https://x.example/0", "x.example", 5, "Héllo. Straße ß ﬁn.", (0, 1)),
            (3, None, None, None, "", ()),
            (7, "", "y.example", -1, "Short. Two sentences here.", (0, 1)),
        ]
    ]
    (tmp_path / "store").mkdir()
    (tmp_path / "store" / "keys.npy").write_bytes(b"an older version's doc store")
    batches = [pa.RecordBatch.from_pylist(rows[:2]), pa.RecordBatch.from_pylist(rows[2:])]
    assert write_texts(tmp_path / "store", batches) == 3
    assert not (tmp_path / "store" / "keys.npy").exists()
    store = open_texts(tmp_path / "store")  # by path, as a worker process opens it
    assert docs_of(store, [7, 0, 3]) == {row["doc_key"]: Doc.of(row) for row in rows}
    assert list(keys_between(store.keys(), 1, 7)) == [3, 7]
    with pytest.raises(KeyError):
        docs_of(store, [4])
    with pytest.raises(ValueError, match="increasing doc_key"):
        write_texts(tmp_path / "again", [pa.RecordBatch.from_pylist(rows[::-1])])


def test_reuse_tracer_skips_only_what_decides_nothing(crawl_db: Path, tmp_path: Path) -> None:
    """The reuse engines' tracer (`extras=False`) leaves out the evidence of a sentence no
    source could explain and the edits of sources other than a sentence's best: every status,
    source, flag and best source's edits are the full tracer's."""
    copy = tmp_path / "indexed.duckdb"
    shutil.copy(crawl_db, copy)
    # A sentence retold twice: the second retelling has two earlier sources, each edited.
    relays = [
        _article("relay.example", "one", 10, [EAST[2].replace("season", "year"), *QUIET_A], "1"),
        _article("relay.example", "two", 11, [EAST[2].replace("more", "far more"), TWIN[2]], "2"),
    ]
    skipped_evidence = skipped_edits = 0
    with Store(copy) as store:
        store.add_articles(relays)
        index = ShingleIndex(store)
        index.catch_up()
        full = CandidateTracer(IndexCandidates(store, index), claims=False)
        lean = CandidateTracer(IndexCandidates(store, index), claims=False, extras=False)
        for article in store.get_many([a.id for a in [*crawl(), *relays]]):
            want, got = full.trace(article).sentences, lean.trace(article).sentences
            for a, b in zip(want, got, strict=True):
                assert (a.status, a.flags, a.duplicate_of) == (b.status, b.flags, b.duplicate_of)
                assert [(m.doc.doc_key, m.sentence_indexes, m.similarity) for m in a.sources] == [
                    (m.doc.doc_key, m.sentence_indexes, m.similarity) for m in b.sources
                ]
                assert (a.best and a.best.changes) == (b.best and b.best.changes)
                skipped_evidence += a.evidence is not None and b.evidence is None
                skipped_edits += sum(
                    1
                    for m, n in zip(a.sources, b.sources, strict=True)
                    if m.changes and not n.changes
                )
    assert skipped_evidence and skipped_edits  # both shortcuts were taken on this crawl
