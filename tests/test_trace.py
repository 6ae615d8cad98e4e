"""Tracing against a real store: the demo composite's ground truth, directions, splits, merges."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from wiretrace import api
from wiretrace.claims import layers
from wiretrace.doc.article import Article
from wiretrace.errors import InputNotFound
from wiretrace.store.articles import Store
from wiretrace.trace.layers import FLAGS, SENTENCE_TRACES
from wiretrace.trace.params import TraceParams
from wiretrace.trace.report import TraceReport
from wiretrace.trace.tracer import Tracer

CORPUS = Path(api.demo_corpus_files()[0]).parent
ANSWERS = json.loads((CORPUS / "ANSWERS.json").read_text(encoding="utf-8"))
T0 = datetime(2031, 6, 1, 8, 0, tzinfo=UTC)

# Synthetic wire sentences (invented places and people).
WIRE = [
    "Engineers from the Tessel river authority opened the northern sluice gates on Friday morning.",
    "The authority said water levels at the Marrow weir had risen by 40 centimetres overnight.",
    "Farmers in the lower valley were told to move livestock to higher ground before dusk.",
    "A spokesman for the provincial council, Ivo Brandt, said the evacuation was a precaution.",
    "Forecasters expect the rain to ease on Sunday as a dry front moves in from the coast.",
    "Rescue crews reached the flooded villages of Harn and Osk late on Saturday, and they began "
    "ferrying stranded families to the school in Vell.",
]


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory: pytest.TempPathFactory) -> TraceReport:
    db = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    result = api.demo(db=db)
    [report] = result.reports
    return report


def _by_file(report: TraceReport) -> dict[str, str]:
    """Demo file name -> article id, through each file's sidecar url."""
    ids = {}
    for path in api.demo_corpus_files():
        meta = json.loads(Path(f"{path}.json").read_text(encoding="utf-8"))
        ids[path.name] = meta["url"]
    return ids


def test_demo_composite_statuses_match_ground_truth(demo_report: TraceReport) -> None:
    got = [t.status for t in demo_report.sentences]
    want = [s["status"] for s in ANSWERS["sentences"]]
    assert [t.sentence.text for t in demo_report.sentences] == [
        s["text"] for s in ANSWERS["sentences"]
    ]
    assert got == want


def test_demo_sources_and_earliest_origin(demo_report: TraceReport) -> None:
    urls = _by_file(demo_report)
    for trace, truth in zip(demo_report.sentences, ANSWERS["sentences"], strict=True):
        expected = {urls[name] for name in truth["sources"]}
        found = {m.doc.url for m in trace.sources if m.doc.direction == "earlier"}
        if truth["status"] == "unsourced":
            assert not found, trace.sentence.text
            continue
        assert trace.best is not None and trace.best.doc.url in expected, trace.sentence.text
        assert expected <= found, trace.sentence.text
        if len(expected) > 1:  # the later wire copied the earlier one: the earlier is the origin
            origin = next(m for m in trace.sources if m.earliest)
            assert origin.doc.url == urls[truth["origin"]]
            copy = next(m for m in trace.sources if not m.earliest)
            assert copy.chain == [origin.doc.article_id, copy.doc.article_id]


def test_demo_factual_changes(demo_report: TraceReport) -> None:
    found = {
        (t.sentence.index, c.kind, c.from_, c.to)
        for t in demo_report.sentences
        if t.best
        for c in t.best.changes
        if c.factual and t.status == "copied"
    }
    want = {(c["index"], c["kind"], c["from"], c["to"]) for c in ANSWERS["factual_changes"]}
    assert found == want
    data = demo_report.to_dict()
    assert data["summary"]["factual_changes"] == len(want)
    assert data["summary"]["verdict"].startswith("composite of 4 sources")
    duplicate = next(t for t in demo_report.sentences if t.status == "duplicate")
    assert demo_report.sentences[duplicate.duplicate_of or 0].sentence.text == (
        duplicate.sentence.text
    )


def test_json_contract_fields(demo_report: TraceReport) -> None:
    data = json.loads(json.dumps(demo_report.to_dict()))
    assert data["schema"] == "wiretrace.trace/2"
    assert set(data["article"]) >= {"id", "url", "outlet", "title", "published_at"}
    assert set(data["summary"]) >= {
        "sources",
        "copied_share",
        "paraphrased_share",
        "duplicate_share",
        "unsourced_share",
        "factual_changes",
    }
    shares = sum(v for k, v in data["summary"].items() if k.endswith("_share"))
    assert shares == pytest.approx(1.0, abs=0.01)
    for sent in data["sentences"]:
        assert {
            "index",
            "start",
            "end",
            "text",
            "status",
            "sources",
            "duplicate_of",
            "flags",
        } <= set(sent)
        for source in sent["sources"]:
            assert {
                "article_id",
                "url",
                "outlet",
                "published_at",
                "sentence_index",
                "start",
                "end",
                "text",
                "similarity",
                "changes",
            } <= set(source)
            for change in source["changes"]:
                assert {"kind", "from", "to", "factual"} <= set(change)


def _store(tmp_path: Path, articles: list[Article]) -> Path:
    db = tmp_path / "t.duckdb"
    with Store(db) as store:
        from wiretrace.index.postings import ShingleIndex

        result = store.add_articles(articles)
        ShingleIndex(store).add(result.added)
    return db


def _article(sentences: list[str], url: str, when: datetime | None) -> Article:
    return Article.create(" ".join(sentences), url=url, title="t", published_at=when)


def _trace(db: Path, article: Article, params: TraceParams | None = None) -> TraceReport:
    with Store(db) as store:
        return Tracer(store, params=params or TraceParams()).trace(article)


def test_only_earlier_articles_are_sources(tmp_path: Path) -> None:
    earlier = _article(WIRE[:2], "https://a.example/1", T0 - timedelta(hours=2))
    same_time = _article(WIRE[2:4], "https://b.example/1", T0)
    later = _article(WIRE[4:5], "https://c.example/1", T0 + timedelta(hours=2))
    db = _store(tmp_path, [earlier, same_time, later])
    report = _trace(db, _article(WIRE, "https://farm.example/x", T0))
    statuses = [t.status for t in report.sentences]
    assert statuses == ["copied", "copied", "unsourced", "unsourced", "unsourced", "unsourced"]
    assert "related_direction_unknown" in report.sentences[2].flags
    assert report.sentences[2].sources[0].doc.direction == "unknown"
    assert report.sentences[4].sources == []  # a later article copies us, it is no source
    assert [doc.url for doc, _ in report.related] == ["https://b.example/1"]


def test_reordered_split_and_merged_sentences(tmp_path: Path) -> None:
    db = _store(tmp_path, [_article(WIRE, "https://a.example/1", T0 - timedelta(days=1))])
    target = [
        WIRE[3],
        # WIRE[5] split in two sentences
        "Rescue crews reached the flooded villages of Harn and Osk late on Saturday.",
        "They began ferrying stranded families to the school in Vell.",
        # WIRE[1] and WIRE[2] merged into one
        WIRE[1][:-1] + " and farmers in the lower valley were told to move livestock to higher "
        "ground before dusk.",
    ]
    report = _trace(db, _article(target, "https://farm.example/y", T0))
    first, split_a, split_b, merged = report.sentences
    assert first.status == "copied" and first.best and first.best.sentence_indexes == (3,)
    for piece in (split_a, split_b):
        assert piece.status == "copied" and "split" in piece.flags
        assert piece.best is not None and piece.best.sentence_indexes == (5,)
        assert "factual_change" not in piece.flags
    assert merged.status == "copied" and "merged" in merged.flags
    assert merged.best is not None and merged.best.sentence_indexes == (1, 2)


def test_stock_phrases_are_boilerplate(tmp_path: Path) -> None:
    stock = "Follow our live coverage of the river floods on every platform we publish on."
    articles = [
        _article(
            [stock, f"Unrelated local item number {n} about a bakery opening in district {n}."],
            f"https://o{n}.example/s",
            T0 - timedelta(days=1),
        )
        for n in range(6)
    ]
    db = _store(tmp_path, articles)
    report = _trace(
        db, _article([stock, WIRE[0]], "https://farm.example/z", T0), TraceParams(max_df=3)
    )
    assert [t.status for t in report.sentences] == ["boilerplate", "unsourced"]


def test_trace_a_file_not_in_the_store_and_missing_targets(tmp_path: Path) -> None:
    db = _store(tmp_path, [_article(WIRE, "https://a.example/1", T0 - timedelta(days=1))])
    path = tmp_path / "farm.txt"
    path.write_text("Farm headline\n\n" + " ".join(WIRE[:3]) + "\n", encoding="utf-8")
    [report] = api.trace([path], db=db)
    assert [t.status for t in report.sentences] == ["copied"] * 3
    assert report.notes and "no publication time" in report.notes[0]
    with Store(db, read_only=True) as store:
        assert store.count() == 1  # tracing a file does not store it
    with pytest.raises(InputNotFound, match="not a stored article"):
        api.trace(["no-such-id-or-file"], db=db)


def test_other_language_is_noted(tmp_path: Path) -> None:
    db = _store(tmp_path, [_article(WIRE, "https://a.example/1", T0 - timedelta(days=1))])
    german = Article.create(
        "Die Ingenieure öffneten am Freitagmorgen die nördlichen Schleusentore "
        "am Fluss. Die Bauern wurden gebeten, das Vieh in Sicherheit zu bringen.",
        url="https://de.example/1",
        published_at=T0,
    )
    report = _trace(db, german)
    assert any("language is 'de'" in note for note in report.notes)
    assert all(t.status == "unsourced" for t in report.sentences)


def test_very_long_article(tmp_path: Path) -> None:
    db = _store(tmp_path, [_article(WIRE, "https://a.example/1", T0 - timedelta(days=1))])
    body = "\n".join(
        f"Line {n} of the ledger lists crate {n * 7} at depot {n % 13}." for n in range(100_000)
    )
    report = _trace(
        db, Article.create(body + "\n" + WIRE[1], url="https://big.example/1", published_at=T0)
    )
    assert len(report.sentences) == 100_001
    assert report.sentences[-1].status == "copied"


def test_demo_flags_that_need_claims_and_provenance(demo_report: TraceReport) -> None:
    """The seed's stitching, on its synthetic look-alike: a quote credited to the wrong outlet,
    an inserted loaded accusation, a dangling "It started with", a caption, a repeat."""
    flags = {t.sentence.index: set(t.flags) for t in demo_report.sentences}
    truth = {s["index"]: s for s in ANSWERS["sentences"]}
    mismatch = next(i for i, s in truth.items() if "quote_channel_mismatch" in s.get("flags", []))
    assert "attribution_mismatch" in flags[mismatch]
    assert {i for i, f in flags.items() if "attribution_mismatch" in f} == {mismatch}
    inserted = {i for i, f in flags.items() if "likely_insertion" in f}
    unsourced = {i for i, s in truth.items() if s["status"] == "unsourced"}
    assert inserted and inserted < unsourced  # the caption is a leftover, not an insertion
    assert any("caption" in flags[i] for i in unsourced - inserted)
    assert any("dangling_reference" in f for f in flags.values())
    claims = demo_report.to_dict()["claims"]
    assert claims["schema"] == "wiretrace.claims/1"
    assert "truncated_headline" in claims["title_artifacts"]
    assert claims["casualties"]["civilians"] is not None


def test_trace_sets_its_layers_on_the_article(demo_report: TraceReport) -> None:
    """The trace's findings are also typed layers of the article: the same sentence traces, and
    every flag as a span of its sentence with the reason the report gives."""
    article = demo_report.article
    assert article.layer(SENTENCE_TRACES) is demo_report.sentences
    flags = article.layer(FLAGS)
    expected = [(t.sentence.index, name) for t in demo_report.sentences for name in t.flags]
    assert [(f.sentence_index, f.name) for f in flags] == expected and flags
    for flag in flags:
        trace = demo_report.sentences[flag.sentence_index]
        assert (flag.start, flag.end) == (trace.sentence.start, trace.sentence.end)
        assert flag.reason == trace.reasons.get(flag.name, "")
    assert article.layer(layers.QUOTES)  # the claims components ran on the same article


def test_paraphrase_pass_in_a_later_block_of_a_long_document(tmp_path: Path) -> None:
    """A long document's paraphrase context is the sources used near each sentence (bounded, so
    the pass stays linear): a rewording beside a copy, 600 sentences in, is still found."""
    db = _store(tmp_path, [_article(WIRE, "https://a.example/1", T0 - timedelta(days=1))])
    filler = [f"Ledger line {n} lists crate {n * 7} stored at depot {n % 13}." for n in range(600)]
    reworded = (
        "On Sunday the rain should ease, forecasters expect, as from the coast moves a dry front."
    )
    body = [*filler, WIRE[0], reworded]
    report = _trace(
        db,
        _article(body, "https://big.example/2", T0),
        TraceParams(passage_docs=0),  # no article-wide context: only nearby use counts
    )
    copied, rewritten = report.sentences[-2:]
    assert copied.status == "copied"
    assert rewritten.status == "paraphrased"
    assert rewritten.best is not None and rewritten.best.sentence_indexes == (4,)


def test_repeat_with_three_new_words_is_still_a_duplicate() -> None:
    # A long sentence repeated later in the article with three words no earlier sentence has:
    # the duplicate search must look the repeat up by words seen before (words seen nowhere
    # lead nowhere), whatever order a set gives them in.
    from wiretrace.trace.matching import SentenceWords
    from wiretrace.trace.tracer import _find_duplicates

    first = (
        "Volunteers from Harn, Osk and Vell carried sandbags along the eastern levee through the "
        "night while engineers from the Tessel river authority pumped water from flooded cellars "
        "near the old grain market, the mill bridge and the ferry landing below the chapel"
    )
    repeat = (
        first.replace("sandbags", "timber").replace("cellars", "basements")
        + " yesterday"  # three words the article has nowhere else
    )
    words = [SentenceWords.of(text) for text in (first, WIRE[4], repeat)]
    assert _find_duplicates(words, TraceParams()) == {2: 0}


def test_cached_source_words_cost_full_collections_nothing(tmp_path: Path) -> None:
    # A server's tracer keeps the words of thousands of sources between traces; every object
    # in those caches that the cyclic garbage collector tracks is walked by each full
    # collection, a pause inside some trace. The word sets are dicts of strings, which it
    # does not track: what it tracks per cached sentence is the sentence object alone.
    import gc

    wire = _article(WIRE, "https://a.example/1", T0 - timedelta(days=1))
    other = _article(WIRE[3:5], "https://b.example/1", T0 - timedelta(hours=3))
    db = _store(tmp_path, [wire, other])
    with Store(db) as store:
        tracer = Tracer(store)
        target = [
            WIRE[0],
            WIRE[4],
            "Water levels at the Marrow weir rose by 40 centimetres during the night, the "
            "river authority said.",  # WIRE[1] reworded
            "Livestock owners in the valley asked the council for help with feed and fencing.",
        ]
        report = tracer.trace(_article(target, "https://f.example", T0))
        assert [t.status for t in report.sentences][:2] == ["copied", "copied"]
        caches = (tracer._tokens._sentences, tracer._tokens._singles, tracer._tokens._pairs)
        # (a sentence read alone is taken over once its document's sentences are read)
        assert tracer._tokens._sentences and tracer._tokens._pairs and tracer._contents
        gc.collect()  # pairs of words are tuples, which a collection finds atomic and untracks
        seen: set[int] = set()
        tracked: list[str] = []
        dicts: set[int] = set()
        stack: list[object] = [*caches, tracer._contents]
        while stack:
            held = stack.pop()
            if id(held) in seen or not gc.is_tracked(held) or isinstance(held, type):
                continue  # (an instance's class is no part of the cache)
            seen.add(id(held))
            tracked.append(type(held).__name__)
            if isinstance(held, dict):
                dicts.add(id(held))
            stack.extend(gc.get_referents(held))
        sentences = sum(len(v) for v in tracer._tokens._sentences.values())
        sentences += len(tracer._tokens._singles)
        assert sentences > 0
        assert set(tracked) <= {"dict", "tuple", "SentenceWords"}, set(tracked)
        # the caches themselves, a tuple of sentences per document, and the sentences
        assert dicts <= {id(cache) for cache in (*caches, tracer._contents)}
        assert tracked.count("SentenceWords") == sentences
