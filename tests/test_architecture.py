"""The layout of the code holds to docs/architecture.md.

Read from the source (nothing is imported): every module stays under 500 lines; the modules
import each other without a cycle, counting imports inside functions and modules named in strings
for ``importlib`` or a subprocess; each package imports only what its paragraph in
docs/architecture.md allows; the packages of the document, of its picture, of the code and of the
test folders are the same.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parent.parent
CODE = ROOT / "inko_graph"
DOC = ROOT / "docs" / "architecture.md"
TESTS = ROOT / "tests"
MAX_LINES = 500
#: Test folders that hold no tests of a package.
NOT_PACKAGES = {"data", "vendor", "artifacts", "__pycache__"}
TOP = "oberste ebene"  # the modules directly in inko_graph/, as docs/architecture.md calls them


def _modules() -> dict[str, Path]:
    mods = {}
    for p in sorted(CODE.rglob("*.py")):
        parts = list(p.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        mods[".".join(parts)] = p
    return mods


MODULES = _modules()


def _unit(module: str) -> str:
    """The package a module belongs to, or the top level."""
    parts = module.split(".")
    if len(parts) > 2 or (len(parts) == 2 and MODULES[module].name == "__init__.py"):
        return parts[1]
    return TOP


def _known(name: str) -> str | None:
    """The module that ``name`` (a module, or a name in one) stands for."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _imports(module: str, path: Path) -> set[str]:
    """Every module of the project that ``module`` imports: at the top, inside functions, under
    ``TYPE_CHECKING``, and named in a string (``importlib.import_module``, ``python -m``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    dynamic = "import_module" in path.read_text(encoding="utf-8")
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(_known(a.name) for a in node.names if a.name.startswith("inko_graph"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "inko_graph":
                continue
            for a in node.names:
                sub = f"{target}.{a.name}"
                found.add(sub if sub in MODULES else _known(target))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if node.value in MODULES:
                found.add(node.value)
            elif dynamic and f"{package}.{node.value}" in MODULES:  # plugin lists: ROUTER_MODULES, COMMAND_MODULES
                found.add(f"{package}.{node.value}")
    found.discard(None)
    found.discard(module)
    return found


GRAPH = nx.DiGraph()
for _m, _p in MODULES.items():
    GRAPH.add_node(_m)
    GRAPH.add_edges_from((_m, t) for t in _imports(_m, _p))


def _doc() -> tuple[dict[str, set[str]], set[str], list[str], dict[str, set[str]]]:
    """From docs/architecture.md: each package with what it may import, the top-level modules
    named, the package folders in the Mermaid picture, and the modules each package's paragraph
    names. Headings and paragraphs stand apart by blank lines."""
    text = DOC.read_text(encoding="utf-8")
    allowed: dict[str, set[str]] = {}
    top_modules: set[str] = set()
    named: dict[str, set[str]] = {}
    current = None
    for line in (" ".join(para.split()) for para in re.split(r"\n\s*\n", text)):  # one line per paragraph
        if line.startswith("## "):
            current = None
        head = re.match(r"^### (.*)", line)
        if head:
            title = head.group(1)
            pkg = re.match(r"`(\w+)/`", title)
            if pkg:
                current = pkg.group(1)
            elif title.lower().startswith(TOP):
                current = TOP
                top_modules = set(re.findall(r"`(\w+)\.py`", title))
            else:
                current = None
            if current:
                allowed[current] = set()
            continue
        if current and current != TOP:
            named.setdefault(current, set()).update(re.findall(r"`(\w+)\.py`", line))
        may = re.match(r"^Darf importieren: (.*)", line)
        if may and current:
            names = set(re.findall(r"`(\w+)/`", may.group(1)))
            if TOP in may.group(1).lower():
                names.add(TOP)
            allowed[current] = names
    mermaid = re.search(r"```mermaid\n(.*?)```", text, re.S)
    pictured = re.findall(r"\b(\w+)\[\"(\w+)/\"\]", mermaid.group(1) if mermaid else "")
    return allowed, top_modules, [name for node, name in pictured if node == name], named


ALLOWED, TOP_MODULES, PICTURED, NAMED = _doc()
PACKAGES = {_unit(m) for m in MODULES} - {TOP}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_module_stays_short(module):
    lines = len(MODULES[module].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{MODULES[module].relative_to(ROOT)} has {lines} lines (at most {MAX_LINES})"


def test_no_import_cycle():
    cycles = [c for c in nx.simple_cycles(GRAPH)]
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c + [c[0]]) for c in cycles[:20])


def test_packages_of_the_document_are_the_packages_of_the_code():
    assert set(ALLOWED) - {TOP} == PACKAGES


def test_top_level_modules_are_those_the_document_names():
    top = {m.rpartition(".")[2] for m in MODULES if _unit(m) == TOP and m != "inko_graph"}
    assert TOP_MODULES == top


def test_modules_the_document_names_exist():
    missing = [f"{pkg}/{name}.py" for pkg, names in NAMED.items() for name in names
               if not (CODE / pkg / f"{name}.py").exists()]
    assert not missing


def test_picture_shows_every_package_once():
    assert sorted(PICTURED) == sorted(PACKAGES)


def test_packages_import_only_what_the_document_allows():
    wrong = []
    for a, b in GRAPH.edges:
        ua, ub = _unit(a), _unit(b)
        if ua != ub and ub not in ALLOWED.get(ua, set()):
            wrong.append(f"{a} imports {b} ({ua} may import: {', '.join(sorted(ALLOWED.get(ua, ()))) or 'nothing'})")
    assert not wrong, "\n".join(wrong)


def test_allowed_imports_point_to_packages_described_before():
    """The sections stand from the bottom up, so the allowed imports have no cycle."""
    order = list(ALLOWED)
    later = {pkg: [b for b in names if b != pkg and order.index(b) > order.index(pkg)]
             for pkg, names in ALLOWED.items() if all(b in order for b in names)}
    assert not {pkg: b for pkg, b in later.items() if b}
    assert all(b in order for names in ALLOWED.values() for b in names)


def test_tests_mirror_the_packages():
    folders = {p.name for p in TESTS.iterdir() if p.is_dir()} - NOT_PACKAGES
    assert folders == PACKAGES
    for folder in folders:
        assert list((TESTS / folder).glob("test_*.py")), f"tests/{folder}/ holds no tests"


def test_the_check_finds_cycles_through_functions_and_strings(tmp_path):
    """The reader of imports sees an import inside a function and a module named in a string."""
    body = ("def f():\n    from ..store import journal\n\n"
            "import importlib\nMODULES = ['inko_graph.query.catalogue', 'report']\n")
    p = tmp_path / "probe.py"
    p.write_text(body, encoding="utf-8")
    found = _imports("inko_graph.load.probe", p)
    assert {"inko_graph.store.journal", "inko_graph.query.catalogue"} <= found
