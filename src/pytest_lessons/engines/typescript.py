"""TypeScript and JavaScript through ast-grep (tree-sitter): one engine for every dialect.

The TSX grammar is used wherever JSX may appear (.tsx, .jsx, and plain .js, which React projects
fill with JSX); .ts keeps the TypeScript grammar, where `<T>x` is a cast, not an element.
"""

from __future__ import annotations

from ast_grep_py import SgRoot

from pytest_lessons.findings import ProblemKind
from pytest_lessons.source import AnalysisError

_LANGUAGE_BY_SUFFIX = {
    ".ts": "typescript",
    ".mts": "typescript",
    ".cts": "typescript",
    ".tsx": "tsx",
    ".jsx": "tsx",
    ".js": "tsx",
    ".mjs": "tsx",
    ".cjs": "tsx",
}


def language_for(rel: str) -> str:
    dot = rel.rfind(".")
    return _LANGUAGE_BY_SUFFIX.get(rel[dot:].lower(), "tsx")


def parse_script(rel: str, text: str) -> SgRoot:
    """Parse and report the first syntax error, since tree-sitter recovers silently."""
    root = SgRoot(text, language_for(rel))
    node = root.root()
    error = node.find(kind="ERROR")
    if error is not None:
        start = error.range().start
        raise AnalysisError(
            ProblemKind.PARSE,
            f"syntax error near {error.text()[:40]!r}",
            line=start.line + 1,
            column=start.column + 1,
        )
    return root
