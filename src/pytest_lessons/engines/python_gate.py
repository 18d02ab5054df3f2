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
import gc
import re
from collections.abc import Callable
from dataclasses import dataclass

from pytest_lessons.lines import split_lines

NESTING_LIMIT = 200
"""Levels of syntax a Python file may nest. Real code stays far below (46 at most over the 1,900
files of a large FastAPI service, 22 at the 99th percentile); CPython itself refuses more than
200 nested brackets. At this depth libcst parses any shape in well under a second."""

_OPERATOR_BUDGET = 20_000
"""Files with more operator characters than this are scanned before `ast.parse` sees them
(see `_SAFE_FOR_AST`). Ordinary files stay below (a 5,000-line module has about 15,000)."""

_SAFE_FOR_AST = 20_000
"""Depth (as the token scan over-estimates it) below which `ast.parse` cannot crash: Python
3.10's tree builder overflows the C stack around 100,000 levels. Deeper files are refused before
it runs; shallower ones are measured exactly on its tree."""

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


def nesting_problem(text: str, parsed: Callable[[], ast.Module] | None = None) -> TooDeep | None:
    """Why `text` must not reach libcst, or None when it is safe to parse. `parsed` gives the
    text's `ast` tree when the run already has it (it raises what `ast.parse` raises); it is
    asked only after the operator scan below has let the text through."""
    if len(text.encode("utf-8", "surrogatepass").translate(None, _NOT_OPERATORS)) > (
        _OPERATOR_BUDGET
    ):
        scanned = scan_depth(text)
        if scanned.depth > _SAFE_FOR_AST:
            return TooDeep(scanned.line)
    # A tree parsed here is dropped as soon as it is measured (the run's shared tree stays with
    # its file), and neither holds cycles, so the collector has
    # nothing to find in it; left on, it scans the run's live parse trees again and again while
    # ast.parse allocates, which made the gate half again as slow.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _measured(text, parsed or (lambda: ast.parse(text)))
    finally:
        if collecting:
            gc.enable()


def _measured(text: str, parsed: Callable[[], ast.Module]) -> TooDeep | None:
    try:
        tree = parsed()
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
    """The first node deeper than the limit, walking iteratively (recursion is the hazard).

    Reads `_fields` directly rather than through `ast.iter_child_nodes`, a generator per node,
    which tripled the walk's cost.
    """
    lines: list[str] | None = None
    node_type = ast.AST
    # Each entry carries the nearest line above it: operator and context nodes have none.
    stack: list[tuple[ast.AST, int, int]] = [(tree, 1, 1)]
    while stack:
        node, depth, line = stack.pop()
        line = getattr(node, "lineno", None) or line
        kind = type(node)
        strings = kind is ast.Constant or kind is ast.JoinedStr
        if kind is ast.BoolOp:
            depth += len(node.values) - 2  # type: ignore[attr-defined]
        elif strings and _may_be_implicit(node):
            if lines is None:
                lines = split_lines(text, keepends=True)
            depth += _implicit_pieces(node, lines) // 2
        if depth > NESTING_LIMIT:
            return TooDeep(line)
        depth += 1
        children: list[tuple[ast.AST, int, int]] = []
        for name in node._fields:
            value = getattr(node, name, None)
            if type(value) is list:
                for item in value:
                    # a JoinedStr's literal parts are the pieces counted above
                    if isinstance(item, node_type) and not (strings and type(item) is ast.Constant):
                        children.append((item, depth, line))
            elif isinstance(value, node_type):
                children.append((value, depth, line))
        # source order: the first place the file passes the limit is the one reported
        stack.extend(reversed(children))
    return None


def _may_be_implicit(node: ast.AST) -> bool:
    """Whether a string constant spans enough text to be hundreds of concatenated literals."""
    if getattr(node, "lineno", 0) != getattr(node, "end_lineno", 0):
        return True  # measured on its text
    span = getattr(node, "end_col_offset", 0) - getattr(node, "col_offset", 0)
    return span >= 2 * NESTING_LIMIT  # each literal takes at least two characters


def _implicit_pieces(node: ast.AST, lines: list[str]) -> int:
    """How many literals make up a string constant (`"a" "b" "c"` is one node with three).

    libcst nests them one level per literal, but its nodes for them are small: lessons walk
    300 of them where they fail on 150 nested lists, so each counts half a level.
    """
    start, end = getattr(node, "lineno", 1), getattr(node, "end_lineno", 1)
    segment = "".join(lines[start - 1 : end])
    if len(segment) < 2 * NESTING_LIMIT:
        return 1
    return max(1, sum(1 for match in _TOKEN.finditer(segment) if match.lastgroup == "string"))


@dataclass(frozen=True)
class ScannedDepth:
    depth: int
    line: int
    """Where the statement holding the deepest point starts."""


_STRING = (
    r"(?<!\w)[A-Za-z]{0,3}(?:'''(?:\\.|[^\\])*?(?:'''|\Z)"
    r'|"""(?:\\.|[^\\])*?(?:"""|\Z)'
    r"|'(?:\\.|[^\\'\r\n])*(?:'|(?=[\r\n])|\Z)"
    r'|"(?:\\.|[^\\"\r\n])*(?:"|(?=[\r\n])|\Z))'
)

_TOKEN = re.compile(
    rf"(?P<comment>#[^\r\n]*)"
    rf"|(?P<string>{_STRING})"
    r"|(?P<word>\b(?:and|or|not|if|else|lambda|await|in|is|yield|for)\b)"
    r"|(?P<open>[(\[{])"
    r"|(?P<close>[)\]}])"
    r"|(?P<separator>[,;])"
    r"|(?P<continuation>\\(?:\r\n|\r|\n))"
    r"|(?P<newline>(?:\r\n|\r|\n)(?P<indent>[ \t\f]*))"
    r"|(?P<operator>\*\*|//|<<|>>|<=|>=|==|!=|->|:=|[-+*/%@&|^~<>.])",
    re.DOTALL,
)
"""Only what can deepen an expression is matched; names and numbers are skipped in C."""

_FORMATTED = re.compile(r"[A-Za-z]{0,3}[fFtT]")
_CHAIN_CHARACTERS = re.compile(r"[-+*/%@&|^~<>.(\[]")


def _deepest_field(literal: str) -> int:
    """Operators in the longest `{...}` field of an f-string: the fields are siblings, and the
    text around them (Markdown's `**`, a `:.0f` spec aside) is no expression at all."""
    deepest = 0
    for chunk in literal.split("{")[1:]:
        field = chunk.split("}", 1)[0].split("!", 1)[0]
        deepest = max(deepest, len(_CHAIN_CHARACTERS.findall(field.split(":", 1)[0])))
    return deepest


def scan_depth(text: str) -> ScannedDepth:
    """An upper estimate of how deep `text` nests, from tokens alone; never raises.

    Every operator, chaining keyword, trailer (`f()()`, `a[0][1]`) and string literal following
    another adds a level to the expression it is in; brackets open a new level; commas and
    semicolons start a sibling at the same level; a line break outside brackets ends the
    statement. Expressions inside an f-string count every operator they hold, and each level of
    indentation counts twice. That counts
    `a.b(c) + d` as deeper than it is, never shallower: the safe side for a gate that only turns
    away code hundreds of levels deep.
    """
    segments = [0]  # per open bracket: levels added since the last separator at that level
    total = 1
    indents: list[int] = []
    deepest, deepest_line = 1, 1
    line = statement_line = 1
    previous_string = False
    run = 0
    for match in _TOKEN.finditer(text):
        group = match.lastgroup
        value = match.group()
        if group == "newline":
            line += 1
            previous_string = previous_string and len(segments) > 1
            if len(segments) == 1:
                total -= segments[0]
                segments[0] = 0
                statement_line = line
                width = len(match.group("indent").expandtabs(8))
                while indents and indents[-1] >= width:
                    indents.pop()
                    total -= 2
                if width:
                    indents.append(width)
                    total += 2
            continue
        if group == "continuation":
            line += 1
            continue
        if group == "comment":
            continue
        grew = 0
        if group == "string":
            run = run + 1 if previous_string else 0
            grew = run % 2  # half a level per literal, as in the tree walk
            if "{" in value and _FORMATTED.match(value):
                grew += _deepest_field(value)
            line += value.count("\n") + value.count("\r") - value.count("\r\n")
        elif group in ("word", "operator"):
            grew = 1
        elif group == "open":
            segments.append(0)
            total += 1
        elif group == "close":
            if len(segments) > 1:
                total -= segments.pop() + 1
            grew = 1
        elif group == "separator":
            total -= segments[-1]
            segments[-1] = 0
        previous_string = group == "string"
        if grew:
            segments[-1] += grew
            total += grew
        if total > deepest:
            deepest, deepest_line = total, statement_line
    return ScannedDepth(deepest, deepest_line)
