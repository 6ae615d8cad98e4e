"""How each command shows its result: one renderer per `--format`, given the result and every
parameter the command was called with. All text goes through `say`/`safe_json`, which show
control characters escaped: results carry untrusted article text.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from wiretrace.cli.options import emit_json, say
from wiretrace.render.safe import escape_tree, safe_json

Given = Mapping[str, Any]


def as_json(result: Any, given: Given) -> None:
    """The result's `to_dict()` as JSON (the default `--format json`)."""
    emit_json(result.to_dict())


def one_or_many_json(results: list[Any], given: Given) -> None:
    """One article's JSON object, or a list when the targets named several."""
    payload = [r.to_dict() for r in results]
    emit_json(payload[0] if len(payload) == 1 else payload)


def list_json(results: list[Any], given: Given) -> None:
    say(safe_json([r.to_dict() for r in results]))


def nothing(result: Any, given: Given) -> None:
    """For a command whose work is its effect (`serve`)."""


def ingest_text(report: Any, given: Given) -> None:
    for warning in report.warnings:
        say(f"wiretrace: warning: {warning}", err=True, one_line=True)
    for error in report.errors:
        say(f"wiretrace: error: {error} [{error.code}]", err=True, one_line=True)
    if given.get("quiet"):
        return
    rate = f" ({report.added / report.seconds:,.0f} articles/s)" if report.seconds else ""
    failed = f"; {len(report.errors)} failed" if report.errors else ""
    say(
        f"Added {report.added} articles ({report.already_stored} already stored) "
        f"from {report.inputs} inputs in {report.seconds:.2f} s{rate}{failed}"
    )


def stats_text(result: Any, given: Given) -> None:
    langs = ", ".join(f"{k} {v}" for k, v in result.languages.items())
    say(
        f"store          {result.path} ({result.store_bytes / 1e6:,.1f} MB)\n"
        f"articles       {result.articles:,} ({result.versioned_urls:,} urls with several "
        f"versions)\n"
        f"outlets        {result.outlets:,}\n"
        f"sentences      {result.sentences:,}\n"
        f"characters     {result.chars:,}\n"
        f"published      {result.first_published or '-'} .. {result.last_published or '-'} "
        f"({result.undated:,} undated)\n"
        f"languages      {langs or '-'}"
    )


def export_text(result: Any, given: Given) -> None:
    say(f"Wrote {result.rows:,} {result.table} to {result.path} ({result.format})")


def show_json(article: Any, given: Given) -> None:
    payload = article.to_dict()
    payload["sentences"] = [
        {"index": s.index, "start": s.start, "end": s.end, "text": s.text}
        for s in article.sentences
    ]
    emit_json(payload)


def show_text(article: Any, given: Given) -> None:
    say(
        f"{article.title}\n{article.url or '-'} · {article.outlet or '-'} · "
        f"{article.published_at.isoformat() if article.published_at else 'undated'} · "
        f"{article.id} v{article.version}\n"
    )
    for sent in article.sentences:
        say(f"[{sent.index:>3}] {sent.start:>6}-{sent.end:<6} {sent.text}")


def trace_renderer(output_format: str) -> Any:
    """`trace`'s renderer for one format, to stdout or the `--output` file."""

    def render_reports(reports: list[Any], given: Given) -> None:
        write_reports([r.to_dict() for r in reports], output_format, given.get("output"))

    return render_reports


def write_reports(reports: list[dict[str, Any]], output_format: str, output: Path | None) -> None:
    """Trace reports as terminal text, JSON, standalone HTML or Markdown."""
    from wiretrace.render import render, render_terminal

    if output_format in ("text", "md"):  # JSON escapes for itself, HTML for its page
        reports = escape_tree(reports)
    if output_format == "text":
        from rich.console import Console

        if output is None:
            render_terminal(reports, Console())
            return
        with output.open("w", encoding="utf-8") as handle:
            render_terminal(reports, Console(file=handle, width=100, color_system=None))
        return
    if output_format == "json":
        payload: Any = reports[0] if len(reports) == 1 else reports
        text = safe_json(payload) + "\n"
    else:
        text = render(reports, output_format)
    if output is None:
        say(text, nl=False)
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
        say(f"Wrote {output}", err=True)


def claims_text(reports: list[Any], given: Given) -> None:
    from wiretrace.render.claims_text import claims_text as render_claims

    for report in reports:
        say(render_claims(report.to_dict()))


def reindex_text(result: Any, given: Given) -> None:
    say(
        f"Indexed {result.articles:,} articles: {result.postings:,} postings in "
        f"{result.segments} segments, {result.index_bytes / 1e6:,.1f} MB, "
        f"{result.seconds:.1f} s"
        + (f"; {result.embedded_sentences:,} sentences embedded" if given.get("semantic") else "")
    )


def demo_text(result: Any, given: Given) -> None:
    report = result.ingest
    say(
        f"Ingested {report.added} demo articles into {result.db} "
        f"in {report.seconds:.2f} s; tracing the newest one.\n"
    )
    traced = [r.to_dict() for r in result.reports]
    write_reports(traced, "text", None)
    write_reports(traced, "html", given["html_path"])


def reuse_json(result: Any, given: Given) -> None:
    """The canonical JSON (sorted keys) the work directory stores, streamed from result.json."""
    for chunk in result.json_chunks():
        say(chunk, nl=False)
    say("")


def reuse_text(result: Any, given: Given) -> None:
    say(
        f"{result.relation_count:,} source-to-copy relations, "
        f"{result.cluster_count:,} story clusters, {len(result.outlets):,} outlets "
        f"(work directory {given['workdir']})"
    )
    ranked = sorted(result.outlets, key=lambda o: -(o["farm_score"] or 0))[:10]
    if ranked:
        say("\nOutlets most like content farms:")
    for outlet in ranked:
        say(
            f"  {outlet['outlet']:<32} farm {outlet['farm_score']:.2f}  copied "
            f"{outlet['copied_share']:.0%}  articles {outlet['articles']}"
        )


def graph_text(result: Any, given: Given) -> None:
    say(f"Wrote {result.path}", err=True)


def incidents_json(result: Any, given: Given) -> None:
    say(safe_json(result.to_dict()))


def incidents_text(result: Any, given: Given) -> None:
    data = result.to_dict()
    say(
        f"{len(data['incidents']):,} incidents and statements "
        f"({result.articles_processed:,} articles read now)"
    )
    for inc in data["incidents"][:20]:
        say(
            f"  {inc['id']}  {inc['kind']:<9} {inc['place'] or '-':<18} "
            f"{inc['date'] or '-':<10} {inc['grade']:<18} {inc['why']}"
        )


def corroborate_text(found: list[Any], given: Given) -> None:
    for item in (c.to_dict() for c in found):
        claim = item["claim"]
        if claim["type"] == "quote":
            what = claim["content"]
        elif claim["type"] == "assertion":
            what = claim["sentence"]
        else:
            what = f"{claim['kind']} {claim['value']} {claim['group'] or ''}"
        say(
            f"- {what}\n    {item['grade']}: {item['why']} "
            f"({item['articles']} articles, {len(item['origins'])} origins)"
        )
        for source in item["copied_from"]:
            say(f"    copied from {source['url'] or source['article_id']} ({source['status']})")


def components_text(found: list[Any], given: Given) -> None:
    """One paragraph per component: name, needs -> sets, what it does."""
    for component in found:
        needs = ", ".join(component.needs) or "-"
        say(f"{component.name}: {needs} -> {', '.join(component.sets)}")
        say("    " + " ".join(component.doc.split()))
