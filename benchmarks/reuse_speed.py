"""Corpus-wide reuse speed: DuckDB engine, Spark local[1]/local[2], and datasketch MinHashLSH.

    .venv/bin/python benchmarks/reuse_speed.py duckdb 100000
    .venv/bin/python benchmarks/reuse_speed.py spark 20000 --master local[2]
    .venv/bin/python benchmarks/reuse_speed.py minhash 20000

Stores of generated articles (benchmarks/corpus_gen.py) live in benchmarks/work/: a store of the
first N articles is cut from the trace benchmark's 100k store when present, else generated and
ingested. Each run prints one Markdown table row: seconds per stage, relations found, and peak
memory (this process plus its finished children; the Spark JVM is reported separately when it
can be read). `--until STAGE` stops after a stage (its row has the stages run); `--compare
WORKDIR` then checks the `candidates` and `stock` tables against another run's (same rows, any
order: the engines' checkpoints at scale, where the whole pass is too long to run twice);
`--sample-aligned K` then aligns K ranges of 1,000 targets spread over the corpus in this process
and reports the CPU per article and the stage's projected time on `--workers` processes
(`--sample-rows FILE` writes the sampled aligned rows as JSON lines, to compare two versions of the
code byte for byte; `--resume` keeps the work directory, so the finished stages are not run
again and the same checkpoints are sampled). The
peer is document-level MinHash LSH (datasketch, word 5-grams, 128
permutations, threshold 0.5): its time and how many of reuse's composites (articles stitched from
2+ sources) it links to all, some or none of their sources.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from corpus_gen import write_jsonl
from wiretrace.corpus import relation_links, run_reuse
from wiretrace.corpus.duckdb_engine import DuckDBEngine
from wiretrace.store.articles import Store

WORK = Path(__file__).parent / "work"


def store_of(articles: int) -> Path:
    """A store of the first `articles` generated articles (cut from a bigger one when possible)."""
    db = WORK / f"reuse-{articles}.duckdb"
    if db.exists():
        return db
    bigger = [WORK / f"trace-{n}.duckdb" for n in (100_000, 300_000) if n >= articles]
    big = next((path for path in bigger if path.exists()), None)
    if big is not None:
        with Store(db) as store:
            store.db.execute(f"ATTACH '{big}' AS big (READ_ONLY)")
            store.db.execute(
                "INSERT INTO articles SELECT * FROM big.articles "
                f"ORDER BY ingested_at, id LIMIT {articles}"
            )
            store.db.execute(
                "INSERT INTO sentences SELECT s.* FROM big.sentences s "
                "SEMI JOIN articles a ON a.id = s.article_id"
            )
            store.db.execute("DETACH big")
        return db
    corpus = write_jsonl(WORK / f"corpus-{articles}.jsonl", articles)
    subprocess.run(
        [sys.executable, "-m", "wiretrace.cli", "add", str(corpus), "-q", "--db", str(db)],
        check=True,
    )
    return db


def peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round((own + children) / 1024, 1)


def run_engine(
    kind: str,
    articles: int,
    master: str,
    workers: int,
    db: Path | None = None,
    until: str | None = None,
    resume: bool = False,
) -> dict[str, Any]:
    db = db or store_of(articles)
    workdir = WORK / f"reuse-{kind}-{master.replace('[', '').replace(']', '')}-{articles}"
    if not resume:
        shutil.rmtree(workdir, ignore_errors=True)
    started = time.perf_counter()
    engine: Any
    if kind == "spark":
        from wiretrace.corpus.spark_engine import SparkEngine, local_session

        spark = local_session(master)  # a third of the RAM, 8 shuffle partitions a core
        engine = SparkEngine(spark=spark)
        started = time.perf_counter()  # JVM start-up (~5 s) is reported apart
    else:
        engine = DuckDBEngine(workers=workers)
    load_before = os.getloadavg()[0]
    result = run_reuse(db=db, engine=engine, workdir=workdir, until=until)  # writes result.json
    seconds = time.perf_counter() - started
    return {
        "workdir": str(workdir),
        "engine": kind if kind == "duckdb" else f"spark {master}",
        "articles": articles,
        "seconds": round(seconds, 1),
        "stages": {k: v["seconds"] for k, v in result.stages.items()},
        "relations": result.relation_count,
        "candidates": result.stages.get("candidates", {}).get("rows"),
        "composites": composite_count(workdir) if result.complete else 0,
        "peak_mb": peak_mb(),
        "articles_per_s": round(articles / seconds, 1),
        "load_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)],  # at start, at end
    }


def compare_tables(workdir: Path, other: Path) -> dict[str, Any]:
    """Rows of `candidates` and `stock` only in one of two work directories (0 and 0: equal)."""
    import duckdb

    con = duckdb.connect()
    out: dict[str, Any] = {}
    for name in ("candidates", "stock"):
        a, b = (_scan(w / f"{name}.parquet") for w in (workdir, other))
        rows = con.sql(f"SELECT count(*) FROM {a}").fetchall()[0][0]
        only = [
            con.sql(
                f"SELECT count(*) FROM (SELECT * FROM {x} EXCEPT ALL SELECT * FROM {y})"
            ).fetchall()[0][0]
            for x, y in ((a, b), (b, a))
        ]
        out[name] = {"rows": rows, "only_here": only[0], "only_there": only[1]}
    con.close()
    return out


def _scan(path: Path) -> str:
    pattern = f"{path}/*.parquet" if path.is_dir() else str(path)
    return f"read_parquet('{pattern}')"


def sample_aligned(
    workdir: Path, ranges: int, workers: int, rows_to: Path | None = None
) -> dict[str, Any]:
    """CPU per article of the aligned stage on `ranges` ranges of 1,000 targets spread over the
    corpus (this process, after `--until candidates`), and the stage projected on `workers`;
    `rows_to`: a file for the sampled aligned rows (JSON lines)."""
    from wiretrace.corpus.checkpoints import Workdir
    from wiretrace.corpus.duckdb_engine import align_range
    from wiretrace.corpus.plan import ReuseParams
    from wiretrace.corpus.texts import close_texts, open_texts

    engine = DuckDBEngine(batch_articles=1000)
    work = Workdir(workdir)
    store = work.path / ".texts"
    con = engine._connect(work)
    try:
        engine._write_store(con, work, store)
        keys = open_texts(store).keys()
        every = max(len(keys) // 1000 // max(ranges, 1), 1)
        # The middle range of each stratum: a target's candidates are earlier articles, so its
        # cost grows with its place in the corpus, and the first ranges of the strata would
        # sample the corpus's earlier half more (ranges 0, 250, 500, 750 of 1,000: mean 375).
        cpu = articles = 0.0
        rows = []
        for n, (size, low, high, pairs, stock) in enumerate(engine._ranges(con, work, keys)):
            if n % every != every // 2 or articles >= ranges * 1000:
                continue
            started = time.process_time()
            table = align_range(str(store), low, high, pairs, stock, ReuseParams())
            cpu += time.process_time() - started
            articles += size
            if rows_to is not None:
                rows.extend(json.dumps(row, sort_keys=True) for row in table.to_pylist())
        if rows_to is not None:
            rows_to.write_text("".join(f"{row}\n" for row in rows), encoding="utf-8")
    finally:
        con.close()
        close_texts()
        shutil.rmtree(store, ignore_errors=True)
    per_article = cpu / max(articles, 1)
    return {
        "sampled_articles": int(articles),
        "aligned_cpu_ms_per_article": round(1000 * per_article, 2),
        "aligned_projected_s": round(per_article * len(keys) / max(workers, 1), 1),
    }


def composites(relations: Iterable[tuple[str, str]]) -> dict[str, set[str]]:
    """Articles reuse links to two or more earlier sources: target -> sources, from (source,
    target) pairs."""
    sources: dict[str, set[str]] = {}
    for source, target in relations:
        sources.setdefault(target, set()).add(source)
    return {t: s for t, s in sources.items() if len(s) >= 2}


def composite_count(workdir: Path) -> int:
    """How many targets have two or more sources, counted on the `aligned` checkpoint (a
    target's relation rows, one per source)."""
    import duckdb

    rows = duckdb.sql(
        f"SELECT count(*) FROM (SELECT tdoc FROM {_scan(workdir / 'aligned.parquet')} "
        "WHERE kind = 'relation' GROUP BY tdoc HAVING count(DISTINCT sdoc) >= 2)"
    ).fetchall()
    return int(rows[0][0])


def run_minhash(articles: int) -> dict[str, Any]:
    from datasketch import MinHash, MinHashLSH

    db = store_of(articles)
    with Store(db, read_only=True) as store:
        rows = store.db.execute("SELECT id, text FROM articles ORDER BY ingested_at, id").fetchall()
    started = time.perf_counter()
    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    sketches = {}
    for article_id, text in rows:
        tokens = text.casefold().split()
        grams = {" ".join(tokens[i : i + 5]).encode() for i in range(max(len(tokens) - 4, 1))}
        sketch = MinHash(num_perm=128)
        sketch.update_batch(grams)
        sketches[article_id] = sketch
        lsh.insert(article_id, sketch)
    pairs = {
        article_id: set(lsh.query(sketch)) - {article_id} for article_id, sketch in sketches.items()
    }
    seconds = time.perf_counter() - started
    found = {"articles": articles, "seconds": round(seconds, 1), "peak_mb": peak_mb()}
    reuse = WORK / f"reuse-duckdb-local2-{articles}"
    if (reuse / "result.json").exists():
        relations = [(source, target) for source, target, _ in relation_links(reuse)]
        stitched = composites(relations)
        all_found = sum(1 for t, s in stitched.items() if s <= pairs.get(t, set()))
        none_found = sum(1 for t, s in stitched.items() if not s & pairs.get(t, set()))
        linked = sum(1 for source, target in relations if source in pairs.get(target, ()))
        found.update(
            composites=len(stitched),
            all_sources=all_found,
            no_source=none_found,
            relations_found=f"{linked}/{len(relations)}",
            lsh_pairs=sum(len(p) for p in pairs.values()) // 2,
        )
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=["duckdb", "spark", "minhash"])
    parser.add_argument("articles", type=int)
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--db", type=Path, help="a store of that many generated articles")
    parser.add_argument("--workdir", type=Path, help="where stores and checkpoints go")
    parser.add_argument("--until", help="stop after this stage (docs, shingles, candidates...)")
    parser.add_argument("--compare", type=Path, help="another run's work directory")
    parser.add_argument("--sample-aligned", type=int, default=0, metavar="K")
    parser.add_argument("--sample-rows", type=Path, help="the sampled aligned rows (JSON lines)")
    parser.add_argument("--resume", action="store_true", help="keep the work directory")
    args = parser.parse_args()
    global WORK
    WORK = args.workdir or WORK
    if args.kind == "minhash":
        row = run_minhash(args.articles)
    else:
        master = args.master if args.kind == "spark" else f"local[{args.workers}]"
        row = run_engine(
            args.kind, args.articles, master, args.workers, args.db, args.until, args.resume
        )
        if args.compare:
            row["same_as"] = compare_tables(Path(row["workdir"]), args.compare)
        if args.sample_aligned:
            row.update(
                sample_aligned(
                    Path(row["workdir"]), args.sample_aligned, args.workers, args.sample_rows
                )
            )
    print(json.dumps(row))
    print("| " + " | ".join(str(v) for v in row.values()) + " |")


if __name__ == "__main__":
    main()
