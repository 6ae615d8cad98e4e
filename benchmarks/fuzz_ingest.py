"""Property-based fuzzing of every reader, `api.add` and the HTTP API's write and trace endpoints.

    .venv/bin/python benchmarks/fuzz_ingest.py --cases 10000 [--seed 1] [--json]
        [--save-failures DIR]          # failing batches kept under DIR/seed-S/case-N,
                                       # failing HTTP cases under DIR/seed-S/http-N
    .venv/bin/python benchmarks/fuzz_ingest.py --replay DIR/seed-S/case-N
    .venv/bin/python benchmarks/fuzz_ingest.py --replay DIR/seed-S/http-N [DIR/seed-S/http-M ...]

Hypothesis generates files in every input format (JSON Lines, JSON arrays, CSV, TSV, WARC,
RSS, HTML, plain text), each with good records (synthetic articles with a known url and a marker
in their text) among hostile ones: wrong JSON types, nesting tens of thousands deep, numbers of
thousands of digits, lone surrogates, bytes that are not UTF-8, NUL, terminal escape sequences,
bidirectional overrides, dates of year 0 and 9999, junk markup, byte-level mutations of good
records. Ten files go into one `api.add` call (one batch); after each batch a known-good store
is checked: every good record of the batch is stored with its text, the base articles are all
still there, and the CLI's `show` and `claims` of the batch's newest article send no raw control
character. The HTTP phase posts hostile and good records to /api/articles, /api/articles/batch,
/api/articles/raw and /api/trace in-process (httpx ASGI transport): no answer may be a 5xx or
outside the error envelope, and every good record of a batch must be stored.

Counted: hostile inputs tried, crashes (an exception outside `WiretraceError` or a 5xx answer),
good records lost, raw control characters in output. A crash or loss is printed with its case,
and the batch it happened in is saved (its input files, in the order they were added, and
`case.json`: seed, cases, the good records expected, what went wrong, the ingest's errors and a
summary of the store) so that `--replay` can add it again to a fresh store and check it. A
failing HTTP case is kept the same way: each request body as a file, and `case.json` with the
requests, the answers (a traceback when the app raised) and the good records; `--replay` sends
one or more kept cases, in order, to one fresh store. The HTTP phase does not depend on the
file cases (`--cases 0` runs it alone, the same draws), but its draws change with the number of
HTTP cases asked for (hypothesis plans by it): repeat a run with the same `--http-cases`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st

from fuzz_inputs import (
    FORMATS,
    SENTENCES,
    build_file,
    good,
    hostile_json_text,
    hostile_line,
    hostile_text,
)
from wiretrace import api
from wiretrace.cli.main import cli
from wiretrace.errors import WiretraceError
from wiretrace.store.articles import Store

FILES_PER_BATCH = 10
DEFAULT_FAILURES = Path(tempfile.gettempdir()) / "wiretrace-fuzz-failures"
_PYTHON_MESSAGE = re.compile(r"\b[A-Z][A-Za-z]*(Error|Exception): ")
RAW = ("\x1b", "\x07", "\r", "\x00", "\x9b", "\u202e", "\x85")


@dataclass
class Tally:
    """What a run found; the goal is zero in every list."""

    cases: int = 0
    hostile_inputs: int = 0
    good_records: int = 0
    batches: int = 0
    http_requests: int = 0
    crashes: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)
    raw_escapes: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        out = asdict(self)
        for key in ("crashes", "lost", "raw_escapes"):
            out[key] = len(out[key])
        return out


# ------------------------------------------------------------------------ checks


def check_batch(db: Path, goods: list[dict[str, str]], base: int, tally: Tally, label: str) -> None:
    """Every good record stored with its text; the base articles intact; output escaped."""
    with Store(db, read_only=True) as store:
        count = store.db.execute(
            "SELECT count(*) FROM articles WHERE url LIKE 'https://base.example/%'"
        ).fetchall()[0][0]
        if count != base:
            tally.lost.append(f"{label}: base articles {count} of {base}")
        for record in goods:
            rows = store.db.execute(
                "SELECT count(*) FROM articles WHERE url = ? AND contains(text, ?)",
                [record["url"], record["marker"]],
            ).fetchall()
            if rows[0][0] < 1:
                tally.lost.append(f"{label}: {record['url']}")
        newest = store.db.execute(
            "SELECT id FROM articles WHERE url IS NULL OR url NOT LIKE 'https://good.example/%' "
            "ORDER BY ingested_at DESC LIMIT 1"
        ).fetchall()
    for key in [r[0] for r in newest]:
        for command in (["show", key], ["claims", key]):
            result = CliRunner().invoke(cli, [*command, "--db", str(db)])
            if result.exception and not isinstance(result.exception, SystemExit):
                tally.crashes.append(f"{label}: {command[0]}: {result.exception!r}")
            found = [c for c in RAW if c in result.output]
            if found:
                tally.raw_escapes.append(f"{label}: {command[0]} {key}: {found!r}")


BASE_ARTICLES = 20


def base_store(workdir: Path) -> Path:
    """A store holding the base articles every batch check counts; its path."""
    db = workdir / "fuzz.duckdb"
    base = [
        {
            "url": f"https://base.example/{n}",
            "text": " ".join(SENTENCES[n % 6 :] + SENTENCES[: n % 6]) + f" Base {n}.",
        }
        for n in range(BASE_ARTICLES)
    ]
    (workdir / "base.jsonl").write_text(
        "\n".join(json.dumps(b) for b in base) + "\n", encoding="utf-8"
    )
    assert api.add([workdir / "base.jsonl"], db=db).added == len(base)
    return db


@dataclass
class Batch:
    """The files of one `api.add` call, the cases they came from and the good records in them."""

    paths: list[Path] = field(default_factory=list)
    cases: list[int] = field(default_factory=list)
    goods: list[dict[str, str]] = field(default_factory=list)

    def clear(self) -> None:
        self.paths.clear()
        self.cases.clear()
        self.goods.clear()


def add_batch(db: Path, batch: Batch, tally: Tally, label: str) -> list[dict[str, Any]]:
    """`api.add` the batch, check the store; the ingest's errors (as dicts) for the record."""
    errors: list[dict[str, Any]] = []
    try:
        report = api.add(list(batch.paths), db=db)
        errors = [
            {"code": e.code, "source": e.source, "record": e.record, "message": e.reason}
            for e in report.errors
        ]
        # The ingest's safety net turns an unexpected OSError / ValueError into a W112 line
        # carrying Python's own message: a crash that was caught, counted as one.
        for error in report.errors:
            if _PYTHON_MESSAGE.search(error.reason):
                tally.crashes.append(f"{label}: raw Python message: {error}")
    except WiretraceError as exc:
        tally.crashes.append(f"{label}: api.add raised {exc.code}: {exc}")
    except Exception:
        tally.crashes.append(f"{label}: {traceback.format_exc(limit=6)} files {batch.paths}")
    check_batch(db, batch.goods, BASE_ARTICLES, tally, label)
    return errors


def _problems(tally: Tally) -> tuple[int, int, int]:
    return len(tally.crashes), len(tally.lost), len(tally.raw_escapes)


def _problems_since(tally: Tally, before: tuple[int, int, int]) -> dict[str, list[str]]:
    """The crashes, losses and raw escapes tallied after `_problems` gave `before`."""
    crashes, lost, raw = before
    return {
        "crashes": tally.crashes[crashes:],
        "lost": tally.lost[lost:],
        "raw_escapes": tally.raw_escapes[raw:],
    }


def _store_summary(db: Path) -> dict[str, int]:
    with Store(db, read_only=True) as store:
        row = store.db.execute(
            "SELECT count(*), count(*) FILTER (url LIKE 'https://good.example/%'), "
            "count(*) FILTER (url LIKE 'https://base.example/%') FROM articles"
        ).fetchall()[0]
        sentences = store.db.execute("SELECT count(*) FROM sentences").fetchall()[0][0]
    return {"articles": row[0], "good_articles": row[1], "base_articles": row[2],
            "sentences": sentences}  # fmt: skip


def save_failure(
    folder: Path,
    seed: int,
    label: str,
    batch: Batch,
    problems: dict[str, list[str]],
    errors: list[dict[str, Any]],
    db: Path,
) -> Path:
    """Keep a failing batch: its files (and text sidecars) and `case.json`; the folder made.

    Named by the case whose good record was lost (else the batch's last case), under the seed."""
    lost_cases = [
        g["url"].rsplit("/", 2)[1]
        for g in batch.goods
        if any(p.endswith(g["url"]) for p in problems["lost"])
    ]
    case = lost_cases[0] if lost_cases else str(batch.cases[-1] if batch.cases else "none")
    target = folder / f"seed-{seed}" / f"case-{case}"
    n = 1
    while target.exists():
        n += 1
        target = folder / f"seed-{seed}" / f"case-{case}.{n}"
    target.mkdir(parents=True)
    names = []
    for path in batch.paths:
        shutil.copy2(path, target / path.name)
        names.append(path.name)
        sidecar = Path(f"{path}.json")
        if sidecar.is_file():
            shutil.copy2(sidecar, target / sidecar.name)
    meta = {
        "seed": seed,
        "label": label,
        "cases": batch.cases,
        "files": names,
        "goods": batch.goods,
        "problems": problems,
        "ingest_errors": errors,
        "store_after": _store_summary(db),
    }
    (target / "case.json").write_text(json.dumps(meta, indent=1, ensure_ascii=True), "utf-8")
    return target


def replay(case_dir: Path, workdir: Path) -> tuple[Tally, list[dict[str, Any]]]:
    """Add a saved batch's files, in their order, to a fresh base store and check it again."""
    meta = json.loads((case_dir / "case.json").read_text("utf-8"))
    workdir.mkdir(parents=True, exist_ok=True)
    db = base_store(workdir)
    tally = Tally(batches=1, cases=len(meta["cases"]), good_records=len(meta["goods"]))
    batch = Batch([case_dir / name for name in meta["files"]], meta["cases"], meta["goods"])
    errors = add_batch(db, batch, tally, f"replay {case_dir.name}")
    return tally, errors


def replay_any(case_dirs: list[Path], workdir: Path) -> Tally:
    """Replay kept HTTP cases (all sent to one fresh store, in order) or kept file batches (each
    added to a fresh store)."""
    kinds = {json.loads((d / "case.json").read_text("utf-8")).get("kind") for d in case_dirs}
    if kinds == {"http"}:
        return replay_http(case_dirs, workdir)
    if "http" in kinds:
        raise SystemExit("replay HTTP cases and file batches separately")
    total = Tally()
    for n, case_dir in enumerate(case_dirs):
        tally, errors = replay(case_dir, workdir / f"batch{n}")
        for error in errors:
            print(f"{case_dir.name}: ingest error: {error}", file=sys.stderr)
        for name in ("cases", "good_records", "batches"):
            setattr(total, name, getattr(total, name) + getattr(tally, name))
        for name in ("crashes", "lost", "raw_escapes"):
            getattr(total, name).extend(getattr(tally, name))
    return total


def run_files(
    cases: int,
    seed: int,
    workdir: Path,
    tally: Tally,
    *,
    cycle: bool = False,
    save_failures: Path | None = None,
) -> None:
    """`cases` generated files in batches of FILES_PER_BATCH; `cycle` takes the formats in turn
    (a short run then covers every reader) instead of drawing them; a failing batch is kept
    under `save_failures` when given."""
    db = base_store(workdir)
    pending = Batch()
    counter = iter(range(10**9))

    def make_case(formats: Any, examples: int) -> Any:
        @settings(
            max_examples=examples,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(formats, st.data())
        def one_case(fmt: str, data: st.DataObject) -> None:
            case = next(counter)
            folder = workdir / f"b{case // FILES_PER_BATCH}"
            folder.mkdir(exist_ok=True)
            try:
                paths, goods, bads = build_file(folder, fmt, case, data.draw)
            except (UnicodeError, ValueError) as exc:  # the generator's limits, not wiretrace's
                print(f"skip case {case}: {exc!r}", file=sys.stderr)
                return
            tally.hostile_inputs += bads
            tally.good_records += len(goods)
            tally.cases += 1
            pending.paths.extend(paths)
            pending.cases.append(case)
            pending.goods.extend(goods)
            if len(pending.paths) >= FILES_PER_BATCH:
                flush(f"batch {tally.batches} ({fmt} last)")

        return one_case

    def flush(label: str) -> None:
        tally.batches += 1
        before = _problems(tally)
        errors = add_batch(db, pending, tally, label)
        if save_failures is not None and _problems(tally) != before:
            problems = _problems_since(tally, before)
            kept = save_failure(save_failures, seed, label, pending, problems, errors, db)
            print(f"{label}: failure kept in {kept}", file=sys.stderr)
        pending.clear()

    if cycle:
        for fmt in FORMATS:
            hypothesis_seed(seed)(make_case(st.just(fmt), max(1, cases // len(FORMATS))))()
    else:
        hypothesis_seed(seed)(make_case(st.sampled_from(FORMATS), cases))()
    if pending.paths:
        flush("last batch")


# ------------------------------------------------------------------------ HTTP


@dataclass
class HttpCase:
    """One HTTP case: its requests (method, path, body, content type) and the good records of
    its batch request."""

    number: int
    goods: list[dict[str, str]]
    requests: list[tuple[str, str, bytes, str]]
    hostile: int


def draw_http_case(data: st.DataObject, case: int) -> HttpCase:
    goods = [good(10**6 + case, n) for n in range(2)]
    hostile = [data.draw(hostile_json_text()) for _ in range(data.draw(st.integers(1, 3)))]
    records = [json.dumps({k: v for k, v in g.items() if k != "marker"}) for g in goods]
    batch = '{"articles": [' + ", ".join([*records, *hostile]) + "]}"
    requests = [
        ("POST", "/api/articles/batch", batch.encode(), "application/json"),
        ("POST", "/api/articles", hostile[0].encode(), "application/json"),
        ("POST", "/api/trace", hostile[0].encode(), "application/json"),
        ("POST", "/api/articles/raw", data.draw(hostile_line()), "text/plain"),
        ("POST", "/api/articles/raw", data.draw(hostile_line()), "text/html"),
        (
            "POST",
            "/api/trace",
            json.dumps({"text": data.draw(hostile_text)}).encode(),
            "application/json",
        ),
    ]
    return HttpCase(case, goods, requests, len(hostile) + 3)


async def send_http_case(
    client: Any, case: HttpCase, tally: Tally, label: str
) -> list[dict[str, Any]]:
    """Send a case's requests, count crashes and lost good records; the answers, for the record."""
    stored: dict[str, str] = {}
    answers: list[dict[str, Any]] = []
    for method, path, body, ctype in case.requests:
        tally.http_requests += 1
        try:
            answer = await client.request(
                method, path, content=body, headers={"content-type": ctype}
            )
        except Exception:  # the app raised: the server would answer 500; keep the traceback
            trace = traceback.format_exc(limit=-8)
            answers.append({"path": path, "status": 500, "body": trace})
            tally.crashes.append(f"{label} {path}: 500 {trace.strip().splitlines()[-1][:300]}")
            continue
        answers.append({"path": path, "status": answer.status_code, "body": answer.text[:2000]})
        if answer.status_code >= 500:
            tally.crashes.append(f"{label} {path}: {answer.status_code} {answer.text[:200]}")
            continue
        try:
            payload = answer.json()
        except ValueError:
            tally.crashes.append(f"{label} {path}: not JSON: {answer.text[:200]}")
            continue
        if answer.status_code >= 400 and "error" not in payload:
            tally.crashes.append(f"{label} {path}: no error envelope: {answer.text[:200]}")
        if path == "/api/articles/batch" and answer.status_code < 400:
            stored = {a["url"]: a["id"] for a in payload.get("articles", []) if a.get("url")}
    tally.hostile_inputs += case.hostile
    tally.good_records += len(case.goods)
    for g in case.goods:
        if g["url"] not in stored:
            tally.lost.append(f"{label}: {g['url']}")
            continue
        got = await client.get(f"/api/articles/{stored[g['url']]}")
        if got.status_code != 200 or g["marker"] not in got.json().get("text", ""):
            tally.lost.append(f"{label}: {g['url']} not readable back ({got.status_code})")
    return answers


def save_http_failure(
    folder: Path,
    seed: int,
    case: HttpCase,
    problems: dict[str, list[str]],
    answers: list[dict[str, Any]],
) -> Path:
    """Keep a failing HTTP case: each request body as a file and `case.json` (kind "http")."""
    target = folder / f"seed-{seed}" / f"http-{case.number}"
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    requests = []
    for n, (method, path, body, ctype) in enumerate(case.requests):
        name = f"request-{n}.body"
        (target / name).write_bytes(body)
        requests.append({"method": method, "path": path, "content_type": ctype, "body": name})
    meta = {
        "kind": "http",
        "seed": seed,
        "case": case.number,
        "hostile": case.hostile,
        "goods": case.goods,
        "requests": requests,
        "problems": problems,
        "answers": answers,
    }
    (target / "case.json").write_text(json.dumps(meta, indent=1, ensure_ascii=True), "utf-8")
    return target


def load_http_case(case_dir: Path) -> HttpCase:
    meta = json.loads((case_dir / "case.json").read_text("utf-8"))
    requests = [
        (r["method"], r["path"], (case_dir / r["body"]).read_bytes(), r["content_type"])
        for r in meta["requests"]
    ]
    return HttpCase(meta["case"], meta["goods"], requests, meta["hostile"])


def replay_http(case_dirs: list[Path], workdir: Path) -> Tally:
    """Send saved HTTP cases, in the order given, to one fresh store and check each again."""
    cases = [load_http_case(d) for d in case_dirs]
    tally = Tally()
    with http_client(workdir) as send:
        for case_dir, case in zip(case_dirs, cases, strict=True):
            answers = send(case, tally, f"replay {case_dir.name}")
            for answer in answers:
                if answer["status"] >= 500:
                    print(f"{case_dir.name} {answer['path']}: {answer['body']}", file=sys.stderr)
    return tally


@contextmanager
def http_client(workdir: Path) -> Iterator[Callable[[HttpCase, Tally, str], list[dict[str, Any]]]]:
    """A function sending one case to the app over a fresh store at workdir/http.duckdb."""
    import httpx

    from wiretrace.web import create_app

    workdir.mkdir(parents=True, exist_ok=True)
    app = create_app(workdir / "http.duckdb")
    transport = httpx.ASGITransport(app=app)  # an app exception raises, with its traceback

    def send(case: HttpCase, tally: Tally, label: str) -> list[dict[str, Any]]:
        async def go() -> list[dict[str, Any]]:
            async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as c:
                return await send_http_case(c, case, tally, label)

        return asyncio.run(go())

    try:
        yield send
    finally:
        app.state.bench.close()


def run_http(
    cases: int, seed: int, workdir: Path, tally: Tally, *, save_failures: Path | None = None
) -> None:
    """`cases` generated HTTP cases against one store; a failing case is kept under
    `save_failures` when given (`--replay` sends it again)."""
    counter = iter(range(10**9))
    with http_client(workdir) as send:

        @settings(
            max_examples=cases,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(st.data())
        def one_case(data: st.DataObject) -> None:
            case = draw_http_case(data, next(counter))
            before = _problems(tally)
            answers = send(case, tally, f"http {case.number}")
            if save_failures is not None and _problems(tally) != before:
                problems = _problems_since(tally, before)
                kept = save_http_failure(save_failures, seed, case, problems, answers)
                print(f"http {case.number}: failure kept in {kept}", file=sys.stderr)

        hypothesis_seed(seed)(one_case)()


def run(
    cases: int,
    http_cases: int,
    seed: int,
    workdir: Path | None = None,
    *,
    cycle: bool = False,
    save_failures: Path | None = None,
) -> Tally:
    tally = Tally()
    with tempfile.TemporaryDirectory(prefix="wiretrace-fuzz-") as scratch:
        root = workdir or Path(scratch)
        root.mkdir(parents=True, exist_ok=True)
        if cases:
            run_files(cases, seed, root, tally, cycle=cycle, save_failures=save_failures)
        if http_cases:
            run_http(http_cases, seed, root, tally, save_failures=save_failures)
    return tally


def _print_tally(tally: Tally, summary: dict[str, Any], as_json: bool) -> None:
    for kind in ("crashes", "lost", "raw_escapes"):
        for item in getattr(tally, kind)[:20]:
            print(f"{kind}: {item}", file=sys.stderr)
    print(
        json.dumps(summary, indent=2)
        if as_json
        else "  ".join(f"{k}={v}" for k, v in summary.items())
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=10_000, help="generated files (cases)")
    parser.add_argument(
        "--http-cases", type=int, default=None, help="HTTP cases (default cases/10)"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--save-failures",
        type=Path,
        default=DEFAULT_FAILURES,
        metavar="DIR",
        help=f"keep each failing batch under DIR/seed-S/case-N (default {DEFAULT_FAILURES})",
    )
    parser.add_argument(
        "--replay",
        type=Path,
        nargs="+",
        metavar="CASE_DIR",
        help="add a kept batch to a fresh store again, or send kept HTTP cases (in order)",
    )
    args = parser.parse_args()
    started = time.perf_counter()
    if args.replay is not None:
        with tempfile.TemporaryDirectory(prefix="wiretrace-replay-") as scratch:
            tally = replay_any(args.replay, Path(scratch))
    else:
        http_cases = args.cases // 10 if args.http_cases is None else args.http_cases
        tally = run(args.cases, http_cases, args.seed, save_failures=args.save_failures)
    summary = {**tally.summary(), "seconds": round(time.perf_counter() - started, 1)}
    _print_tally(tally, summary, args.json)


if __name__ == "__main__":
    main()
