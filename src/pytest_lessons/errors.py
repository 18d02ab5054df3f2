"""Errors meant for the user: each names the file, the line when known, and what to do."""

from __future__ import annotations

from pathlib import Path

from pytest_lessons.findings import ProblemKind


class LessonsConfigError(Exception):
    """Bad configuration or a malformed lesson; the plugin turns it into a pytest usage error."""

    def __init__(self, file: Path | str, message: str, line: int | None = None) -> None:
        where = f"{file}:{line}" if line is not None else str(file)
        super().__init__(f"{where}: {message}")
        self.file = str(file)
        self.line = line
        self.detail = message


class AnalysisError(Exception):
    """A file could not be decoded or parsed; reported under every lesson that needed it."""

    def __init__(
        self, kind: ProblemKind, message: str, line: int | None = None, column: int | None = None
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.line = line
        self.column = column


TOO_DEEP_TO_ANALYSE = "Python source is nested too deeply to analyse"
"""What a lesson reports when walking a tree that passed the nesting gate still recursed too far:
the same words for every lesson, so the file gets one problem, not one per lesson."""


def too_deep_to_analyse() -> AnalysisError:
    """The problem a RecursionError during extraction stands for: the file, not a lesson bug."""
    return AnalysisError(
        ProblemKind.PARSE,
        f"{TOO_DEEP_TO_ANALYSE}: a lesson recursed too far walking it; split the deepest "
        "expression up, or exclude the file if it is generated",
    )
