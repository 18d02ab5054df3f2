"""Syntax newer than the running Python, read by its `ast` through `modern_syntax`.

The rewrite must keep every statement where it is written (findings and suppressions are by
line), leave code without the new syntax alone, treat `type` as the soft keyword it is, and never
turn a broken module into a parsed one or change the error it reports. Positions are checked
against libcst, which reads all of this syntax on every interpreter, and, where the running
Python parses the syntax itself, against its own tree.
"""

from __future__ import annotations

import ast
import re
import sys
import textwrap
from pathlib import Path

import libcst
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from libcst.metadata import MetadataWrapper, PositionProvider

from pytest_lessons.lang.python.ast_source import AstSource, ast_module, parse_ast
from pytest_lessons.lang.python.modern_syntax import TYPE_ALIAS, parse_modern, rewrite
from pytest_lessons.source import SourceFile

ROOT = Path(__file__).resolve().parents[3]
OLDEST = (3, 10)
"""The oldest supported Python: every rewrite applies, and its result parses on any newer one."""

CONSTRUCTS = {
    "type alias": "type Alias = list[int]\n",
    "generic alias over lines": (
        "class Box:\n"
        "    type Pair[\n"
        "        K,  # the key\n"
        "        V: (int, 'é'),\n"
        "    ] = dict[K, V]  # trailing\n"
        "    size = 1\n"
    ),
    "alias after a semicolon and a colon": "x = 1; type A = int\nif x: type B = str\n",
    "generic function": "def first[T: int, *Ts, **P](items: list[T]) -> T:\n    return items[0]\n",
    "generic class over lines": (
        "@decorate(key=1)\n"
        "class Store[\n"
        "    T,\n"
        "\n"
        "    U = int,\n"
        "](Base, metaclass=Meta):\n"
        "    def get[V](self, key: V) -> T: ...\n"
    ),
    "exception list": "try:\n    run()\nexcept ValueError, KeyError:\n    pass\n",
    "exception list without blanks": "try:\n    run()\nexcept(A),B,:pass\nelse: done()\n",
    "exception list, blank before the colon": "try:\n    run()\nexcept A, b.C :  # why\n    pass\n",
    "exception list, one-line body": "try: run()\nexcept A, B: handle(); log('é')\n",
    "exception list over lines": (
        "try:\n    run()\nexcept \\\n        A, \\\n        B:\n    pass\n"
    ),
    "non-ascii names": "type Größe = int\ndef maß[Tü](x: Tü) -> Tü:\n    return x\n",
}
STAR = {
    "exception group list": "try:\n    run()\nexcept* OSError, ValueError:\n    pass\n",
}
"""`except*` itself needs Python 3.11; on 3.10 these modules stay with libcst."""

UNTOUCHED = {
    "type as a name": "type = 3\nprint(type(x))\nx.type = type\nfor type in x: pass\n",
    "type as a match subject": "match type:\n    case int():\n        pass\n",
    "type annotated": "type: int = 3\nclass C:\n    type: str\n",
    "type in a conditional": "x = type if c else t\ny = [type for type in z]\n",
    "type in a lambda and keyword": "f = lambda type: type\ng(type=1)\n",
    "type in strings and comments": "s = 'type X = 1'  # type X = int\nt = '''except A, B:'''\n",
    "a def named type": "def type(self): ...\nclass type_: pass\n",
    "subscripts that are not type parameters": "x = f[T](y)\nclass C(B[T]): pass\n",
    "parenthesised exceptions": (
        "try:\n    pass\nexcept (A, B) as e:\n    pass\nexcept C:\n    pass\n"
    ),
}


def _statements(tree: ast.AST, source: AstSource) -> list[tuple[str, int, int]]:
    """Each statement's kind and (line, 1-based character column)."""
    return sorted(
        (
            type(node).__name__,
            node.lineno,
            source.column(node.lineno, node.col_offset) + 1,
        )
        for node in ast.walk(tree)
        if isinstance(node, ast.stmt)
    )


def _libcst_statements(text: str) -> list[tuple[str, int, int]]:
    """Each statement's kind and position as libcst gives them."""
    positions = MetadataWrapper(libcst.parse_module(text)).resolve(PositionProvider)
    return sorted(
        (type(node).__name__, position.start.line, position.start.column + 1)
        for node, position in positions.items()
        if isinstance(node, (libcst.BaseSmallStatement, libcst.BaseCompoundStatement))
    )


def _names_sit_where_written(tree: ast.AST, source: AstSource) -> None:
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            assert source.segment(node) == node.id, ast.dump(node, include_attributes=True)
        elif isinstance(node, ast.arg):
            assert source.segment(node).startswith(node.arg)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            assert source.segment(node).lstrip("@").startswith(("def ", "class ", "decorate"))
        elif isinstance(node, TYPE_ALIAS):
            assert source.segment(node).startswith("type ")


def _check(text: str) -> ast.Module:
    rewritten = rewrite(text, OLDEST)
    assert rewritten is not None
    assert rewritten.text.count("\n") == text.count("\n")
    assert [len(line) for line in rewritten.text.split("\n")][-1] == len(text.split("\n")[-1])
    tree = parse_modern(text) if _rejected(text) else rewritten.restore(ast.parse(rewritten.text))
    assert tree is not None
    source = AstSource(text)
    assert _statements(tree, source) == _libcst_statements(text)
    _names_sit_where_written(tree, source)
    return tree


def _rejected(text: str) -> bool:
    return parse_error(text) is not None


@pytest.mark.parametrize("name", sorted(CONSTRUCTS))
def test_each_construct_keeps_every_statement_and_name_where_written(name: str) -> None:
    _check(CONSTRUCTS[name])


@pytest.mark.skipif(sys.version_info < (3, 11), reason="`except*` is Python 3.11 syntax")
@pytest.mark.parametrize("name", sorted(STAR))
def test_exception_group_lists_keep_their_places(name: str) -> None:
    _check(STAR[name])


def test_a_type_statement_becomes_the_node_python_3_12_gives() -> None:
    tree = parse_modern(CONSTRUCTS["generic alias over lines"])
    if tree is None:  # the interpreter parses it itself
        tree = ast.parse(CONSTRUCTS["generic alias over lines"])
    alias = tree.body[0].body[0]  # type: ignore[attr-defined]
    assert type(alias) is TYPE_ALIAS and type(alias).__name__ == "TypeAlias"
    assert (alias.lineno, alias.col_offset, alias.end_lineno) == (2, 4, 5)
    assert (alias.name.id, alias.name.lineno, alias.name.col_offset) == ("Pair", 2, 9)
    assert ast.unparse(alias.value) == "dict[K, V]"


def test_an_exception_list_is_a_tuple_spanning_the_list_as_written() -> None:
    text = CONSTRUCTS["exception list without blanks"]
    tree = parse_modern(text) if sys.version_info < (3, 14) else ast.parse(text)
    assert tree is not None
    handler = tree.body[0].handlers[0]  # type: ignore[attr-defined]
    assert isinstance(handler.type, ast.Tuple)
    assert AstSource(text).segment(handler.type) == "(A),B,"
    assert [ast.unparse(e) for e in handler.type.elts] == ["A", "B"]
    assert handler.body[0].col_offset == len("except(A),B,:")  # `pass`, where it is written


@pytest.mark.skipif(sys.version_info < (3, 12), reason="compares with the native PEP 695 tree")
@pytest.mark.parametrize("name", [n for n in sorted(CONSTRUCTS) if "exception" not in n])
def test_the_tree_equals_the_one_an_interpreter_that_reads_the_syntax_gives(name: str) -> None:
    text = CONSTRUCTS[name]
    native = ast.parse(text)
    for node in ast.walk(native):
        if hasattr(node, "type_params"):
            node.type_params = []  # the rewrite keeps none: no reader needs them
    rewritten = rewrite(text, OLDEST)
    assert rewritten is not None
    restored = rewritten.restore(ast.parse(rewritten.text))
    assert ast.dump(restored, include_attributes=True) == ast.dump(native, include_attributes=True)


@pytest.mark.parametrize("name", sorted(UNTOUCHED))
def test_soft_keywords_and_look_alikes_are_left_alone(name: str) -> None:
    assert rewrite(UNTOUCHED[name], OLDEST) is None


def test_modules_without_new_syntax_are_never_rewritten() -> None:
    """This project's own source: `type[...]` annotations, `.type` attributes, `except (A, B)`."""
    modules = sorted((ROOT / "src").rglob("*.py"))
    assert len(modules) > 100
    touched = [p.name for p in modules if rewrite(p.read_text("utf-8"), OLDEST) is not None]
    assert touched == []


def test_only_what_the_interpreter_cannot_parse_is_rewritten() -> None:
    alias, handler = CONSTRUCTS["type alias"], CONSTRUCTS["exception list"]
    assert rewrite(alias, (3, 11)) is not None
    assert rewrite(alias, (3, 12)) is None
    assert rewrite(handler, (3, 13)) is not None
    assert rewrite(handler, (3, 14)) is None


@pytest.mark.parametrize(
    "text",
    [
        "try:\n    pass\nexcept A, B as error:\n    pass\n",  # PEP 758 forbids `as` here
        "def f[]():\n    pass\n",  # empty type parameters: an error on every Python
        "type X[] = int\n",
        "type \\\n    X = int\n",  # name on another line: left to libcst
    ],
)
def test_shapes_an_interpreter_rejects_are_not_rewritten_into_valid_code(text: str) -> None:
    assert parse_modern(text) is None


def test_a_module_with_a_nul_byte_is_not_tokenized() -> None:
    """`ast` refuses NUL bytes on every version, and Python 3.13.0's tokenizer, given one,
    leaves an error set that surfaces later as a SystemError in unrelated code."""
    text = CONSTRUCTS["exception list"] + "\0\n"
    assert rewrite(text, (3, 11)) is None
    assert rewrite(CONSTRUCTS["exception list"], (3, 11)) is not None  # the NUL alone decides
    assert isinstance(parse_ast(text), (SyntaxError, ValueError))


BROKEN = [
    "type Alias = int\ndef f(:\n    pass\n",
    "try:\n    pass\nexcept A, B:\n    pass\nvalue = (\n",
    "def g[T](x: T) -> T:\n    return x +\n",
    'label = f"{names["a"]}"\ntype Alias = int\n',  # a nested f-string (PEP 701)
]


@pytest.mark.parametrize("text", BROKEN)
def test_a_module_the_rewrite_cannot_save_reports_the_error_of_the_text_as_written(
    text: str,
) -> None:
    expected = parse_error(text)
    if expected is None:
        pytest.skip("this interpreter reads the whole module")
    found = parse_ast(text)
    assert isinstance(found, SyntaxError)
    assert (found.msg, found.lineno, found.offset) == (
        expected.msg,
        expected.lineno,
        expected.offset,
    )
    with pytest.raises(SyntaxError, match=re.escape(expected.msg)):
        ast_module(SourceFile.from_text("app/broken.py", text))


def parse_error(text: str) -> SyntaxError | None:
    """What `ast.parse` raises for `text` as written."""
    try:
        ast.parse(text)
    except SyntaxError as error:
        return error
    return None


def test_the_shared_tree_of_a_modern_module_slices_the_text_as_written() -> None:
    text = "type Alias = dict[str, 'é']\ntry:\n    run()\nexcept A, B:\n    pass\n"
    module = ast_module(SourceFile.from_text("app/modern.py", text))
    alias = module.tree.body[0]
    assert type(alias).__name__ == "TypeAlias"
    assert module.source.segment(alias) == "type Alias = dict[str, 'é']"
    assert module.source.text(alias.value) == "dict[str, 'é']"  # type: ignore[attr-defined]
    assert module.source.segment(module.tree.body[1].handlers[0].type) == "A, B"  # type: ignore[attr-defined]


_NAMES = st.sampled_from(["Alias", "T", "Größe", "match", "type_", "K9"])
_INDENT = st.sampled_from(["", "    ", "\t"])
_PARAMETERS = st.sampled_from(
    ["", "[T]", "[T: int, *Ts, **P]", "[\n    T,  # c\n\n    U: (A, 'é'),\n]", "[T = int]"]
)
_VALUES = st.sampled_from(["int", "list[T] | None", "dict[\n    str, 'é'\n]", "call(x)"])
_EXCEPTIONS = st.sampled_from(["A, B", "A,B,", "(A), b.C", "A , B", "\\\n    A, B"])


@st.composite
def _unit(draw: st.DrawFn) -> str:
    """A few lines of code at the left margin, with or without new syntax."""
    name, parameters = draw(_NAMES), draw(_PARAMETERS)
    kind = draw(st.sampled_from(["alias", "def", "class", "except", "plain", "untouched"]))
    if kind == "alias":
        return f"type {name}{parameters} = {draw(_VALUES)}\n"
    if kind == "def":
        return f"def {name}_f{parameters}(x: T) -> T:\n    return call(x)\n"
    if kind == "class":
        return f"class {name}_C{parameters}(Base):\n    attr = {draw(_VALUES)}\n"
    if kind == "except":
        exceptions = draw(_EXCEPTIONS)
        body = draw(st.sampled_from([":\n    pass\n", ": pass\n", " :\n    pass\n"]))
        return f"try:\n    run()\nexcept {exceptions}{body}"
    if kind == "plain":
        return f"{name} = {draw(_VALUES)}\n"
    return UNTOUCHED[draw(st.sampled_from(sorted(UNTOUCHED)))]


@st.composite
def _module(draw: st.DrawFn) -> str:
    """Units at the top level and inside a class or function, some on CRLF lines."""
    parts = []
    for unit in draw(st.lists(_unit(), min_size=1, max_size=6)):
        indent = draw(_INDENT)
        if indent:
            header = draw(st.sampled_from(["class Host:\n", "def host():\n", "if flag:\n"]))
            unit = header + textwrap.indent(unit, indent, lambda line: True)
        parts.append(unit)
    text = "".join(parts)
    return text.replace("\n", "\r\n") if draw(st.booleans()) else text


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None, max_examples=150)
@given(text=_module())
def test_every_statement_keeps_its_line_and_column(text: str) -> None:
    text = text.replace("\r\n", "\n") if "\t" in text and "\r" in text else text
    rewritten = rewrite(text, OLDEST)
    if rewritten is None:  # nothing new in it: nothing to rewrite, and it parses as it is
        ast.parse(text)
        return
    tree = rewritten.restore(ast.parse(rewritten.text))
    source = AstSource(text)
    assert rewritten.text.count("\n") == text.count("\n")
    assert _statements(tree, source) == _libcst_statements(text)
    _names_sit_where_written(tree, source)
