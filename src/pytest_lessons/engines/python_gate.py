"""The nesting gate every Python file passes before libcst parses it.

libcst's native parser recurses once per level of an expression and copies what it has built at
each level: a 3,000-term `a + a + ...` takes seconds, a 1,200-deep list a gigabyte, and a few
thousand levels overflow the native stack, which kills the process (no exception can catch a
segfault). CPython guards its own parser with limits (200 nested brackets, a recursion check
while building the tree); libcst has none that hold. So each file is measured first, and one
nested deeper than `NESTING_LIMIT` levels becomes a `parse` problem at the line of its deepest
point, the same for every lesson, before any parser that could crash sees it.

The measure is the depth of the file's syntax tree as `ast.parse` builds it (C code, a tenth of
libcst's time), counting the two constructs CPython keeps flat but libcst nests one level per
operand: `a and b and c` and implicitly concatenated strings. Two inputs skip `ast.parse`:
a file `ast.parse` rejects for ordinary syntax (code newer than the running Python, which libcst
may still read, or plainly broken code, which libcst would still descend into), and a file with
so many operators that Python 3.10's own tree builder could overflow the C stack on it. Those are
measured by a token scan that over-estimates depth (it counts every operator of an expression)
and never raises.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from pytest_lessons.lines import split_lines

NESTING_LIMIT = 200
"""Levels of syntax a Python file may nest. Real code stays far below (46 at most over the 1,900
files of a large FastAPI service, 22 at the 99th percentile); CPython itself refuses more than
200 nested brackets. At this depth libcst parses any shape in well under a second."""

_OPERATOR_BUDGET = 20_000
"""Files with more operator characters than this are scanned before `ast.parse` sees them:
Python 3.10's tree builder has no recursion check and crashes on an expression about 100,000
operators deep. Ordinary files stay far below (a 5,000-line module has about 15,000)."""

_NOT_OPERATORS = bytes(b for b in range(256) if b not in b"+-*/%@&|^~<>.([{")

_NESTING_MESSAGES = (
    "too many nested parentheses",
    "too many levels of indentation",
    "too many statically nested blocks",
    "too many nested f-strings",
    "too complex",
)
"""CPython's own words for its parser limits (as opposed to ordinary syntax errors)."""


@dataclass(frozen=True)
class TooDeep:
    """Where a file exceeds the limit, and CPython's words when its parser gave up first."""

    line: int
    cpython: str | None = None


def nesting_problem(text: str) -> TooDeep | None:
    """Why `text` must not reach libcst, or None when it is safe to parse."""
    if len(text.encode("utf-8", "surrogatepass").translate(None, _NOT_OPERATORS)) > (
        _OPERATOR_BUDGET
    ):
        scanned = scan_depth(text)
        if scanned.depth > NESTING_LIMIT:
            return TooDeep(scanned.line)
    try:
        tree = ast.parse(text)
    except SyntaxError as error:
        message = str(error.msg)
        if any(limit in message for limit in _NESTING_MESSAGES):
            return TooDeep(error.lineno or scan_depth(text).line, message)
        scanned = scan_depth(text)  # newer or broken syntax: libcst still reads it, so measure
        return TooDeep(scanned.line) if scanned.depth > NESTING_LIMIT else None
    except (RecursionError, MemoryError):  # CPython's own depth limits, without a line
        return TooDeep(scan_depth(text).line, "its syntax tree is too deep")
    except ValueError:  # NUL bytes: libcst reports them with their place
        return None
    return _tree_depth(tree, text)


def _tree_depth(tree: ast.AST, text: str) -> TooDeep | None:
    """The first node deeper than the limit, walking iteratively (recursion is the hazard)."""
    lines: list[str] | None = None
    stack: list[tuple[ast.AST, int]] = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        kind = type(node)
        children = ast.iter_child_nodes(node)
        if kind is ast.BoolOp:
            depth += len(node.values) - 2  # type: ignore[attr-defined]
        elif kind is ast.Constant or kind is ast.JoinedStr:
            if lines is None:
                lines = split_lines(text, keepends=True)
            depth += _implicit_pieces(node, lines) - 1
            if kind is ast.JoinedStr:  # its literal parts are the pieces just counted
                children = (c for c in children if type(c) is not ast.Constant)
        if depth > NESTING_LIMIT:
            return TooDeep(getattr(node, "lineno", None) or 1)
        stack.extend((child, depth + 1) for child in children)
    return None


def _implicit_pieces(node: ast.AST, lines: list[str]) -> int:
    """How many literals make up a string constant (`"a" "b" "c"` is one node with three)."""
    start, end = getattr(node, "lineno", None), getattr(node, "end_lineno", None)
    if start is None or end is None:
        return 1
    if end == start:
        span = node.end_col_offset - node.col_offset  # type: ignore[attr-defined]
        if span < 2 * NESTING_LIMIT:  # each piece takes at least two characters
            return 1
    elif end - start < NESTING_LIMIT // 4 and sum(len(lines[i]) for i in range(start - 1, end)) < (
        2 * NESTING_LIMIT
    ):
        return 1
    segment = "".join(lines[start - 1 : end])
    return max(1, sum(1 for match in _TOKEN.finditer(segment) if match.lastgroup == "string"))


@dataclass(frozen=True)
class ScannedDepth:
    depth: int
    line: int


_STRING = (
    r"[A-Za-z]{0,3}(?:'''(?:\\.|[^\\])*?(?:'''|\Z)"
    r'|"""(?:\\.|[^\\])*?(?:"""|\Z)'
    r"|'(?:\\.|[^\\'\r\n])*(?:'|(?=[\r\n])|\Z)"
    r'|"(?:\\.|[^\\"\r\n])*(?:"|(?=[\r\n])|\Z))'
)

_TOKEN = re.compile(
    rf"(?P<comment>#[^\r\n]*)"
    rf"|(?P<string>{_STRING})"
    r"|(?P<name>[^\W\d]\w*)"
    r"|(?P<number>\d[\w.]*)"
    r"|(?P<open>[(\[{])"
    r"|(?P<close>[)\]}])"
    r"|(?P<separator>[,;])"
    r"|(?P<continuation>\\(?:\r\n|\r|\n))"
    r"|(?P<newline>\r\n|\r|\n)"
    r"|(?P<operator>\*\*|//|<<|>>|<=|>=|==|!=|->|:=|[-+*/%@&|^~<>.])",
    re.DOTALL,
)

_CHAINING_WORDS = frozenset(
    {"and", "or", "not", "if", "else", "lambda", "await", "in", "is", "yield", "for"}
)


def scan_depth(text: str) -> ScannedDepth:
    """An upper estimate of how deep `text` nests, from tokens alone; never raises.

    Every operator, chaining keyword, trailer (`f()()`, `a[0][1]`) and string literal following
    another adds a level to the expression it is in; brackets open a new level; commas and
    semicolons start a sibling at the same level, and a line break outside brackets ends the
    statement. That counts `a.b(c) + d` as deeper than it is, never shallower, which is the safe
    side for a gate that only turns away expressions hundreds of levels deep.
    """
    segments = [0]  # per open bracket: levels added since the last separator at that level
    total = 1
    deepest, deepest_line = 1, 1
    line = 1
    previous_string = False
    for match in _TOKEN.finditer(text):
        group = match.lastgroup
        is_string = group == "string"
        grew = False
        if group == "continuation":
            line += 1
        elif group == "newline":
            line += 1
            if len(segments) == 1:
                total -= segments[0]
                segments[0] = 0
        elif is_string:
            value = match.group()
            if previous_string:
                segments[-1] += 1
                total += 1
                grew = True
            line += value.count("\n") + value.count("\r") - value.count("\r\n")
        elif group == "operator" or (group == "name" and match.group() in _CHAINING_WORDS):
            segments[-1] += 1
            total += 1
            grew = True
        elif group == "open":
            segments.append(0)
            total += 1
            grew = True
        elif group == "close":
            if len(segments) > 1:
                total -= segments.pop() + 1
            segments[-1] += 1
            total += 1
            grew = True
        elif group == "separator":
            total -= segments[-1]
            segments[-1] = 0
        elif group == "comment":
            pass
        previous_string = is_string or (
            previous_string and group in ("newline", "continuation", "comment")
        )
        if grew and total > deepest:
            deepest, deepest_line = total, line
    return ScannedDepth(deepest, deepest_line)
