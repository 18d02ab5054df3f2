"""TypeScript and JavaScript through ast-grep (tree-sitter): one engine for every dialect.

The TSX grammar is used wherever JSX may appear (.tsx, .jsx, and plain .js, which React projects
fill with JSX); .ts keeps the TypeScript grammar, where `<T>x` is a cast, not an element.
"""

from __future__ import annotations

import re

from ast_grep_py import SgRoot

from pytest_lessons.engines import ast_grep
from pytest_lessons.errors import AnalysisError

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
    """The tree of `text`; a bare `\\r` is read as the line break it is everywhere else.

    tree-sitter counts rows at `\\n` only, so in a file with old Mac line endings every finding
    would sit on line 1; the replacement keeps every offset and column as it was.
    """
    if "\r" in text:
        text = _BARE_RETURN.sub("\n", text)
    return SgRoot(text, language_for(rel))


_BARE_RETURN = re.compile(r"\r(?!\n)")


def recovery_note(root: SgRoot) -> AnalysisError | None:
    """Where tree-sitter had to recover, as a note: the rest of the tree is still analysed.

    tree-sitter's TypeScript grammar rejects some valid code (`fn<typeof import("x")>()`,
    raw escapes in `String.raw` templates), about one test file in twenty in real repositories.
    Failing those files would be a false alarm, dropping them would lose every finding in them,
    so the recovered tree is used and the region it could not read is reported without failing.
    """
    return ast_grep.recovery_note(root, "TypeScript")
