"""The standalone report's look: its palette, stylesheet and script (constants of this package).

The workbench serves the same stylesheet at /assets/report.css; the script's hash goes into the
standalone report's Content-Security-Policy, so only this exact script can run there.
"""

from __future__ import annotations

import base64
import hashlib

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


def tint(colour: str, amount: float) -> str:
    """`colour` mixed with white: amount 1 is the colour, 0 is white."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    mixed = (round(255 - (255 - part) * amount) for part in (red, green, blue))
    return "#" + "".join(f"{part:02x}" for part in mixed)


def palette_css() -> str:
    """One colour class per palette entry: sentence backgrounds, swatches and bar parts."""
    rules = []
    for number, colour in enumerate(PALETTE):
        rules.append(
            f".c{number}.st-copied{{background:{tint(colour, 0.32)}}}"
            f".c{number}.st-paraphrased{{background:{tint(colour, 0.12)};border-color:{colour}}}"
            f".sw.c{number},.bar .c{number}{{background:{colour}}}"
        )
    return "\n".join(rules)


# The whole stylesheet: the standalone report's <style> and the workbench's /assets/report.css.
REPORT_CSS = CSS + palette_css()
