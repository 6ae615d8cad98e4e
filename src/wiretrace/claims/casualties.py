"""The main incident's deaths by group, from an article's figures (FA-KES's coding questions).

Split from `figures.py`, which finds the figures; this module only chooses among them.
"""

from __future__ import annotations

from wiretrace.claims.figures import Figure, title_figures
from wiretrace.model import Article


def _vague(figure: Figure) -> bool:
    return figure.value != figure.high and figure.value == figure.low and figure.high is not None


def _first(figures: list[Figure], groups: tuple[str | None, ...]) -> Figure | None:
    """The first whole death count of these groups, preferring a stated number to a vague one."""
    found = [f for f in _deaths(figures) if f.group in groups and f.part_of is None]
    return next((f for f in found if not _vague(f)), found[0] if found else None)


def _deaths(figures: list[Figure]) -> list[Figure]:
    return [f for f in figures if f.kind == "killed" and not f.cumulative and f.value is not None]


def _parts(lists: list[tuple[str, list[Figure]]], main: Figure) -> dict[str, float]:
    """Sub-counts ("including 7 children") of `main` or of a count repeating its number."""
    parts: dict[str, float] = {}
    for text, figures in lists:
        same = {i for i, f in enumerate(figures) if f.value == main.value and f.part_of is None}
        for f in figures:
            # "including two medics" is a part but not the civilian total "including 24 civilians"
            role = f.group == "civilians" and "civilian" not in text[f.end : f.end + 30].lower()
            if f.part_of in same and f.group and f.value is not None and not role:
                parts.setdefault(f.group, f.value)
    return parts


def main_incident_deaths(article: Article, figures: list[Figure]) -> dict[str, int | None]:
    """Deaths of the article's main incident by group: civilians, children, women, non_civilians.

    The main incident is the first civilian (or unnamed: "people", "kills 35") death count of the
    title, else of the body; running totals are skipped. A vague or "more than" title count
    ("dozens", "over 80") gives way to the body's first stated count. Unnamed victims count as
    civilians (how FA-KES coders read "people") less fighters counted among them. A title
    counting only children or women makes them the civilians unless the body gives the whole; a
    title counting only combatants means no civilian deaths. A group never counted is 0 once
    there is an incident; everything is None when the article reports no deaths at all.
    """
    title, body = title_figures(article), _deaths(figures)
    if not _deaths(title) and not body:
        return dict.fromkeys(("civilians", "children", "women", "non_civilians"))
    unnamed: tuple[str | None, ...] = ("civilians", "people", None)
    main, civilians = _first(title, unnamed), None
    if main is not None and main.group != "civilians":
        # "kills 30" in the title, "30 members of the regime troops" in the body.
        echo = next((f for f in body if f.value == main.value and f.group), None)
        main, civilians = (None, 0.0) if echo and echo.group == "non_civilians" else (main, None)
    if main is not None and (_vague(main) or main.low == (main.value or 0) + 1):
        floor = 0 if _vague(main) else (main.low or 0)
        stated = (f for f in body if f.group in unnamed and not _vague(f) and f.part_of is None)
        main = next((f for f in stated if (f.value or 0) >= floor), main)
    elif main is None and civilians is None and _deaths(title):
        small = _first(title, ("children", "women"))
        civilians = 0.0 if small is None else None  # a title counting only combatants
        whole = [f for f in body if f.group in unnamed and f.part_of is None]
        main = small
        if small is not None:
            key, body_parts = str(small.group), [(article.text, figures)]
            main = next((f for f in whole if _parts(body_parts, f).get(key) == small.value), small)
    elif main is None and civilians is None:
        main = _first(figures, unnamed)
    parts = _parts([(article.title, title), (article.text, figures)], main) if main else {}
    if main is not None and main.value is not None:
        civilians = main.value
        if main.group != "civilians":
            civilians = parts.get("civilians", civilians - parts.get("non_civilians", 0))
    out: dict[str, int | None] = {"civilians": int(civilians or 0)}
    for group in ("children", "women"):
        found = main.value if main and main.group == group else parts.get(group)
        found = found if found is not None else _value(_first(title + figures, (group,)))
        out[group] = int(found or 0)
    fighters = _first(title, ("non_civilians",)) or _first(figures, ("non_civilians",))
    out["non_civilians"] = int(_value(fighters) or parts.get("non_civilians", 0))
    return out


def _value(figure: Figure | None) -> float | None:
    return figure.value if figure else None
