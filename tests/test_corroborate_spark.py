"""`wiretrace incidents --engine spark` gives the same incidents JSON as DuckDB (local[2])."""

from __future__ import annotations

import functools
import json
import random
import shutil
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from wiretrace.cli.main import cli
from wiretrace.corroborate import build_incidents
from wiretrace.doc.article import Article
from wiretrace.errors import MissingExtra
from wiretrace.store.articles import Store

T0 = datetime(2031, 3, 2, 6, tzinfo=UTC)
PLACES = ["Homs", "Aleppo", "Idlib", "Hama", "Raqqa", "Daraa"]
ACTORS = ["Air strikes", "Shelling", "A car bomb"]
SOURCES = ["the Syrian Observatory for Human Rights", "civil defence workers", "a local council"]
SPEAKERS = ["Farid Haddad", "Mira Salem", "Omar Khatib"]
WIRE = (
    "{actor} killed {n} civilians in {place} on {day}, {source} said. Rescue teams searched "
    "the rubble of several buildings through the night. Another {w} people were wounded."
)
LOCAL = (
    "Our correspondent in {place} counted {n} dead civilians after {actor} hit a residential "
    "street, according to {source}. Families waited outside the hospital."
)
QUOTE = (
    '"We will rebuild every school that was destroyed in {place} this year," {speaker} said on '
    "{day}. The ministry gave no timetable."
)

ACCUSE = "Fighters of the Valdoran Relief Corps hid weapons and ammunition in {place} schools."


def synthetic(incidents: int, seed: int = 5) -> list[Article]:
    """Invented wire stories, farm copies, independent reports and quoted statements."""
    rnd = random.Random(seed)
    out: list[Article] = []
    for i in range(incidents):
        when = T0 + timedelta(days=i // 3, hours=i % 5)
        fill = {
            "actor": ACTORS[i % 3],
            "n": rnd.randint(3, 40),
            "w": rnd.randint(2, 30),
            "place": PLACES[i % len(PLACES)],
            "day": when.strftime("%A"),
            "source": rnd.choice(SOURCES),
        }
        wire = WIRE.format(**fill)
        if i % 5 == 0:  # an accusation, copied with the story: an assertion group
            wire += f" {ACCUSE.format(**fill)}"
        out.append(Article.create(wire, url=f"https://wire.example/{i}", published_at=when))
        for k in range(rnd.randint(0, 3)):
            copy = wire.replace("searched", "combed") + " Share this story."
            if rnd.random() < 0.3:
                copy = copy.replace(f"killed {fill['n']} ", f"killed {fill['n'] + 5} ", 1)
            at = when + timedelta(hours=1 + k)
            out.append(Article.create(copy, url=f"https://farm{k}.example/{i}", published_at=at))
        if rnd.random() < 0.5:
            n = fill["n"] if rnd.random() < 0.6 else fill["n"] * 3 + 10
            local = LOCAL.format(**{**fill, "n": n, "actor": fill["actor"].lower()})
            at = when + timedelta(hours=7)
            out.append(Article.create(local, url=f"https://herald.example/{i}", published_at=at))
        if i % 4 == 0:
            quote = QUOTE.format(speaker=SPEAKERS[i % 3], **fill)
            for k in range(2):
                at = when + timedelta(hours=2 + k)
                url = f"https://daily{k}.example/q{i}"
                out.append(Article.create(quote, url=url, published_at=at))
    return out


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    pytest.importorskip("pyspark")
    from wiretrace.corpus.spark_engine import local_session

    session = local_session("local[2]", memory="1g")
    yield session
    session.stop()


def _incidents_json(db: Path, *args: str) -> Any:
    result = CliRunner().invoke(cli, ["incidents", "--db", str(db), "--format", "json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_spark_and_duckdb_give_identical_incidents(spark: Any, tmp_path: Path) -> None:
    articles = synthetic(30)
    first, later = articles[:70], articles[70:]
    duck, scaled = tmp_path / "duck.duckdb", tmp_path / "spark.duckdb"
    with Store(duck) as store:
        store.add_articles(first)
    shutil.copyfile(duck, scaled)
    local = _incidents_json(duck)
    # The CLI's --engine spark reuses the running local session (getOrCreate).
    remote = _incidents_json(scaled, "--engine", "spark", "--workdir", str(tmp_path / "work"))
    assert len(local["incidents"]) > 20
    assert any(i["counts"]["origins"] >= 2 for i in local["incidents"])
    assert any(i["speaker"] for i in local["incidents"])
    assert any(i["kind"] == "assertion" for i in local["incidents"])
    assert remote == local
    # Incremental: new articles only are extracted (on Spark), then everything is regrouped.
    for db in (duck, scaled):
        with Store(db) as store:
            store.add_articles(later)
    local_result = build_incidents(db=duck)
    remote_result = build_incidents(db=scaled, engine="spark", spark=spark)
    assert remote_result.articles_processed == len(later) == local_result.articles_processed
    assert remote_result.to_dict() == local_result.to_dict()
    assert _incidents_json(scaled) == _incidents_json(duck)


def test_spark_engine_needs_the_extra(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "pyspark", None)
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)
    db = tmp_path / "c.duckdb"
    with Store(db) as store:
        store.add_articles(synthetic(1))
    with pytest.raises(MissingExtra) as info:
        build_incidents(db=db, engine="spark")
    assert info.value.code == "W140" and info.value.extra == "spark"
    result = CliRunner().invoke(cli, ["incidents", "--db", str(db), "--engine", "spark"])
    assert result.exit_code != 0 and "W140" in result.output


def test_a_kind_split_across_tasks_groups_as_on_duckdb(spark: Any, tmp_path: Path) -> None:
    """The killed claims fall in several parts (places far apart, runs of days with gaps), the
    parts land in different Spark tasks, and the incidents are those of DuckDB."""
    from pyspark.sql.functions import col, spark_partition_id

    from wiretrace.corroborate.batches import KEY_FIELD, KEYED_SCHEMA, keyed_batches
    from wiretrace.corroborate.groups import Partitioner
    from wiretrace.corroborate.spark_engine import ddl

    # Two bursts of reports ten days apart (a gap no group spans).
    articles = synthetic(18) + [
        Article.create(a.text, url=a.url + "-later", published_at=a.published_at + timedelta(10))
        for a in synthetic(12, seed=9)
        if a.published_at is not None
    ]
    duck, scaled = tmp_path / "duck.duckdb", tmp_path / "spark.duckdb"
    with Store(duck) as store:
        store.add_articles(articles)
    shutil.copyfile(duck, scaled)
    local = build_incidents(db=duck)
    remote = build_incidents(db=scaled, engine="spark", spark=spark, workdir=tmp_path / "w")
    assert remote.to_dict() == local.to_dict()
    # How Spark split the killed claims: parts and the shuffle partitions (tasks) holding them.
    with Store(scaled) as store:
        partitioner = Partitioner.from_db(store.db)
        store.db.execute(f"COPY corroborate_claims TO '{tmp_path / 'c.parquet'}' (FORMAT parquet)")
    keyed = functools.partial(keyed_batches, partitioner=partitioner)
    frame = (
        spark.read.parquet(str(tmp_path / "c.parquet"))
        .mapInArrow(keyed, ddl(KEYED_SCHEMA))
        .filter(col("kind") == "killed")
        .repartition(int(spark.conf.get("spark.sql.shuffle.partitions")), KEY_FIELD)
        .select(KEY_FIELD, spark_partition_id().alias("task"))
        .distinct()
        .collect()
    )
    assert len({r[KEY_FIELD] for r in frame}) >= 6
    assert len({r["task"] for r in frame}) >= 2
