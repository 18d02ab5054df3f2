"""Any language ast-grep parses (tree-sitter grammars), for pattern lessons and the TS engine.

tree-sitter never fails: it recovers from what its grammar cannot read and marks the region with
an ERROR node. A recovered tree is still analysed; where it recovered becomes a note.
"""

from __future__ import annotations

from ast_grep_py import SgRoot

from pytest_lessons.errors import AnalysisError
from pytest_lessons.findings import ProblemKind


def parse(text: str, language: str) -> SgRoot:
    return SgRoot(text, language)


def recovery_note(root: SgRoot, parser: str) -> AnalysisError | None:
    """The first region `parser` (a language's display name) could not read, as a note."""
    error = root.root().find(kind="ERROR")
    if error is None:
        return None
    start = error.range().start
    snippet = " ".join(error.text().split())[:40]
    return AnalysisError(
        ProblemKind.PARSE_RECOVERED,
        f"parsed with recovery: the {parser} parser did not understand {snippet!r}; "
        "findings in that statement may be missed",
        line=start.line + 1,
        column=start.column + 1,
    )
