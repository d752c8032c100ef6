"""The grading engine's layers point one way: text <- models <- evidence <- scoring <- the pipeline
and its graders <- evaluation.

Every module's imports are read from its source (ast), including imports inside functions and
under ``TYPE_CHECKING``, so a lazy import cannot hide an arrow. The checks fail on an import from a
higher layer, on any cycle between modules (within a layer too), on a module that no layer claims,
and on a function-level import of the engine inside the engine (the package's own ``__init__``
defers loading the models on purpose, and is the one exception).
"""

from __future__ import annotations

import ast
from pathlib import Path

import interview_prep.grading

PACKAGE = "interview_prep.grading"
ROOT = Path(interview_prep.grading.__file__).parent

# Lower numbers sit lower. ``result`` holds the types that every layer produces or reads (the
# engine's vocabulary): it imports nothing of the engine, so it ranks with the text layer.
LAYERS: dict[str, int] = {
    "text": 0,
    "result": 0,
    "models": 1,
    "evidence": 2,
    "scoring": 3,
    "": 4,  # the top level: pipeline, graders, lexical, service and the package itself
    "evaluation": 5,
}


def modules(root: Path, package: str) -> dict[str, Path]:
    """Every module under ``root`` by dotted name (packages by their own name)."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join([package, *parts])] = path
    return found


def imports(name: str, path: Path, known: set[str]) -> list[tuple[str, int, bool]]:
    """``(imported module, line, at module level)`` for each import of a module in ``known``."""
    tree = ast.parse(path.read_text("utf-8"), filename=str(path))
    own_package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    top_level = {id(node) for node in tree.body}
    for node in tree.body:  # ``if TYPE_CHECKING:`` blocks count as module level
        if isinstance(node, ast.If):
            top_level.update(id(child) for child in node.body)
    found = []
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = own_package.split(".")[: len(own_package.split(".")) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            # ``from package import module`` imports the module; ``from module import name`` it.
            targets = [
                f"{source}.{alias.name}" if f"{source}.{alias.name}" in known else source
                for alias in node.names
            ]
        for target in targets:
            if target in known:
                found.append((target, node.lineno, id(node) in top_level))
    return found


def layer_of(path: Path, root: Path) -> int | None:
    """A sub-package's layer, or the top level's (``result`` aside); None for an unknown folder."""
    parts = path.relative_to(root).parts
    if len(parts) > 1:
        return LAYERS.get(parts[0])
    return LAYERS.get(path.stem, LAYERS[""]) if path.stem != "__init__" else LAYERS[""]


Edges = dict[str, list[tuple[str, int, bool]]]


def graph(root: Path, package: str) -> tuple[Edges, dict[str, int | None]]:
    """Each module's imports of the package's modules, and each module's layer."""
    found = modules(root, package)
    edges = {name: imports(name, path, set(found)) for name, path in found.items()}
    return edges, {name: layer_of(path, root) for name, path in found.items()}


def upward_imports(edges: Edges, layers: dict[str, int | None]) -> list[str]:
    problems = []
    for name, targets in edges.items():
        here = layers[name]
        for target, line, _ in targets:
            there = layers[target]
            if here is not None and there is not None and there > here:
                problems.append(f"{name}:{line} imports {target} from a higher layer")
    return problems


def unplaced(layers: dict[str, int | None]) -> list[str]:
    return [name for name, layer in layers.items() if layer is None]


def lazy_imports(edges: Edges, package: str) -> list[str]:
    return [
        f"{name}:{line} imports {target} inside a function"
        for name, targets in edges.items()
        if name != package
        for target, line, at_top in targets
        if not at_top
    ]


def cycles(edges: Edges) -> list[list[str]]:
    """The strongly connected components of more than one module, or a module importing itself."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target, _, _ in edges.get(node, []):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            looped = any(target == node for target, _, _ in edges.get(node, []))
            if len(component) > 1 or looped:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_the_engine_imports_point_down_only():
    edges, layers = graph(ROOT, PACKAGE)
    assert len(edges) > 30  # every module was read, not an empty folder
    assert unplaced(layers) == []
    assert upward_imports(edges, layers) == []
    assert lazy_imports(edges, PACKAGE) == []
    assert cycles(edges) == []


def test_the_result_types_import_nothing_of_the_engine():
    edges, layers = graph(ROOT, PACKAGE)
    assert edges[f"{PACKAGE}.result"] == []
    assert layers[f"{PACKAGE}.result"] == LAYERS["text"]


def test_the_checks_catch_an_upward_import_a_cycle_and_a_lazy_import(tmp_path: Path):
    package = "fake"
    for folder in ("text", "scoring", "evaluation", "widgets"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "__init__.py").write_text("")
    (tmp_path / "__init__.py").write_text("")
    (tmp_path / "pipeline.py").write_text("from .scoring import c\n")
    (tmp_path / "text" / "a.py").write_text("from . import b\nfrom ..scoring.c import x\n")
    (tmp_path / "text" / "b.py").write_text("def f():\n    from .a import y\n")
    (tmp_path / "scoring" / "c.py").write_text("from ..text import a\n")
    (tmp_path / "evaluation" / "d.py").write_text(
        "import fake.scoring.c\nfrom .. import pipeline\n"
    )
    (tmp_path / "widgets" / "e.py").write_text("")

    edges, layers = graph(tmp_path, package)

    assert edges["fake.evaluation.d"] == [("fake.scoring.c", 1, True), ("fake.pipeline", 2, True)]
    assert upward_imports(edges, layers) == [
        "fake.text.a:2 imports fake.scoring.c from a higher layer"
    ]
    assert lazy_imports(edges, package) == ["fake.text.b:2 imports fake.text.a inside a function"]
    assert cycles(edges) == [["fake.scoring.c", "fake.text.a", "fake.text.b"]]
    assert unplaced(layers) == ["fake.widgets", "fake.widgets.e"]
