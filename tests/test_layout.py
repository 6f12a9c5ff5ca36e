"""The source layout keeps its rules: no import cycles, no module named like the
standard library's, no module that has grown past what one reader holds in mind."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "rgsite"


def _name(path: Path) -> tuple[str, bool]:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    is_package = parts[-1] == "__init__"
    return ".".join(parts[:-1] if is_package else parts), is_package


def _imports() -> dict[str, set[str]]:
    """Each module's imports of rgsite modules, including those under TYPE_CHECKING."""
    modules = {_name(path)[0]: path for path in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = name.split(".") if is_package else name.split(".")[:-1]
                if node.level:
                    base = base[: len(base) - node.level + 1]
                    target = ".".join([*base, *([node.module] if node.module else [])])
                else:
                    target = node.module or ""
                for alias in node.names:
                    sub = f"{target}.{alias.name}"
                    found.add(sub if sub in modules else target)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
        # A package's __init__ is imported by every module inside it: not an edge of its own.
        graph[name] = {m for m in found if m in modules and m != name and m != "rgsite"}
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state:
            found = visit(start)
            if found:
                return found
    return None


def test_no_module_imports_one_that_imports_it_back() -> None:
    cycle = _cycle(_imports())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_no_module_is_named_like_a_standard_library_module() -> None:
    clashes = sorted(
        str(path.relative_to(SRC))
        for path in PACKAGE.rglob("*.py")
        if path.stem in sys.stdlib_module_names
    )
    assert clashes == []


def test_modules_stay_small() -> None:
    # About 400 lines: past that a module is doing several jobs; split it along its seams.
    large = {
        str(path.relative_to(SRC)): count
        for path in PACKAGE.rglob("*.py")
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > 450
    }
    assert large == {}


def test_no_folder_holds_more_than_fifteen_modules() -> None:
    # Past that a reader cannot see a folder's stages at a glance; group them in a subpackage.
    crowded = {
        str(folder.relative_to(SRC)): count
        for folder in [PACKAGE, *(p for p in PACKAGE.rglob("*") if p.is_dir())]
        if (count := len(list(folder.glob("*.py")))) > 15
    }
    assert crowded == {}
