"""Where lines break: one rule for every line number a report shows.

Its own module because both the file model (`source`) and the parsers (`engines`) count lines,
and the parsers must not depend on the file model.
"""

from __future__ import annotations

import re


def split_lines(text: str, *, keepends: bool = False) -> list[str]:
    """`text`'s lines, broken where Python's tokenizer, libcst, `ast` and editors break them.

    Only `\\r\\n`, `\\r` and `\\n` end a line. `str.splitlines()` also breaks at form feeds
    (PEP 8 allows them between sections), vertical tabs and U+2028, which no parser counts: a
    suppression below one of those then spoke about the wrong line, and findings showed the
    wrong source line. A trailing line break ends the last line, as with `splitlines()`.
    """
    if keepends:
        return _LINE_WITH_END.findall(text)
    lines = _LINE_BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_LINE_WITH_END = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def split_lines_bytes(data: bytes) -> list[bytes]:
    lines = re.split(rb"\r\n|\r|\n", data)
    if lines and lines[-1] == b"":
        lines.pop()
    return lines


def offset_of(text: str, line: int, column: int) -> int:
    """The index into `text` of a 1-based line and 1-based column (characters), lines broken
    as `split_lines` breaks them; a fix computed from a parser's position edits the text here."""
    lines = split_lines(text, keepends=True)
    return sum(len(previous) for previous in lines[: line - 1]) + column - 1
