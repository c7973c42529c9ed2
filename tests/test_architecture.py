"""The package layout: sub-packages by capability, imports that run one way, no cycles.

Every import counts, including those inside functions (they are how cold start stays fast, and a
cycle through them is still a cycle)."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "policycli"

# What each layer may import (besides itself). Interfaces → engines → dataset; `errors` and the
# package root (its version) are below everything.
ALLOWED = {
    "errors": set(),
    "dataset": {"errors", "policycli"},
    "search": {"phonetics", "dataset", "errors"},
    "contacts": {"phonetics", "dataset", "errors"},
    "phonetics": set(),
    "awards": {"dataset", "errors"},
    "match": {"awards", "dataset", "errors"},
    "lists": {"dataset", "errors"},
    "load": {"awards", "match", "dataset"},
    "shapes": {"awards", "errors"},
    "web": {"load", "shapes", "search", "contacts", "awards", "match", "dataset", "errors", "policycli"},
    "cli": {"load", "shapes", "web", "search", "contacts", "awards", "match", "lists", "dataset", "errors", "policycli"},
    "__main__": {"cli"},
    "policycli": set(),
}
ENGINES = ("dataset", "phonetics", "search", "contacts", "awards", "match", "lists")
INTERFACE_LIBRARIES = ("typer", "click", "rich", "starlette", "uvicorn", "jinja2")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}


def imports_of(name: str) -> set[str]:
    """Every module of policycli (or outside library, by top name) that `name` imports."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.add(target)
            for alias in node.names:  # `from . import render` imports a module, not a name
                if f"{target}.{alias.name}" in MODULES:
                    found.add(f"{target}.{alias.name}")
    return found


def internal(targets: set[str]) -> set[str]:
    return {t for t in targets if t in MODULES}


def layer(name: str) -> str:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


GRAPH = {name: internal(imports_of(name)) - {name} for name in MODULES}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one node (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_between_modules():
    assert cycles(GRAPH) == []


def test_no_import_cycle_between_sub_packages():
    layers: dict[str, set[str]] = {}
    for name, targets in GRAPH.items():
        layers.setdefault(layer(name), set()).update(layer(t) for t in targets if layer(t) != layer(name))
    assert cycles(layers) == []


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_run_one_way(name):
    own = layer(name)
    wrong = sorted(t for t in GRAPH[name] if layer(t) != own and layer(t) not in ALLOWED[own])
    assert wrong == [], f"{name} ({own}) may not import {wrong}"


@pytest.mark.parametrize("name", sorted(n for n in MODULES if layer(n) in ENGINES))
def test_the_core_never_imports_an_interface_library(name):
    tops = {t.split(".")[0] for t in imports_of(name)}
    assert not tops & set(INTERFACE_LIBRARIES), f"{name} imports {sorted(tops & set(INTERFACE_LIBRARIES))}"


def test_at_most_six_plain_modules_at_the_top():
    plain = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(plain) <= 6, plain


def test_every_sub_package_says_what_it_owns():
    for init in PACKAGE.glob("*/__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and doc.startswith(f"{init.parent.name}:") or init.parent.name == "render", init


def test_every_layer_is_known():
    assert {layer(n) for n in MODULES} <= set(ALLOWED)
