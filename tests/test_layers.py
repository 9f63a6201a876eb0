"""The floor plan holds: each app imports only the layers below it, and no two apps import each other.

Every production module is read with `ast` (imports, `from` imports, relative ones, and those inside
functions, which hide a dependency as well as a top-level one); migrations, tests and bench are not
checked. A violation still waiting for its fix is listed in KNOWN_VIOLATIONS, and a listed violation
that no longer exists fails too, so the list can only shrink.
"""

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Lower first; an app may import the apps of the layers before its own. `spplus` is the configuration:
# it imports every app (URLs, Celery) and no app imports it.
LAYERS = [
    {"common"},
    {"notifications"},
    {"structures"},
    {"accounts"},
    {"actions"},
    {"transparency"},
    {"content", "panel"},
    {"experiences"},
    {"dashboards"},
    {"diagnostics"},
    {"opendata"},
    {"simplification"},
    {"demo"},
    {"spplus"},
]
NOT_CHECKED = {"tests", "bench"}

# Modules that belong to a higher app but still live in a lower one, each counted as part of the app it
# is going to, so that what imports it, and what it imports, is checked against that layer. Issue 13
# emptied it; a move split over several changes lists its modules here until it is done.
PENDING_MOVES: dict[str, str] = {}

# (importing module, imported module) still waiting for its fix; the list can only shrink.
KNOWN_VIOLATIONS: set[tuple[str, str]] = set()

RANK = {app: rank for rank, layer in enumerate(LAYERS) for app in layer}


def module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def production_modules(root: Path) -> dict[str, Path]:
    """Every module of the project's top-level packages, but tests, bench and migrations."""
    modules = {}
    for package in sorted(path.parent for path in root.glob("*/__init__.py")):
        if package.name in NOT_CHECKED:
            continue
        for path in package.rglob("*.py"):
            if "migrations" not in path.relative_to(root).parts:
                modules[module_name(path, root)] = path
    return modules


def imported_modules(name: str, path: Path, known: set[str]) -> set[str]:
    """The project modules `name` imports anywhere in its body; `from x import y` names x.y when y is a module."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                found.add(submodule if (submodule := f"{base}.{alias.name}") in known else base)
    return {module for module in found if module in known}


def app_of(module: str) -> str:
    # The longest pending prefix wins: a module inside a moving package moves with it.
    for prefix in sorted(PENDING_MOVES, key=len, reverse=True):
        if module == prefix or module.startswith(prefix + "."):
            return PENDING_MOVES[prefix]
    return module.partition(".")[0]


def import_graph(root: Path) -> set[tuple[str, str]]:
    """(importing module, imported module) for each import that crosses from one app to another."""
    modules = production_modules(root)
    known = set(modules)
    return {
        (name, imported)
        for name, path in modules.items()
        for imported in imported_modules(name, path, known)
        if app_of(name) != app_of(imported)
    }


def upward_imports(edges: set[tuple[str, str]]) -> set[tuple[str, str]]:
    return {(name, imported) for name, imported in edges if RANK[app_of(imported)] > RANK[app_of(name)]}


def app_cycles(edges: set[tuple[str, str]]) -> list[list[str]]:
    """The cycles between apps, each as the list of apps on it (a depth-first search from every app)."""
    graph = defaultdict(set)
    for name, imported in edges:
        graph[app_of(name)].add(app_of(imported))
    cycles = []
    for start in sorted(graph):
        stack = [(start, [start])]
        while stack:
            app, path = stack.pop()
            for following in sorted(graph[app]):
                if following == start:
                    cycles.append(path)
                elif following not in path and following > start:  # each cycle once, from its smallest app
                    stack.append((following, [*path, following]))
    return cycles


def test_every_package_has_a_layer():
    packages = {path.parent.name for path in ROOT.glob("*/__init__.py")} - NOT_CHECKED
    assert packages - RANK.keys() == set(), "Placez la nouvelle app dans LAYERS (tests/test_layers.py)."


def test_no_app_imports_a_higher_layer():
    new = upward_imports(import_graph(ROOT)) - KNOWN_VIOLATIONS
    assert new == set(), "imports vers une couche supérieure : " + ", ".join(sorted(" → ".join(e) for e in new))


def test_every_known_violation_still_exists():
    fixed = KNOWN_VIOLATIONS - upward_imports(import_graph(ROOT))
    assert fixed == set(), "corrigé, retirez-le de KNOWN_VIOLATIONS : " + ", ".join(sorted(map(str, fixed)))


def test_every_pending_move_is_still_pending():
    modules = production_modules(ROOT)
    moved = {
        prefix
        for prefix in PENDING_MOVES
        if not any(name == prefix or name.startswith(prefix + ".") for name in modules)
    }
    assert moved == set(), "déplacé, retirez-le de PENDING_MOVES : " + ", ".join(sorted(moved))


def test_no_import_cycle_between_apps():
    assert app_cycles(import_graph(ROOT) - KNOWN_VIOLATIONS) == []


def write(root: Path, module: str, text: str) -> None:
    path = root.joinpath(*module.split(".")).with_suffix(".py")
    path.parent.mkdir(parents=True, exist_ok=True)
    for parent in [path.parent, *path.parent.parents]:
        if parent == root:
            break
        (parent / "__init__.py").touch()
    path.write_text(text)


def test_an_import_inside_a_function_or_a_relative_one_is_found(tmp_path):
    write(tmp_path, "structures.models", "")
    write(tmp_path, "experiences.models", "")
    write(tmp_path, "structures.views", "def view():\n    from experiences import models\n")
    write(tmp_path, "structures.forms", "from .models import Structure\nimport experiences.models\n")
    write(tmp_path, "structures.tests_data.migrations.0001_initial", "import experiences.models\n")

    assert upward_imports(import_graph(tmp_path)) == {
        ("structures.views", "experiences.models"),
        ("structures.forms", "experiences.models"),
    }


def test_two_apps_importing_each_other_are_a_cycle(tmp_path):
    write(tmp_path, "experiences.views", "from dashboards import selectors\n")
    write(tmp_path, "dashboards.selectors", "from experiences.views import detail\n")

    assert app_cycles(import_graph(tmp_path)) == [["dashboards", "experiences"]]
