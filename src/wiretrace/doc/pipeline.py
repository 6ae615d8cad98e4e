"""Pipeline components: small named functions that read and set an article's layers.

A component declares the layers it needs and the layers it sets (spaCy's `Language.add_pipe`
with `requires` / `assigns`); `run` checks both, so a component run out of order fails with the
name of the missing layer instead of a wrong finding. Components are defined with `@component(...)`
in the modules named in `COMPONENT_MODULES` (the one list a new component module is added to),
which are imported the first time the registry is read, so `run(article, ["figures"])` works
without knowing where "figures" lives; `wiretrace components` lists them. `Settings` carries the
choices a user makes per run (which quote finder, which loaded-language path).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from wiretrace.doc.article import Article
from wiretrace.doc.layers import KNOWN
from wiretrace.errors import PipelineError


@dataclass(frozen=True, slots=True)
class Settings:
    """Per-run choices: None means "the default path" (an environment variable may pick it)."""

    parser: bool | None = None  # reported speech from a dependency parse (`parse` extra)
    tagger: bool | None = None  # reported speech from the trained tagger (`semantic` extra)
    detector: bool | None = None  # loaded language from the trained detector (`semantic` extra)


DEFAULT_SETTINGS = Settings()

Run = Callable[[Article, Settings], None]


@dataclass(frozen=True, slots=True)
class Component:
    """One registered step: its name, the layers it reads and sets, and what it does."""

    name: str
    needs: tuple[str, ...]
    sets: tuple[str, ...]
    run: Run
    doc: str

    def to_dict(self) -> dict[str, object]:
        """JSON-ready fields (`wiretrace components --format json`)."""
        return {
            "name": self.name,
            "needs": list(self.needs),
            "sets": list(self.sets),
            "doc": self.doc,
        }


# Where components are defined: imported on first use of the registry (they sit above `doc/`
# in the flow, so `doc/` never imports them statically).
COMPONENT_MODULES = ("wiretrace.claims.components", "wiretrace.trace.claim_flags")

REGISTRY: dict[str, Component] = {}


def registry() -> dict[str, Component]:
    """Every registered component by name, in registration order."""
    for module in COMPONENT_MODULES:
        importlib.import_module(module)
    return REGISTRY


def component(name: str, *, needs: Iterable[str] = (), sets: Iterable[str]) -> Callable[[Run], Run]:
    """Register the decorated function as the component `name`."""

    def register(run: Run) -> Run:
        if name in REGISTRY:
            raise ValueError(f"component {name!r} registered twice")
        made = Component(name, tuple(needs), tuple(sets), run, (run.__doc__ or "").strip())
        unknown = [layer for layer in (*made.needs, *made.sets) if layer not in KNOWN]
        if unknown:
            raise ValueError(f"component {name!r} names undeclared layer(s) {unknown}")
        REGISTRY[name] = made
        return run

    return register


def run(article: Article, names: Iterable[str], settings: Settings = DEFAULT_SETTINGS) -> Article:
    """Run the named components on the article in order; returns the article."""
    known = registry()
    for name in names:
        step = known.get(name)
        if step is None:
            raise PipelineError(f"no component named {name!r} (known: {', '.join(known)})")
        missing = [layer for layer in step.needs if not article.has_layer(layer)]
        if missing:
            raise PipelineError(
                f"component {name!r} needs layer(s) {', '.join(missing)}, not set on "
                f"article {article.id}: run the components that set them first"
            )
        step.run(article, settings)
        unset = [layer for layer in step.sets if not article.has_layer(layer)]
        if unset:
            raise PipelineError(f"component {name!r} did not set layer(s) {', '.join(unset)}")
    return article
