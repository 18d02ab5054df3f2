"""Parsers, one per engine; a `SourceFile` calls `parse_with` at most once per engine."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pytest_lessons.source import SourceFile


def parse_with(engine: str, file: SourceFile) -> Any:
    """Parse `file` with the named engine; raises AnalysisError with the parser's location."""
    if engine == "libcst":
        from pytest_lessons.engines.python import parse_module

        return parse_module(file.text)
    if engine == "libcst-metadata":
        from pytest_lessons.engines.python import metadata_wrapper

        return metadata_wrapper(file.python_module())
    if engine == "ast-grep":
        from pytest_lessons.engines.typescript import parse_script

        return parse_script(file.rel, file.text)
    raise ValueError(f"unknown parser engine {engine!r}")
