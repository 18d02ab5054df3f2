"""YAML documents with line numbers, shared by every lesson that reads a deployment file.

ruamel.yaml's round-trip loader keeps each mapping's and sequence's positions (`.lc`), which is
what lets a finding point at the `- name: DATABASE_URL` line. A file holding Go-template markup
(`{{ .Values.image }}`, Helm's `templates/`) is not YAML until rendered: template actions are
replaced by a placeholder scalar and lines holding only an action are blanked, which keeps every
line number; a template that still does not parse is left out with a note, never an error. A
plain YAML file that does not parse is the file's problem, with the parser's line and message.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from pytest_lessons.findings import ProblemKind
from pytest_lessons.source import AnalysisError, SourceFile

__all__ = [
    "TEMPLATE_PLACEHOLDER",
    "items",
    "key_position",
    "mapping",
    "pairs",
    "scalar",
    "sequence",
    "yaml_documents",
]

TEMPLATE_PLACEHOLDER = "__template__"
_ACTION = re.compile(r"\{\{-?.*?-?\}\}")
_ACTION_ONLY = re.compile(r"^\s*(?:\{\{-?.*?-?\}\}\s*)+$")


def yaml_documents(file: SourceFile) -> list[Any]:
    """The file's documents (mappings and sequences with positions), parsed once per run."""
    return file.derived("deploy-yaml-v1", _parse)


def _parse(file: SourceFile) -> list[Any]:
    text = file.text
    templated = "{{" in text
    if templated:
        text = "\n".join(
            "" if _ACTION_ONLY.match(line) else _ACTION.sub(TEMPLATE_PLACEHOLDER, line)
            for line in text.split("\n")
        )
    loader = YAML(typ="rt", pure=True)
    loader.allow_duplicate_keys = True
    try:
        return [document for document in loader.load_all(text) if document is not None]
    except (YAMLError, ValueError, TypeError) as error:
        line, column = _position(error)
        if templated:
            file.notes.append(
                AnalysisError(
                    ProblemKind.PARSE_RECOVERED,
                    "a YAML template that does not read as YAML once its {{ }} actions are "
                    "blanked out was left out; variables and commands it sets are not checked",
                    line=line,
                    column=column,
                )
            )
            return []
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise AnalysisError(
            ProblemKind.PARSE,
            f"YAML syntax error: {problem}; fix the file or exclude it in [tool.pytest-lessons]",
            line=line,
            column=column,
        ) from None
    except RecursionError:
        raise AnalysisError(ProblemKind.PARSE, "YAML nested too deeply to read") from None


def _position(error: Exception) -> tuple[int | None, int | None]:
    if isinstance(error, MarkedYAMLError):
        mark = error.problem_mark or error.context_mark
        if mark is not None:
            return mark.line + 1, mark.column + 1
    return None, None


def mapping(value: Any) -> CommentedMap | None:
    return value if isinstance(value, CommentedMap) else None


def sequence(value: Any) -> CommentedSeq | None:
    return value if isinstance(value, CommentedSeq) else None


def scalar(value: Any) -> str | None:
    """A scalar as text (`8000` and `true` included); None for a mapping, sequence or null."""
    if value is None or isinstance(value, (CommentedMap, CommentedSeq, dict, list)):
        return None
    return str(value)


def key_position(node: CommentedMap, key: Any) -> tuple[int, int]:
    """1-based line and column of a mapping key (the node's own when a merge `<<` brought it)."""
    try:
        line, column = node.lc.key(key)
    except (KeyError, TypeError, AttributeError):
        line, column = node.lc.line, node.lc.col
    return int(line) + 1, int(column) + 1


def item_position(node: CommentedSeq, index: int) -> tuple[int, int]:
    try:
        line, column = node.lc.item(index)
    except (KeyError, TypeError, AttributeError, IndexError):
        line, column = node.lc.line, node.lc.col
    return int(line) + 1, int(column) + 1


def pairs(node: CommentedMap) -> Iterator[tuple[str, Any, int, int]]:
    """(key, value, line, column) of each entry whose key is a scalar."""
    for key, value in node.items():
        text = scalar(key)
        if text is None:
            continue
        line, column = key_position(node, key)
        yield text, value, line, column


def items(node: CommentedSeq) -> Iterator[tuple[Any, int, int]]:
    """(value, line, column) of each element."""
    for index, value in enumerate(node):
        line, column = item_position(node, index)
        yield value, line, column
