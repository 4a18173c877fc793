"""The apps depend one way: core <- accounts <- questions <- moderation <- notifications
(<- forum, the top: settings and root URLs). A module of an app may import its own layer
and those below it, never one above. Migrations are left out: they name other apps in
strings, not imports."""

import ast
from pathlib import Path

import pytest

LAYERS = [
    "core",
    "accounts",
    "questions",
    "moderation",
    "notifications",
    "reviews",
    "spam",
    "badges",
    "bounties",
    "webhooks",
    "api",
    "seapi",
    "privacy",
    "forum",
]
ROOT = Path(__file__).resolve().parent.parent


def upward_imports(source, app):
    """(line, module) of each import in `source`, a module of `app`, that names a higher
    layer: also those inside functions, which import late but depend all the same."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            modules = [node.module]
        else:
            continue
        for module in modules:
            layer = module.split(".")[0]
            if layer in LAYERS and LAYERS.index(layer) > LAYERS.index(app):
                found.append((node.lineno, module))
    return found


def app_modules(app):
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" not in path.relative_to(ROOT / app).parts:
            yield path


@pytest.mark.parametrize("app", LAYERS[:-1])
def test_an_app_imports_nothing_from_a_layer_above_it(app):
    found = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in app_modules(app)
        for line, module in upward_imports(path.read_text(), app)
    ]

    assert found == []


def test_the_check_finds_upward_imports_at_the_top_and_inside_functions():
    source = (
        "from accounts.roles import is_moderator\n"
        "from moderation import services\n"
        "def late():\n"
        "    import forum.settings\n"
        "    from . import selectors\n"
    )

    assert upward_imports(source, "questions") == [(2, "moderation"), (4, "forum.settings")]
    assert upward_imports(source, "moderation") == [(4, "forum.settings")]
    assert upward_imports(source, "core") == [
        (1, "accounts.roles"),
        (2, "moderation"),
        (4, "forum.settings"),
    ]
