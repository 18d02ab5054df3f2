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


class _GeneralPath(AstSource):
    """`AstSource` without its one-line shortcut: every text through the byte scan."""

    def one_line_text(self, node: ast.AST) -> str | None:
        return None


ONE_LINE = """\
value = compute(first, second) + (grouped) + ((twice))
if (flag) == other and not (x or y):
    print (spaced)
    call( padded , key = (inner) )
    items[(index)] = {"k": (v)}
result = f(*args)[0](x) or \\
    g(y)
é = accent(z)
text = "(not a paren)" + fn(a)
lam = lambda q: (q)
"""


@pytest.mark.parametrize(
    ("module", "shortcuts"),
    [
        (ONE_LINE, True),
        (MODULE, True),
        (TRIPLE, False),  # every node first on its line, or on more than one
        ("x = [\n    (a),\n    b,\n]\n", False),
        ("f(\\\n    x)\n", False),
    ],
    ids=["one-line", "module", "triple", "multi-line", "backslash"],
)
def test_the_one_line_shortcut_gives_the_general_texts(module: str, shortcuts: bool) -> None:
    """The shortcut answers only where no parenthesis can group the node, and then with the
    text the byte scan finds: checked on every node of each module, with each indentation."""
    fast, general = AstSource(module), _GeneralPath(module)
    answered = 0
    for node in ast.walk(ast.parse(module)):
        if not hasattr(node, "lineno"):
            continue
        answered += fast.one_line_text(node) is not None
        assert fast.text(node) == general.text(node)
        for indent in ("", "    "):
            assert fast.libcst_text(node, indent) == general.libcst_text(node, indent)
    assert bool(answered) is shortcuts


def _one_line_text(module: str, segment: str) -> str | None:
    """The shortcut's answer for the first expression node whose exact text is `segment`."""
    source = AstSource(module)
    for node in ast.walk(ast.parse(module)):
        if isinstance(node, ast.expr) and ast.get_source_segment(module, node) == segment:
            return source.one_line_text(node)
    raise AssertionError(f"no node {segment!r}")


@pytest.mark.parametrize(
    ("module", "segment", "expected"),
    [
        ("y = f(x)\n", "x", "x"),  # a call's own parenthesis is not the argument's
        ("y = print (x)\n", "x", "x"),
        ("y = a + b\n", "b", "b"),
        ("y = (x)\n", "x", None),  # grouping: the byte scan widens over it
        ("y = f((x))\n", "x", None),
        ("if (x) == y:\n    pass\n", "x", None),  # after a keyword, a group
        ("é = f(x)\n", "x", None),  # columns are bytes on a non-ASCII line
        ("y = [\n    x,\n]\n", "x", None),  # first on its line: a `(` may end the one above
        ("y = f(\n    x)\n", "f(\n    x)", None),  # more than one line
    ],
)
def test_the_one_line_shortcut_leaves_every_doubt_to_the_byte_scan(
    module: str, segment: str, expected: str | None
) -> None:
    assert _one_line_text(module, segment) == expected
