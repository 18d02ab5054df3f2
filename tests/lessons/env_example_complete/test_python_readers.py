"""env-example-complete: the `ast` reader of the Python half must give the libcst reader's facts.

The judge names variables from these reads and settings classes, and reports them at their
positions: a difference would make a finding depend on the interpreter. Compared on the shapes
where the two trees differ (argument order, flat boolean chains, constants that libcst reads as
names, one-line suites, `del` tuples, non-ASCII columns), on every lesson example tree and demo,
and on this project's own source as a corpus of real modules.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from pytest_lessons.checks.env_example_complete.python import _PYTHON_GATE as READ
from pytest_lessons.checks.env_example_complete.python import python_facts
from pytest_lessons.checks.env_example_complete.python_ast import ast_python_facts
from pytest_lessons.checks.env_example_complete.python_cst import cst_python_facts
from pytest_lessons.checks.env_example_complete.python_facts import PythonFacts
from pytest_lessons.errors import AnalysisError
from pytest_lessons.source import SourceFile
from tests.ast_support import require_ast_syntax
from tests.python_corpus import python_files

ROOT = Path(__file__).resolve().parents[3]

SNIPPETS = {
    "reads and fallbacks": """
        import os
        import os as system
        from os import environ, getenv as ge
        from os import environ as env

        A = os.environ["A"]
        B = os.environ.get("B", "fallback")
        C = os.getenv(key="C", default=None)
        D = ge("D") or ge("D2") or "literal"
        E = (os.getenv("E") or (os.getenv("E2") or os.getenv("E3")))
        F = system.environ.get("F") or os.environ.get("F2") and other or ""
        G = env["G"] if "G" in environ else os.getenv("H", os.getenv("H2", ""))
        I = "I" not in os.environ
        J = (os.environ["J"])
        K = os.getenv(*args)
        L = os.getenv("L", *rest)
        M = os.getenv(default="x", key="M")
        N = f"{os.environ['N']}/{getenv('N2')}"
        P = os.environ["P1", "P2"]
        Q = os.environ[slice_start:]
        R = os.environ.get(**options)
        S = (lambda: os.getenv("S"))()
        T = [os.getenv(name) for name in ("T1", "T2")]
        U = os.environ[("U")]
        V = os.environ["V" "W"]
        X = os.getenv("X", ...) or None
    """,
    "writes and copies": """
        import os

        os.environ["W1"] = "value"
        os.environ["COPY"] = os.environ["ORIGINAL"]
        os.environ["COPY2"] = os.getenv("ORIGINAL")
        os.environ["AUG"] += "more"
        del os.environ["GONE"]
        del os.environ["GONE1"], os.environ["GONE2"]
        first = os.environ["CHAINED"] = "x"
        os.environ["PAIR1"], other = pair()
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "app.settings")
        annotated: str = os.environ["ANNOTATED"]
    """,
    "settings classes": """
        from typing import Annotated, ClassVar, Optional
        from pydantic import AliasChoices, AliasPath, Field
        from pydantic_settings import BaseSettings, SettingsConfigDict
        from . import base
        from ..core import *

        PREFIX = "APP_"
        PREFIX = "OTHER_"

        @decorated(Settings())
        class Database(BaseModel):
            host: str = "localhost"
            port: int

        class Settings(BaseSettings):
            model_config = SettingsConfigDict(env_prefix="APP_", env_nested_delimiter="__",
                                              case_sensitive=True)
            database: Database
            url: Optional[str] = None
            key: str = Field(..., validation_alias=AliasChoices("KEY", "SECRET_KEY"))
            path: str = Field(default="x", alias=AliasPath("PATH_ROOT", 0))
            token: Annotated[str, Field(alias="TOKEN_NAME")]
            both: str | None = Field(default_factory=list, env=["B1", "B2", *more])
            flags: dict[str, "Flag"] = {}
            tuple_: tuple[int, ...] = ()
            _private: str = "x"
            limit: ClassVar[int] = 3
            empty: str = ""
            nothing: None = None
            literal: Literal[True, "mode"] = True

        class FromConstant(base.Settings, metaclass=Meta, env_prefix=PREFIX):
            name: str

        class Computed(BaseSettings):
            model_config = {"env_prefix": prefix(), "case_sensitive": False}
            value: int

        class V1(BaseSettings):
            class Config:
                env_prefix: str = "V1_"
                fields = {"value": "V1_VALUE", "other": {"env": ["O1", "O2"]}, **extra}
                case_sensitive = False
            value: int
            other: int

        class OneLine(BaseSettings): hidden: str = "x"

        class Starred(*mixins):
            field: str

        class NoBase:
            field: str

        settings = Settings()
        other = config.Computed()
        None()
    """,
    "reads guarded by a ternary": """
        import os
        from os import environ

        BASE = os.environ["BASE"].rstrip("/") if os.environ.get("BASE") else "/"
        ROOT = environ["ROOT"] if os.getenv("ROOT") else default_root()
        OFF = os.environ["OFF"] if os.getenv("OFF") else ""
        OTHER = os.environ["OTHER"] if os.getenv("SWITCH") else "/"
        NESTED = (f"{os.getenv('NESTED')}/api" if (os.getenv("NESTED")) else None) or "/"
    """,
    "starlette and python-decouple config readers": """
        import decouple
        from decouple import AutoConfig, config as dconfig
        from starlette.config import Config
        from starlette.datastructures import Secret

        config = Config(".env")
        local = AutoConfig(search_path=".")
        A = config("APP_A")
        B = config("APP_B", cast=Secret)
        C = config("APP_C", default="x")
        D = config("APP_D", cast=str, default=None)
        E = config("APP_E", bool, False)
        F = dconfig("APP_F")
        G = dconfig("APP_G", "fallback")
        H = decouple.config("APP_H", default="")
        I = local(option="APP_I", cast=int)
        J = config.get("APP_J")
        K = unrelated("APP_K")
        L = config(name)
        M = config(*names)
    """,
    "reads guarded by an if that returns": """
        import os
        from os import environ

        def build():
            if "APP_BUILD" in os.environ:
                return os.environ["APP_BUILD"]
            return read_git_sha()

        async def replicas():
            if not (os.getenv("APP_REPLICAS")):
                return [primary]
            for url in os.environ["APP_REPLICAS"].split(","): connect(url); os.getenv("APP_X")
            return os.environ["APP_REPLICAS"].split(",")

        def one_line(): return os.getenv("APP_ONE") if x else None

        def off():
            if not os.getenv("APP_OFF"): return None
            return os.environ["APP_OFF"]

        def refused():
            if "APP_KEY" not in environ:
                return JSONResponse({"error": "unset"}, status_code=503)
            return environ["APP_KEY"]

        def raised():
            if not os.environ.get("APP_RAISE"):
                raise RuntimeError("set it")
            return os.environ["APP_RAISE"]

        def later_none():
            if os.getenv("APP_SUPPORT"):
                return os.getenv("APP_SUPPORT")
            return None

        def nested():
            try:
                if cond:
                    pass
                elif "APP_NESTED" not in os.environ:
                    return "/"
                with lock:
                    if not os.getenv("APP_INNER"):
                        return "inner"
                    value = os.environ["APP_INNER"]
            except KeyError:
                if "APP_HANDLER" not in os.environ:
                    return "h"
                return os.environ["APP_HANDLER"]
            finally:
                os.getenv("APP_INNER")
            def inner():
                return os.environ["APP_NESTED"]
            lam = lambda: os.getenv("APP_NESTED")
            return os.environ["APP_NESTED"] + inner()
    """,
    "non-ascii columns": """
        import os

        class Réglages(BaseSettings):
            clé: str = Field(alias="CLÉ")

        valeur = {"é": os.environ["ÉTÉ"], "ü": os.getenv("ÜBER")}
    """,
}


def _reference(text: str) -> PythonFacts:
    """The libcst reader's facts."""
    return cst_python_facts(SourceFile.from_text("app/settings.py", text))


def _readers(text: str) -> tuple[PythonFacts, PythonFacts]:
    return ast_python_facts(text), _reference(text)


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_the_ast_reader_gives_the_libcst_facts(name: str) -> None:
    text = textwrap.dedent(SNIPPETS[name]).lstrip()
    require_ast_syntax(text)
    fast, reference = _readers(text)
    assert reference.reads or reference.classes  # the snippet exercises the reader
    assert fast == reference


def test_the_snippets_exercise_fallbacks_writes_and_settings() -> None:
    """The comparison above means something only if the reference finds these shapes."""
    reads = _reference(textwrap.dedent(SNIPPETS["reads and fallbacks"]).lstrip()).reads
    by_name = {read.name: read for read in reads}
    assert by_name["D"].alternatives == ("D2",) and by_name["D"].defaulted
    assert by_name["E"].alternatives == ("E2", "E3") and not by_name["E"].defaulted
    assert by_name["H"].alternatives == ("H2",) and not by_name["H"].defaulted
    assert by_name["M"].line == 17 and "K" not in by_name and "P1" not in by_name
    assert by_name["J"].column == 6  # inside the parentheses, as libcst places it
    writes = _reference(textwrap.dedent(SNIPPETS["writes and copies"]).lstrip())
    names = [read.name for read in writes.reads]
    assert names == ["ORIGINAL", "ORIGINAL", "GONE1", "GONE2", "PAIR1", "ANNOTATED"]
    assert writes.reads[0].alternatives == ("COPY", "COPY2")
    guarded = _reference(textwrap.dedent(SNIPPETS["reads guarded by a ternary"]).lstrip())
    assert [(read.name, read.line, read.defaulted) for read in guarded.reads] == [
        ("BASE", 4, True),
        ("BASE", 4, True),
        ("ROOT", 5, True),
        ("ROOT", 5, True),
        ("OFF", 6, False),
        ("OFF", 6, False),
        ("OTHER", 7, False),
        ("SWITCH", 7, True),
        ("NESTED", 8, False),
        ("NESTED", 8, False),
    ]
    settings = _reference(textwrap.dedent(SNIPPETS["settings classes"]).lstrip())
    classes = {c.name: c for c in settings.classes}
    assert classes["Settings"].env_prefix == "APP_" and classes["Settings"].case_sensitive
    assert classes["FromConstant"].env_prefix == "APP_"  # the first assignment
    assert not classes["Computed"].prefix_is_static
    assert classes["V1"].config_style == "class Config"
    assert classes["OneLine"].fields == ()  # a one-line suite is not read for fields
    assert classes["Starred"].bases == ("mixins",)
    fields = {f.name: f for f in classes["Settings"].fields}
    assert fields["key"].aliases == ("KEY", "SECRET_KEY") and not fields["key"].defaulted
    assert fields["both"].aliases == ("B1", "B2") and fields["both"].defaulted
    assert fields["nothing"].type_names == ("None",) and not fields["nothing"].defaulted
    assert "_private" not in fields and "limit" not in fields
    assert "None" in settings.called and "Computed" in settings.called


CORPUS = (
    "lessons",
    "examples",
    "tests/lessons/env_example_complete",
    "src/pytest_lessons/checks/env_example_complete",
)
"""Every lesson example tree and demo, and this lesson's tests (their snippets read the
environment and declare settings classes in many spellings) and source. Only modules the half
reads are compared, as in a run. Real repositories are compared by the reports."""


def test_the_readers_agree_on_a_corpus_of_real_modules() -> None:
    differing: list[str] = []
    compared = 0
    for path in (path for folder in CORPUS for path in python_files(ROOT / folder)):
        text = SourceFile.from_text("app/mod.py", path.read_text(encoding="utf-8")).text
        if not READ.search(text):
            continue
        try:
            fast, reference = _readers(text)
        except AnalysisError:
            continue  # libcst refuses it: the file's parse problem, read by neither
        compared += 1
        if fast != reference:
            differing.append(str(path.relative_to(ROOT)))
    assert compared >= 40
    assert differing == []


def test_syntax_the_interpreter_cannot_parse_is_read_with_libcst() -> None:
    text = 'type Alias = list[int]\nimport os\nKEY = os.environ["KEY"]\n'
    try:
        ast_python_facts(text)
    except SyntaxError:
        pass
    else:
        pytest.skip("this interpreter parses `type` statements: no fallback to exercise")
    facts = python_facts(SourceFile.from_text("app/modern.py", text))
    assert [(read.name, read.line) for read in facts.reads] == [("KEY", 3)]


def test_a_module_nested_too_deeply_is_the_problem_libcst_reports() -> None:
    """`ast` reads a 3,000-term sum that libcst must not: the same `parse` problem either way."""
    text = "import os\nx = (\n" + " +\n".join(["os.environ['A']"] * 3000) + "\n)\n"
    with pytest.raises(AnalysisError) as expected:
        SourceFile.from_text("app/deep.py", text).python_module()
    with pytest.raises(AnalysisError) as raised:
        python_facts(SourceFile.from_text("app/deep.py", text))
    assert (raised.value.message, raised.value.line) == (
        expected.value.message,
        expected.value.line,
    )


def test_a_broken_module_is_the_problem_libcst_reports() -> None:
    with pytest.raises(AnalysisError) as raised:
        python_facts(SourceFile.from_text("app/broken.py", "import os\nos.getenv(\n"))
    assert raised.value.line is not None and "never closed" in raised.value.message
