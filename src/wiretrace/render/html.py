"""Standalone offline HTML for `wiretrace.trace/2` reports; every report string escaped."""

from __future__ import annotations

import base64
import hashlib
import html
from collections.abc import Mapping, Sequence
from typing import Any

from wiretrace.render.markdown import (
    SHARES,
    Report,
    as_float,
    as_int,
    as_list,
    as_map,
    as_reports,
    change_kind,
    collect_sources,
    describe_change,
    display_index,
    edit_text,
    first_source,
    fmt_share,
    fmt_similarity,
    is_factual,
    source_number,
    status_of,
    text_of,
)

# Okabe-Ito based, colour-blind friendly; red is kept for unsourced text and factual changes.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#8C6D31", "#6A51A3", "#B8A200")
STATUS_LABELS = {
    "copied": "copied",
    "paraphrased": "paraphrased",
    "duplicate": "duplicate",
    "unsourced": "no source",
    "boilerplate": "boilerplate",
    "unknown": "unknown",
}

CSS = """
:root{--ink:#1d232a;--muted:#5b6670;--line:#d8dde2;--bg:#f6f7f9;--red:#c0262d}
*{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--ink);
font:15px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1080px;margin:0 auto;padding:24px}a{color:#0b5cad}.report{background:#fff;
border:1px solid var(--line);border-radius:10px;padding:28px 32px;margin-bottom:32px}
.kicker{font-size:12px;letter-spacing:.08em;text-transform:uppercase;color:var(--muted);margin:0}
h1{font-size:26px;line-height:1.25;margin:4px 0 8px}h2{font-size:17px;margin:28px 0 10px;
padding-bottom:4px;border-bottom:1px solid var(--line)}.meta{color:var(--muted);margin:0 0 14px;
overflow-wrap:anywhere}.meta span+span::before{content:" · "}
.verdict{border-left:4px solid #1d232a;background:#eef1f4;padding:10px 14px;margin:0;
font-size:16px}.grid{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1.7fr);gap:28px}
th[scope=row],thead th,td.nw{white-space:nowrap}table{border-collapse:collapse;width:100%;
font-size:14px}th,td{text-align:left;padding:5px 8px;border-bottom:1px solid var(--line);
vertical-align:top;overflow-wrap:anywhere}th{font-weight:600;color:var(--muted)}
td.num{text-align:right;font-variant-numeric:tabular-nums}.bar{display:flex;height:12px;
border-radius:6px;overflow:hidden;margin:10px 0 4px;background:#eef1f4}.bar span{display:block}
.sw{display:inline-block;min-width:2.2em;padding:0 5px;border-radius:4px;color:#fff;
font-weight:700;font-size:12px;text-align:center}.badge{display:inline-block;font-size:11px;
line-height:1.5;padding:0 6px;margin-left:4px;border-radius:9px;border:1px solid var(--line);
background:#f0f2f4;color:var(--muted);vertical-align:1px;white-space:nowrap}
.badge.earliest{background:#fff4d6;border-color:#e0b84a;color:#6b4e00}
.badge.flag-factual_change,.badge.factual{background:#fde8e8;border-color:#e9a3a6;color:var(--red);
font-weight:600}.article{font-family:Georgia,"Times New Roman",serif;font-size:17px;
line-height:1.9}.sent{padding:1px 2px;border-radius:3px;-webkit-box-decoration-break:clone;
box-decoration-break:clone}.sent a.go{color:inherit;text-decoration:none}
.sent a.go:hover,.sent a.go:focus{text-decoration:underline}
.st-paraphrased{border-bottom:2px dashed}.st-unsourced{outline:2px dashed var(--red);
outline-offset:-1px;background:repeating-linear-gradient( 135deg,#fff 0 5px,#fbe3e4 5px 10px)}
.st-duplicate{background:#ece6f5;border-bottom:3px double #7d5ba6}.st-boilerplate{color:#8a939b;
background:#f0f1f2}sup.lab{font:600 10px/1 system-ui,sans-serif;color:var(--muted);
margin:0 4px 0 1px;white-space:nowrap}.st-unsourced+sup.lab{color:var(--red)}
a.dup{font:12px system-ui,sans-serif;margin-left:4px}details.sd{border:1px solid var(--line);
border-radius:8px;margin:6px 0;background:#fff}
details.sd[open]{box-shadow:0 1px 4px rgba(0,0,0,.08)}details.sd:target{border-color:#0b5cad}
details.sd>summary{cursor:pointer;padding:7px 12px;list-style-position:outside;margin-left:26px}
.sum-head{font-size:13px;color:var(--muted)}.sum-text{display:block;font-family:Georgia,serif;
overflow-wrap:anywhere}.pill{display:inline-block;font-size:11px;font-weight:700;
text-transform:uppercase;letter-spacing:.04em;padding:0 6px;border-radius:4px;
border:1px solid currentColor}.pill.unsourced{color:var(--red)}.pill.duplicate{color:#6a4c93}
.pill.boilerplate{color:#7a838b}.pill.copied{color:#1d232a}.pill.paraphrased{color:#37566e}
.body{padding:4px 14px 14px}.cmp{border-top:1px solid var(--line);padding-top:10px;margin-top:10px}
.cmp-head{font-size:13px;color:var(--muted);margin-bottom:6px;overflow-wrap:anywhere}
.cols{display:grid;grid-template-columns:1fr 1fr;gap:12px}.col{background:#fafbfc;
border:1px solid var(--line);border-radius:6px;padding:8px 10px;font-family:Georgia,serif;
overflow-wrap:anywhere}.col h4{margin:0 0 4px;font:600 11px system-ui,sans-serif;
text-transform:uppercase;letter-spacing:.06em;color:var(--muted)}
mark.loaded{background:none;color:inherit;border-bottom:2px dotted #b07d00;cursor:help}
mark.chg{background:#fff1a8;
border-radius:2px;padding:0 1px}.chg.fact{background:#fde0e0;color:var(--red);font-weight:700;
text-decoration:underline 2px var(--red)}ins.chg{background:#dcf3e3;text-decoration:none;
border-bottom:2px solid #2f8f4e}del.chg{background:#f4e1e1;text-decoration:line-through}
ul.changes{margin:8px 0 0;padding-left:20px;font-size:13px}ul.changes .fact{color:var(--red);
font-weight:700}.note{color:var(--muted);font-style:italic;margin:6px 0}
.url{font-family:ui-monospace,monospace;font-size:12px}footer{color:var(--muted);font-size:12px;
text-align:center;margin-bottom:24px}
@media (max-width:760px){.grid,.cols{grid-template-columns:1fr}.report{padding:18px}}
@media print{body{background:#fff;font-size:11pt}main{max-width:none;padding:0}.report{border:0;
padding:0;break-after:page}details.sd{break-inside:avoid}*{-webkit-print-color-adjust:exact;
print-color-adjust:exact}.noprint{display:none}}
"""

SCRIPT = """
(function(){function openHash(){var id=location.hash.slice(1);if(!id)return;
var el=document.getElementById(decodeURIComponent(id));if(el&&el.tagName==='DETAILS'){el.open=true;
}}window.addEventListener('hashchange',openHash);openHash();
window.addEventListener('beforeprint',function(){
document.querySelectorAll('details.sd').forEach(function(d){d.open=true;});});
document.querySelectorAll('button[data-toggle]').forEach(function(b){
b.addEventListener('click',function(){var open=b.getAttribute('data-toggle')==='open';
b.closest('section').querySelectorAll('details.sd').forEach(function(d){d.open=open;});});});})();
"""
# Only this exact script may run: injected markup could not execute even if escaping failed.
SCRIPT_HASH = base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()


def esc(value: object, default: str = "") -> str:
    """Untrusted report value as escaped HTML text (quotes included)."""
    return html.escape(text_of(value, default), quote=True)


def url_html(value: object, default: str = "no url") -> str:
    """An http(s) url as a link; anything else (javascript:, data:, junk) as inert text."""
    url = text_of(value)
    if url.lower().startswith(("http://", "https://")):
        return f'<a class="url" href="{esc(url)}" rel="noopener noreferrer">{esc(url)}</a>'
    return f'<span class="url">{esc(url, default)}</span>'


def tint(colour: str, amount: float) -> str:
    """`colour` mixed with white: amount 1 is the colour, 0 is white."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    mixed = (round(255 - (255 - part) * amount) for part in (red, green, blue))
    return "#" + "".join(f"{part:02x}" for part in mixed)


def _palette_css() -> str:
    rules = []
    for number, colour in enumerate(PALETTE):
        rules.append(
            f".c{number}.st-copied{{background:{tint(colour, 0.32)}}}"
            f".c{number}.st-paraphrased{{background:{tint(colour, 0.12)};border-color:{colour}}}"
            f".sw.c{number},.bar .c{number}{{background:{colour}}}"
        )
    return "\n".join(rules)


def _when(value: object) -> str:
    """A publication time, the ISO "T" shown as a line break opportunity."""
    text = text_of(value, "unknown")
    if len(text) > 10 and text[:4].isdigit() and text[10] == "T":
        return f"{esc(text[:10])}<br>{esc(text[11:])}"
    return esc(text)


def _colour_class(number: int) -> str:
    return f"c{number % len(PALETTE)}" if number >= 0 else "cx"


def _marked(text: str, changes: list[Any], side: str) -> str:
    """The text with each change's span on `side` ("source"/"target") wrapped, others escaped."""
    spans: list[tuple[int, int, Mapping[str, Any]]] = []
    for change in changes:
        change = as_map(change)
        start, end = as_int(change.get(f"{side}_start")), as_int(change.get(f"{side}_end"))
        if start is not None and end is not None and 0 <= start < end <= len(text):
            spans.append((start, end, change))
    spans.sort(key=lambda span: (span[0], span[1]))
    out, pos = [], 0
    for start, end, change in spans:
        if start < pos:
            continue  # overlapping spans: keep the first
        kind = change_kind(change)
        tag = {"insert": "ins", "delete": "del"}.get(kind, "mark")
        css = f"chg k-{kind}" + (" fact" if is_factual(change) else "")
        old, new, label = describe_change(change)
        title = f"{label}: {edit_text(old, new, '→')}"
        out.append(esc(text[pos:start]))
        out.append(f'<{tag} class="{css}" title="{esc(title)}">{esc(text[start:end])}</{tag}>')
        pos = end
    out.append(esc(text[pos:]))
    return "".join(out)


def _duplicate_target(sent: Mapping[str, Any], positions: dict[int, int]) -> int | None:
    index = as_int(sent.get("duplicate_of"))
    return None if index is None else positions.get(index)


def _badges(sent: Mapping[str, Any]) -> str:
    out = []
    for flag in as_list(sent.get("flags")):
        name = text_of(flag)
        css = "flag-factual_change" if name == "factual_change" else ""
        out.append(f'<span class="badge {css}">{esc(name.replace("_", " "))}</span>')
    return "".join(out)


def _header(report: Report, number: int, total: int) -> str:
    article, summary = as_map(report.get("article")), as_map(report.get("summary"))
    kicker = f"Trace report {number + 1} of {total}" if total > 1 else "Trace report"
    meta = [
        f"<span>{esc(article.get('outlet'), 'unknown outlet')}</span>",
        f"<span>{url_html(article.get('url'))}</span>",
        f"<span>published {esc(article.get('published_at'), 'unknown')}</span>",
    ]
    if article.get("language"):
        meta.append(f"<span>language {esc(article.get('language'))}</span>")
    return (
        f'<header><p class="kicker">{kicker}</p>'
        f"<h1>{esc(article.get('title'), 'Untitled article')}</h1>"
        f'<p class="meta">{"".join(meta)}</p>'
        f'<p class="verdict"><strong>Verdict:</strong> {esc(summary.get("verdict"), "none")}</p>'
        "</header>"
    )


def _summary(report: Report) -> str:
    summary = as_map(report.get("summary"))
    colours = {
        "copied_share": "#1d232a",
        "paraphrased_share": "#7b93a6",
        "duplicate_share": "#9b7fc4",
        "unsourced_share": "#c0262d",
        "boilerplate_share": "#c4c9ce",
    }
    bar, rows = [], []
    for key, label in SHARES:
        share = min(max(as_float(summary.get(key)) or 0.0, 0.0), 1.0)
        if share > 0:
            bar.append(
                f'<span style="width:{share * 100:.2f}%;background:{colours[key]}" '
                f'title="{label} {fmt_share(share)}"></span>'
            )
        swatch = f'<span class="sw" style="background:{colours[key]};min-width:.9em">&nbsp;</span>'
        rows.append(
            f'<tr><th scope="row">{swatch} {label}</th>'
            f'<td class="num">{fmt_share(summary.get(key))}</td></tr>'
        )
    outlets = ", ".join(esc(outlet) for outlet in as_list(summary.get("outlets"))) or "—"
    rows.append(
        '<tr><th scope="row">Factual changes</th>'
        f'<td class="num">{esc(summary.get("factual_changes"), "—")}</td></tr>'
    )
    rows.append(f'<tr><th scope="row">Outlets</th><td>{outlets}</td></tr>')
    return (
        f'<div><h2>Summary</h2><div class="bar" aria-hidden="true">{"".join(bar)}</div>'
        f'<table><caption class="note">Shares of the article\'s sentence characters</caption>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def _legend(sources: list[Mapping[str, Any]]) -> str:
    if not sources:
        return '<div><h2>Sources</h2><p class="note">No earlier source found.</p></div>'
    rows = []
    for number, source in enumerate(sources):
        earliest = (
            '<span class="badge earliest">earliest origin</span>'
            if source.get("earliest") is True
            else ""
        )
        rows.append(
            f'<tr><td><span class="sw {_colour_class(number)}">S{number + 1}</span></td>'
            f"<td>{esc(source.get('outlet'), 'unknown outlet')}{earliest}</td>"
            f"<td>{url_html(source.get('url'))}</td>"
            f'<td class="nw">{_when(source.get("published_at"))}</td>'
            f'<td class="num">{esc(source.get("sentences"), "—")}</td></tr>'
        )
    return (
        "<div><h2>Sources</h2><table><thead><tr><th>Key</th><th>Outlet</th><th>URL</th>"
        '<th>Published</th><th class="num" title="sentences traced to it">Sent.</th>'
        "</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def _sentence_label(sent: Mapping[str, Any], number: int) -> str:
    status = status_of(sent)
    if status in ("copied", "paraphrased") and number >= 0:
        return f"S{number + 1}" + (" para." if status == "paraphrased" else "")
    return STATUS_LABELS[status]


def _loaded_by_sentence(report: Report) -> dict[object, list[Mapping[str, Any]]]:
    """The claims' loaded-language and other technique spans, by sentence index."""
    claims = as_map(report.get("claims"))
    return {
        as_map(s).get("index"): [as_map(span) for span in as_list(as_map(s).get("loaded"))]
        for s in as_list(claims.get("sentences"))
    }


def _marked_text(sent: Mapping[str, Any], spans: list[Mapping[str, Any]]) -> str:
    """The sentence's escaped text with its technique spans in <mark> elements, the techniques
    (and scores) on hover. Overlapping spans become one mark naming all their techniques; a
    span whose offsets do not match the sentence's text is left out."""
    text = text_of(sent.get("text"))
    start = sent.get("start")
    found: list[tuple[int, int, str]] = []
    for span in spans:
        s, e = span.get("start"), span.get("end")
        if not (isinstance(start, int) and isinstance(s, int) and isinstance(e, int)):
            continue
        a, b = s - start, e - start
        if 0 <= a < b <= len(text) and text[a:b] == text_of(span.get("text")):
            score = span.get("score")
            label = text_of(span.get("technique"))
            if isinstance(score, (int, float)) and not isinstance(score, bool):
                label += f" {score:.2f}"
            found.append((a, b, label))
    merged: list[tuple[int, int, list[str]]] = []
    for a, b, label in sorted(found):
        if merged and a < merged[-1][1]:
            last = merged[-1]
            merged[-1] = (last[0], max(last[1], b), [*last[2], label])
        else:
            merged.append((a, b, [label]))
    out, pos = [], 0
    for a, b, labels in merged:
        out.append(html.escape(text[pos:a], quote=True))
        title = html.escape("; ".join(labels), quote=True)
        out.append(f'<mark class="loaded" title="{title}">{html.escape(text[a:b])}</mark>')
        pos = b
    out.append(html.escape(text[pos:], quote=True))
    return "".join(out)


def _article(
    report: Report, rid: str, sources: list[Mapping[str, Any]], positions: dict[int, int]
) -> str:
    out = []
    loaded = _loaded_by_sentence(report)
    for position, sent in enumerate(as_list(report.get("sentences"))):
        sent = as_map(sent)
        status, number = status_of(sent), source_number(sources, first_source(sent))
        shown = display_index(sent, position)
        colour = _colour_class(number) if status in ("copied", "paraphrased") else ""
        label = _sentence_label(sent, number)
        dup = ""
        target = _duplicate_target(sent, positions)
        if target is not None:
            dup = (
                f'<a class="dup" href="#{rid}-s{target}">↩ repeats '
                f"#{esc(sent.get('duplicate_of'))}</a>"
            )
        out.append(
            f'<span class="sent st-{status} {colour}" id="{rid}-s{position}" '
            f'title="#{shown} {esc(label)}"><a class="go" href="#{rid}-d{position}">'
            f"{_marked_text(sent, loaded.get(sent.get('index'), []))}</a>{dup}</span>"
            f'<sup class="lab">{shown}·{esc(label)}</sup> '
        )
    if not out:
        return '<p class="note">No sentences.</p>'
    return f'<div class="article">{"".join(out)}</div>'


def _comparison(
    sent: Mapping[str, Any],
    source: Mapping[str, Any],
    sources: list[Mapping[str, Any]],
    outlets: dict[str, str],
) -> str:
    number = source_number(sources, source)
    key = f'<span class="sw {_colour_class(number)}">S{number + 1}</span> ' if number >= 0 else ""
    head = [
        f"{key}<strong>{esc(source.get('outlet'), 'unknown outlet')}</strong>",
        f"sentence {esc(source.get('sentence_index'), '?')}",
        f"similarity {fmt_similarity(source.get('similarity'))}",
        url_html(source.get("url")),
        f"published {esc(source.get('published_at'), 'unknown')}",
    ]
    if source.get("direction") == "unknown":
        head.append("order unknown")
    if source.get("earliest") is True:
        head.append('<span class="badge earliest">earliest origin</span>')
    changes = as_list(source.get("changes"))
    items = []
    for change in changes:
        change = as_map(change)
        old, new, label = describe_change(change)
        css = ' class="fact"' if is_factual(change) else ""
        items.append(f"<li><span{css}>{esc(edit_text(old, new, '→'))}</span> ({esc(label)})</li>")
    listed = (
        f'<ul class="changes">{"".join(items)}</ul>'
        if items
        else ('<p class="note">No changes.</p>')
    )
    chain = [outlets.get(text_of(link), text_of(link)) for link in as_list(source.get("chain"))]
    chain_html = (
        f'<p class="note">Copy chain: {esc(" → ".join(chain))}</p>' if len(chain) > 1 else ""
    )
    return (
        f'<div class="cmp"><div class="cmp-head">{" · ".join(head)}</div><div class="cols">'
        f'<div class="col"><h4>Source sentence</h4>'
        f"{_marked(text_of(source.get('text')), changes, 'source')}</div>"
        f'<div class="col"><h4>This article</h4>'
        f"{_marked(text_of(sent.get('text')), changes, 'target')}</div></div>"
        f"{listed}{chain_html}</div>"
    )


def _details(
    report: Report, rid: str, sources: list[Mapping[str, Any]], positions: dict[int, int]
) -> str:
    outlets = {
        text_of(src.get("article_id")): text_of(src.get("outlet"), "unknown outlet")
        for src in sources
        if src.get("article_id")
    }
    out = []
    for position, sent in enumerate(as_list(report.get("sentences"))):
        sent = as_map(sent)
        status, number = status_of(sent), source_number(sources, first_source(sent))
        shown = display_index(sent, position)
        key = (
            f' <span class="sw {_colour_class(number)}">S{number + 1}</span>' if number >= 0 else ""
        )
        body = []
        target = _duplicate_target(sent, positions)
        if target is not None:
            body.append(
                f'<p>Repeats <a href="#{rid}-s{target}">sentence '
                f"#{esc(sent.get('duplicate_of'))}</a> of this article.</p>"
            )
        sent_sources = [as_map(src) for src in as_list(sent.get("sources"))]
        body += [_comparison(sent, src, sources, outlets) for src in sent_sources]
        if not sent_sources and status == "unsourced":
            body.append('<p class="note">No earlier source was found for this sentence.</p>')
        elif not sent_sources and target is None:
            body.append('<p class="note">No source to compare.</p>')
        body.append(
            f'<p class="noprint"><a href="#{rid}-s{position}">↑ back to the article</a></p>'
        )
        out.append(
            f'<details class="sd" id="{rid}-d{position}"><summary><span class="sum-head">'
            f'#{shown} <span class="pill {status}">{STATUS_LABELS[status]}</span>{key}'
            f'{_badges(sent)}</span><span class="sum-text">{esc(sent.get("text"))}</span>'
            f'</summary><div class="body">{"".join(body)}</div></details>'
        )
    return "".join(out)


def _section(report: Report, number: int, total: int) -> str:
    rid = f"r{number}"
    sources = collect_sources(report)
    positions: dict[int, int] = {}
    for position, sent in enumerate(as_list(report.get("sentences"))):
        positions.setdefault(display_index(as_map(sent), position), position)
    controls = (
        '<p class="noprint"><button type="button" data-toggle="open">Expand all</button> '
        '<button type="button" data-toggle="close">Collapse all</button></p>'
    )
    return (
        f'<section class="report" id="{rid}">{_header(report, number, total)}'
        f'<div class="grid">{_summary(report)}{_legend(sources)}</div>'
        '<h2>Article <span class="note">(click a sentence to compare it with its source)</span>'
        f"</h2>{_article(report, rid, sources, positions)}"
        f"<h2>Sentence by sentence</h2>{controls}{_details(report, rid, sources, positions)}"
        "</section>"
    )


def render_html(reports: Sequence[Report] | Report) -> str:
    """Render trace reports as one standalone HTML page (no network needed, deterministic)."""
    items = as_reports(reports)
    sections = "".join(_section(report, number, len(items)) for number, report in enumerate(items))
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        f"style-src 'unsafe-inline'; script-src 'sha256-{SCRIPT_HASH}'; img-src data:\">"
        f"<title>wiretrace trace report</title><style>{CSS}{_palette_css()}</style></head>"
        f"<body><main>{sections or '<p class=note>No reports.</p>'}</main>"
        "<footer>Generated by wiretrace · schema wiretrace.trace/2</footer>"
        f"<script>{SCRIPT}</script></body></html>\n"
    )
