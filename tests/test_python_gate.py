"""The nesting gate: deep Python is refused before libcst, ordinary Python is never refused."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_lessons.engines.python import parse_module
from pytest_lessons.engines.python_gate import NESTING_LIMIT, nesting_problem, scan_depth
from pytest_lessons.findings import ProblemKind
from pytest_lessons.source import AnalysisError

DEEP = [
    ("x = " + "(" * 5000 + "1" + ")" * 5000, 1, "too many nested parentheses"),
    ("x = " + "[\n" * 1400 + "]\n" * 1400, 201, "too many nested parentheses"),
    # 3.11+ refuses to build this tree (its statement's line); 3.10 builds it and the walk
    # names the first operand that is too deep
    ("a = 1\nx = (\n" + " +\n".join(["a"] * 3000) + ")", (2, 3), ""),
    ("x = (a" + "\nand a" * 500 + ")", 1, ""),
    ("x = (" + '"s"\n' * 600 + ")", 1, ""),
    ("x = (f" + "\n()" * 300 + ")", 1, ""),
    ("x = (a" + "\n[0]" * 300 + ")", 1, ""),
    ("x = (" + "lambda:\n" * 300 + "1)", 198, ""),  # where it passes the limit
    ("x = (" + "not\n" * 300 + "a)", 198, ""),
    ("".join(" " * i + "if a:\n" for i in range(150)) + " " * 150 + "pass", 101, "indentation"),
    # code newer than the running Python, or broken, still never reaches libcst when deep
    ("match x:\n    case 1:\n        y = (\n" + "+a\n" * 3000 + ")\n  (", 3, ""),
    ('x = f"{' + "+".join(["a"] * 400) + '}"  # 3.12 f-string', 1, ""),
]


@pytest.mark.parametrize(("source", "line", "cpython"), DEEP)
def test_deep_sources_are_refused_at_a_line_of_theirs(
    source: str, line: int | tuple[int, ...], cpython: str
) -> None:
    with pytest.raises(AnalysisError) as raised:
        parse_module(source + "\n")
    error = raised.value
    assert error.kind is ProblemKind.PARSE
    assert error.line in (line if isinstance(line, tuple) else (line,))
    assert "nested too deeply to analyse" in error.message
    assert cpython in error.message


SHALLOW = [
    "x = (\n" + " +\n".join(["a"] * 150) + ")",  # a long sum, still within the limit
    "x = (" + '"s"\n' * 300 + ")",  # a codec table's 256 literals
    "x = [" + ", ".join("[1, 2]" for _ in range(5000)) + "]",  # wide, not deep
    "if a:\n    pass\n" + "".join(f"elif a == {i}:\n    pass\n" for i in range(150)),
    'x = f"**bold** {a.b:.0f} - {c!r} {{literal}}"',
]


@pytest.mark.parametrize("source", SHALLOW)
def test_wide_or_moderately_deep_sources_pass(source: str) -> None:
    assert nesting_problem(source + "\n") is None
    parse_module(source + "\n")


def test_syntax_errors_keep_cpythons_words() -> None:
    with pytest.raises(AnalysisError, match="Python syntax error") as raised:
        parse_module("def f(:\n    pass\n")
    assert raised.value.line == 1


def test_no_file_of_this_project_is_refused() -> None:
    root = Path(__file__).resolve().parents[1]
    for path in [*root.glob("src/**/*.py"), *root.glob("tests/**/*.py")]:
        assert nesting_problem(path.read_text(encoding="utf-8")) is None, path


# --- the token scan over-estimates, never under-estimates ----------------------------------


def exact_depth(tree: ast.AST) -> int:
    """Depth of the tree as the gate counts it, recursively (inputs here are small)."""
    extra = len(tree.values) - 2 if isinstance(tree, ast.BoolOp) else 0
    children = list(ast.iter_child_nodes(tree))
    return 1 + extra + max((exact_depth(child) for child in children), default=0)


ATOMS = st.sampled_from(["a", "1", "'s'", "x.y", "f()", "None"])


def expressions() -> st.SearchStrategy[str]:
    return st.recursive(
        ATOMS,
        lambda inner: st.one_of(
            st.tuples(inner, st.sampled_from(["+", "*", " and ", " or ", " < ", "."]), inner).map(
                lambda t: f"{t[0]}{t[1]}{t[2]}" if t[1] != "." else f"({t[0]}).b"
            ),
            inner.map(lambda e: f"({e})"),
            inner.map(lambda e: f"[{e}]"),
            inner.map(lambda e: f"f({e})"),
            inner.map(lambda e: f"-({e})"),
            inner.map(lambda e: f"(not ({e}))"),  # `a+not b` is not Python: keep it whole
            inner.map(lambda e: f"(lambda: {e})"),
            st.tuples(inner, inner).map(lambda t: f"{t[0]} if a else {t[1]}"),
            st.lists(inner, min_size=1, max_size=3).map(lambda xs: "{" + ", ".join(xs) + "}"),
        ),
        max_leaves=40,
    )


@settings(max_examples=100, deadline=None)
@given(expressions())
def test_the_scan_never_counts_shallower_than_the_tree(expression: str) -> None:
    source = f"x = {expression}\n"
    tree = ast.parse(source)
    assert scan_depth(source).depth + 4 >= exact_depth(tree) - 1, source


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_the_scan_never_raises(text: str) -> None:
    scanned = scan_depth(text)
    assert scanned.depth >= 1 and scanned.line >= 1


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=1, max_value=4 * NESTING_LIMIT), st.sampled_from(["+", "."]))
def test_a_chain_is_refused_exactly_when_it_passes_the_limit(length: int, operator: str) -> None:
    source = "x = (a" + f"\n{operator}b" * length + ")\n"
    refused = nesting_problem(source) is not None
    assert refused == (length > NESTING_LIMIT - 4)
