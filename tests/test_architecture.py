"""The package layout: sub-packages by capability, imports that run one way, no cycles.

Every import counts, including those inside functions (they are how cold start stays fast, and a
cycle through them is still a cycle)."""
from __future__ import annotations

import ast
import functools
import re
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


@functools.cache
def tree(name: str) -> ast.Module:
    """The module's syntax tree, parsed once, when a test first needs it (collection stays quick)."""
    return ast.parse(MODULES[name].read_text(encoding="utf-8"))


def imports_of(name: str) -> set[str]:
    """Every module of policycli (or outside library, by top name) that `name` imports."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree(name)):
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


@functools.cache
def graph() -> dict[str, set[str]]:
    """Each module's imports of policycli's other modules."""
    return {name: internal(imports_of(name)) - {name} for name in MODULES}


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
    assert cycles(graph()) == []


def test_no_import_cycle_between_sub_packages():
    layers: dict[str, set[str]] = {}
    for name, targets in graph().items():
        layers.setdefault(layer(name), set()).update(layer(t) for t in targets if layer(t) != layer(name))
    assert cycles(layers) == []


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_run_one_way(name):
    own = layer(name)
    wrong = sorted(t for t in graph()[name] if layer(t) != own and layer(t) not in ALLOWED[own])
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


# --- Typer, Click and Rich through their public interfaces only ---------------------------------

UI_LIBRARIES = ("typer", "click", "rich")


def is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def own_private_names(trees: list[ast.AST]) -> set[str]:
    """The private attributes policycli's own classes have: methods and class attributes, and
    `self._x` / `cls._x` (an assignment to another object's `_x` is not a definition: it is the use
    looked for)."""
    found: set[str] = set()
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                for item in node.body:
                    if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                        found.add(item.name)
                    for target in item.targets if isinstance(item, ast.Assign) else \
                            [item.target] if isinstance(item, ast.AnnAssign) else []:
                        if isinstance(target, ast.Name):
                            found.add(target.id)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store) \
                    and isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"):
                found.add(node.attr)
    return {name for name in found if is_private(name)}


def own_modules(tree: ast.AST) -> set[str]:
    """The names a module binds by importing policycli's own modules (their private names are
    policycli's)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("policycli")):
            names.update(alias.asname or alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.asname or alias.name.split(".")[0] for alias in node.names
                         if alias.name.split(".")[0] == "policycli")
    return names


def library_names(tree: ast.AST) -> dict[str, str]:
    """Each name the module binds by importing from Typer, Click or Rich, with what it names
    (`rich_utils` → `typer.rich_utils`, `Table` → `rich.table.Table`)."""
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in UI_LIBRARIES:
                    names[alias.asname or alias.name.split(".")[0]] = alias.name if alias.asname else alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and not node.level and (node.module or "").split(".")[0] in UI_LIBRARIES:
            for alias in node.names:
                names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return names


def root_name(node: ast.AST) -> str | None:
    """The name an expression starts from: `rich_utils` in `rich_utils.Panel`, `Table` in `Table()._cells`."""
    while isinstance(node, (ast.Attribute, ast.Call, ast.Subscript)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def dotted(node: ast.AST, names: dict[str, str]) -> str | None:
    """`typer.core.TyperGroup` for a base class written `TyperGroup` or `core.TyperGroup`."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.insert(0, node.attr)
        node = node.value
    if not isinstance(node, ast.Name) or node.id not in names:
        return None
    return ".".join([names[node.id], *parts])


def resolved(path: str) -> object | None:
    """The object a dotted path of a library names, or None."""
    import importlib

    parts = path.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found: object = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for part in parts[cut:]:
            found = getattr(found, part, None)
        return found
    return None


def private_uses(source: str, own: set[str]) -> list[str]:
    """Where `source` (a module of policycli) reaches into Typer, Click or Rich: a private module or
    name imported (`typer._click`, `from rich.x import _y`); a private attribute of an imported name
    (`rich_utils._make_rich_text`, `Table()._cells`) or, in a module that imports one of them, a
    private attribute policycli does not define (`text._spans`, `self._measure_column`); getattr and
    the like with a private name on those; a library's module or class changed (`setattr(rich_utils,
    …)`, `rich_utils.Panel = …`); in a subclass of their classes, a private method overridden or
    called through super()."""
    tree = ast.parse(source)
    names = library_names(tree)
    own = own | own_modules(tree)
    found: list[str] = []

    def report(node: ast.AST, what: str) -> None:
        found.append(f"line {node.lineno}: {what}: {ast.unparse(node)[:80]}")

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in UI_LIBRARIES and any(is_private(p) for p in alias.name.split(".")):
                    report(node, "private module")
        elif isinstance(node, ast.ImportFrom) and not node.level and (node.module or "").split(".")[0] in UI_LIBRARIES:
            if any(is_private(p) for p in node.module.split(".")) or any(is_private(a.name) for a in node.names):
                report(node, "private import")
        elif isinstance(node, ast.Attribute) and is_private(node.attr):
            if root_name(node.value) in names:
                report(node, "private attribute of the library")
            elif names and node.attr not in own and root_name(node.value) not in own:
                report(node, "private attribute not of policycli")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args:
            if node.func.id == "setattr" and root_name(node.args[0]) in names:
                report(node, "library changed")
            elif node.func.id in ("getattr", "setattr", "hasattr", "delattr") and len(node.args) > 1 \
                    and isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str) \
                    and is_private(node.args[1].value) \
                    and (root_name(node.args[0]) in names or (names and node.args[1].value not in own)):
                report(node, "private attribute by name")
        elif isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id in names:
                    report(target, "library changed")
        elif isinstance(node, ast.ClassDef):
            found += [f"class {node.name}: {use}" for use in private_overrides(node, names)]
    return found


def private_overrides(cls: ast.ClassDef, names: dict[str, str]) -> list[str]:
    """Private methods of a library base class that `cls` overrides or calls through super()."""
    bases = [resolved(path) for path in (dotted(base, names) for base in cls.bases) if path]
    if not bases:
        return []
    found = []
    for node in ast.walk(cls):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and is_private(node.name) \
                and any(hasattr(base, node.name) for base in bases):
            found.append(f"overrides {node.name}")
        if isinstance(node, ast.Attribute) and is_private(node.attr) and isinstance(node.value, ast.Call) \
                and isinstance(node.value.func, ast.Name) and node.value.func.id == "super":
            found.append(f"calls super().{node.attr}")
    return found


@functools.cache
def own_private() -> set[str]:
    return own_private_names([tree(name) for name in MODULES])


# The modules that name Typer, Click or Rich at all: every module importing one of them (found
# without parsing while the tests are collected).
NAMES_UI_LIBRARY = re.compile(r"\b(?:typer|click|rich)\b")


@pytest.mark.parametrize("name", sorted(n for n in MODULES if NAMES_UI_LIBRARY.search(MODULES[n].read_text(encoding="utf-8"))))
def test_typer_click_and_rich_are_used_through_their_public_interfaces_only(name):
    assert private_uses(MODULES[name].read_text(encoding="utf-8"), own_private()) == []


@pytest.mark.parametrize("source", [
    "from typer._click import exceptions",
    "import rich._ratio",
    "from rich.table import _Cell",
    "from typer import rich_utils\nrich_utils._make_rich_text = None",
    "from typer import rich_utils\nsetattr(rich_utils, 'OPTIONS_PANEL_TITLE', '选项')",
    "from typer import rich_utils\nrich_utils.Panel = object",
    "import typer\nx = typer.main._main",
    "from rich.table import Table\ncells = Table()._cells",
    "from rich.text import Text\ndef copy(text):\n    return text._spans",
    "import rich\nvalue = getattr(console, '_buffer')",
    "from rich.table import Table\nclass T(Table):\n    def _calculate_column_widths(self, console, options):\n        return []",
    "from rich.table import Table\nclass T(Table):\n    def widths(self, console, options):\n"
    "        return super()._calculate_column_widths(console, options)",
])
def test_each_kind_of_private_use_is_found(source):
    assert private_uses(source, set()) != []


@pytest.mark.parametrize("source", [
    "from rich.table import Table\nclass T(Table):\n    def widths(self):\n        return self._own\n"
    "    def _own_helper(self):\n        return super().add_row()",
    "from rich.text import Text\ntext = Text('x')\nspans = text.spans",
    "import yaml\nvalue = node._private",  # another library: not this test's concern
])
def test_public_use_and_own_private_names_are_not_reported(source):
    assert private_uses(source, {"_own", "_own_helper"}) == []
