"""Who may import whom (the architecture's import rules), read from the source's module-level imports:
ground stands on the standard library alone; a layer never imports another layer; the store never
reaches back into reading, cleaning or analysis; the web and the exporters stand on the store and
ground; no import circles."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from .helpers import ROOT

SRC = ROOT / "src"
# shared ground: the data model, errors, dates, geography, defaults, lexicons, the layer registry
GROUND = (
    "newsgraph",
    "newsgraph.document",
    "newsgraph.errors",
    "newsgraph.dates",
    "newsgraph.geo",
    "newsgraph.defaults",
    "newsgraph.progress",
    "newsgraph.outlets",
    "newsgraph.lexicons",
    "newsgraph.layers",
    "newsgraph.layers._builtin",
    "newsgraph.layers._registry",
)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted((SRC / "newsgraph").rglob("*.py"))}


def _module_level(body: list[ast.stmt]) -> list[ast.Import | ast.ImportFrom]:
    """Imports run when the module is imported: not inside functions, not under ``if TYPE_CHECKING``."""
    found: list[ast.Import | ast.ImportFrom] = []
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        elif isinstance(node, ast.If):
            if not (isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"):
                found += _module_level(node.body) + _module_level(node.orelse)
        elif isinstance(node, ast.Try):
            found += _module_level(node.body) + _module_level(node.orelse) + _module_level(node.finalbody)
            for handler in node.handlers:
                found += _module_level(handler.body)
    return found


def imports_of(name: str) -> set[str]:
    """The modules ``name`` imports at module level (``from a import b``: a, and a.b when it is a module)."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in _module_level(ast.parse(path.read_text(encoding="utf-8")).body):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
            continue
        base = node.module or ""
        if node.level:
            anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
            base = ".".join([*anchor, *([base] if base else [])])
        out.add(base)
        out.update(f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in MODULES)
    return out


def ours(modules: set[str]) -> set[str]:
    return {m for m in modules if m == "newsgraph" or m.startswith("newsgraph.")}


def is_layer(name: str) -> bool:
    """A layer's own module (``layers.quotes``, ``layers.times.grammar``), not the registry or support."""
    parts = name.split(".")
    return len(parts) >= 3 and parts[1] == "layers" and not parts[2].startswith("_")


def test_ground_stands_on_the_standard_library() -> None:
    for name in GROUND:
        outside = {
            m
            for m in imports_of(name)
            if m.split(".")[0] not in sys.stdlib_module_names and m not in GROUND and m != "__future__"
        }
        assert not outside, f"{name} imports {sorted(outside)}"


def test_a_layer_never_imports_another_layer() -> None:
    for name in MODULES:
        if not is_layer(name):
            continue
        own = ".".join(name.split(".")[:3])
        others = {m for m in ours(imports_of(name)) if is_layer(m) and not m.startswith(own)}
        assert not others, f"{name} imports the layers {sorted(others)}"


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        (
            "newsgraph.store",
            ("newsgraph.sources", "newsgraph.clean", "newsgraph.pipeline", "newsgraph.ingest", "newsgraph.nlp"),
        ),
        ("newsgraph.web", ("newsgraph.sources", "newsgraph.clean", "newsgraph.pipeline", "newsgraph.export")),
        ("newsgraph.export", ("newsgraph.sources", "newsgraph.clean", "newsgraph.pipeline", "newsgraph.web")),
    ],
)
def test_the_store_web_and_exports_stand_on_the_store_and_ground(package: str, forbidden: tuple[str, ...]) -> None:
    allowed = (package, "newsgraph.store", *GROUND)
    for name in MODULES:
        if name != package and not name.startswith(package + "."):
            continue
        for m in ours(imports_of(name)):
            assert not m.startswith(forbidden), f"{name} imports {m}"
            assert m in allowed or m.startswith(allowed[:2]) or m == "newsgraph", f"{name} imports {m}"
            assert not is_layer(m), f"{name} imports the layer {m} (the registry's declarations are enough)"


def test_the_cli_loads_the_library_only_when_a_command_runs() -> None:
    assert ours(imports_of("newsgraph.cli")) <= {"newsgraph", *GROUND}


def test_no_import_circles() -> None:
    graph = {name: {m for m in ours(imports_of(name)) if m in MODULES and m != name} for name in MODULES}
    done: set[str] = set()

    def visit(name: str, path: list[str]) -> None:
        if name in path:
            raise AssertionError("import circle: " + " -> ".join([*path[path.index(name) :], name]))
        if name in done:
            return
        for m in sorted(graph[name]):
            visit(m, [*path, name])
        done.add(name)

    for name in MODULES:
        visit(name, [])
