"""The shape of extract/: no import cycle, modules readable in one sitting, one room per rule."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "extract"
#: The longest a module may grow (lines): a module has one job and is read in one sitting.
MAX_MODULE_LINES = 560


def _modules() -> dict[str, Path]:
    mods = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        mods[name] = path
    return mods


def import_graph() -> dict[str, set[str]]:
    """Module → the extract modules it imports, at any level (lazy imports in functions too);
    ``from extract import chrome`` imports ``extract.chrome``, not the package."""
    mods = _modules()
    graph: dict[str, set[str]] = {m: set() for m in mods}
    for name, path in mods.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                subs = [f"{target}.{a.name}" for a in node.names if f"{target}.{a.name}" in mods]
                targets = subs or [target]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                continue
            graph[name].update(t for t in targets if t in mods and t != name)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative enough)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
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


def test_the_import_graph_has_no_cycle() -> None:
    graph = import_graph()
    assert "extract.records" in graph and graph["extract.pipeline"]  # the scan sees the package
    assert cycles(graph) == []


def test_a_cycle_would_be_found() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == [["a", "b", "c"]]


def test_no_module_is_too_long_to_read_in_one_sitting() -> None:
    long = {str(p.relative_to(PACKAGE.parent)): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES}
    assert not long, long


def test_the_readme_module_table_names_every_module() -> None:
    """The README's table of stages names every module of the package (and no other)."""
    readme = (PACKAGE.parent / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("| stage | module | job |"):]
    table = table[: table.index("\n\n")]
    named = set()
    for cell in (line.split("|")[2] for line in table.splitlines()[2:]):
        named.update(part.strip(" `") for part in cell.split(",") if part.strip(" `"))
    files = {str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py") if p.name != "__main__.py"}
    missing = {f for f in files if not _named(f, named)}
    assert not missing, sorted(missing)


def _named(module: str, named: set[str]) -> bool:
    """A module counts as named by its file name, or by its folder (``readers/``)."""
    folder = module.rsplit("/", 1)[0] + "/" if "/" in module else None
    return module in named or (folder is not None and folder in named) or module.endswith("__init__.py")


def test_one_room_per_rule() -> None:
    """Where a rule lives, and that nobody else redefines it."""
    sources = {p: p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py")}
    defined = {
        "def classify_status": "status.py",
        "def period_end": "dates.py",
        "def mark_leaves": "records.py",
        "def unit_key": "units.py",
        "CHECKS: dict": "checks.py",
        "def fold_width": "width.py",
    }
    for marker, home in defined.items():
        owners = [p.name for p, text in sources.items() if marker in text]
        assert owners == [home], (marker, owners)
    # The report, the analysis and the SQL view ask records.mark_leaves (Item.leaf) what a
    # problem is; none of them works it out from parent numbers again.
    for path, text in sources.items():
        if path.name in ("html.py", "analysis.py", "sqlite.py", "themes.py"):
            assert "parent_no" not in text or "leaf" in text, path.name
