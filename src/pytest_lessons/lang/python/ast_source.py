"""What the `ast` readers of the Python layers need to give libcst's facts: text, columns, order.

The layers that read every module (import surfaces, telemetry, url-id flows) use the standard
library's `ast`, about twenty times faster than libcst with position metadata, and keep libcst
for what the running interpreter cannot parse. Their facts must not depend on the parser, and
three things differ between the two trees:

- **Text.** libcst counts the parentheses around an expression as part of it (`help=("a" "b")`
  keeps them) while `ast` positions leave them out; `AstSource.text` widens a slice over
  grouping parentheses (those whose `(` is not a call's), `segment` does not.
- **Columns.** `ast` counts UTF-8 bytes, libcst characters; `AstSource.position` converts.
- **Order.** libcst visits children as written; `ast` keeps some fields apart from the source
  (a function's decorators after its body, defaults after every parameter, a call's keywords
  after its positionals, a conditional expression's test first, a dict's keys before its
  values). `children_in_source_order` restores the written order, so facts listed in visit
  order (sites, reads) come out as libcst lists them.
"""

from __future__ import annotations

import ast
import keyword
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from itertools import accumulate
from typing import TYPE_CHECKING, NamedTuple

from pytest_lessons.lang.python.modern_syntax import parse_modern
from pytest_lessons.lines import split_lines

if TYPE_CHECKING:
    from pytest_lessons.source import SourceFile

__all__ = [
    "AstModule",
    "AstSource",
    "Parsed",
    "ast_module",
    "check_python_syntax",
    "children_in_source_order",
    "gated_ast_module",
    "parse_ast",
    "parsed",
]

_Function = (ast.FunctionDef, ast.AsyncFunctionDef)


class AstSource:
    """One module's text, sliced and measured by `ast` positions."""

    def __init__(self, text: str) -> None:
        self.data = text.encode("utf-8")
        self.lines = split_lines(text, keepends=True)  # where `ast` breaks lines
        self.ascii = len(self.data) == len(text)
        if self.ascii:  # a character is a byte
            sizes: Iterable[int] = map(len, self.lines)
        else:
            sizes = (len(line.encode("utf-8")) for line in self.lines)
        self.starts = list(accumulate(sizes, initial=0))
        self._encoded: dict[int, bytes] = {}

    def _offset(self, line: int, column: int) -> int:
        return self.starts[min(line, len(self.starts)) - 1] + column

    def _line(self, line: int) -> bytes:
        found = self._encoded.get(line)
        if found is None:
            text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
            found = self._encoded[line] = text.encode("utf-8")
        return found

    def column(self, line: int, offset: int) -> int:
        """The 0-based character column of a UTF-8 byte offset into line `line`."""
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        if text.isascii():
            return offset
        return len(self._line(line)[:offset].decode("utf-8", "replace"))

    def position(self, node: ast.AST) -> tuple[int, int, int, int]:
        """(line, column, end line, end column) as libcst gives them: 1-based lines, 1-based
        character columns, the end exclusive."""
        line: int = getattr(node, "lineno", 1)
        offset: int = getattr(node, "col_offset", 0)
        end_line = getattr(node, "end_lineno", None) or line
        end_offset = getattr(node, "end_col_offset", None)
        end_offset = offset if end_offset is None else end_offset
        return (
            line,
            self.column(line, offset) + 1,
            end_line,
            self.column(end_line, end_offset) + 1,
        )

    def segment(self, node: ast.AST) -> str:
        """The node's exact source text, without the parentheses around it."""
        start, end = self._span(node)
        return self.data[start:end].decode("utf-8", "replace")

    def text(self, node: ast.AST) -> str:
        """The node's text as libcst's `code_for_node` gives it: grouping parentheses kept."""
        plain = self.one_line_text(node)
        if plain is not None:
            return plain
        start, end = self._span(node)
        if start == end:
            return ""
        start, end = self._grouped(start, end)
        return self.data[start:end].decode("utf-8", "replace").strip()

    def libcst_text(self, node: ast.AST, indent: str) -> str:
        """The node's text as libcst's `node_text` gives it, `indent` being the indentation of
        the statement it is in: a walrus with its parentheses, and continuation lines without
        that indentation (except after a backslash and inside a multi-line string, which libcst
        keeps as written)."""
        plain = self.one_line_text(node)
        if plain is not None:
            return plain
        text = self.text(node)
        first_line = getattr(node, "lineno", 0)
        wrapped = (
            self._wrapped(node) if not text.startswith("(") and isinstance(node, ast.expr) else None
        )
        if wrapped is not None:  # as written between them: `(\n    a\n    or b\n)`
            text = self.data[wrapped[0] : wrapped[1] + 1].decode("utf-8", "replace")
            first_line = bisect_right(self.starts, wrapped[0])
        if "\n" not in text or not indent:
            return text
        # Only lines of a triple-quoted literal are kept as written, and a literal inside the
        # node is inside its text: without `"""` or `'''` there is no need to walk the node.
        triple = '"""' in text or "'''" in text
        verbatim = self._verbatim_lines(node) if triple else set()
        lines = text.split("\n")
        kept = [lines[0]]
        for offset, line in enumerate(lines[1:], start=1):
            number = first_line + offset
            after_backslash = lines[offset - 1].endswith("\\")
            if number in verbatim or after_backslash or not line.startswith(indent):
                kept.append(line)
            else:
                kept.append(line[len(indent) :])
        return "\n".join(kept)

    def one_line_text(self, node: ast.AST) -> str | None:
        """The text of a node on one ASCII line that no parenthesis can group, sliced from its
        line; None when `text` and `libcst_text` must decide. Most texts asked for are such
        (a call's argument, an assignment's value), and the general path scans the bytes
        around the node for grouping parentheses: a tenth of the auth-evidence reader's time
        on a large project went there. Exact by construction: the node is preceded on its line by
        something other than `(` (nothing to widen over), or by the `(` of a call, which
        neither `text` nor `libcst_text` counts as the node's."""
        line = getattr(node, "lineno", None)
        end = getattr(node, "end_col_offset", None)
        if line is None or end is None or getattr(node, "end_lineno", None) != line:
            return None
        if not 0 < line <= len(self.lines):
            return None
        written: str = self.lines[line - 1]
        if not (self.ascii or written.isascii()):
            return None
        start: int = node.col_offset  # type: ignore[attr-defined]
        before = written[:start].rstrip(_LINE_BLANK)
        if not before or before[-1] == "\\":
            return None  # the line may continue one that ends in `(`
        if before[-1] == "(" and not _call_before(before[:-1].rstrip(_LINE_BLANK)):
            return None
        return written[start:end].strip()

    def _verbatim_lines(self, node: ast.AST) -> set[int]:
        return {
            line
            for inner in ast.walk(node)
            if isinstance(inner, (ast.Constant, ast.JoinedStr)) and inner.lineno != inner.end_lineno
            for line in self._inside_triple_quotes(inner)
        }

    def indent(self, statement: ast.stmt) -> str:
        """The indentation of the block `statement` is in, as libcst counts it (a statement
        after `if x:` on the same line is in the block of that line)."""
        start = self.starts[statement.lineno - 1]
        line = self.data[start : start + statement.col_offset]
        return line[: len(line) - len(line.lstrip())].decode()

    def _inside_triple_quotes(self, node: ast.expr) -> Iterator[int]:
        """The lines of a string node that begin inside a triple-quoted literal (an implicit
        concatenation of one-line literals has none)."""
        lines = self.text(node).split("\n")
        opened = False
        for offset, line in enumerate(lines[:-1]):
            opened ^= (line.count('"""') + line.count("'''")) % 2 == 1
            if opened:
                yield node.lineno + offset + 1

    def _wrapped(self, node: ast.expr) -> tuple[int, int] | None:
        """The byte offsets of the parentheses of an expression in parentheses of its own
        that `text` did not widen over (after a keyword: `if (a or b) == c`); libcst counts
        them as part of it."""
        data = self.data
        start = self.starts[node.lineno - 1] + node.col_offset
        end = self.starts[(node.end_lineno or node.lineno) - 1] + (node.end_col_offset or 0)
        before = _solid_before(data, start)
        after = _solid_from(data, end)
        if (
            before >= 0
            and data[before] == _OPEN
            and after < len(data)
            and data[after] == _CLOSE
            and not _call_paren(data, before)
        ):
            return before, after
        return None

    def _span(self, node: ast.AST) -> tuple[int, int]:
        start_line, end_line = getattr(node, "lineno", None), getattr(node, "end_lineno", None)
        end_column = getattr(node, "end_col_offset", None)
        if start_line is None or end_line is None or end_column is None:
            return 0, 0
        start = self._offset(start_line, getattr(node, "col_offset", 0))
        return start, self._offset(end_line, end_column)

    def _grouped(self, start: int, end: int) -> tuple[int, int]:
        data = self.data
        opens: list[int] = []
        cursor = start
        while cursor > 0:
            char = data[cursor - 1 : cursor]
            if char == b"(":
                opens.append(cursor - 1)
            elif not char.isspace() and char != b"\\":
                break
            cursor -= 1
        if opens and (
            data[cursor - 1 : cursor].isalnum()
            or data[cursor - 1 : cursor] in (b"_", b")", b"]", b'"', b"'")
        ):
            opens.pop()  # the outermost `(` belongs to a call: `f((x))` groups once
        closes: list[int] = []
        cursor = end
        while cursor < len(data) and len(closes) < len(opens):
            char = data[cursor : cursor + 1]
            if char == b")":
                closes.append(cursor + 1)
            elif char == b"#":
                newline = data.find(b"\n", cursor)
                cursor = len(data) if newline < 0 else newline
                continue
            elif not char.isspace() and char != b"\\":
                break
            cursor += 1
        if not closes:
            return start, end
        return opens[len(closes) - 1], closes[-1]


_BLANK = frozenset(b" \t\n\r\x0b\x0c")
"""What `bytes.strip()` strips."""
_WORD = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")
_LINE_BLANK = " \t\x0b\x0c"
"""What `bytes.isspace` counts as blank within a line (not `str.strip`'s wider set)."""
_CALLEE_ENDS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_)]\"'")
_OPEN, _CLOSE = ord("("), ord(")")


def _solid_before(data: bytes, index: int) -> int:
    """The index of the last byte before `index` that is not blank, or -1. Scanning back from
    the node, not `data[:index].rstrip()`: that copies the file's head for every expression."""
    while index > 0 and data[index - 1] in _BLANK:
        index -= 1
    return index - 1


def _solid_from(data: bytes, index: int) -> int:
    """The index of the first byte from `index` on that is not blank, or `len(data)`."""
    while index < len(data) and data[index] in _BLANK:
        index += 1
    return index


def _call_before(head: str) -> bool:
    """Whether a `(` after `head` (one line's text, blanks stripped) opens a call's arguments,
    as `_call_paren` decides it: `head` ends in a name that is not a keyword, a `)`, a `]` or
    a quote."""
    if not head or head[-1] not in _CALLEE_ENDS:
        return False
    start = len(head)
    while start > 0 and head[start - 1] in _WORD_CHARACTERS:
        start -= 1
    return not keyword.iskeyword(head[start:])


_WORD_CHARACTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")


def _call_paren(data: bytes, paren: int) -> bool:
    """Whether the `(` at `data[paren]` opens a call's arguments (`f(`), not a group
    (`if (`, `= (`)."""
    end = _solid_before(data, paren)
    last = data[end : end + 1] if end >= 0 else b""
    if not (last.isalnum() or last in (b"_", b")", b"]", b'"', b"'")):
        return False
    start = end
    while start >= 0 and data[start] in _WORD:
        start -= 1
    word = data[start + 1 : end + 1].decode("ascii", "replace")
    return not keyword.iskeyword(word)


class AstModule(NamedTuple):
    """A module's `ast` tree with its `AstSource`, shared by the layers that read it."""

    tree: ast.Module
    source: AstSource


Parsed = str | AstModule
"""What an `ast` reader takes: a module already parsed, or text (tests, benchmarks) parsed then."""


def parsed(module: Parsed) -> AstModule:
    """`module` parsed; raises what `ast.parse` raises for text it cannot parse."""
    if isinstance(module, AstModule):
        return module
    found = parse_ast(module)
    if isinstance(found, BaseException):
        raise found
    return found


_PARSE_ERRORS = (SyntaxError, ValueError, RecursionError, MemoryError)
"""What `ast.parse` raises for text it cannot turn into a tree: syntax newer than the running
interpreter or broken, NUL bytes, nesting too deep for CPython."""


def parse_ast(text: str) -> AstModule | BaseException:
    """The parse behind `SourceFile.tree("ast")`: the module, or what `ast.parse` raised.

    Syntax newer than the running interpreter (`type` aliases, generics, `except A, B:`) is
    parsed from a rewrite of the text (`modern_syntax`) that keeps every position, and sliced
    from the text as written; when the rewrite does not parse either, the error is the one
    `ast.parse` gave for the text itself, and every reader falls back to libcst as before.
    """
    try:
        return AstModule(ast.parse(text), AstSource(text))
    except SyntaxError as error:
        tree = parse_modern(text)
        return error if tree is None else AstModule(tree, AstSource(text))
    except _PARSE_ERRORS as error:
        return error


def ast_module(file: SourceFile) -> AstModule:
    """`file`'s `ast` tree and source, parsed once per run for every `ast` reader (import
    surface, telemetry, auth evidence, url-id flows): each used to parse the text again, a
    quarter of what they cost together. Nothing may change the tree.

    Raises what `ast.parse` raised, on every call, so each reader falls back to libcst exactly
    as it did when it parsed for itself.
    """
    parsed: AstModule | BaseException = file.tree("ast")
    if isinstance(parsed, BaseException):
        raise parsed
    return parsed


def gated_ast_module(file: SourceFile) -> AstModule:
    """`ast_module(file)` once the file has passed the nesting gate libcst's parse puts it
    through (`engines.python_gate`), measured on this same tree and once per file: a file
    nested too deeply is the same `parse` problem whether a lesson reads it with `ast` or
    libcst. Raises what `ast.parse` raised, or the gate's AnalysisError."""
    module = ast_module(file)
    file.tree("python-gate")
    return module


def check_python_syntax(file: SourceFile) -> None:
    """Raise the file's `parse` problem, as every Python lesson reports it, for a lesson that
    reads the module with another parser (ast-grep) and only needs to know it is sound.

    `ast` answers for a module it accepts; libcst is asked only for one it rejects, so a
    broken module gets libcst's problem (worded with CPython's message and place) exactly as
    before, and syntax newer than the running interpreter still passes when libcst reads it."""
    try:
        gated_ast_module(file)
    except _PARSE_ERRORS:
        file.python_module()


def _by_position(nodes: Iterable[ast.AST]) -> list[ast.AST]:
    return sorted(nodes, key=lambda n: (getattr(n, "lineno", 0), getattr(n, "col_offset", 0)))


def _arguments_in_order(arguments: ast.arguments) -> Iterator[ast.AST]:
    """A signature's parts as written: each parameter (its annotation) before its default."""
    positional = [*arguments.posonlyargs, *arguments.args]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(arguments.defaults))
    defaults.extend(arguments.defaults)
    for parameter, default in zip(positional, defaults, strict=True):
        yield parameter
        if default is not None:
            yield default
    if arguments.vararg is not None:
        yield arguments.vararg
    for parameter, kw_default in zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True):
        yield parameter
        if kw_default is not None:
            yield kw_default
    if arguments.kwarg is not None:
        yield arguments.kwarg


def _function_children(node: ast.AST) -> Iterable[ast.AST]:
    assert isinstance(node, _Function)
    return [
        *node.decorator_list,
        *getattr(node, "type_params", ()),
        node.args,
        *([node.returns] if node.returns is not None else []),
        *node.body,
    ]


def _class_children(node: ast.AST) -> Iterable[ast.AST]:
    assert isinstance(node, ast.ClassDef)
    return [
        *node.decorator_list,
        *getattr(node, "type_params", ()),
        *_by_position([*node.bases, *node.keywords]),
        *node.body,
    ]


def _call_children(node: ast.AST) -> Iterable[ast.AST]:
    assert isinstance(node, ast.Call)
    return [node.func, *_by_position([*node.args, *node.keywords])]


def _dict_children(node: ast.AST) -> Iterable[ast.AST]:
    assert isinstance(node, ast.Dict)
    return [
        part
        for key, value in zip(node.keys, node.values, strict=True)
        for part in ((value,) if key is None else (key, value))
    ]


def _if_children(node: ast.AST) -> Iterable[ast.AST]:
    assert isinstance(node, ast.IfExp)
    return [node.body, node.test, node.orelse]


def _arguments_children(node: ast.AST) -> Iterable[ast.AST]:
    assert isinstance(node, ast.arguments)
    return _arguments_in_order(node)


_REORDERED: dict[type[ast.AST], Callable[[ast.AST], Iterable[ast.AST]]] = {
    ast.FunctionDef: _function_children,
    ast.AsyncFunctionDef: _function_children,
    ast.ClassDef: _class_children,
    ast.arguments: _arguments_children,
    ast.Call: _call_children,
    ast.Dict: _dict_children,
    ast.IfExp: _if_children,
}
"""The node types whose fields `ast` keeps apart from the written order (see the docstring)."""


def children_in_source_order(node: ast.AST) -> Iterable[ast.AST]:
    """A node's children in the order they are written (see the module docstring).

    Every `ast` reader asks this of every node: the kind is looked up once, and the other kinds'
    children are read from their fields directly (what `ast.iter_child_nodes` yields, without a
    generator per node)."""
    reorder = _REORDERED.get(type(node))
    if reorder is not None:
        return reorder(node)
    found: list[ast.AST] = []
    for name in node._fields:
        value = getattr(node, name, None)
        if isinstance(value, ast.AST):
            found.append(value)
        elif isinstance(value, list):
            found.extend(item for item in value if isinstance(item, ast.AST))
    return found
