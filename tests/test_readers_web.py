"""HTML, WARC, feed and URL readers, on synthetic pages and a local HTTP server (127.0.0.1 only)."""

from __future__ import annotations

import gzip
import io
import ipaddress
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from wiretrace.errors import BlockedAddress, FetchError, InputError, RecordError, UnreadableInput
from wiretrace.ingest import fetch
from wiretrace.ingest.feeds import html_to_text, read_feed, read_feed_file
from wiretrace.ingest.fetch import fetch_url, is_blocked
from wiretrace.ingest.html import decode_html, extract_html, read_html_file
from wiretrace.ingest.records import RawRecord, ReadOptions
from wiretrace.ingest.urls import read_url
from wiretrace.ingest.warc import read_warc

# Invented town, invented people: synthetic text written for these tests.
PARAGRAPHS = (
    "The old harbour bridge in Saltmere reopened on Tuesday after eight months of repairs, "
    "the town council said in a statement.",
    "Engineers replaced 42 steel cables and repainted the span, according to Tomas Wrenn, "
    "who heads the council's works department.",
    '"We are glad to have our bridge back," said Ilse Korran, who runs a bakery on the north '
    "bank of the Vell estuary.",
)


def article_html(
    title: str = "Saltmere harbour bridge reopens",
    *,
    date: str | None = "2024-03-05T10:30:00+00:00",
    author: str | None = "Mara Quill",
    site: str | None = "The Saltmere Ledger",
    canonical: str | None = "https://ledger.example/news/bridge",
    paragraphs: tuple[str, ...] = PARAGRAPHS,
    charset: str = "utf-8",
) -> str:
    """A small news page: head metadata, navigation, article body, footer."""
    meta = [f'<meta charset="{charset}">', f"<title>{title} | {site or 'News'}</title>"]
    if date:
        meta.append(f'<meta property="article:published_time" content="{date}">')
    if author:
        meta.append(f'<meta name="author" content="{author}">')
    if site:
        meta.append(f'<meta property="og:site_name" content="{site}">')
    if canonical:
        meta.append(f'<link rel="canonical" href="{canonical}">')
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        "<!DOCTYPE html><html><head>" + "".join(meta) + "</head><body>"
        '<nav><a href="/">Home</a> <a href="/sport">Sport</a></nav>'
        f"<article><h1>{title}</h1>{body}</article>"
        "<footer>Contact the newsroom</footer></body></html>"
    )


EMPTY_PAGE = (
    "<!DOCTYPE html><html><head><title>Loading</title><script>start()</script></head>"
    "<body><script>render()</script><img src='/logo.png'></body></html>"
)


def records(items: list[RawRecord | InputError]) -> list[RawRecord]:
    return [item for item in items if isinstance(item, RawRecord)]


def errors(items: list[RawRecord | InputError]) -> list[InputError]:
    return [item for item in items if isinstance(item, InputError)]


# ---------------------------------------------------------------- HTML


def test_extract_html_reads_text_and_metadata() -> None:
    raw = extract_html(article_html(), source="page.html")
    assert raw.title == "Saltmere harbour bridge reopens"
    assert raw.author == "Mara Quill"
    assert raw.outlet == "The Saltmere Ledger"
    assert raw.url == "https://ledger.example/news/bridge"
    assert str(raw.published).startswith("2024-03-05")
    assert raw.text.startswith("The old harbour bridge")  # headline not repeated in the body
    assert "42 steel cables" in raw.text and "Ilse Korran" in raw.text
    assert "Contact the newsroom" not in raw.text and "Sport" not in raw.text


def test_extract_html_without_article_is_unreadable() -> None:
    with pytest.raises(UnreadableInput, match="no article text found in the HTML"):
        extract_html(EMPTY_PAGE, source="empty.html")


def test_bytes_decoded_by_declared_charset() -> None:
    paragraphs = (PARAGRAPHS[0].replace("reopened", "reopened \u2013 with a caf\u00e9 \u2013"),)
    page = article_html(charset="windows-1252", paragraphs=paragraphs + PARAGRAPHS[1:])
    raw = extract_html(page.encode("cp1252"), source="page.html")
    assert "\u2013 with a caf\u00e9 \u2013" in raw.text
    # a header charset is used when the bytes are not UTF-8 ...
    assert decode_html("caf\u00e9".encode("latin-1"), charset="iso-8859-1") == "caf\u00e9"
    # ... and valid UTF-8 wins over a server that mislabels it as Latin-1
    assert decode_html("caf\u00e9 \u2013".encode(), charset="iso-8859-1") == "caf\u00e9 \u2013"
    # undeclared and not UTF-8: trafilatura's guess
    assert "caf" in decode_html("caf\u00e9 au lait".encode("cp1252"))


def test_read_html_file_options_override(tmp_path: Path) -> None:
    path = tmp_path / "bridge.html"
    path.write_text(article_html(), encoding="utf-8")
    options = ReadOptions(url="https://copy.example/b", outlet="Copy Desk", published="2024-04-01")
    (raw,) = list(read_html_file(path, options))
    assert isinstance(raw, RawRecord)
    assert (raw.url, raw.outlet, raw.published) == (
        "https://copy.example/b",
        "Copy Desk",
        "2024-04-01",
    )
    assert raw.title == "Saltmere harbour bridge reopens" and raw.source == str(path)


def test_read_html_file_without_article(tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    path.write_text(EMPTY_PAGE, encoding="utf-8")
    with pytest.raises(UnreadableInput) as caught:
        list(read_html_file(path, ReadOptions()))
    assert str(path) in str(caught.value)


# ---------------------------------------------------------------- WARC


def _response(
    writer: WARCWriter,
    url: str,
    body: bytes,
    *,
    ctype: str = "text/html",
    status: str = "200 OK",
    date: str = "2024-03-06T09:00:00Z",
) -> None:
    http = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
    record = writer.create_warc_record(
        url,
        "response",
        payload=io.BytesIO(body),
        length=len(body),  # a known length: warcio keeps no temporary copy to close
        http_headers=http,
        warc_headers_dict={"WARC-Date": date},
    )
    writer.write_record(record)


def write_warc(path: Path, *, compress: bool = True) -> Path:
    """warcinfo, article, PNG, page with no article, 404 page, undated article: 6 records."""
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=compress)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "tests"}))
        _response(writer, "https://ledger.example/bridge", article_html().encode())
        _response(
            writer, "https://ledger.example/logo.png", b"\x89PNG\r\n\x1a\n", ctype="image/png"
        )
        _response(writer, "https://ledger.example/app", EMPTY_PAGE.encode())
        _response(
            writer, "https://ledger.example/gone", article_html().encode(), status="404 Not Found"
        )
        undated = article_html("Ferry timetable changes", date=None, canonical=None)
        _response(
            writer,
            "https://ledger.example/ferry",
            undated.encode("utf-8"),
            ctype="text/html; charset=utf-8",
            date="2024-03-07T06:15:00Z",
        )
    return path


@pytest.mark.parametrize("compress", [True, False], ids=["warc.gz", "warc"])
def test_read_warc_picks_html_responses(tmp_path: Path, compress: bool) -> None:
    path = write_warc(tmp_path / ("c.warc.gz" if compress else "c.warc"), compress=compress)
    items = list(read_warc(path, ReadOptions()))
    found = records(items)
    assert [r.record for r in found] == [2, 6]
    assert [r.url for r in found] == [
        "https://ledger.example/bridge",
        "https://ledger.example/ferry",
    ]
    assert str(found[0].published).startswith("2024-03-05")  # from the page
    assert found[1].published == "2024-03-07T06:15:00Z"  # from WARC-Date
    assert found[1].title == "Ferry timetable changes"
    (error,) = errors(items)
    assert isinstance(error, RecordError) and error.record == 4
    assert "no article text" in str(error) and str(path) in str(error)


def test_truncated_warc_gz_yields_earlier_records_then_error(tmp_path: Path) -> None:
    full = write_warc(tmp_path / "full.warc.gz").read_bytes()
    last_member = full.rfind(b"\x1f\x8b\x08")  # start of the final record's gzip member
    # cut inside the last member's header, its body and its gzip trailer
    for cut in (last_member + 5, last_member + 60, (last_member + len(full)) // 2, len(full) - 4):
        path = tmp_path / f"cut{cut}.warc.gz"
        path.write_bytes(full[:cut])
        items = list(read_warc(path, ReadOptions()))  # must not raise
        assert [r.record for r in records(items)] == [2], cut
        assert [(type(e), e.record) for e in errors(items)] == [(RecordError, 4), (RecordError, 6)]
        assert "truncated" in str(items[-1])


def test_truncated_plain_warc(tmp_path: Path) -> None:
    full = write_warc(tmp_path / "full.warc", compress=False).read_bytes()
    cut = full.rfind(b"WARC/1.") + 300  # inside the last record's headers or body
    path = tmp_path / "cut.warc"
    path.write_bytes(full[:cut])
    items = list(read_warc(path, ReadOptions()))
    assert [r.record for r in records(items)] == [2]
    assert isinstance(items[-1], RecordError) and items[-1].record == 6


@pytest.mark.parametrize(
    "content",
    [
        b"This is a plain text note, not an archive.\n" * 20,
        gzip.compress(b"Just some compressed words, no WARC header.\n" * 20),
        b"<html><body><p>A web page</p></body></html>",
    ],
    ids=["text", "gzip-text", "html"],
)
def test_not_a_warc_is_unreadable(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "not.warc.gz"
    path.write_bytes(content)
    with pytest.raises(UnreadableInput, match="not a WARC"):
        list(read_warc(path, ReadOptions()))


# ---------------------------------------------------------------- feeds

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"
     xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>Saltmere Ledger</title><link>https://ledger.example/</link><description>News</description>
<item><title>Bridge reopens</title><link>{base}/a1</link>
  <pubDate>Tue, 05 Mar 2024 10:30:00 +0100</pubDate><dc:creator>Mara Quill</dc:creator>
  <description>&lt;p&gt;The &lt;b&gt;bridge&lt;/b&gt; reopened.&lt;/p&gt;
    &lt;p&gt;Cables were replaced.&lt;/p&gt;</description></item>
<item><title>Council votes on ferry</title><link>{base}/a2</link>
  <content:encoded><![CDATA[<p>The council voted 5 to 2.</p><script>track()</script>
    <p>Fares rise &amp; routes change.</p>]]></content:encoded>
  <description>Short teaser</description></item>
<item><title>Gone page</title><link>{base}/missing</link></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Vell Estuary Notes</title><id>urn:vell</id>
<updated>2024-03-06T08:00:00Z</updated>
<entry><title>Tide gauge installed</title><link href="https://notes.example/tide"/><id>urn:1</id>
  <updated>2024-03-06T08:00:00+01:00</updated><author><name>Ilse Korran</name></author>
  <content type="html">&lt;p&gt;A new tide gauge was installed at the estuary mouth.&lt;/p&gt;
  </content></entry>
</feed>"""


def test_read_rss_file(tmp_path: Path) -> None:
    path = tmp_path / "feed.rss"
    path.write_text(RSS.format(base="https://ledger.example"), encoding="utf-8")
    items = list(read_feed_file(path, ReadOptions(outlet="Saltmere Ledger")))
    first, second = records(items)
    assert (first.record, first.title, first.author) == (1, "Bridge reopens", "Mara Quill")
    assert first.url == "https://ledger.example/a1" and first.outlet == "Saltmere Ledger"
    assert first.published == datetime(2024, 3, 5, 9, 30, tzinfo=UTC)
    assert first.text == "The bridge reopened.\nCables were replaced."
    assert second.text == "The council voted 5 to 2.\nFares rise & routes change."  # content wins
    (error,) = errors(items)
    assert isinstance(error, RecordError) and error.record == 3


def test_read_atom_file(tmp_path: Path) -> None:
    path = tmp_path / "feed.atom"
    path.write_text(ATOM, encoding="utf-8")
    (raw,) = list(read_feed_file(path, ReadOptions()))
    assert isinstance(raw, RawRecord)
    assert (raw.title, raw.url, raw.author) == (
        "Tide gauge installed",
        "https://notes.example/tide",
        "Ilse Korran",
    )
    assert raw.published == datetime(2024, 3, 6, 7, 0, tzinfo=UTC)
    assert raw.text == "A new tide gauge was installed at the estuary mouth."


@pytest.mark.parametrize(
    "content", [b"just words, no markup", article_html().encode(), b"\x00\xff"]
)
def test_not_a_feed_is_unreadable(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "feed.xml"
    path.write_bytes(content)
    with pytest.raises(UnreadableInput, match="not an RSS or Atom feed"):
        list(read_feed_file(path, ReadOptions()))


def test_html_to_text_keeps_paragraphs() -> None:
    assert html_to_text("<p>One &amp; two</p><ul><li>three</li></ul>four") == (
        "One & two\nthree\nfour"
    )
    assert html_to_text("plain") == "plain"


# ---------------------------------------------------------------- local HTTP server

Routes = dict[str, Callable[[BaseHTTPRequestHandler], None]]


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # a handler still sleeping must not hold up teardown

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients that give up on purpose (size cap, timeout) break the pipe


@pytest.fixture()
def server() -> Iterator[tuple[str, Routes]]:
    """A threaded HTTP server on 127.0.0.1 and a free port; tests add routes to it."""
    routes: Routes = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            route = routes.get(self.path.split("?")[0])
            if route is None:
                self.send_error(404)
            else:
                route(self)

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = _QuietServer(("127.0.0.1", 0), Handler)
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield base, routes
    finally:
        httpd.shutdown()
        httpd.server_close()


def send(
    body: bytes,
    ctype: str = "text/html; charset=utf-8",
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> Callable[[BaseHTTPRequestHandler], None]:
    def respond(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", ctype)
        handler.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            handler.send_header(key, value)
        handler.end_headers()
        handler.wfile.write(body)

    return respond


def redirect(location: str) -> Callable[[BaseHTTPRequestHandler], None]:
    return send(b"", status=302, headers={"Location": location})


def test_feed_follow_links(tmp_path: Path, server: tuple[str, Routes]) -> None:
    base, routes = server
    routes["/a1"] = send(article_html().encode())
    routes["/a2"] = send(article_html("Council votes on ferry fares", canonical=None).encode())
    path = tmp_path / "feed.rss"
    path.write_text(RSS.format(base=base), encoding="utf-8")
    options = ReadOptions(follow_links=True, allow_private=True, timeout=5)
    items = list(read_feed_file(path, options))
    first, second = records(items)
    assert first.record == 1 and "42 steel cables" in first.text  # the page, not the teaser
    assert first.published == datetime(2024, 3, 5, 9, 30, tzinfo=UTC)  # the feed's time wins
    assert second.record == 2 and second.title == "Council votes on ferry fares"
    assert second.url == f"{base}/a2"
    (error,) = errors(items)
    assert isinstance(error, RecordError) and error.record == 3 and "404" in str(error)


def test_read_url_html_and_feed(server: tuple[str, Routes]) -> None:
    base, routes = server
    routes["/a1"] = send(article_html().encode())
    routes["/feed"] = send(ATOM.encode(), ctype="application/atom+xml")
    options = ReadOptions(allow_private=True, timeout=5)
    (page,) = list(read_url(f"{base}/a1", options))
    assert isinstance(page, RawRecord) and page.title == "Saltmere harbour bridge reopens"
    (entry,) = list(read_url(f"{base}/feed", options))
    assert isinstance(entry, RawRecord) and entry.title == "Tide gauge installed"


def test_fetch_sends_user_agent_and_original_host(server: tuple[str, Routes]) -> None:
    base, routes = server
    port = base.rsplit(":", 1)[1]
    routes["/echo"] = lambda h: send(
        f"{h.headers['Host']}|{h.headers['User-Agent']}".encode(), ctype="text/plain"
    )(h)
    page = fetch_url(
        f"http://localhost:{port}/echo", timeout=5, max_bytes=10_000, allow_private=True
    )
    host, agent = page.body.decode().split("|")
    assert host == f"localhost:{port}" and agent.startswith("wiretrace/")
    assert page.status == 200 and page.content_type == "text/plain"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://10.0.0.1/a",
        "http://[::1]:8080/",
        "http://localhost/",
        "https://169.254.169.254/latest",
    ],
)
def test_fetch_refuses_private_addresses(url: str) -> None:
    with pytest.raises(BlockedAddress):
        fetch_url(url, timeout=1, max_bytes=1000, allow_private=False)


@pytest.mark.parametrize(
    "address",
    [
        "::ffff:127.0.0.1",
        "::ffff:10.1.2.3",
        "0.0.0.0",
        "::",
        "224.0.0.1",
        "fc00::1",
        "fe80::1",
        "100.64.0.1",
        "192.168.1.1",
        "2002:7f00:1::1",
    ],
)
def test_is_blocked(address: str) -> None:
    assert is_blocked(ipaddress.ip_address(address))


def test_public_address_not_blocked() -> None:
    assert not is_blocked(ipaddress.ip_address("8.8.8.8"))
    assert not is_blocked(ipaddress.ip_address("2001:4860:4860::8888"))


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://127.0.0.1/x", "not a url", "http://a.example/\udcff"]
)
def test_fetch_refuses_other_schemes(url: str) -> None:
    """A URL the user gave that cannot be fetched is a bad input (W110, answered 422 by the
    API), not a failed fetch (W120, 502): the server did nothing wrong."""
    with pytest.raises(InputError) as refused:
        fetch_url(url, timeout=1, max_bytes=1000, allow_private=True)
    assert not isinstance(refused.value, FetchError) and refused.value.code == "W110"


def test_fetch_times_out(server: tuple[str, Routes]) -> None:
    base, routes = server

    def slow(handler: BaseHTTPRequestHandler) -> None:
        time.sleep(3)  # the daemon thread outlives the test; the client gave up long before
        send(b"late")(handler)

    routes["/slow"] = slow
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"timed out after 0\.5s"):
        fetch_url(f"{base}/slow", timeout=0.5, max_bytes=1000, allow_private=True)
    assert time.monotonic() - started < 2.5


def test_fetch_size_cap(server: tuple[str, Routes]) -> None:
    base, routes = server
    routes["/big"] = send(b"x" * 200_000)

    def unsized(handler: BaseHTTPRequestHandler) -> None:  # no Content-Length: cut while streaming
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.end_headers()
        for _ in range(50):
            handler.wfile.write(b"y" * 4096)

    routes["/unsized"] = unsized
    for path in ("/big", "/unsized"):
        with pytest.raises(FetchError, match="larger than 50000 bytes"):
            fetch_url(f"{base}{path}", timeout=5, max_bytes=50_000, allow_private=True)


def test_fetch_status_and_redirects(server: tuple[str, Routes]) -> None:
    base, routes = server
    routes["/a1"] = send(article_html().encode())
    routes["/hop"] = redirect("/a1")
    routes["/loop"] = redirect(f"{base}/loop")
    page = fetch_url(f"{base}/hop", timeout=5, max_bytes=100_000, allow_private=True)
    assert page.url == f"{base}/a1" and b"harbour bridge" in page.body
    with pytest.raises(FetchError, match="more than 3 redirects"):
        fetch_url(f"{base}/loop", timeout=5, max_bytes=1000, allow_private=True, max_redirects=3)
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch_url(f"{base}/nothing", timeout=5, max_bytes=1000, allow_private=True)


def test_redirect_to_loopback_refused(
    server: tuple[str, Routes], monkeypatch: pytest.MonkeyPatch
) -> None:
    base, routes = server
    port = base.rsplit(":", 1)[1]
    routes["/a1"] = send(article_html().encode())
    routes["/out"] = redirect(f"http://[::1]:{port}/a1")
    # Let the test server's own address pass as public, so only the redirect's hop is judged.
    original = fetch.is_blocked
    server_ip = ipaddress.ip_address("127.0.0.1")
    monkeypatch.setattr(fetch, "is_blocked", lambda ip: ip != server_ip and original(ip))
    assert fetch_url(f"{base}/a1", timeout=5, max_bytes=100_000, allow_private=False).status == 200
    with pytest.raises(BlockedAddress, match="::1"):
        fetch_url(f"{base}/out", timeout=5, max_bytes=100_000, allow_private=False)


def test_read_feed_rejects_str_urls_as_data() -> None:
    # bytes only: a str would make feedparser open it as a URL or path
    with pytest.raises(UnreadableInput):
        list(read_feed(b"http://127.0.0.1:9/feed", source="inline", options=ReadOptions()))


def test_cli_add_url_times_out_is_blocked_or_is_stored(
    tmp_path: Path, server: tuple[str, Routes]
) -> None:
    from click.testing import CliRunner

    from wiretrace.cli.main import cli

    base, routes = server

    def slow(handler: BaseHTTPRequestHandler) -> None:
        time.sleep(3)
        send(b"late")(handler)

    routes["/slow"] = slow
    routes["/story"] = send(article_html().encode("utf-8"))
    db = str(tmp_path / "urls.duckdb")
    runner = CliRunner()
    timed_out = runner.invoke(
        cli, ["add", f"{base}/slow", "--timeout", "0.5", "--allow-private", "--db", db]
    )
    assert timed_out.exit_code == 3
    [line] = timed_out.stderr.splitlines()
    assert line.startswith(f"wiretrace: error: {base}/slow: ") and "timed out" in line
    blocked = runner.invoke(cli, ["add", f"{base}/story", "--db", db])
    assert blocked.exit_code == 3 and "[W121]" in blocked.stderr
    stored = runner.invoke(cli, ["add", f"{base}/story", "--allow-private", "--db", db])
    assert stored.exit_code == 0, stored.stderr
    assert "Added 1 articles" in stored.stdout


@pytest.mark.parametrize("date", ["", "not a date"])
def test_feed_date_fallback_reads_no_deprecated_mapping(tmp_path: Path, date: str) -> None:
    """An entry whose pubDate is empty or unparseable falls back to `updated`: read as the entry
    holds it, not through feedparser's deprecated updated -> published mapping (it warned)."""
    path = tmp_path / "feed.rss"
    path.write_text(
        '<rss version="2.0"><channel><title>Ledger</title><item><title>Ferry</title>'
        f"<link>https://ledger.example/f</link><pubDate>{date}</pubDate>"
        "<description>The ferry to Orrin Isle runs again.</description></item></channel></rss>",
        encoding="utf-8",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        (raw,) = list(read_feed_file(path, ReadOptions()))
    assert isinstance(raw, RawRecord) and raw.text == "The ferry to Orrin Isle runs again."
    assert raw.published == (date or None)
