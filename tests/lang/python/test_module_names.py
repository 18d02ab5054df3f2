"""Module names guessed from the layout: src, flat, namespace packages and project markers."""

from __future__ import annotations

from pytest_lessons.lang.python.imports import ImportIndex
from pytest_lessons.lang.python.module_names import module_name_for, package_roots


def test_module_name_for_src_flat_and_namespace_layouts() -> None:
    assert module_name_for("src/shop/api/x.py", ["", "src"]) == "shop.api.x"
    assert module_name_for("src/shop/__init__.py", ["", "src"]) == "shop"
    assert module_name_for("backend/app/main.py", ["", "backend"]) == "app.main"
    assert module_name_for("scripts/my-tool.py", [""]) is None
    assert module_name_for("README.md", [""]) is None


def test_package_roots_from_markers_init_chains_and_src() -> None:
    rels = [
        "backend/pyproject.toml",
        "backend/app/__init__.py",
        "backend/app/api/routes/items.py",  # namespace package under a marked root
        "libs/core/pkg/__init__.py",
        "libs/core/pkg/mod.py",
        "src/ns/sub/__init__.py",  # a namespace package inside src stays named from src
        "src/ns/sub/x.py",
    ]
    roots = package_roots(rels)
    assert {"", "backend", "libs/core", "src"} <= set(roots)
    assert "src/ns" not in roots
    idx = ImportIndex({}, files=rels)
    assert idx.module_of("backend/app/api/routes/items.py") == "app.api.routes.items"
    assert idx.module_of("libs/core/pkg/mod.py") == "pkg.mod"
    assert idx.module_of("src/ns/sub/x.py") == "ns.sub.x"
