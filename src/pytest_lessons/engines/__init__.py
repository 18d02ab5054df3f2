"""Parsers, one per engine; a `SourceFile` calls `parse_with` at most once per engine.

Engines know nothing of `SourceFile` beyond the three things a parse needs (`Parsable`), so the
pipeline's file model depends on the engines and never the other way round.
"""

from __future__ import annotations

from typing import Any, Protocol


class Parsable(Protocol):
    """What a parser reads of a file: its path (the grammar may depend on the suffix), its text,
    and the trees other engines already parsed (the metadata engine wraps libcst's module, the
    libcst gate measures `ast`'s tree)."""

    @property
    def rel(self) -> str: ...

    @property
    def text(self) -> str: ...

    def python_module(self) -> Any: ...

    def tree(self, engine: str) -> Any: ...


def _ast_tree(file: Parsable) -> Any:
    """The file's shared `ast` tree (see `lang.python.ast_source.parse_ast`), or what
    `ast.parse` raised, raised again: the gate needs the same tree every `ast` reader uses."""
    parsed = file.tree("ast")
    if isinstance(parsed, BaseException):
        raise parsed
    return parsed.tree


def parse_with(engine: str, file: Parsable) -> Any:
    """Parse `file` with the named engine; raises AnalysisError with the parser's location."""
    if engine == "python-gate":  # None, or the `parse` problem of a file nested too deeply
        from pytest_lessons.engines.python import check_nesting

        check_nesting(file.text, lambda: _ast_tree(file))
        return None
    if engine == "libcst":
        from pytest_lessons.engines.python import parse_gated

        file.tree("python-gate")  # measured once per file, for libcst and `ast` readers alike
        return parse_gated(file.text)
    if engine == "libcst-metadata":
        from pytest_lessons.engines.python import metadata_wrapper

        return metadata_wrapper(file.python_module())
    if engine == "ast":  # stdlib `ast`: the tree, or what `ast.parse` raised (see `ast_module`)
        from pytest_lessons.lang.python.ast_source import parse_ast

        return parse_ast(file.text)
    if engine == "ast-grep":
        from pytest_lessons.engines.typescript import parse_script

        return parse_script(file.rel, file.text)
    if engine.startswith("ast-grep:"):  # a pattern lesson's language: `ast-grep:go`
        from pytest_lessons.engines.ast_grep import parse

        return parse(file.text, engine.partition(":")[2])
    raise ValueError(f"unknown parser engine {engine!r}")
