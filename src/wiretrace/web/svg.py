"""Inline SVG drawn on the server: articles over time and an outlet's sources as a graph."""

from __future__ import annotations

import math
from typing import Any
from urllib.parse import quote

from wiretrace.render.html import PALETTE, esc


def _short(text: str, size: int = 26) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def timeline_svg(bins: list[dict[str, Any]], unit: str, *, width: int = 960) -> str:
    """Bars of articles per day/week/month, with the range and the peak labelled."""
    if not bins:
        return '<p class="note">No dated articles.</p>'
    height, pad, base = 190, 36, 160
    peak = max(int(b["articles"]) for b in bins) or 1
    step = min((width - 2 * pad) / len(bins), 48.0)  # few bins: narrow bars, not slabs
    bars = []
    for n, item in enumerate(bins):
        count = int(item["articles"])
        tall = max(1.0, (base - 20) * count / peak)
        x = pad + n * step
        label = f"{str(item['start'])[:10]}: {count} articles"
        bars.append(
            f'<rect x="{x:.1f}" y="{base - tall:.1f}" width="{max(step - 1, 0.6):.1f}" '
            f'height="{tall:.1f}" fill="{PALETTE[0]}"><title>{esc(label)}</title></rect>'
        )
    first, last = str(bins[0]["start"])[:10], str(bins[-1]["start"])[:10]
    right = pad + step * len(bins)
    end_label = (
        f'<text x="{right:.1f}" y="{base + 18}" class="ax" text-anchor="end">{esc(last)}</text>'
        if len(bins) > 3  # fewer bars: the first label already covers the range
        else ""
    )
    return (
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="Articles per {esc(unit)}">'
        f'<line x1="{pad}" y1="{base}" x2="{right:.1f}" y2="{base}" stroke="#8a939b"/>'
        f'<text x="{pad}" y="{base + 18}" class="ax">{esc(first)}</text>'
        f"{end_label}"
        f'<text x="{pad}" y="14" class="ax">{peak} articles per {esc(unit)} at most</text>'
        f"{''.join(bars)}</svg>"
    )


def sources_graph_svg(outlet: str, sources: list[dict[str, Any]], *, size: int = 560) -> str:
    """The outlet in the middle, the outlets it copies from around it; edge width by sentences."""
    if not sources:
        return '<p class="note">No copying from other outlets found in the sampled articles.</p>'
    centre = size / 2
    radius = size / 2 - 90
    peak = max(int(s["sentences"]) for s in sources) or 1
    edges, nodes = [], []
    for n, source in enumerate(sources):
        angle = -math.pi / 2 + 2 * math.pi * n / len(sources)
        x, y = centre + radius * math.cos(angle), centre + radius * math.sin(angle)
        count = int(source["sentences"])
        width = 1.5 + 9 * count / peak
        colour = PALETTE[n % len(PALETTE)]
        name = str(source["outlet"])
        edges.append(
            f'<line x1="{x:.1f}" y1="{y:.1f}" x2="{centre:.1f}" y2="{centre:.1f}" '
            f'stroke="{colour}" stroke-opacity=".55" stroke-width="{width:.1f}">'
            f"<title>{esc(f'{name}: {count} sentences copied')}</title></line>"
        )
        anchor = "start" if math.cos(angle) > 0.2 else "end" if math.cos(angle) < -0.2 else "middle"
        dx = 16 if anchor == "start" else -16 if anchor == "end" else 0
        dy = 26 if math.sin(angle) > 0.5 else -18 if math.sin(angle) < -0.5 else 4
        href = "/outlets/" + quote(name, safe="")
        nodes.append(
            f'<a href="{esc(href)}"><circle cx="{x:.1f}" cy="{y:.1f}" r="11" fill="{colour}"/>'
            f'<text x="{x + dx:.1f}" y="{y + dy:.1f}" text-anchor="{anchor}" class="lbl">'
            f"{esc(_short(name))} ({count})</text></a>"
        )
    return (
        f'<svg class="graph" viewBox="0 0 {size} {size}" role="img" '
        f'aria-label="Outlets {esc(outlet)} copies from">'
        f"{''.join(edges)}"
        f'<circle cx="{centre}" cy="{centre}" r="20" fill="#1d232a"/>'
        f'<text x="{centre}" y="{centre + 40}" text-anchor="middle" class="lbl main">'
        f"{esc(_short(outlet, 34))}</text>{''.join(nodes)}</svg>"
    )
