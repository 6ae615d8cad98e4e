"""The main incident's deaths by group, from an article's figures (FA-KES's coding questions).

Split from `figures.py`, which finds the figures; this module only chooses among them. The rules
are listed in docs/claims-json.md ("The casualties summary").
"""

from __future__ import annotations

import re

from wiretrace.claims.figures import Figure, title_figures
from wiretrace.claims.victims import main_incident_victims
from wiretrace.doc.article import Article

GROUPS = ("civilians", "children", "women", "non_civilians")
_UNNAMED: tuple[str | None, ...] = ("civilians", "people", None)
# "tens of dead and wounded", "scores were killed and injured": casualties, not deaths.
_AND_WOUNDED = re.compile(
    r"[\w\s'’-]{0,40}?\b(?:dead|killed|died)\s+(?:and|or)\s+(?:the\s+)?(?:wounded|injured)\b"
    r"(?!\s+(?:\d|at\s|about\s|some\s|an?\s|the\s|dozens|scores|several|hundreds|tens|\w+\s+others))",
    re.IGNORECASE,
)


def _vague(figure: Figure) -> bool:
    return figure.value != figure.high and figure.value == figure.low and figure.high is not None


def _first(
    figures: list[Figure], groups: tuple[str | None, ...], parts: bool = False
) -> Figure | None:
    """The first whole (or, with `parts`, any) death count of these groups, preferring a stated
    number to a vague one."""
    found = [
        f for f in figures if f.group in groups and (f.part_of is None or (parts and not _vague(f)))
    ]
    return next((f for f in found if not _vague(f)), found[0] if found else None)


def _deaths(figures: list[Figure], text: str) -> list[Figure]:
    """Death counts of one incident: not running totals, not "killed and wounded" together."""
    return [
        f
        for f in figures
        if f.kind == "killed"
        and not f.cumulative
        and f.value is not None
        and not (_vague(f) and _AND_WOUNDED.match(text, f.end, f.end + 60))
    ]


def _parts(lists: list[tuple[str, list[Figure]]], main: Figure) -> dict[str, float]:
    """Sub-counts ("including 7 children") of `main` or of a count repeating its number, and
    their own sub-counts ("four civilians, including a child, among 19 killed")."""
    parts: dict[str, float] = {}
    for text, figures in lists:
        same = {i for i, f in enumerate(figures) if f.value == main.value and f.part_of is None}
        for _depth in range(2):
            inner = set(same)
            for i, f in enumerate(figures):
                # "including two medics" is a part but not the civilian total "including 24
                # civilians"
                role = f.group == "civilians" and "civilian" not in text[f.end : f.end + 30].lower()
                # a vague part ("several rebels") is neither subtracted nor reported
                if f.part_of in same and f.group and f.value is not None and not role:
                    if _vague(f):
                        continue
                    parts.setdefault(f.group, f.value)
                    inner.add(i)
            same = inner
    return parts


def _whole_with_part(
    article: Article, figures: list[Figure], body: list[Figure], small: Figure
) -> Figure | None:
    """The body's whole count that a title's group-only count ("25 children", "5 soldiers")
    is part of: a count with that part, or (a vague title count: "dozens of children") with any
    stated part of that group, or one in the sentence that repeats the title's number."""
    key = str(small.group)
    whole = [f for f in body if f.group in _UNNAMED and f.part_of is None and not _vague(f)]
    for f in whole:
        part = _parts([(article.text, figures)], f).get(key)
        if part is not None and (
            part == small.value or (_vague(small) and part >= (small.low or 0))
        ):
            return f
    echo = next((f for f in body if f.group == key and f.value == small.value), None)
    if echo is not None and key != "non_civilians":
        same = [f for f in whole if f.sentence_index == echo.sentence_index and f is not echo]
        return next((f for f in same if (f.value or 0) > (small.value or 0)), None)
    return None


def main_incident_deaths(article: Article, figures: list[Figure]) -> dict[str, int | None]:
    """Deaths of the article's main incident by group: civilians, children, women, non_civilians.

    See docs/claims-json.md ("The casualties summary") for the rules, in order.
    """
    title = _deaths(title_figures(article), article.title)
    body = _deaths(figures, article.text)
    if not title and not body:
        return dict.fromkeys(GROUPS)
    main, civilians = _first(title, _UNNAMED), None
    if main is not None and main.group != "civilians":
        # "kills 37" in the title, "37 members of the army's forces" in the body.
        echo = next((f for f in body if f.value == main.value and f.group), None)
        main, civilians = (None, 0.0) if echo and echo.group == "non_civilians" else (main, None)
    if main is not None and (_vague(main) or main.low == (main.value or 0) + 1):
        floor = 0 if _vague(main) else (main.low or 0)
        stated = (f for f in body if f.group in _UNNAMED and not _vague(f) and f.part_of is None)
        main = next((f for f in stated if (f.value or 0) >= floor), main)
    elif main is None and civilians is None and title:
        small = _first(title, ("children", "women")) or _first(title, ("non_civilians",))
        main = _whole_with_part(article, figures, body, small) if small else None
        if main is None and small is not None and small.group != "non_civilians":
            main = small  # the children or women are the civilians
        civilians = 0.0 if main is None else None  # a title counting only combatants
    elif main is None and civilians is None:
        first = next((f for f in body if f.part_of is None), None)
        main = _first(body, _UNNAMED)
        if first is not None and first.group == "non_civilians":
            # the first incident reported killed only combatants ("killing one fighter")
            same = [f for f in body if f.sentence_index == first.sentence_index]
            main = _first(same, _UNNAMED)
            civilians = 0.0 if main is None else None
    parts = _parts([(article.title, title), (article.text, figures)], main) if main else {}
    if main is not None and main.value is not None:
        civilians = main.value + _others(article.text, body, main)
        if main.group != "civilians":
            civilians = parts.get("civilians", civilians - parts.get("non_civilians", 0))
        if main.group != "civilians" and not parts and _combatants_only(_near(body, main), main):
            civilians = 0.0  # "cost 300 lives": then only fighters and soldiers are counted
    out: dict[str, int | None] = {"civilians": int(civilians or 0)}
    for group in ("children", "women"):
        found = main.value if main and main.group == group else parts.get(group)
        near = title + _near(body, main)
        found = found if found is not None else _value(_first(near, (group,), parts=True))
        out[group] = int(found or 0)
    fighters = _first(title, ("non_civilians",)) or _first(_near(body, main), ("non_civilians",))
    out["non_civilians"] = int(_value(fighters) or parts.get("non_civilians", 0))
    return out


def _value(figure: Figure | None) -> float | None:
    return figure.value if figure else None


_OTHERS = re.compile(r"\s+(?:more\s+)?others?\b", re.IGNORECASE)


def _others(text: str, body: list[Figure], main: Figure) -> float:
    """Deaths added to `main` in its own sentence: "killing two people and executing 14 others"."""
    if main not in body or main.group == "civilians":
        return 0.0
    later = [f for f in body if f.sentence_index == main.sentence_index and f.start > main.end]
    more = [f for f in later if f.part_of is None and _OTHERS.match(text, f.end)]
    return float(sum(f.value or 0 for f in more[:1]))


def _near(body: list[Figure], main: Figure | None, span: int = 2) -> list[Figure]:
    """Body counts reported with the main incident: its sentence and the next `span`."""
    if main is None or main not in body:
        return body[:1] if main is None else [f for f in body if f.sentence_index <= span]
    return [f for f in body if 0 <= f.sentence_index - main.sentence_index <= span]


def _combatants_only(near: list[Figure], main: Figure) -> bool:
    """Whether the counts reported around an unnamed count are all of combatants."""
    others = [
        f
        for f in near
        if f.value != main.value and f.group not in ("people", None) and f.part_of is None
    ]
    return bool(others) and all(f.group == "non_civilians" for f in others)


def casualty_summary(article: Article, figures: list[Figure]) -> dict[str, int | None]:
    """The article's main incident: deaths by group (`main_incident_deaths`), and killed,
    injured, missing and kidnapped of any kind of violence (`victims.main_incident_victims`)."""
    return main_incident_deaths(article, figures) | main_incident_victims(article)
