"""The `ast` surface must equal the libcst one: every cross-file lesson resolves names with it."""

from __future__ import annotations

import json
import re
import textwrap

import pytest

from pytest_lessons.lang.python import imports, surface_cst
from pytest_lessons.lang.python.surface import ModuleSurface
from pytest_lessons.source import SourceFile
from tests.ast_support import require_ast_syntax
from tests.modern_syntax_samples import MODERN_GROUP_SAMPLES, MODERN_SAMPLES

SNIPPETS = {
    "imports": """
        import os, os.path as osp
        import a.b.c
        from . import sibling
        from ..core import (deps as d, models)
        from .star import *
        if TYPE_CHECKING:
            from typing import Any
        def lazy():
            import json
    """,
    "signatures": """
        @router.post("/orders/{order_id}", dependencies=[Depends(auth)], **extra)
        @login_required
        async def place(
            order_id: int, /, body: Order = Body(...), *args, token: str = Header(None), **kw
        ) -> dict:
            pass
        def plain(a, b=1, *, c, d=(2)): ...
    """,
    "grouping parentheses": """
        HELP = (
            "first half "  # a comment inside the parentheses
            "second half"
        )
        TIMEOUT = (300)  # seconds
        def f(user: (A | B) = (None), *, n=call((1))): ...
        @click.option("--x", help=("grouped"), default=f(("y")))
        def g(): ...
    """,
    "classes": """
        @dataclass(frozen=True)
        class Settings(BaseSettings, metaclass=Meta):
            model_config = SettingsConfigDict(
                env_prefix="APP_",
            )
            secret: str = "x"
            untyped: int
            if DEBUG:
                hidden = 1
            @property
            def url(self) -> str: ...
        class OneLine: x = 1
    """,
    "module assignments": """
        __all__ = ["a", "b"]
        A = B = "value"
        C: Final = 3
        if FLAG: D = 4
        try:
            E = compute()
        except ImportError:
            E = None
        for i in range(3):
            F = i
        with ctx() as g:
            G = g
    """,
    "non-ascii columns": """
        NAME = "café"; OTHER = ("naïve" "ë")
        def über(straße: str = "ß") -> "Ümlaut": ...
    """,
    **MODERN_SAMPLES,
    **MODERN_GROUP_SAMPLES,
}


def _libcst_surface(text: str) -> ModuleSurface:
    source = SourceFile.from_text("pkg/mod.py", text)
    extractor = surface_cst._Extractor("pkg.mod", False)
    source.python_metadata().visit(extractor)
    return ModuleSurface(
        module="pkg.mod",
        imports=extractor.imports,
        functions=extractor.functions,
        classes=extractor.classes,
        assignments=extractor.assignments,
        all_names=extractor.all_names,
    )


def _normalised(surface: ModuleSurface) -> str:
    """libcst re-indents the inner lines of a multi-line expression; nothing else may differ."""
    return re.sub(r"\\n|\s", "", json.dumps(surface.model_dump(), sort_keys=True))


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_the_ast_surface_equals_the_libcst_surface(name: str) -> None:
    text = textwrap.dedent(SNIPPETS[name]).lstrip()
    require_ast_syntax(text)
    fast = imports._fast_surface(SourceFile.from_text("pkg/mod.py", text), "pkg.mod", False)
    assert fast is not None
    assert _normalised(fast) == _normalised(_libcst_surface(text))


def test_grouping_parentheses_are_kept_and_call_parentheses_are_not() -> None:
    text = textwrap.dedent(SNIPPETS["grouping parentheses"]).lstrip()
    surface = imports._fast_surface(SourceFile.from_text("m.py", text), "m", False)
    assert surface is not None
    assert surface.assignments["TIMEOUT"] == "(300)"
    assert (
        surface.assignments["HELP"].startswith("(") and "a comment" in surface.assignments["HELP"]
    )
    f = surface.functions["f"]
    assert [p.annotation for p in f.params] == ["(A | B)", None]
    assert [p.default for p in f.params] == ["(None)", "call((1))"]
    option = surface.functions["g"].decorators[0]
    assert option.keywords == {"help": '("grouped")', "default": 'f(("y"))'}


def test_a_one_line_body_is_a_suite_as_in_libcst() -> None:
    text = textwrap.dedent(SNIPPETS["classes"]).lstrip()
    surface = imports._fast_surface(SourceFile.from_text("m.py", text), "m", False)
    assert surface is not None
    assert surface.classes["OneLine"].attributes == {}
    assert set(surface.classes["Settings"].attributes) == {"model_config", "secret"}
    assert surface.classes["Settings"].bases == ["BaseSettings"]


def test_syntax_the_interpreter_cannot_parse_falls_back_to_libcst() -> None:
    text = 'type Alias = list[int]\nVALUE = 1\nLABEL = f"{names["a"]}"\n'  # PEP 701 (3.12)
    source = SourceFile.from_text("m.py", text)
    try:
        compile(text, "m.py", "exec")
    except SyntaxError:
        assert imports._fast_surface(source, "m", False) is None
    surface = imports.module_surface(source)
    assert surface.assignments["VALUE"] == "1"
    assert surface.assignments["Alias"] == "list[int]"
