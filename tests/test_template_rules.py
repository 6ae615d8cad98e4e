"""Rules that keep HTML safe by construction in render/ and web/, checked on the sources:
markup only in autoescaped templates, no tags built in Python strings, Markup made in one
place, no import cycles or private names across modules, every module under 600 lines."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from wiretrace.render.html import REPORT_ENV
from wiretrace.web.templating import PAGES

SRC = Path(__file__).resolve().parents[1] / "src" / "wiretrace"
AREAS = ("render", "web")
MODULES = sorted(p for area in AREAS for p in (SRC / area).rglob("*.py"))
TEMPLATES = sorted(p for area in AREAS for p in (SRC / area / "templates").glob("*"))
# An HTML start or end tag, or a doctype, inside a Python string.
TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9-]*[\s>/]|<!doctype", re.I)


def _name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def test_the_areas_have_modules_and_templates() -> None:
    assert len(MODULES) > 20 and len(TEMPLATES) > 10


@pytest.mark.parametrize("path", MODULES, ids=lambda p: _name(p))
def test_no_html_tags_in_python_strings(path: Path) -> None:
    """Markup lives in templates: no string or f-string in Python writes a tag again."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = _docstrings(tree)
    found = [
        f"line {node.lineno}: {node.value[:60]!r}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docs
        and TAG.search(node.value)
    ]
    assert found == [], f"{path.name} builds HTML in Python: {found}"


def test_the_scan_finds_tags_in_f_strings() -> None:
    """The scan above sees the pieces of an f-string (it would catch the old style)."""
    tree = ast.parse("x = f'<a href=\"{url}\">{text}</a>'")
    assert any(
        isinstance(n, ast.Constant) and isinstance(n.value, str) and TAG.search(n.value)
        for n in ast.walk(tree)
    )


def test_markup_is_made_in_one_place_only() -> None:
    makers = [
        f"{_name(path)}:{node.lineno}"
        for path in MODULES
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and (getattr(node.func, "id", None) or getattr(node.func, "attr", None)) == "Markup"
    ]
    assert makers == ["wiretrace.render.templating:" + makers[0].split(":")[1]], makers
    assert len(makers) == 1


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_templates_never_turn_escaping_off(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"\|\s*safe\b", text), f"{path.name} uses |safe"
    assert not re.search(r"\{%-?\s*autoescape", text), f"{path.name} changes autoescape"
    assert "Markup" not in text


def test_every_template_is_autoescaped() -> None:
    for env in (REPORT_ENV, PAGES):
        names = env.list_templates()
        assert names
        assert callable(env.autoescape)
        for name in [*names, "anything.txt", "x.js"]:
            assert env.autoescape(name), name
        rendered = env.from_string("{{ value }}").render(value='<b a="1">')
        assert rendered == "&lt;b a=&#34;1&#34;&gt;"


def _imports(path: Path, known: set[str]) -> list[tuple[str, str, int]]:
    """(imported module, imported name or "", line) of every import in a module, function-level
    ones included; `from package import submodule` counts as importing the submodule."""
    here = _name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, "", node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                found.append(
                    (sub, "", node.lineno) if sub in known else (base, alias.name, node.lineno)
                )
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", None)) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            found.append((str(node.args[0].value), "", node.lineno))
    return found


def _graph() -> dict[str, set[str]]:
    every = sorted(SRC.rglob("*.py"))
    known = {_name(p) for p in every}
    return {
        _name(p): {module for module, _, _ in _imports(p, known) if module in known} for p in every
    }


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (or a module importing itself)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan; the graph is a few hundred modules
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                item = stack.pop()
                group.append(item)
                if item == node:
                    break
            if len(group) > 1 or node in graph.get(node, ()):
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles_through_render_or_web() -> None:
    areas = tuple(f"wiretrace.{area}" for area in AREAS)
    cycles = [c for c in _cycles(_graph()) if any(m.startswith(areas) for m in c)]
    assert cycles == []


def test_no_private_names_across_modules() -> None:
    known = {_name(p) for p in SRC.rglob("*.py")}
    areas = tuple(f"wiretrace.{area}" for area in AREAS)
    found = []
    for path in SRC.rglob("*.py"):
        here = _name(path)
        for module, name, line in _imports(path, known):
            private = name.startswith("_") and not name.startswith("__")
            crosses = module != here and (here.startswith(areas) or module.startswith(areas))
            if private and crosses:
                found.append(f"{here}:{line} imports {module}.{name}")
    assert found == []


@pytest.mark.parametrize("path", MODULES, ids=lambda p: _name(p))
def test_modules_stay_small(path: Path) -> None:
    assert len(path.read_text(encoding="utf-8").splitlines()) < 600


def test_template_lines_join_as_documented() -> None:
    """Line breaks in template sources: none between markup or statements, one space between
    words of running text, blank lines dropped; values keep their own newlines."""
    env = PAGES.overlay()
    source = (
        "<p>\n  Paste the text\n  here\n\n  <b>\n    {% if x %}\n      {{ x }}\n"
        "    {% endif %}\n  </b>\n</p>\n"
    )
    assert (
        env.from_string(source).render(x="a\nb <i>")
        == "<p>Paste the text here<b>a\nb &lt;i&gt;</b></p>\n"
    )
