"""Clear messages: UTF-16, file:// and HTTP:// inputs, deep HTML, the demo folder, a held store."""

from __future__ import annotations

import http.server
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from tests.conftest import BODY_A, BODY_B
from wiretrace import api
from wiretrace.cli.main import cli

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "src" / "wiretrace" / "demo" / "corpus"
PARA = "<p>" + " ".join([BODY_B.replace("\n", " ")] * 3) + "</p>"


def _nested(depth: int) -> str:
    return (
        "<html><head><title>Deep</title></head><body>"
        + "<div>" * depth
        + PARA
        + "</div>" * depth
        + "</body></html>"
    )


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_utf16_with_a_bom_is_read(tmp_path: Path, db_path: Path, encoding: str) -> None:
    bom = b"\xfe\xff" if encoding == "utf-16-be" else b""
    story = tmp_path / "story.txt"
    story.write_bytes(bom + f"Crossing\n\n{BODY_A}\n".encode(encoding))
    rows = tmp_path / "rows.csv"
    rows.write_bytes(bom + f'url,text\nhttps://u16.example/1,"{BODY_B}"\n'.encode(encoding))
    lines = tmp_path / "rows.jsonl"
    record = json.dumps({"url": "https://u16.example/2", "text": BODY_A + " Two."})
    lines.write_bytes(bom + (record + "\n").encode(encoding))
    report = api.add([story, rows, lines], db=db_path)
    assert report.errors == [] and report.added == 3
    assert api.show("https://u16.example/1", db=db_path).text.startswith("Relief convoys")


def test_file_urls_and_upper_case_schemes(tmp_path: Path, db_path: Path) -> None:
    story = tmp_path / "a story.txt"
    story.write_text(f"Crossing\n\n{BODY_A}\n", encoding="utf-8")
    report = api.add([story.as_uri()], db=db_path)
    assert report.errors == [] and report.added == 1
    code = CliRunner().invoke(cli, ["trace", story.as_uri(), "--db", str(db_path)]).exit_code
    assert code == 0
    report = api.add(["file://elsewhere/x.txt", "ftp://example.org/x.txt"], db=db_path)
    messages = [str(e) for e in report.errors]
    assert "file:// URL on another host (elsewhere)" in messages[0]
    assert "cannot read ftp:// URLs" in messages[1]

    page = (
        f"<html><head><title>Convoys</title></head><body><article>{PARA}</article></body></html>"
    ).encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"HTTP://127.0.0.1:{server.server_address[1]}/convoys.html"
        report = api.add([url], db=db_path, allow_private=True)
    finally:
        server.shutdown()
    assert report.errors == [] and report.added == 1


def test_deep_html_says_what_happened(tmp_path: Path, db_path: Path) -> None:
    deep = tmp_path / "deep.html"
    deep.write_text(_nested(100_000), encoding="utf-8")
    report = api.add([deep], db=db_path)
    [error] = report.errors
    assert "nests elements 100,00" in str(error) and "levels deep" in str(error)
    assert error.code == "W112"
    fair = tmp_path / "fair.html"
    fair.write_text(_nested(300), encoding="utf-8")  # past libxml2's default 256, within huge
    report = api.add([fair], db=db_path)
    assert report.errors == [] and report.added == 1


def test_demo_folder_reads_articles_only(db_path: Path) -> None:
    report = api.add([DEMO], db=db_path)
    assert report.errors == [] and report.exit_code == 0
    assert report.added == len(list(DEMO.glob("*.txt")))
    assert any("ANSWERS.json" in w and "not an article" in w for w in report.warnings)
    named = api.add([DEMO / "ANSWERS.json"], db=db_path)
    [error] = named.errors
    assert "no article text" in str(error) and error.code == "W112" and named.exit_code == 3


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A real `wiretrace serve` on loopback holding a store (writable)."""
    db = tmp_path / "held.duckdb"
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    process = subprocess.Popen(
        [sys.executable, "-m", "wiretrace", "serve", "--db", str(db), "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{url}/api/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.3)
        yield db, url
    finally:
        process.terminate()
        process.wait(timeout=60)


def test_a_store_held_by_the_server_says_how_to_reach_it(
    server: tuple[Path, str], tmp_path: Path
) -> None:
    db, url = server
    story = tmp_path / "story.txt"
    story.write_text(f"Crossing\n\n{BODY_A}\n", encoding="utf-8")
    for args in (["add", str(story)], ["stats"], ["show", "x"]):
        result = CliRunner().invoke(cli, [*args, "--db", str(db)])
        assert result.exit_code == 4, result.output
        line = result.stderr.strip()
        assert "\n" not in line and line.endswith("[W130]")
        assert "held by `wiretrace serve`" in line and url in line
        assert f"POST {url}/api/articles" in line and f"{url}/api/docs" in line
    # and the way it names works
    added = httpx.post(f"{url}/api/articles", json={"text": BODY_A}, timeout=60)
    assert added.status_code == 201
