"""Syntax newer than the running interpreter, rewritten into text its `ast` accepts.

Every Python layer reads one `ast` tree per module and falls back to libcst with positions, about
fifty times slower, for a module `ast.parse` rejects. Most such modules in real code are rejected
only for a few constructs the running Python is too old for, which the standard `tokenize`
module (pure Python up to 3.11) splits into tokens all the same:

- `type X[T] = expr` (PEP 695, Python 3.12): written as `X = expr`, the name moved onto the
  keyword and padded with spaces; the tree then gets back the statement 3.12's `ast` gives
  (`TypeAlias`, see `TYPE_ALIAS`), so a reader sees the same node on every interpreter.
- type parameters after a `def` or `class` name (`def f[T](x: T)`, PEP 695): blanked. The
  readers need names, calls, decorators and strings, never type parameters, so the tree holds
  none (`type_params` is empty or absent, as readers already allow for).
- `except A, B:` and `except* A, B:` (PEP 758, Python 3.14): parenthesised, `except(A, B):`,
  taking the blank after the keyword for `(` and, where there is one, a blank around the colon
  for `)`. With no blank to take (`except A,B:pass`), the text after the colon on that line moves
  one column in the rewritten text only.

Nothing else is rewritten: a nested f-string reusing its quotes (PEP 701, 3.12) still fails, and
the module goes to libcst as before, as does broken code, whose error is the one `ast.parse` gave
for the text as written (the caller keeps it; no location in the rewritten text is reported).
Only what the running interpreter cannot parse is touched: on 3.12 and 3.13 the `except` lists,
on 3.14 and later nothing.

Every rewrite keeps each line where it is (a type parameter list broken over lines becomes a
backslash continuation) and records, for each line it changes, which stretches of the line it
kept. `Rewrite.restore` maps every position in the tree back onto the text as written, so a
node's position and its slice of the original text (`AstSource`, which holds the text as
written) are those the interpreter that reads this syntax would give.
"""

from __future__ import annotations

import ast
import io
import keyword
import sys
import tokenize
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

__all__ = ["TYPE_ALIAS", "Rewrite", "parse_modern", "rewrite"]


class _TypeAlias(ast.stmt):
    """`type NAME = value` as Python 3.12's `ast.TypeAlias` holds it, for older interpreters."""

    _fields = ("name", "type_params", "value")


_NATIVE_TYPE_ALIAS: type[ast.stmt] | None = getattr(ast, "TypeAlias", None)
_TypeAlias.__name__ = _TypeAlias.__qualname__ = "TypeAlias"  # `visit_TypeAlias` dispatches on it
TYPE_ALIAS: type[ast.stmt] = _NATIVE_TYPE_ALIAS or _TypeAlias
"""The node of a `type X = ...` statement: the interpreter's own from 3.12 on, otherwise the
stand-in `Rewrite.restore` builds (same name and fields, so visitors treat both alike)."""

_STATEMENT_START = frozenset({tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT})
_SKIPPED = frozenset({tokenize.COMMENT, tokenize.NL})
_OPENING = frozenset("([{")
_CLOSING = frozenset(")]}")
_Position = tuple[int, int]
"""(1-based line, 0-based character column), as `tokenize` gives them."""


@dataclass(frozen=True)
class _Edit:
    line: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class _Alias:
    keyword: _Position
    name: _Position
    name_end: _Position


@dataclass(frozen=True)
class _Handler:
    keyword: _Position
    first: _Position
    end: _Position


@dataclass(frozen=True)
class _Line:
    """A changed line: as written, as rewritten, and the kept stretches (new start, old start)."""

    old: str
    new: str
    kept: tuple[tuple[int, int], ...]

    def old_offset(self, new_offset: int) -> int:
        """The UTF-8 byte offset in the line as written of one in the rewritten line."""
        new_column = _column(self.new, new_offset)
        index = max(bisect_right([start for start, _ in self.kept], new_column) - 1, 0)
        new_start, old_start = self.kept[index]
        return _offset(self.old, old_start + new_column - new_start)


def _column(line: str, offset: int) -> int:
    if line.isascii():
        return offset
    return len(line.encode("utf-8")[:offset].decode("utf-8", "replace"))


def _offset(line: str, column: int) -> int:
    if line.isascii():
        return column
    return len(line[:column].encode("utf-8"))


@dataclass
class Rewrite:
    """A module's text rewritten for the running `ast`, and how to map its tree back."""

    text: str
    lines: dict[int, _Line] = field(default_factory=dict)
    aliases: list[_Alias] = field(default_factory=list)
    handlers: list[_Handler] = field(default_factory=list)
    old_lines: Sequence[str] = ()

    def restore(self, tree: ast.Module) -> ast.Module:
        """`tree` (of `self.text`) with positions in the text as written and `type` statements
        as 3.12's `ast` gives them. Changes `tree` in place."""
        lines = self.lines
        for node in ast.walk(tree) if lines else ():
            line = getattr(node, "lineno", None)
            if line in lines:
                node.col_offset = lines[line].old_offset(node.col_offset)  # type: ignore[attr-defined]
            end_line = getattr(node, "end_lineno", None)
            end_offset = getattr(node, "end_col_offset", None)
            if end_line in lines and end_offset is not None:
                node.end_col_offset = lines[end_line].old_offset(end_offset)  # type: ignore[attr-defined]
        self._restore_handlers(tree)
        self._restore_aliases(tree)
        return tree

    def _bytes(self, position: _Position) -> tuple[int, int]:
        line, column = position
        return line, _offset(self.old_lines[line - 1], column)

    def _restore_handlers(self, tree: ast.Module) -> None:
        if not self.handlers:
            return
        wanted = {self._bytes(handler.keyword): handler for handler in self.handlers}
        for node in ast.walk(tree):
            if isinstance(node, ast.ExceptHandler) and node.type is not None:
                handler = wanted.get((node.lineno, node.col_offset))
                if handler is not None:
                    # 3.14 spans the bare list, `A, B`, as it does any unparenthesised tuple
                    node.type.lineno, node.type.col_offset = self._bytes(handler.first)
                    node.type.end_lineno, node.type.end_col_offset = self._bytes(handler.end)

    def _restore_aliases(self, tree: ast.Module) -> None:
        if not self.aliases:
            return
        wanted = {self._bytes(alias.keyword): alias for alias in self.aliases}
        for node in ast.walk(tree):
            for _, value in ast.iter_fields(node):
                if not isinstance(value, list):
                    continue
                for index, child in enumerate(value):
                    if not isinstance(child, ast.Assign):
                        continue
                    alias = wanted.get((child.lineno, child.col_offset))
                    if alias is not None and isinstance(child.targets[0], ast.Name):
                        value[index] = self._alias(child, child.targets[0], alias)

    def _alias(self, assign: ast.Assign, name: ast.Name, alias: _Alias) -> ast.stmt:
        name.lineno, name.col_offset = self._bytes(alias.name)
        name.end_lineno, name.end_col_offset = self._bytes(alias.name_end)
        statement = TYPE_ALIAS(name=name, type_params=[], value=assign.value)  # type: ignore[call-arg]
        statement.lineno, statement.col_offset = assign.lineno, assign.col_offset
        statement.end_lineno, statement.end_col_offset = assign.end_lineno, assign.end_col_offset
        return statement


def parse_modern(text: str) -> ast.Module | None:
    """`text`'s tree through `rewrite`, or None when nothing rewritten parses (the caller keeps
    the error `ast.parse` gave for `text` itself)."""
    rewritten = rewrite(text)
    if rewritten is None:
        return None
    try:
        tree = ast.parse(rewritten.text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    return rewritten.restore(tree)


def rewrite(text: str, version: tuple[int, int] | None = None) -> Rewrite | None:
    """`text` with the syntax `version` (the running interpreter's by default) cannot parse
    rewritten, or None when there is nothing to rewrite or `tokenize` cannot read it."""
    version = version or (sys.version_info.major, sys.version_info.minor)
    types, excepts = version < (3, 12), version < (3, 14)
    if not (types or excepts) or text.count("\r") != text.count("\r\n"):
        return None  # a lone `\r` ends a line for `ast` but not for this line split
    if "\0" in text:
        # `ast` refuses NUL bytes whatever the syntax, and Python 3.13.0's tokenizer, given
        # one, raises with an error indicator it leaves set (a SystemError at the next call)
        return None
    old_lines = io.StringIO(text).readlines()
    try:
        tokens = [
            token
            for token in tokenize.generate_tokens(io.StringIO(text).readline)
            if token.type not in _SKIPPED
        ]
    except (tokenize.TokenError, SyntaxError):
        return None
    found = Rewrite(text, old_lines=old_lines)
    edits: list[_Edit] = []
    for index, token in enumerate(tokens):
        if token.type != tokenize.NAME:
            continue
        if types and token.string == "type":
            edits.extend(_type_alias(tokens, index, old_lines, found))
        elif types and token.string in ("def", "class"):
            edits.extend(_type_parameters(tokens, index + 2, old_lines))
        elif excepts and token.string == "except":
            edits.extend(_exception_list(tokens, index, old_lines, found))
    if not edits:
        return None
    _apply(found, edits)
    return found


def _closing(tokens: Sequence[tokenize.TokenInfo], index: int) -> int | None:
    """The index of the bracket closing the one at `index`."""
    depth = 0
    for position in range(index, len(tokens)):
        token = tokens[position]
        if token.type == tokenize.OP and token.string in _OPENING:
            depth += 1
        elif token.type == tokenize.OP and token.string in _CLOSING:
            depth -= 1
            if depth == 0:
                return position if token.string == "]" else None
        elif token.type in (tokenize.NEWLINE, tokenize.ENDMARKER):
            return None
    return None


def _blanked(start: _Position, end: _Position, lines: Sequence[str]) -> Iterator[_Edit]:
    """Spaces over `start`..`end`; a line the stretch continues past ends in a backslash, so
    the lines after stay one logical line as the brackets made them."""
    for line in range(start[0], end[0] + 1):
        text = lines[line - 1].rstrip("\r\n")
        first = start[1] if line == start[0] else 0
        last = end[1] if line == end[0] else len(text)
        width = last - first
        if line == end[0]:
            yield _Edit(line, first, last, " " * width)
        else:
            yield _Edit(line, first, last, " " * max(width - 1, 0) + "\\")


def _type_parameters(
    tokens: Sequence[tokenize.TokenInfo], bracket: int, lines: Sequence[str]
) -> Iterator[_Edit]:
    """Blanks `[T, ...]` after the name of a `def` or `class` (at `bracket`)."""
    if bracket >= len(tokens) or tokens[bracket - 1].type != tokenize.NAME:
        return
    opening = tokens[bracket]
    if opening.type != tokenize.OP or opening.string != "[":
        return
    closing = _closing(tokens, bracket)
    if closing is None or closing == bracket + 1:  # `def f[]()` is an error on every Python
        return
    yield from _blanked(opening.start, tokens[closing].end, lines)


def _type_alias(
    tokens: Sequence[tokenize.TokenInfo], index: int, lines: Sequence[str], found: Rewrite
) -> Iterator[_Edit]:
    """`type X[T] = v` at the start of a statement -> `X` and padding, then `= v` unmoved."""
    before = tokens[index - 1] if index else None
    if before is not None and not (
        before.type in _STATEMENT_START or (before.type == tokenize.OP and before.string in ";:")
    ):
        return
    keyword_token = tokens[index]
    name = tokens[index + 1] if index + 1 < len(tokens) else None
    if (
        name is None
        or name.type != tokenize.NAME
        or keyword.iskeyword(name.string)
        or name.start[0] != keyword_token.start[0]
    ):
        return
    after = index + 2
    parameters: list[_Edit] = []
    if after < len(tokens) and tokens[after].type == tokenize.OP and tokens[after].string == "[":
        closing = _closing(tokens, after)
        if closing is None or closing == after + 1:
            return
        parameters = list(_blanked(tokens[after].start, tokens[closing].end, lines))
        after = closing + 1
    if after >= len(tokens) or tokens[after].type != tokenize.OP or tokens[after].string != "=":
        return
    line, start = keyword_token.start
    width = name.end[1] - start
    found.aliases.append(_Alias(keyword_token.start, name.start, name.end))
    yield _Edit(line, start, name.end[1], name.string.ljust(width))
    yield from parameters


def _exception_list(
    tokens: Sequence[tokenize.TokenInfo], index: int, lines: Sequence[str], found: Rewrite
) -> Iterator[_Edit]:
    """`except A, B:` / `except* A, B:` -> `except(A, B):` (PEP 758 allows no `as` there)."""
    first = index + 1
    if first < len(tokens) and tokens[first].string == "*" and tokens[first].type == tokenize.OP:
        first += 1
    depth, colon, commas = 0, None, 0
    for position in range(first, len(tokens)):
        token = tokens[position]
        if token.type in (tokenize.NEWLINE, tokenize.ENDMARKER):
            return
        if token.type == tokenize.OP and token.string in _OPENING:
            depth += 1
        elif token.type == tokenize.OP and token.string in _CLOSING:
            depth -= 1
        elif depth == 0 and token.type == tokenize.OP and token.string == ",":
            commas += 1
        elif depth == 0 and token.type == tokenize.NAME and token.string in ("as", "lambda"):
            return
        elif depth == 0 and token.type == tokenize.OP and token.string == ":":
            colon = position
            break
    if colon is None or commas == 0 or colon == first:
        return
    opening, last, colon_token = tokens[first], tokens[colon - 1], tokens[colon]
    found.handlers.append(_Handler(tokens[index].start, opening.start, last.end))
    line, column = opening.start
    before = tokens[first - 1].end
    if before[0] == line and before[1] < column:
        yield _Edit(line, column - 1, column, "(")  # the blank before the list
    else:
        yield _Edit(line, column, column, "(")
    line, column = colon_token.start
    text = lines[line - 1]
    if last.end[0] == line and last.end[1] < column:
        yield _Edit(line, column - 1, column, ")")  # a blank before the colon
    elif text[column + 1 : column + 2] in (" ", "\t") and text[column + 2 :].strip():
        yield _Edit(line, column, column + 2, "):")  # `except A,B: pass` -> `except(A,B):pass`
    else:
        yield _Edit(line, column, column, ")")


def _apply(found: Rewrite, edits: list[_Edit]) -> None:
    """Writes `edits` into `found.text`, recording each changed line's kept stretches."""
    by_line: dict[int, list[_Edit]] = {}
    for edit in edits:
        by_line.setdefault(edit.line, []).append(edit)
    lines = list(found.old_lines)
    for number, changes in by_line.items():
        old = lines[number - 1]
        pieces: list[str] = []
        kept: list[tuple[int, int]] = []
        cursor = new_length = 0
        for edit in sorted(changes, key=lambda e: (e.start, e.end)):
            kept.append((new_length, cursor))
            pieces.append(old[cursor : edit.start])
            new_length += edit.start - cursor
            pieces.append(edit.text)
            new_length += len(edit.text)
            cursor = edit.end
        kept.append((new_length, cursor))
        pieces.append(old[cursor:])
        new = "".join(pieces)
        lines[number - 1] = new
        if any(
            new_start != old_start or _offset(new, new_start) != _offset(old, old_start)
            for new_start, old_start in kept
        ):  # positions on the line moved: `restore` maps them back
            found.lines[number] = _Line(old, new, tuple(kept))
    found.text = "".join(lines)
