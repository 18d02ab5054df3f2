"""Metavariables in a pattern lesson's `message` and `autofix`, filled from one match.

ast-grep-py matches but does not rewrite, so the fix template is expanded here, the way
ast-grep's own `fix` is: `$NAME` is the text of the node it bound, `$$$NAME` the source from the
first to the last node of the list it bound (separators included), a `transform` variable its
transformed text, and a variable bound to nothing expands to nothing. Indentation follows
ast-grep's rules: a multi-line node keeps its shape relative to where the template puts it, and
every line of the replacement after the first is indented like the line the match starts on.
"""

from __future__ import annotations

from typing import Any

from pytest_lessons.patterns.rule import METAVARIABLE


def expand_message(template: str, node: Any, source: str, transformed: set[str]) -> str:
    """The message with each metavariable replaced by its text, on one line."""

    def fill(match: Any) -> str:
        found = _variable(node, source, match.group("dollars"), match.group("name"), transformed)
        return " ".join(found[0].split()) if found is not None else ""

    return METAVARIABLE.sub(fill, template)


def expand_fix(template: str, node: Any, source: str, transformed: set[str]) -> str:
    """The replacement text for the matched `node` of `source`."""
    pieces: list[str] = []
    position = 0
    for match in METAVARIABLE.finditer(template):
        pieces.append(template[position : match.start()])
        position = match.end()
        variable = _variable(node, source, match.group("dollars"), match.group("name"), transformed)
        if variable is None:
            continue
        text, original_indent = variable
        pieces.append(_reindent(text, original_indent, _indent_at(template, match.start())))
    pieces.append(template[position:])
    replacement = "".join(pieces)
    return _reindent(replacement, 0, _indent_at(source, node.range().start.index))


def _variable(
    node: Any, source: str, dollars: str, name: str, transformed: set[str]
) -> tuple[str, int] | None:
    """(text, indentation of the line it starts on in the source) of one metavariable."""
    if len(dollars) < 3 and name in transformed:
        text = node.get_transformed(name)
        return None if text is None else (text, 0)
    if len(dollars) == 3:
        nodes = node.get_multiple_matches(name)
        if not nodes:
            return None
        start, end = nodes[0].range().start.index, nodes[-1].range().end.index
    else:
        bound = node.get_match(name)
        if bound is None:
            return None
        start, end = bound.range().start.index, bound.range().end.index
    return source[start:end], _indent_at(source, start)


def _indent_at(text: str, offset: int) -> int:
    """The indentation (spaces) of the line holding `offset`, as ast-grep counts it."""
    line_start = text.rfind("\n", 0, offset) + 1
    line = text[line_start:offset]
    return len(line) - len(line.lstrip(" "))


def _reindent(text: str, original: int, wanted: int) -> str:
    """Move every line of `text` after the first from `original` to `wanted` indentation."""
    if "\n" not in text or original == wanted:
        return text
    first, *rest = text.split("\n")
    if original > wanted:
        strip = " " * (original - wanted)
        rest = [line[len(strip) :] if line.startswith(strip) else line for line in rest]
    else:
        rest = [" " * (wanted - original) + line for line in rest]
    return "\n".join([first, *rest])
