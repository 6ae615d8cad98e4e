"""Inline SVG drawn on the server: articles over time and an outlet's sources as a graph.

The geometry is computed here as numbers written to text; templates/svg.html.j2 writes the
elements, escaping the labels (dates, outlet names) like any other value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from wiretrace.render.report_style import PALETTE


def _short(text: str, size: int = 26) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


@dataclass(frozen=True, slots=True)
class Bar:
    x: str
    y: str
    width: str
    height: str
    title: str


@dataclass(frozen=True, slots=True)
class Timeline:
    """Bars of articles per day/week/month, with the range and the peak labelled."""

    width: int
    height: int
    pad: int
    base: int
    right: str
    unit: str
    first: str
    last: str | None  # the end label; none for few bars (the first label covers the range)
    peak: int
    fill: str
    bars: list[Bar]


def timeline(bins: list[dict[str, Any]], unit: str, *, width: int = 960) -> Timeline | None:
    """The chart of `bins` ({"start", "articles"}); None when there is no dated article."""
    if not bins:
        return None
    height, pad, base = 190, 36, 160
    peak = max(int(b["articles"]) for b in bins) or 1
    step = min((width - 2 * pad) / len(bins), 48.0)  # few bins: narrow bars, not slabs
    bars = []
    for n, item in enumerate(bins):
        count = int(item["articles"])
        tall = max(1.0, (base - 20) * count / peak)
        bars.append(
            Bar(
                x=f"{pad + n * step:.1f}",
                y=f"{base - tall:.1f}",
                width=f"{max(step - 1, 0.6):.1f}",
                height=f"{tall:.1f}",
                title=f"{str(item['start'])[:10]}: {count} articles",
            )
        )
    return Timeline(
        width=width,
        height=height,
        pad=pad,
        base=base,
        right=f"{pad + step * len(bins):.1f}",
        unit=unit,
        first=str(bins[0]["start"])[:10],
        last=str(bins[-1]["start"])[:10] if len(bins) > 3 else None,
        peak=peak,
        fill=PALETTE[0],
        bars=bars,
    )


@dataclass(frozen=True, slots=True)
class Node:
    """An outlet around the centre: its edge to the centre and its labelled circle."""

    outlet: str
    label: str
    count: int
    colour: str
    x: str
    y: str
    edge_width: str
    label_x: str
    label_y: str
    anchor: str


@dataclass(frozen=True, slots=True)
class Graph:
    """The outlet in the middle, the outlets it copies from around it."""

    outlet: str
    label: str
    size: int
    centre: str
    centre_label_y: str
    nodes: list[Node]


def sources_graph(outlet: str, sources: list[dict[str, Any]], *, size: int = 560) -> Graph | None:
    """The graph of `sources` ({"outlet", "sentences"}); None when the outlet copies nothing.
    Edge width grows with the sentences copied."""
    if not sources:
        return None
    centre = size / 2
    radius = size / 2 - 90
    peak = max(int(s["sentences"]) for s in sources) or 1
    nodes = []
    for n, source in enumerate(sources):
        angle = -math.pi / 2 + 2 * math.pi * n / len(sources)
        x, y = centre + radius * math.cos(angle), centre + radius * math.sin(angle)
        count = int(source["sentences"])
        anchor = "start" if math.cos(angle) > 0.2 else "end" if math.cos(angle) < -0.2 else "middle"
        dx = 16 if anchor == "start" else -16 if anchor == "end" else 0
        dy = 26 if math.sin(angle) > 0.5 else -18 if math.sin(angle) < -0.5 else 4
        name = str(source["outlet"])
        nodes.append(
            Node(
                outlet=name,
                label=_short(name),
                count=count,
                colour=PALETTE[n % len(PALETTE)],
                x=f"{x:.1f}",
                y=f"{y:.1f}",
                edge_width=f"{1.5 + 9 * count / peak:.1f}",
                label_x=f"{x + dx:.1f}",
                label_y=f"{y + dy:.1f}",
                anchor=anchor,
            )
        )
    return Graph(
        outlet=outlet,
        label=_short(outlet, 34),
        size=size,
        centre=f"{centre}",
        centre_label_y=f"{centre + 40}",
        nodes=nodes,
    )
