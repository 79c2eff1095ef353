"""The apps import one way (DESIGN.md): newsroom knows no app, people knows newsroom, articles
knows people, workflow knows articles, and the desk knows them all. Read from every module's
imports, so an arrow against this order fails here before it tangles the code."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ["newsroom", "people", "articles", "workflow", "desk"]
# What each app may import, besides itself. The root URLconf puts the apps' pages together.
MAY_IMPORT = {
    "newsroom": set(),
    "people": {"newsroom"},
    "articles": {"newsroom", "people"},
    "workflow": {"newsroom", "people", "articles"},
    "desk": {"newsroom", "people", "articles", "workflow"},
}
EXEMPT = {"newsroom/urls.py"}
LONGEST_MODULE = 420  # lines: "no module over ~400"


def modules(app):
    return sorted(
        path
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts and "__pycache__" not in path.parts
    )


def imported_apps(path):
    """The project apps a module imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found |= {name.split(".")[0] for name in names} & set(APPS)
    return found


@pytest.mark.parametrize("app", APPS)
def test_an_app_imports_only_the_apps_before_it(app):
    wrong = {}
    for path in modules(app):
        relative = path.relative_to(ROOT).as_posix()
        if relative in EXEMPT:
            continue
        against = imported_apps(path) - MAY_IMPORT[app] - {app}
        if against:
            wrong[relative] = sorted(against)
    assert wrong == {}, f"{app} may import only {sorted(MAY_IMPORT[app])}"


def test_the_check_sees_an_import_against_the_order(tmp_path):
    module = tmp_path / "views.py"
    module.write_text("def f():\n    from workflow.permissions import can_see\nimport desk.sites\n")
    assert imported_apps(module) == {"workflow", "desk"}


def test_no_module_is_much_over_400_lines():
    long = {
        path.relative_to(ROOT).as_posix(): count
        for app in APPS
        for path in modules(app)
        if (count := len(path.read_text().splitlines())) > LONGEST_MODULE
    }
    assert long == {}


def test_the_desk_owns_the_admin_screens():
    """Content apps hold content and public pages; the editors' screens live in the desk."""
    for app in ("people", "articles", "workflow"):
        assert not (ROOT / app / "admin.py").exists(), f"{app}/admin.py belongs in desk/admin/"
