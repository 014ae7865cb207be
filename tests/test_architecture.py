"""Every import arrow points down.

The apps form layers; an app may import only apps below it, and no module may reach itself through a
chain of imports (a circle hidden by an import inside a function is still a circle). The checker reads
every import of the project's own modules with `ast` (module level, function level and relative
imports alike), so a new arrow upward fails here before it tangles the code. docs/architecture.md
explains the map; LAYERS below is the one place the order is declared.
"""

import ast
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

# Bottom to top. An app may import only the apps before it in this list; civic_portal is the
# configuration (settings, root urls) and sits on top of everything.
LAYERS = ["core", "communities", "news", "feedback", "events", "volunteers", "ops", "civic_portal"]

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Import:
    source: str  # importing module, dotted
    target: str  # imported project module, dotted (the most specific one that exists)
    line: int

    def __str__(self):
        return f"{self.source}:{self.line} imports {self.target}"


def module_name(path, root):
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules(root=ROOT, apps=LAYERS):
    """Dotted name → path of every module of the apps, leaving out migrations (history, not code)."""
    modules = {}
    for app in apps:
        for path in sorted((root / app).rglob("*.py")):
            if "migrations" in path.relative_to(root).parts:
                continue
            modules[module_name(path, root)] = path
    return modules


def _resolve(name, modules):
    """The most specific project module `name` denotes, or None when it is not ours."""
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def imports_of(name, source, modules, is_package=False):
    """Every import in one module's source that lands on a project module, wherever it sits."""
    package = name if is_package else name.rpartition(".")[0]
    found = {}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base_name = ".".join(base + ([node.module] if node.module else []))
            else:
                base_name = node.module
            # `from pkg import mod` imports the module pkg.mod; `from mod import name` imports mod.
            targets = [f"{base_name}.{alias.name}" for alias in node.names]
        else:
            continue
        for target in targets:
            resolved = _resolve(target, modules)
            if resolved and resolved != name:
                found.setdefault((resolved, node.lineno), Import(name, resolved, node.lineno))
    return list(found.values())


def read_imports(root=ROOT, apps=LAYERS):
    modules = project_modules(root, apps)
    found = []
    for name, path in modules.items():
        found += imports_of(name, path.read_text(encoding="utf-8"), modules, path.name == "__init__.py")
    return found


def arrows_against_order(imports, layers=LAYERS):
    """Imports from an app to an app that is not below it."""
    rank = {app: i for i, app in enumerate(layers)}
    wrong = []
    for imp in imports:
        source_app, target_app = imp.source.split(".")[0], imp.target.split(".")[0]
        if source_app != target_app and rank[target_app] > rank[source_app]:
            wrong.append(imp)
    return wrong


def import_cycles(imports):
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    graph = defaultdict(set)
    for imp in imports:
        graph[imp.source].add(imp.target)
    index, low, on_stack, stack, cycles = {}, {}, set(), [], []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        cycles.append(sorted(component))
    return sorted(cycles)


def _describe_cycle(component, imports):
    members = set(component)
    return (
        "  "
        + " ↔ ".join(component)
        + "\n"
        + "\n".join(f"    {imp}" for imp in imports if imp.source in members and imp.target in members)
    )


# The real project.


def test_every_app_is_in_the_declared_order():
    apps = {path.parent.name for path in ROOT.glob("*/__init__.py")} - {"tests"}
    assert apps == set(LAYERS)


def test_no_import_points_up():
    wrong = arrows_against_order(read_imports())
    assert not wrong, "imports against the order " + " < ".join(LAYERS) + ":\n" + "\n".join(map(str, wrong))


def test_no_import_cycle():
    imports = read_imports()
    cycles = import_cycles(imports)
    assert not cycles, "import cycles:\n" + "\n".join(_describe_cycle(c, imports) for c in cycles)


def migration_arrows_against_order(graph, layers=LAYERS):
    """Migration dependencies from an app to an app that is not below it (the history's arrows)."""
    rank = {app: i for i, app in enumerate(layers)}
    wrong = []
    for node in graph.nodes:
        for parent in graph.node_map[node].parents:
            child_app, parent_app = node[0], parent.key[0]
            if child_app in rank and parent_app in rank and rank[parent_app] > rank[child_app]:
                wrong.append(f"{node[0]}.{node[1]} depends on {parent.key[0]}.{parent.key[1]}")
    return sorted(wrong)


def test_no_migration_depends_on_an_app_above():
    # A fresh database is built from these: an arrow up here is a circle between the apps' histories.
    from django.db.migrations.loader import MigrationLoader

    wrong = migration_arrows_against_order(MigrationLoader(None, ignore_no_migrations=True).graph)
    assert not wrong, "migrations against the order:\n" + "\n".join(wrong)


def test_the_reader_sees_function_level_and_relative_imports():
    # A reader that skipped these would pass the two tests above while missing hidden arrows.
    modules = {"pkg": None, "pkg.a": None, "pkg.b": None, "pkg.sub": None, "pkg.sub.c": None, "other": None}
    source = "from . import b\nfrom .sub import c\ndef f():\n    import other\n    from pkg.sub.c import thing\n"
    found = imports_of("pkg.a", source, modules)
    assert [(i.target, i.line) for i in found] == [
        ("pkg.b", 1),
        ("pkg.sub.c", 2),
        ("other", 4),
        ("pkg.sub.c", 5),
    ]


# The checker can fail: synthetic graphs.


def test_checker_reports_an_arrow_pointing_up():
    imports = [
        Import("volunteers.models", "events.models", 3),
        Import("events.views", "volunteers.models", 18),
        Import("events.views", "events.views_helpers", 2),
    ]
    assert arrows_against_order(imports) == [Import("events.views", "volunteers.models", 18)]


def test_checker_reports_a_cycle_and_only_the_cycle():
    imports = [
        Import("communities.models", "communities.scope", 13),
        Import("communities.scope", "communities.models", 5),
        Import("communities.scope", "core.params", 1),
        Import("core.middleware", "core.views", 40),
        Import("core.views", "core.outage", 2),
        Import("core.outage", "core.middleware", 9),
    ]
    assert import_cycles(imports) == [
        ["communities.models", "communities.scope"],
        ["core.middleware", "core.outage", "core.views"],
    ]


def test_checker_reports_a_migration_depending_on_an_app_above():
    from django.db.migrations.graph import MigrationGraph

    graph = MigrationGraph()
    for key in [("communities", "0001_initial"), ("communities", "0002_initial"), ("feedback", "0001_initial")]:
        graph.add_node(key, None)
    graph.add_dependency("c2", ("communities", "0002_initial"), ("communities", "0001_initial"))
    graph.add_dependency("f1", ("feedback", "0001_initial"), ("communities", "0001_initial"))
    assert migration_arrows_against_order(graph) == []
    graph.add_dependency("c2", ("communities", "0002_initial"), ("feedback", "0001_initial"))
    assert migration_arrows_against_order(graph) == ["communities.0002_initial depends on feedback.0001_initial"]


def test_checker_finds_nothing_in_a_clean_graph():
    imports = [Import("events.views", "communities.models", 1), Import("communities.models", "core.images", 1)]
    assert arrows_against_order(imports) == []
    assert import_cycles(imports) == []


@pytest.mark.parametrize("app", LAYERS)
def test_each_app_is_read(app):
    # An app whose files the reader missed would pass vacuously.
    assert any(name.split(".")[0] == app for name in project_modules())
