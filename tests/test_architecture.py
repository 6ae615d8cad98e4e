"""The code's shape stays as docs/architecture.md draws it: every package has its section there,
no import cycles between modules, no private names imported across modules, no module over 600
lines. Read from the sources with `ast` (imports inside functions count: hiding a cycle in a
function does not remove it; imports under `if TYPE_CHECKING:` do not run and are left out)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "wiretrace"
MAX_LINES = 600


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


MODULES = _modules()


def _runtime_nodes(tree: ast.Module) -> list[ast.AST]:
    """Every node except those under `if TYPE_CHECKING:`."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(sub) for stmt in node.body for sub in ast.walk(stmt))
    return [node for node in ast.walk(tree) if id(node) not in skipped]


def _imports(name: str, path: Path) -> list[tuple[str, str | None]]:
    """(module imported, name taken from it or None) for each import of a wiretrace module."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: list[tuple[str, str | None]] = []
    for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.extend((alias.name, None) for alias in node.names if alias.name in MODULES)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            for alias in node.names:
                if f"{base}.{alias.name}" in MODULES:
                    out.append((f"{base}.{alias.name}", None))
                elif base in MODULES:
                    out.append((base, alias.name))
    return out


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _cycles() -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan's algorithm)."""
    edges = {name: {target for target, _ in found} for name, found in GRAPH.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return groups


def test_no_import_cycles() -> None:
    assert _cycles() == []


def test_no_private_names_across_modules() -> None:
    crossing = [
        f"{name} imports {taken} from {target}"
        for name, found in GRAPH.items()
        for target, taken in found
        if taken and taken.startswith("_") and not taken.startswith("__") and target != name
    ]
    assert crossing == []


def test_no_module_over_the_line_limit() -> None:
    long = {
        name: count
        for name, path in MODULES.items()
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_every_package_has_its_section_in_the_architecture_page() -> None:
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    sections = set(re.findall(r"^### `(\w+)/`$", page, re.MULTILINE))
    packages = {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    assert packages - sections == set(), "packages with no section in docs/architecture.md"
    assert sections - packages == set(), "sections for packages that no longer exist"


def test_every_package_says_its_job() -> None:
    for init in PACKAGE.glob("*/__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and len(doc.split()) >= 5, f"{init.parent.name}/ has no docstring"


@pytest.mark.parametrize(
    ("source", "cycle"),
    [
        ({"a": "from wiretrace.b import x", "b": "def f():\n    from wiretrace.a import y"}, True),
        ({"a": "from wiretrace.b import x", "b": "import json"}, False),
    ],
)
def test_the_cycle_check_sees_imports_hidden_in_functions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: dict[str, str], cycle: bool
) -> None:
    """The checks above can fail: a cycle through a function-level import is found."""
    for name, text in source.items():
        (tmp_path / f"{name}.py").write_text(text + "\n", encoding="utf-8")
    modules = {f"wiretrace.{name}": tmp_path / f"{name}.py" for name in source}
    monkeypatch.setitem(globals(), "MODULES", modules)
    monkeypatch.setitem(globals(), "GRAPH", {n: _imports(n, p) for n, p in modules.items()})
    assert bool(_cycles()) is cycle
