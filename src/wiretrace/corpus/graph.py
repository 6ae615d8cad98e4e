"""The outlet reuse graph: exported as CSV edges, GraphML or Parquet, and drawn with matplotlib."""

from __future__ import annotations

import csv
import math
from pathlib import Path
from xml.sax.saxutils import quoteattr

import pyarrow as pa
import pyarrow.parquet as pq

from wiretrace.corpus.checkpoints import ReuseError
from wiretrace.corpus.result import ReuseResult
from wiretrace.errors import MissingExtra

GRAPH_FORMATS = ("csv", "graphml", "parquet")
_EDGE_FIELDS = ("source", "target", "relations", "chars")


def graph_format(path: str | Path, fmt: str | None = None) -> str:
    """The export format: given, else from the file suffix."""
    chosen = fmt or Path(path).suffix.lower().lstrip(".")
    if chosen not in GRAPH_FORMATS:
        raise ReuseError(f"{path}: choose a graph format: {', '.join(GRAPH_FORMATS)}")
    return chosen


def export_graph(result: ReuseResult, path: str | Path, fmt: str | None = None) -> Path:
    """Write the outlet graph (edges source outlet -> copying outlet) to `path`."""
    out = Path(path)
    chosen = graph_format(out, fmt)
    out.parent.mkdir(parents=True, exist_ok=True)
    edges = result.outlet_edges
    if chosen == "csv":
        with out.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=_EDGE_FIELDS)
            writer.writeheader()
            writer.writerows(edges)
    elif chosen == "parquet":
        pq.write_table(
            pa.Table.from_pylist(
                edges,
                schema=pa.schema(
                    [
                        ("source", pa.string()),
                        ("target", pa.string()),
                        ("relations", pa.int64()),
                        ("chars", pa.int64()),
                    ]
                ),
            ),
            out,
        )
    else:
        out.write_text(_graphml(result), encoding="utf-8")
    return out


def _graphml(result: ReuseResult) -> str:
    """GraphML with outlet nodes (articles, copied share, farm score) and weighted edges."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
        '  <key id="articles" for="node" attr.name="articles" attr.type="int"/>',
        '  <key id="copied_share" for="node" attr.name="copied_share" attr.type="double"/>',
        '  <key id="farm_score" for="node" attr.name="farm_score" attr.type="double"/>',
        '  <key id="relations" for="edge" attr.name="relations" attr.type="int"/>',
        '  <key id="chars" for="edge" attr.name="chars" attr.type="long"/>',
        '  <graph id="reuse" edgedefault="directed">',
    ]
    for profile in sorted(result.outlets, key=lambda p: p["outlet"]):
        lines.append(f"    <node id={quoteattr(profile['outlet'])}>")
        for key in ("articles", "copied_share", "farm_score"):
            lines.append(f'      <data key="{key}">{profile[key]}</data>')
        lines.append("    </node>")
    for n, edge in enumerate(result.outlet_edges):
        lines.append(
            f'    <edge id="e{n}" source={quoteattr(edge["source"])} '
            f"target={quoteattr(edge['target'])}>"
        )
        lines.append(f'      <data key="relations">{edge["relations"]}</data>')
        lines.append(f'      <data key="chars">{edge["chars"]}</data>')
        lines.append("    </edge>")
    lines += ["  </graph>", "</graphml>", ""]
    return "\n".join(lines)


def plot_graph(result: ReuseResult, path: str | Path, *, max_outlets: int = 40) -> Path:
    """Draw the outlet graph (PNG or SVG, from the suffix): outlets on a circle, the biggest
    reusers (by reused characters) first; arrows from source to copier, width by characters."""
    out = Path(path)
    if out.suffix.lower() not in (".png", ".svg"):
        raise ReuseError(f"{out}: the plot is written as .png or .svg")
    try:
        import matplotlib

        matplotlib.use("Agg")  # no display needed
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise MissingExtra("plot", "wiretrace graph plots") from exc
    weight: dict[str, int] = {}
    for edge in result.outlet_edges:
        for end in (edge["source"], edge["target"]):
            weight[end] = weight.get(end, 0) + edge["chars"]
    shown = sorted(weight, key=lambda o: (-weight[o], o))[:max_outlets]
    farm = {p["outlet"]: p["farm_score"] for p in result.outlets}
    angle = {o: 2 * math.pi * i / max(len(shown), 1) for i, o in enumerate(shown)}
    pos = {o: (math.cos(a), math.sin(a)) for o, a in angle.items()}
    fig, ax = plt.subplots(figsize=(9, 9))
    heaviest = max((e["chars"] for e in result.outlet_edges), default=1) or 1
    for edge in result.outlet_edges:
        if edge["source"] in pos and edge["target"] in pos and edge["source"] != edge["target"]:
            (x0, y0), (x1, y1) = pos[edge["source"]], pos[edge["target"]]
            ax.annotate(
                "",
                xy=(x1, y1),
                xytext=(x0, y0),
                arrowprops={
                    "arrowstyle": "->",
                    "lw": 0.5 + 4 * edge["chars"] / heaviest,
                    "alpha": 0.5,
                    "color": "tab:gray",
                },
            )
    for outlet, (x, y) in pos.items():
        ax.scatter(
            [x],
            [y],
            s=200,
            c=[farm.get(outlet, 0.0)],
            cmap="Reds",
            vmin=0,
            vmax=1,
            edgecolors="black",
            zorder=3,
        )
        ax.text(x * 1.12, y * 1.12, outlet, ha="center", va="center", fontsize=8)
    ax.set_title("Reuse between outlets (arrow: source -> copier; red: farm score)")
    ax.set_axis_off()
    ax.set_xlim(-1.4, 1.4)
    ax.set_ylim(-1.4, 1.4)
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, bbox_inches="tight")
    plt.close(fig)
    return out
