"""What the fuzz benchmark feeds the ingest (`fuzz_ingest.py` runs and checks it): hypothesis
strategies for hostile values, records, lines and pages, the good records hidden among them (a
known url and a marker in the text), and the files of every input format built from both.
"""

from __future__ import annotations

import csv
import io
import json
import random
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

FORMATS = ("jsonl", "json", "csv", "tsv", "warc", "rss", "html", "text")
GOOD_PER_FILE = 2

# Synthetic sentences about invented places: what good records are made of.
SENTENCES = (
    "Relief convoys reached the northern districts of Velmora late on Wednesday.",
    "Aid workers counted 230 families sheltering in two schools near the Tessel river.",
    "The harbour master of Marrowby said the ferry would resume on Friday morning.",
    "Engineers from the Quell dam authority opened the spillway gates overnight.",
    "Officials in Caldra said 14 people were hurt when a storage depot caught fire.",
    "Volunteers handed out blankets and soup at a sports hall on Carden Road.",
)
ESCAPES = (
    "\x1b]0;owned\x07",
    "\x1b[31m",
    "\x1b[2J",
    "\r",
    "\x00",
    "\x08",
    "\u202e",
    "\u2066",
    "\x9b",
    "\x85",
    "\ufeff",
    "\ud800",
    "\udfff",
    "\udcff",
)


# ------------------------------------------------------------------------ strategies

hostile_text = st.lists(
    st.one_of(
        st.text(max_size=30),
        st.sampled_from(ESCAPES),
        st.sampled_from(SENTENCES),
        st.sampled_from(["<b>", "</p>", "&amp;", "&#0;", "<script>x</script>", '"', "\\", ","]),
    ),
    max_size=8,
).map("".join)
leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=10**40, max_value=10**60),
    st.floats(),
    hostile_text,
)
json_value = st.recursive(
    leaf,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)
FIELD_NAMES = ("text", "body", "title", "headline", "url", "link", "outlet", "published", "date")
DATES = st.sampled_from(
    ["0001-01-01", "9999-12-31", "-0001-01-01", "2031-02-30", "yesterday", "1e308", "", "0"]
)
hostile_record = st.dictionaries(
    st.sampled_from(FIELD_NAMES) | st.text(max_size=8),
    st.one_of(json_value, DATES),
    max_size=6,
)
depth = st.integers(min_value=50, max_value=20_000)
digits = st.integers(min_value=4_000, max_value=6_000)


@st.composite
def hostile_json_text(draw: st.DrawFn) -> str:
    """A syntactically balanced JSON value that is hostile in content or shape."""
    kind = draw(st.sampled_from(["record", "value", "deep", "number", "deep-text"]))
    if kind == "deep":
        n = draw(depth)
        return "[" * n + "]" * n
    if kind == "deep-text":
        n = draw(depth)
        return '{"text": ' + "[" * n + "]" * n + "}"
    if kind == "number":
        return '{"text": "x", "n": ' + "9" * draw(digits) + "}"
    value = draw(hostile_record) if kind == "record" else draw(json_value)
    return json.dumps(value, ensure_ascii=True)


@st.composite
def hostile_line(draw: st.DrawFn) -> bytes:
    """One JSON Lines line (no newline in it): hostile JSON, raw bytes, or a mutated record."""
    kind = draw(st.sampled_from(["json", "bytes", "mutated", "unicode"]))
    if kind == "json":
        return draw(hostile_json_text()).encode()
    if kind == "bytes":
        return draw(st.binary(max_size=200)).replace(b"\n", b" ")
    if kind == "unicode":  # surrogates written raw: bytes that are not UTF-8
        value = json.dumps(draw(hostile_record), ensure_ascii=False)
        return value.encode("utf-8", "surrogatepass").replace(b"\n", b" ")
    base = bytearray(json.dumps({"text": " ".join(SENTENCES[:3]), "title": "x"}).encode())
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(base) - 1))
        base[at] = draw(st.integers(0, 255))
    return bytes(base).replace(b"\n", b" ")


hostile_html = st.one_of(
    hostile_text.map(lambda t: f"<html><body><p>{t}</p></body></html>"),
    st.binary(max_size=300),
    depth.map(lambda n: "<html><body>" + "<div>" * n + SENTENCES[0] + "</div>" * n),
    hostile_text.map(
        lambda t: (
            f'<html><head><meta charset="{t[:20]}"><title>{t}</title></head>'
            f"<body><article><p>{t}</p></article></body></html>"
        )
    ),
)


# ------------------------------------------------------------------------ good records


def good(case: int, n: int) -> dict[str, str]:
    rng = random.Random(case * 31 + n)
    body = " ".join(rng.sample(SENTENCES, 4))
    marker = f"Ref {case}-{n}."
    return {
        "url": f"https://good.example/{case}/{n}",
        "title": f"Good {case} {n}",
        "text": f"{body}\n\n{body.split('.')[0]} again. {marker}",
        "marker": marker,
    }


def good_html(record: dict[str, str]) -> str:
    paras = "".join(f"<p>{xml_escape(p)}</p>" for p in record["text"].split("\n\n"))
    return (
        f'<html><head><title>{record["title"]}</title><link rel="canonical" '
        f'href="{record["url"]}"></head><body><article><h1>{record["title"]}</h1>{paras}'
        "</article></body></html>"
    )


# ------------------------------------------------------------------------ file builders


def _interleave(goods: list[Any], bads: list[Any], rng: random.Random) -> list[Any]:
    items = [*goods, *bads]
    rng.shuffle(items)
    return items


def build_file(
    folder: Path, fmt: str, case: int, draw: st.DrawFn
) -> tuple[list[Path], list[dict[str, str]], int]:
    """Files for one case, the good records in them, and how many hostile inputs."""
    rng = random.Random(case)
    goods = [good(case, n) for n in range(GOOD_PER_FILE)]
    bads_n = draw(st.integers(1, 4))
    stem = folder / f"case{case}"
    if fmt == "jsonl":
        lines = [json.dumps({k: v for k, v in g.items() if k != "marker"}).encode() for g in goods]
        bads = [draw(hostile_line()) for _ in range(bads_n)]
        path = stem.with_suffix(".jsonl")
        path.write_bytes(b"\n".join(_interleave(lines, bads, rng)) + b"\n")
        return [path], goods, bads_n
    if fmt == "json":
        items = [json.dumps({k: v for k, v in g.items() if k != "marker"}) for g in goods]
        bads = [draw(hostile_json_text()) for _ in range(bads_n)]
        path = stem.with_suffix(".json")
        path.write_text("[" + ",\n".join(_interleave(items, bads, rng)) + "]", encoding="utf-8")
        return [path], goods, bads_n
    if fmt in ("csv", "tsv"):
        return _csv_file(stem, fmt, goods, bads_n, draw, rng)
    if fmt == "warc":
        return _warc_file(stem, goods, bads_n, draw, rng)
    if fmt == "rss":
        return _rss_file(stem, goods, bads_n, draw, rng)
    # html and text: one article per file; hostile files beside good ones in the same batch
    paths: list[Path] = []
    for n, record in enumerate(goods):
        path = folder / f"case{case}-good{n}.{'html' if fmt == 'html' else 'txt'}"
        if fmt == "html":
            path.write_text(good_html(record), encoding="utf-8")
        else:
            path.write_text(f"{record['title']}\n\n{record['text']}\n", encoding="utf-8")
            meta = {"url": record["url"]}
            Path(f"{path}.json").write_text(json.dumps(meta), encoding="utf-8")
        paths.append(path)
    for n in range(bads_n):
        path = folder / f"case{case}-bad{n}.{'html' if fmt == 'html' else 'txt'}"
        if fmt == "html":
            page = draw(hostile_html)
            path.write_bytes(page if isinstance(page, bytes) else page.encode("utf-8", "replace"))
        else:
            text = draw(hostile_text)
            raw = draw(st.sampled_from(["utf-8", "utf-16", "surrogatepass", "bytes"]))
            if raw == "bytes":
                path.write_bytes(draw(st.binary(max_size=300)))
            elif raw == "utf-16":
                path.write_bytes(text.encode("utf-16", "surrogatepass"))
            else:
                path.write_bytes(text.encode("utf-8", "surrogatepass"))
        paths.append(path)
    return paths, goods, bads_n


def _csv_file(
    stem: Path,
    fmt: str,
    goods: list[dict[str, str]],
    bads_n: int,
    draw: st.DrawFn,
    rng: random.Random,
) -> tuple[list[Path], list[dict[str, str]], int]:
    delimiter = "\t" if fmt == "tsv" else ","
    columns = ["url", "title", "text", "published"]
    rows: list[bytes] = []
    for g in goods:
        rows.append(_csv_row([g["url"], g["title"], g["text"], "2031-05-04"], delimiter))
    for _ in range(bads_n):
        cells = [draw(hostile_text) for _ in columns]
        if draw(st.booleans()):
            cells[3] = draw(DATES)
        row = bytearray(_csv_row(cells, delimiter))
        if draw(st.booleans()):  # a byte that is not UTF-8 inside the row
            row.insert(draw(st.integers(0, max(0, len(row) - 2))), draw(st.integers(0x80, 0xFF)))
        rows.append(bytes(row))
    path = stem.with_suffix(f".{fmt}")
    header = _csv_row(columns, delimiter)
    path.write_bytes(header + b"".join(_interleave(rows[: len(goods)], rows[len(goods) :], rng)))
    return [path], goods, bads_n


def _csv_row(cells: list[str], delimiter: str) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, quoting=csv.QUOTE_ALL, lineterminator="\n").writerow(
        [c.replace("\x00", "") for c in cells]  # csv writes no NUL; NUL comes as a raw byte
    )
    return out.getvalue().encode("utf-8", "surrogatepass")


def _warc_file(
    stem: Path, goods: list[dict[str, str]], bads_n: int, draw: st.DrawFn, rng: random.Random
) -> tuple[list[Path], list[dict[str, str]], int]:
    entries: list[tuple[str, bytes, str, str]] = [
        (g["url"], good_html(g).encode(), "text/html; charset=utf-8", "2031-05-04T10:00:00Z")
        for g in goods
    ]
    for n in range(bads_n):
        page = draw(hostile_html)
        body = page if isinstance(page, bytes) else page.encode("utf-8", "replace")
        ctype = draw(
            st.sampled_from(
                ["text/html", "text/html; charset=bogus-9", "text/html; charset=utf-16"]
            )
        )
        date = draw(
            st.sampled_from(
                ["0001-01-01T00:00:00Z", "9999-12-31T00:00:00Z", "nonsense", "2031-05-04T10:00:00Z"]
            )
        )
        entries.append((f"https://bad.example/{stem.name}/{n}", body, ctype, date))
    path = stem.with_suffix(".warc.gz")
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        for url, body, ctype, date in _interleave(
            entries[: len(goods)], entries[len(goods) :], rng
        ):
            http = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(body),
                length=len(body),  # a known length: warcio keeps no temporary copy to close
                http_headers=http,
                warc_headers_dict={"WARC-Date": date},
            )
            writer.write_record(record)
    return [path], goods, bads_n


def _xml_text(text: str) -> str:
    """XML 1.0 cannot carry C0 controls or surrogates; a feed that has them is not a feed."""
    legal = "".join(
        c
        for c in text
        if c in "\t\n\r" or (c >= " " and not "\ud800" <= c <= "\udfff" and c not in "\ufffe\uffff")
    )
    return xml_escape(legal)


def _rss_file(
    stem: Path, goods: list[dict[str, str]], bads_n: int, draw: st.DrawFn, rng: random.Random
) -> tuple[list[Path], list[dict[str, str]], int]:
    items = [
        f"<item><title>{_xml_text(g['title'])}</title><link>{g['url']}</link>"
        f"<description>{_xml_text(g['text'])}</description>"
        "<pubDate>Sat, 03 May 2031 10:00:00 GMT</pubDate></item>"
        for g in goods
    ]
    for n in range(bads_n):
        items.append(
            f"<item><title>{_xml_text(draw(hostile_text))}</title>"
            f"<link>https://bad.example/{stem.name}/{n}</link>"
            f"<description>{_xml_text(draw(hostile_text))}</description>"
            f"<pubDate>{_xml_text(draw(DATES | hostile_text))}</pubDate></item>"
        )
    body = "".join(_interleave(items[: len(goods)], items[len(goods) :], rng))
    path = stem.with_suffix(".rss")
    path.write_text(
        f'<rss version="2.0"><channel><title>F</title>{body}</channel></rss>', encoding="utf-8"
    )
    return [path], goods, bads_n
