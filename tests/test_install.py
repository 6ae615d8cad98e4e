"""A fresh install with the pip a stock venv brings, and a missing package as one W140 line."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

from tests.conftest import BODY_A

ROOT = Path(__file__).resolve().parents[1]
PAGE = (
    "<!doctype html><html><head><title>Crossing at dawn</title></head><body><article>"
    "<h1>Crossing at dawn</h1>"
    + "".join(f"<p>{para}</p>" for para in BODY_A.split("\n\n"))
    + "</article></body></html>"
)


def _source_copy(target: Path) -> Path:
    """The project's sources copied out, so building them leaves nothing in the checkout."""
    skip = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, target / name)
    shutil.copytree(ROOT / "src", target / "src", ignore=skip)
    return target


def test_fresh_venv_with_stock_pip_installs_and_reads_html(tmp_path: Path) -> None:
    """pip as `python -m venv` brings it (23.x on Python 3.11, never upgraded) resolves every
    dependency HTML extraction needs: lxml_html_clean is named, not left to an lxml extra."""
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True, system_site_packages=False, clear=True).create(env_dir)
    python = env_dir / "bin" / "python"
    pip_version = subprocess.run(
        [str(python), "-m", "pip", "--version"], capture_output=True, text=True, check=True
    ).stdout
    import ensurepip

    assert pip_version.startswith(f"pip {ensurepip.version()} "), pip_version
    (tmp_path / "src-copy").mkdir()
    source = _source_copy(tmp_path / "src-copy")
    installed = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--no-input", str(source)],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
    )
    assert installed.returncode == 0, installed.stderr[-3000:]
    # pip still warns that lxml lacks the extra justext names; what matters is the import.
    page = tmp_path / "story.html"
    page.write_text(PAGE, encoding="utf-8")
    clean_env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "WIRETRACE_DB")}
    added = subprocess.run(
        [str(env_dir / "bin" / "wiretrace"), "add", str(page), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=300,
        env=clean_env,
        cwd=tmp_path,  # the default store ./wiretrace.duckdb lands there
    )
    assert added.returncode == 0, added.stderr
    report = json.loads(added.stdout)
    assert report["added"] == 1 and report["errors"] == []
    assert "Traceback" not in added.stderr


def _without_html_clean(tmp_path: Path) -> dict[str, str]:
    """An environment where `import lxml_html_clean` fails as on a partial install."""
    shadow = tmp_path / "shadow"
    (shadow / "lxml_html_clean").mkdir(parents=True)
    (shadow / "lxml_html_clean" / "__init__.py").write_text(
        "raise ModuleNotFoundError(\"No module named 'lxml_html_clean'\", name='lxml_html_clean')\n"
    )
    path = os.pathsep.join([str(shadow), str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])
    return {**os.environ, "PYTHONPATH": path}


def test_missing_html_clean_is_one_w140_line_and_other_inputs_are_stored(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "story.html").write_text(PAGE, encoding="utf-8")
    (folder / "plain.txt").write_text(f"Crossing\n\n{BODY_A}\n", encoding="utf-8")
    env = _without_html_clean(tmp_path)
    run = subprocess.run(
        [sys.executable, "-m", "wiretrace", "add", str(folder), "--db", str(tmp_path / "s.duckdb")],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert "Traceback" not in run.stderr
    lines = [line for line in run.stderr.splitlines() if "error" in line]
    assert len(lines) == 1, run.stderr
    assert "story.html" in lines[0] and "lxml_html_clean" in lines[0]
    assert lines[0].endswith("[W140]")
    assert "Added 1 articles" in run.stdout
    assert run.returncode == 1

    only_html = subprocess.run(
        [sys.executable, "-m", "wiretrace", "add", str(folder / "story.html"), "--db", "t.duckdb"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        cwd=tmp_path,
    )
    assert only_html.returncode == 5 and "[W140]" in only_html.stderr
    assert "Traceback" not in only_html.stderr


_WEB_PROBE = """
import asyncio, http.server, json, sys, threading
import httpx
from wiretrace.web import create_app

page = sys.argv[2].encode()

class Page(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(page)))
        self.end_headers()
        self.wfile.write(page)
    def log_message(self, *args):
        pass

server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
threading.Thread(target=server.serve_forever, daemon=True).start()
url = f"http://127.0.0.1:{server.server_address[1]}/story.html"

async def main():
    app = create_app(sys.argv[1], allow_private=True)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        fetched = await client.post("/api/articles", json={"url": url})
        pasted = await client.post("/api/articles", json={"html": sys.argv[2]})
        form = await client.post("/trace", files={"file": ("story.html", page, "text/html")},
                                 headers={"accept": "text/html"})
    app.state.bench.close()
    print(json.dumps({"fetched": [fetched.status_code, fetched.json()],
                      "pasted": [pasted.status_code, pasted.json()],
                      "form": [form.status_code, form.text]}))

asyncio.run(main())
server.shutdown()
"""


def test_missing_html_clean_in_the_web_api_is_a_json_error(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-c", _WEB_PROBE, str(tmp_path / "w.duckdb"), PAGE],
        capture_output=True,
        text=True,
        env=_without_html_clean(tmp_path),
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    answer = json.loads(run.stdout.strip().splitlines()[-1])
    for name in ("fetched", "pasted"):
        status, body = answer[name]
        assert status == 501, (name, body)
        assert body["error"]["detail"]["wiretrace_code"] == "W140"
        assert "lxml_html_clean" in body["error"]["message"]
    status, page = answer["form"]
    assert status == 501 and "lxml_html_clean" in page and "Internal Server Error" not in page
