"""core.registry: hooks collected in INSTALLED_APPS order, loud when a declaration lies, and no
hand-kept list of app names left anywhere in the code."""

import ast
import importlib
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from core import registry
from core import search as site_search

PORTAL_APPS = ["communities", "news", "events", "volunteers", "feedback"]
ROOT = Path(settings.BASE_DIR)
SKIPPED_DIRS = {".venv", "tests", "migrations", "node_modules", "static", "templates", "locale", "var"}


def test_portal_apps_come_in_installed_apps_order():
    assert registry.portal_app_labels() == [app for app in settings.INSTALLED_APPS if app in PORTAL_APPS]
    assert registry.portal_app_labels() == PORTAL_APPS
    assert [m.__name__ for m in registry.modules("demo")] == [f"{app}.demo" for app in PORTAL_APPS]
    assert [m.__name__ for m in registry.modules("blocks")] == [
        "communities.blocks",
        "news.blocks",
        "events.blocks",
        "volunteers.blocks",
        "feedback.blocks",
    ]
    assert [m.__name__ for m in registry.modules("search")] == ["news.search", "events.search", "volunteers.search"]


def test_reordering_installed_apps_reorders_the_hooks():
    reordered = [app for app in settings.INSTALLED_APPS if app != "feedback"]
    reordered.insert(reordered.index("news"), "feedback")
    with override_settings(INSTALLED_APPS=reordered):
        assert registry.portal_app_labels() == ["communities", "feedback", "news", "events", "volunteers"]
        assert [c.label for c in registry.apps_with("blocks")] == [
            "communities",
            "feedback",
            "news",
            "events",
            "volunteers",
        ]
    assert registry.portal_app_labels() == PORTAL_APPS


@pytest.fixture
def new_app(tmp_path, monkeypatch):
    """An app made of its own files only: a package ``plugin`` with the given modules, declaring ``hooks``."""

    def make(hooks, files):
        package = tmp_path / "plugin"
        package.mkdir()
        (package / "__init__.py").write_text("")
        for name, source in files.items():
            (package / f"{name}.py").write_text(source)
        monkeypatch.syspath_prepend(str(tmp_path))
        importlib.invalidate_caches()
        config_class = type("PluginConfig", (registry.PortalAppConfig,), {"name": "plugin", "hooks": hooks})
        config = config_class("plugin", importlib.import_module("plugin"))
        config.apps = apps
        monkeypatch.setitem(apps.app_configs, "plugin", config)
        return config

    yield make
    for name in [n for n in sys.modules if n == "plugin" or n.startswith("plugin.")]:
        del sys.modules[name]


def test_a_new_app_plugs_in_with_its_own_files(db, new_app):
    new_app(
        ("search",),
        {
            "search": "def search(terms, limit):\n"
            "    return [{'kind': 'x', 'title': 'plugin', 'url': '/p/', 'snippet': '', 'date': None, 'score': 9}]\n"
        },
    )
    assert registry.portal_app_labels()[-1] == "plugin"
    assert [m.__name__ for m in registry.modules("search")][-1] == "plugin.search"
    assert [r["title"] for r in site_search.run(["社区"])] == ["plugin"]


def test_a_declared_but_missing_module_is_an_error(new_app):
    new_app(("search", "demo"), {"search": "def search(terms, limit):\n    return []\n"})
    assert registry.modules("search")[-1].__name__ == "plugin.search"
    with pytest.raises(ImproperlyConfigured, match=r"'plugin' declares the hook 'demo' but has no module plugin\.demo"):
        registry.modules("demo")


def test_a_hook_module_without_its_definitions_is_an_error(new_app):
    new_app(("sitemaps", "blocks"), {"sitemaps": "MAPS = {}\n", "blocks": "def side_block(request):\n    pass\n"})
    with pytest.raises(ImproperlyConfigured, match=r"plugin\.sitemaps does not define SITEMAPS"):
        registry.modules("sitemaps")
    with pytest.raises(ImproperlyConfigured, match=r"plugin\.blocks does not define home_block or"):
        registry.modules("blocks")


def test_an_import_error_inside_a_hook_module_is_not_hidden(new_app):
    new_app(("bench",), {"bench": "import no_such_module_anywhere\nPAGES = {}\n"})
    with pytest.raises(ModuleNotFoundError, match="no_such_module_anywhere"):
        registry.modules("bench")


def test_unknown_hook_names_are_errors(new_app):
    with pytest.raises(ImproperlyConfigured, match="No hook named 'serach'"):
        registry.modules("serach")
    new_app(("serach",), {})
    with pytest.raises(ImproperlyConfigured, match=r"'plugin' declares unknown hook\(s\) serach"):
        registry.portal_app_labels()


def app_lists(source, labels):
    """Line numbers of list, tuple and set literals naming two or more of ``labels`` (as "news" or
    "news.bench"), except settings' INSTALLED_APPS."""
    tree = ast.parse(source)
    exempt = {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "INSTALLED_APPS" for t in node.targets)
    }
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.List | ast.Tuple | ast.Set) and id(node) not in exempt:
            named = {
                element.value.split(".")[0]
                for element in node.elts
                if isinstance(element, ast.Constant) and isinstance(element.value, str)
            }
            if len(named & set(labels)) >= 2:
                found.append(node.lineno)
    return found


def project_files():
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if not SKIPPED_DIRS.intersection(parts) and not any(p.startswith(".") for p in parts):
            yield path


def test_the_list_finder_finds_lists():
    labels = registry.portal_app_labels()
    assert app_lists('APPS = ["news", "events"]\n', labels) == [1]
    assert app_lists('for m in (\n    "news.bench",\n    "feedback.bench",\n):\n    pass\n', labels) == [1]
    assert app_lists('X = {"communities", "feedback"}\n', labels) == [1]
    assert app_lists('INSTALLED_APPS = ["news", "events"]\n', labels) == []
    assert app_lists('grant("news.view_story", "news.add_story")\nURLS = ["news:list", "events:list"]\n', labels) == []


def test_no_hand_kept_list_of_app_names_in_the_code():
    labels = registry.portal_app_labels()
    files = list(project_files())
    assert ROOT / "core" / "registry.py" in files and ROOT / "civic_portal" / "settings.py" in files
    offences = [f"{path.relative_to(ROOT)}:{line}" for path in files for line in app_lists(path.read_text(), labels)]
    assert offences == [], "declare the app's hooks in its AppConfig and ask core.registry instead"


def test_no_portal_app_imports_ops():
    """ops sits above every app: it hands them what they need (the demo picture maker), never the other way."""
    offences = []
    for label in registry.portal_app_labels():
        for path in project_files():
            if path.relative_to(ROOT).parts[0] != label:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
                if isinstance(node, ast.ImportFrom) and node.level == 0:
                    names = [node.module]
                offences += [f"{path.relative_to(ROOT)}:{node.lineno}" for n in names if n.split(".")[0] == "ops"]
    assert offences == []


def test_the_system_check_names_each_broken_declaration(new_app):
    assert registry.check() == []
    new_app(("demo", "retention"), {"retention": "def purge(cutoff, dry_run=False):\n    return 0\n"})
    messages = [(error.id, error.msg) for error in registry.check()]
    assert messages == [
        ("core.E001", "App 'plugin' declares the hook 'demo' but has no module plugin.demo."),
        (
            "core.E001",
            "App 'plugin' declares the hook 'retention' but plugin.retention does not define COUNTED, CUTOFF.",
        ),
    ]
