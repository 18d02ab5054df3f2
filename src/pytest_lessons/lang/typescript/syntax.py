"""Small readers over ast-grep nodes, shared by every JS/TS layer.

tree-sitter gives a concrete tree; these helpers answer the few questions every layer asks of it
(what string is this, what dotted name is this callee, where is this node) in one place, so the
layers agree on them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

from ast_grep_py import SgNode

from pytest_lessons.source import SourceFile

_STRING_KINDS = frozenset({"string", "template_string"})
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "b": "\b", "f": "\f", "v": "\v"}


@dataclass(frozen=True)
class Span:
    """1-based line and column of a node's start and end, the shape findings use."""

    line: int
    column: int
    end_line: int
    end_column: int


def span(node: SgNode) -> Span:
    where = node.range()
    return Span(
        line=where.start.line + 1,
        column=where.start.column + 1,
        end_line=where.end.line + 1,
        end_column=where.end.column + 1,
    )


def span_fields(node: SgNode) -> dict[str, int]:
    """`span(node)` as the keyword arguments of a record's position fields (`line`, `column`,
    `end_line`, `end_column`)."""
    where = span(node)
    return {
        "line": where.line,
        "column": where.column,
        "end_line": where.end_line,
        "end_column": where.end_column,
    }


def root_of(file: SourceFile) -> SgNode:
    """The file's ast-grep root node (parsed once per file, shared by all layers)."""
    node: SgNode = file.tree("ast-grep").root()
    return node


def string_value(node: SgNode | None) -> str | None:
    """The value of a string literal or a template literal without substitutions, else None.

    Event names and route paths are compared as values, so `'a'`, `"a"` and `` `a` `` must agree;
    a template with `${...}` is dynamic and has no single value.
    """
    if node is None:
        return None
    kind = node.kind()
    if kind == "parenthesized_expression":
        inner = [child for child in node.children() if child.is_named()]
        return string_value(inner[0]) if len(inner) == 1 else None
    if kind in ("as_expression", "satisfies_expression", "non_null_expression"):
        first = next((child for child in node.children() if child.is_named()), None)
        return string_value(first)
    if kind not in _STRING_KINDS:
        return None
    parts: list[str] = []
    for child in node.children():
        child_kind = child.kind()
        if child_kind == "template_substitution":
            return None
        if child_kind == "string_fragment":
            parts.append(child.text())
        elif child_kind == "escape_sequence":
            parts.append(_unescape(child.text()))
    return "".join(parts)


def _unescape(sequence: str) -> str:
    body = sequence[1:]
    if body[:1] in _ESCAPES:
        return _ESCAPES[body[:1]]
    if body[:1] in ("u", "x"):
        try:
            decoded: str = json.loads(f'"\\u{body[1:].strip("{}").rjust(4, "0")}"')
        except ValueError:
            return body
        return decoded
    return body


def dotted_name(node: SgNode | None) -> str | None:
    """`a.b.c` for identifiers and member chains (`this` included), else None.

    Computed members (`a[b]`) have no static name, except string keys (`a["b"]` reads as `a.b`).
    """
    if node is None:
        return None
    kind = node.kind()
    if kind in ("identifier", "property_identifier", "shorthand_property_identifier", "this"):
        return node.text()
    if kind == "member_expression":
        base = dotted_name(node.field("object"))
        prop = node.field("property")
        if base is None or prop is None:
            return None
        return f"{base}.{prop.text()}"
    if kind == "subscript_expression":
        base = dotted_name(node.field("object"))
        key = string_value(node.field("index"))
        if base is None or key is None:
            return None
        return f"{base}.{key}"
    if kind in ("parenthesized_expression", "non_null_expression", "as_expression"):
        first = next((child for child in node.children() if child.is_named()), None)
        return dotted_name(first)
    return None


def call_arguments(call: SgNode) -> list[SgNode]:
    """The argument nodes of a call or `new` expression, without punctuation or comments."""
    arguments = call.field("arguments")
    if arguments is None:
        return []
    return [
        child for child in arguments.children() if child.is_named() and child.kind() != "comment"
    ]


def callee_name(call: SgNode) -> str | None:
    return dotted_name(call.field("function"))


def directives(root: SgNode) -> set[str]:
    """The directive prologue: `'use client'`, `'use server'` at the top of a module."""
    found: set[str] = set()
    for child in root.children():
        kind = child.kind()
        if kind == "comment" or kind == "hash_bang_line":
            continue
        if kind != "expression_statement":
            break
        inner = [part for part in child.children() if part.is_named()]
        value = string_value(inner[0]) if len(inner) == 1 else None
        if value is None:
            break
        found.add(value)
    return found


def export_specifiers(statement: SgNode) -> Iterator[tuple[str, str, SgNode]]:
    """(exported name, local or imported name, specifier node) of `export { a as b } [from ...]`.

    String names (`export { "a-b" as c }`) are read as their values. Nothing is yielded for a
    statement without an export clause; the caller tells a re-export by the statement's `source`.
    """
    clause = next((c for c in statement.children() if c.kind() == "export_clause"), None)
    if clause is None:
        return
    for spec in clause.children():
        if spec.kind() != "export_specifier":
            continue
        name_node = spec.field("name")
        if name_node is None:
            continue
        alias = spec.field("alias")
        name = string_value(name_node) or name_node.text()
        exported = (string_value(alias) or alias.text()) if alias is not None else name
        yield exported, name, spec


def object_properties(node: SgNode) -> Iterator[tuple[str, SgNode]]:
    """(key, value node) for each plain `key: value` or shorthand property of an object literal."""
    for child in node.children():
        kind = child.kind()
        if kind == "pair":
            key_node = child.field("key")
            value = child.field("value")
            if key_node is None or value is None:
                continue
            key = string_value(key_node)
            if key is None and key_node.kind() in ("property_identifier", "number"):
                key = key_node.text()
            if key is not None:
                yield key, value
        elif kind == "shorthand_property_identifier":
            yield child.text(), child
