"""A fast slice of the fuzz benchmark (benchmarks/fuzz_ingest.py runs 10,000+ cases): hostile
files in every format and hostile HTTP requests, a known-good store checked after each batch."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import fuzz_ingest
from wiretrace.web import create_app


def test_fuzz_slice_loses_nothing_and_never_crashes(tmp_path: Path) -> None:
    cases = len(fuzz_ingest.FORMATS) * 2  # every reader twice
    tally = fuzz_ingest.run(cases=cases, http_cases=3, seed=7, workdir=tmp_path, cycle=True)
    assert tally.crashes == [] and tally.lost == [] and tally.raw_escapes == []
    assert tally.hostile_inputs >= cases and tally.good_records >= 2 * cases
    assert tally.batches >= 2 and tally.http_requests == 18


def test_harness_notices_a_lost_record(tmp_path: Path) -> None:
    """The check can fail: a good record that is not stored is counted as lost."""
    tally = fuzz_ingest.Tally()
    db = tmp_path / "s.duckdb"
    base = tmp_path / "base.jsonl"
    base.write_text(json.dumps({"url": "https://base.example/0", "text": "A b c."}) + "\n")
    from wiretrace import api

    api.add([base], db=db)
    fuzz_ingest.check_batch(db, [fuzz_ingest.good(1, 0)], 1, tally, "probe")
    assert tally.lost == ["probe: https://good.example/1/0"]


def test_batch_item_over_a_limit_costs_only_itself(tmp_path: Path) -> None:
    import asyncio

    app = create_app(tmp_path / "w.duckdb")
    good = [fuzz_ingest.good(3, n) for n in range(2)]
    items = [json.dumps({"url": g["url"], "text": g["text"]}) for g in good]
    deep = '{"text": ' + "[" * 5000 + "]" * 5000 + "}"
    wide = '{"text": "x", "n": ' + "9" * 5000 + "}"
    body = '{"articles": [' + ", ".join([items[0], deep, wide, '{"text": 5}', items[1]]) + "]}"

    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            return await client.post(
                "/api/articles/batch", content=body, headers={"content-type": "application/json"}
            )

    try:
        answer = asyncio.run(go())
    finally:
        app.state.bench.close()
    assert answer.status_code == 201, answer.text
    payload = answer.json()
    assert payload["added"] == 2
    errors = {e["index"]: e["message"] for e in payload["errors"]}
    assert set(errors) == {1, 2, 3}
    assert "nested" in errors[1] and "digits" in errors[2] and "text" in errors[3]


def test_a_failing_batch_is_kept_and_replays(tmp_path: Path) -> None:
    """A batch that loses a good record is saved with its files and replays to the same loss."""
    work = tmp_path / "run"
    work.mkdir()
    db = fuzz_ingest.base_store(work)
    goods = [fuzz_ingest.good(5, n) for n in range(2)]
    path = work / "case5.jsonl"  # holds the first good record only: the second is lost
    path.write_text(json.dumps({"url": goods[0]["url"], "text": goods[0]["text"]}) + "\n")
    batch = fuzz_ingest.Batch([path], [5], goods)
    tally = fuzz_ingest.Tally()
    errors = fuzz_ingest.add_batch(db, batch, tally, "probe")
    assert tally.lost == ["probe: https://good.example/5/1"] and errors == []
    problems = {"crashes": [], "lost": tally.lost, "raw_escapes": []}
    kept = fuzz_ingest.save_failure(tmp_path / "kept", 9, "probe", batch, problems, errors, db)
    assert kept == tmp_path / "kept" / "seed-9" / "case-5"
    meta = json.loads((kept / "case.json").read_text("utf-8"))
    assert (meta["seed"], meta["cases"], meta["files"]) == (9, [5], ["case5.jsonl"])
    assert meta["store_after"]["good_articles"] == 1
    assert meta["store_after"]["base_articles"] == fuzz_ingest.BASE_ARTICLES
    replayed, _ = fuzz_ingest.replay(kept, tmp_path / "replay")
    assert replayed.lost == ["replay case-5: https://good.example/5/1"]


def test_url_with_a_lone_surrogate_is_a_client_error(tmp_path: Path) -> None:
    """Found by the fuzz benchmark (seed 21, HTTP cases 41-47): a record with only a url holding
    a "\\udcff" escape reached httpx, whose percent-encoding raised UnicodeEncodeError; the batch,
    one-article and trace endpoints answered 500 and the batch's good records were lost. The url
    is now refused as the client's error (422 in the envelope) and costs only its own record."""
    import asyncio

    from wiretrace import api
    from wiretrace.errors import InputError

    app = create_app(tmp_path / "w.duckdb")
    good = [fuzz_ingest.good(4, n) for n in range(2)]
    items = [json.dumps({"url": g["url"], "text": g["text"]}) for g in good]
    bad = '{"url": "https://odd.example/\\udcffpath"}'
    body = '{"articles": [' + ", ".join([items[0], bad, items[1]]) + "]}"

    async def go() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)  # an app exception would raise here
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            headers = {"content-type": "application/json"}
            return [
                await client.post(path, content=content, headers=headers)
                for path, content in (
                    ("/api/articles/batch", body),
                    ("/api/articles", bad),
                    ("/api/trace", bad),
                )
            ]

    try:
        batch, one, trace = asyncio.run(go())
    finally:
        app.state.bench.close()
    assert batch.status_code == 201, batch.text
    assert batch.json()["added"] == 2
    [error] = batch.json()["errors"]
    assert error["index"] == 1 and "lone surrogate" in error["message"]
    for answer in (one, trace):
        assert answer.status_code == 422, answer.text
        envelope = answer.json()["error"]
        assert envelope["code"] == "unusable_input" and "lone surrogate" in envelope["message"]
        assert envelope["detail"]["source"] == "https://odd.example/\ufffdpath"
    # The CLI's twin refuses it the same way, as one input error.
    report = api.add(["https://odd.example/\udcffpath"], db=tmp_path / "c.duckdb")
    [refused] = report.errors
    assert isinstance(refused, InputError) and "lone surrogate" in str(refused)


def test_a_failing_http_case_is_kept_and_replays(tmp_path: Path) -> None:
    """An HTTP case that loses a good record is saved (each request body a file) and sending it
    again to a fresh store finds the same loss."""
    goods = [fuzz_ingest.good(6, n) for n in range(2)]
    only_first = {"url": goods[0]["url"], "text": goods[0]["text"]}
    body = json.dumps({"articles": [only_first, {"text": 5}]}).encode()
    case = fuzz_ingest.HttpCase(
        6, goods, [("POST", "/api/articles/batch", body, "application/json")], hostile=1
    )
    tally = fuzz_ingest.Tally()
    with fuzz_ingest.http_client(tmp_path / "first") as send:
        answers = send(case, tally, "http 6")
    assert tally.lost == [f"http 6: {goods[1]['url']}"] and tally.crashes == []
    problems = {"crashes": [], "lost": tally.lost, "raw_escapes": []}
    kept = fuzz_ingest.save_http_failure(tmp_path / "kept", 9, case, problems, answers)
    assert kept == tmp_path / "kept" / "seed-9" / "http-6"
    assert (kept / "request-0.body").read_bytes() == body
    replayed = fuzz_ingest.replay_any([kept], tmp_path / "replay")
    assert replayed.lost == [f"replay http-6: {goods[1]['url']}"]
    assert replayed.http_requests == 1 and replayed.good_records == 2
