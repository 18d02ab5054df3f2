"""The Python import layer: module names from layouts, bindings, and cross-file resolution."""

from __future__ import annotations

from pytest_lessons.lang.python.imports import (
    MODULE,
    ImportIndex,
    module_surface,
    resolution_surface,
)
from pytest_lessons.lang.python.surface import ImportBinding
from pytest_lessons.source import SourceFile


def index(files: dict[str, str], extra: tuple[str, ...] = ()) -> ImportIndex:
    surfaces = {rel: module_surface(SourceFile.from_text(rel, code)) for rel, code in files.items()}
    return ImportIndex(surfaces, files=extra)


def test_bindings_resolve_relative_imports_against_the_package() -> None:
    surface = module_surface(
        SourceFile.from_text(
            "src/app/api/x.py",
            "import os.path\nimport a.b as c\nfrom ..core import y as z\nfrom . import orders\n"
            "def f():\n    from .late import g\n",
        )
    )
    assert surface.module == "app.api.x"
    assert surface.imports[2] == ImportBinding(
        local="z", module="app.core", name="y", level=2, source="..core", line=3
    )
    assert [(b.local, b.module, b.name) for b in surface.imports] == [
        ("os", "os.path", None),
        ("c", "a.b", None),
        ("z", "app.core", "y"),
        ("orders", "app.api", "orders"),
        ("g", "app.api.late", "g"),
    ]
    assert surface.imports[-1].top_level is False


def test_surface_signatures_decorators_and_assignments() -> None:
    surface = module_surface(
        SourceFile.from_text(
            "m.py",
            "@router.post('/x', status_code=201)\nasync def h(a: int, *, b: str = Header(None)):"
            " ...\nclass V(views.MethodView):\n    decorators = [login_required]\n"
            "    def post(self): ...\nX = Annotated[U, Depends(f)]\n",
        )
    )
    handler = surface.functions["h"]
    assert handler.is_async
    assert [(p.name, p.kind, p.annotation, p.default) for p in handler.params] == [
        ("a", "normal", "int", None),
        ("b", "keyword-only", "str", "Header(None)"),
    ]
    assert handler.decorators[0].name == "router.post"
    assert handler.decorators[0].args == ["'/x'"]
    assert handler.decorators[0].keywords == {"status_code": "201"}
    assert surface.classes["V"].bases == ["views.MethodView"]
    assert list(surface.classes["V"].methods) == ["post"]
    assert surface.classes["V"].attributes == {"decorators": "[login_required]"}
    assert surface.assignments["X"] == "Annotated[U, Depends(f)]"


def test_resolve_follows_relative_absolute_and_reexports() -> None:
    idx = index(
        {
            "src/shop/__init__.py": "",
            "src/shop/api/__init__.py": "from .router import api_router\n",
            "src/shop/api/router.py": "api_router = APIRouter()\n",
            "src/shop/core/deps.py": "def get_user(): ...\n",
            "src/shop/routes/__init__.py": "",
            "src/shop/routes/orders.py": "router = APIRouter()\n",
            "src/shop/main.py": (
                "from .api import api_router\n"
                "from .routes import orders\n"
                "from shop.core.deps import get_user as current\n"
                "import shop.core.deps\n"
                "from fastapi import Depends\n"
            ),
            "src/shop/api/v2.py": "from ..core import deps\nfrom ..core.deps import *\n",
        }
    )
    main = "src/shop/main.py"
    assert idx.resolve(main, "api_router") == ("src/shop/api/router.py", "api_router")
    assert idx.resolve(main, "orders") == ("src/shop/routes/orders.py", MODULE)
    assert idx.resolve(main, "orders.router") == ("src/shop/routes/orders.py", "router")
    assert idx.resolve(main, "current") == ("src/shop/core/deps.py", "get_user")
    assert idx.resolve(main, "shop.core.deps.get_user") == ("src/shop/core/deps.py", "get_user")
    assert idx.resolve(main, "Depends") is None  # leaves the repository
    assert idx.resolve("src/shop/api/v2.py", "deps.get_user") == (
        "src/shop/core/deps.py",
        "get_user",
    )
    assert idx.resolve("src/shop/api/v2.py", "get_user") == ("src/shop/core/deps.py", "get_user")


def test_a_module_imported_under_its_own_first_name_and_a_none_placeholder() -> None:
    """`import ee.src.main as ee` names `ee.src.main`, not the package `ee`; `ee = None` before a
    conditional import is a placeholder, so `ee.extend` is the imported module's function."""
    idx = index(
        {
            "ee/__init__.py": "",
            "ee/src/__init__.py": "",
            "ee/src/main.py": "def extend(app): ...\n",
            "main.py": "ee = None\nif enabled():\n    import ee.src.main as ee\n",
            "plain.py": "import ee.src.main\n",
            "kept.py": "ee = make()\nif enabled():\n    import ee.src.main as ee\n",
        }
    )
    assert idx.resolve("main.py", "ee") == ("ee/src/main.py", MODULE)
    assert idx.resolve("main.py", "ee.extend") == ("ee/src/main.py", "extend")
    assert idx.resolve("plain.py", "ee") == ("ee/__init__.py", MODULE)
    assert idx.resolve("plain.py", "ee.src.main.extend") == ("ee/src/main.py", "extend")
    assert idx.resolve("kept.py", "ee") == ("kept.py", "ee")  # a real value stays the value


def test_absolute_import_in_an_unmarked_monorepo_falls_back_to_the_nearest_suffix() -> None:
    idx = index(
        {
            "backend/app/api/x.py": "from app.core import settings\n",
            "backend/app/core.py": "settings = Settings()\n",
            "other/app/core.py": "settings = 1\n",
        }
    )
    assert idx.resolve("backend/app/api/x.py", "settings") == ("backend/app/core.py", "settings")


def test_import_cycles_terminate() -> None:
    idx = index({"a.py": "from b import x\n", "b.py": "from a import x\n"})
    assert idx.resolve("a.py", "x") is None


def test_constant_follows_module_strings_and_settings_defaults() -> None:
    idx = index(
        {
            "app/config.py": (
                "PREFIX = '/v1'\nclass Settings(BaseSettings):\n    API_V1_STR: str = '/api/v1'\n"
                "settings = Settings()\n"
            ),
            "app/main.py": "from app.config import settings, PREFIX\nfrom app import config\n",
        }
    )
    assert idx.constant("app/main.py", "settings.API_V1_STR") == "/api/v1"
    assert idx.constant("app/main.py", "PREFIX") == "/v1"
    assert idx.constant("app/main.py", "config.PREFIX") == "/v1"
    assert idx.constant("app/main.py", "settings.MISSING") is None


_RESOLVED = {
    "app/__init__.py": "from .api import *\n",
    "app/api/__init__.py": "from .orders import router, Kind\n__all__ = ['router', 'Kind']\n",
    "app/api/orders.py": (
        "from enum import StrEnum\n"
        "from fastapi import APIRouter, Depends\n"
        "from app.core.deps import get_user as current\n"
        "router = APIRouter(prefix='/orders')\n"
        "class Kind(StrEnum):\n"
        "    PLACED = 'order_placed'\n"
        "    def label(self) -> str:\n"
        "        return self.value\n"
        "@router.get('/{order_id}')\n"
        "async def read(order_id: int, user=Depends(current)) -> dict[str, int]:\n"
        "    return {}\n"
        "def helper(): ...\n"
    ),
    "app/core/deps.py": (
        "PREFIX = '/v1'\n"
        "class Settings:\n"
        "    API_STR: str = '/api'\n"
        "    def reload(self, force: bool = False) -> None: ...\n"
        "settings = Settings()\n"
        "def get_user(token: str = Header()) -> str:\n"
        "    return token\n"
    ),
    "app/main.py": (
        "from app import router, Kind\nfrom app.core import deps\nimport app.core.deps\n"
    ),
}


def test_the_resolution_surface_resolves_every_name_as_the_full_one() -> None:
    """What the telemetry lessons keep of each module (no parameters, decorators, return
    annotations or methods) answers every question `ImportIndex` asks as the full surface."""
    files = {rel: SourceFile.from_text(rel, code) for rel, code in _RESOLVED.items()}
    full = ImportIndex({rel: module_surface(file) for rel, file in files.items()})
    slim = ImportIndex({rel: resolution_surface(file) for rel, file in files.items()})
    names = [
        "router", "Kind", "Kind.PLACED", "current", "read", "helper", "deps", "deps.PREFIX",
        "deps.settings.API_STR", "settings.API_STR", "app.core.deps.get_user", "APIRouter",
        "get_user", "PREFIX", "missing",
    ]  # fmt: skip
    answers = 0
    for rel in files:
        for name in names:
            assert slim.resolve(rel, name) == full.resolve(rel, name), (rel, name)
            assert slim.constant(rel, name) == full.constant(rel, name), (rel, name)
            answers += full.resolve(rel, name) is not None
    assert answers >= 10, "the sample must resolve names for the comparison to mean anything"
    assert slim.constant("app/main.py", "deps.settings.API_STR") == "/api"
    orders = resolution_surface(files["app/api/orders.py"])
    assert orders.classes["Kind"].bases == ["StrEnum"]
    assert orders.classes["Kind"].attributes == {"PLACED": "'order_placed'"}
    assert orders.classes["Kind"].methods == {} and orders.functions["read"].params == []
    assert orders.functions["read"].decorators == [] and orders.functions["read"].is_async
    assert orders.functions["read"].returns is None


def test_the_resolution_surface_shares_what_it_leaves_as_it_was() -> None:
    """A module with nothing to leave out is its full surface; a function with nothing to
    leave out is the full surface's record; and both are made once per file."""
    plain = SourceFile.from_text("app/plain.py", "import os\nX = 1\ndef f(): ...\nclass C: ...\n")
    assert resolution_surface(plain) is module_surface(plain)
    mixed = SourceFile.from_text("app/mixed.py", "def f(): ...\ndef g(x): ...\n")
    slim, full = resolution_surface(mixed), module_surface(mixed)
    assert slim is not full and slim is resolution_surface(mixed)
    assert slim.functions["f"] is full.functions["f"]
    assert slim.functions["g"] != full.functions["g"] and slim.functions["g"].params == []
