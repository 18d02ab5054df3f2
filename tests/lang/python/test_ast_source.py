"""The shared `ast` parse: one tree per file for every `ast` reader, and the same failures."""

from __future__ import annotations

import ast
from typing import Any

import pytest

from pytest_lessons.checks.worker_route_auth.python_evidence import module_scans
from pytest_lessons.lang.python.ast_source import AstSource, ast_module
from pytest_lessons.lang.python.imports import module_surface
from pytest_lessons.lang.python.telemetry import telemetry_facts
from pytest_lessons.source import SourceFile

MODULE = """\
import posthog

def handler(request):
    posthog.capture("user-1", "ordered")
    if request.headers["x-token"] != settings.WORKER_SECRET:
        raise HTTPException(status_code=401)
"""


def test_the_readers_of_one_file_share_one_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    parses: list[str] = []
    real_parse = ast.parse

    def counted(source: str, *args: Any, **kwargs: Any) -> Any:
        if source == MODULE:
            parses.append(source)
        return real_parse(source, *args, **kwargs)

    monkeypatch.setattr(ast, "parse", counted)
    file = SourceFile.from_text("app/routes.py", MODULE)
    surface = module_surface(file)
    facts = telemetry_facts(file)
    scans, _lines = module_scans(file)
    assert len(parses) == 1
    assert [binding.local for binding in surface.imports] == ["posthog"]
    assert [emission.method for emission in facts.emissions] == ["capture"]
    assert scans["handler"].comparisons  # the evidence reader walked the same tree
    assert ast_module(file) is ast_module(file)


@pytest.mark.parametrize("text", ["def f(:\n    pass\n", "x = 1\0\n"], ids=["syntax", "nul"])
def test_a_failed_parse_is_raised_to_every_reader(text: str) -> None:
    """Each reader falls back to libcst on its own, as when it parsed for itself (a NUL byte is
    a ValueError or a SyntaxError, by Python version)."""
    file = SourceFile.from_text("m.py", text)
    for _reader in range(2):
        with pytest.raises((SyntaxError, ValueError)):
            ast_module(file)


def test_ast_source_offsets_count_utf8_bytes() -> None:
    """Byte offsets per line, the unit of `ast` columns, for ASCII and non-ASCII text alike."""
    assert AstSource("a = 1\nb = 2\n").starts == [0, 6, 12]
    assert AstSource("é = 1\r\nb\n").starts == [0, 8, 10]
    assert AstSource("").starts == [0]


TRIPLE = '''\
def handler():
    notify(
        """first
    kept as written""",
        other,
    )
    notify(
        "one"
        "two",
        other,
    )
'''


def test_libcst_text_keeps_triple_quoted_lines_and_dedents_the_rest() -> None:
    """Continuation lines lose the statement's indentation, except inside a triple-quoted
    literal (the only case where the node is walked for its literals)."""
    source = AstSource(TRIPLE)
    function = ast.parse(TRIPLE).body[0]
    assert isinstance(function, ast.FunctionDef)
    first, second = (statement.value for statement in function.body)  # type: ignore[attr-defined]
    indent = source.indent(function.body[0])
    assert source.libcst_text(first, indent) == (
        'notify(\n    """first\n    kept as written""",\n    other,\n)'
    )
    assert source.libcst_text(second, indent) == 'notify(\n    "one"\n    "two",\n    other,\n)'
