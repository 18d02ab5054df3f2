"""Comment directives: `lessons: ignore[...]` suppressions and `lessons: expect[...]` annotations.

One parser serves both so that the example harness and the suppression filter can never disagree
about which line a comment is about. Forms: `# ...` (Python, ini, toml), `// ...`, `/* ... */` and
JSX `{/* ... */}`. A comment alone on its line is about the next line; a comment after code is about
its own line.
"""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass

MARKER = b"lessons:"

_DIRECTIVE = re.compile(
    r"(?P<opener>\{/\*|/\*|//|#|;)\s*lessons:\s*(?P<verb>[a-z]+)\[(?P<ids>[^\]]*)\]"
    r"(?:\s*--\s*(?P<reason>.*?))?\s*(?:\*/\s*\}?)?\s*$"
)


@dataclass(frozen=True)
class Directive:
    verb: str
    lessons: tuple[str, ...]
    reason: str | None
    line: int
    column: int
    standalone: bool

    @property
    def target_line(self) -> int:
        """The line the comment speaks about."""
        return self.line + 1 if self.standalone else self.line

    def covers(self, line: int, end_line: int) -> bool:
        """Whether a finding spanning `line..end_line` is the one this comment is about.

        A standalone comment must sit right above the finding's first line; a trailing comment
        may sit on any line of a multi-line statement, where black puts the closing argument.
        """
        if self.standalone:
            return self.target_line == line
        return line <= self.line <= end_line


def parse_directives(
    text: str,
    verbs: frozenset[str] = frozenset({"ignore", "expect"}),
    *,
    python: bool = False,
) -> list[Directive]:
    """Directives in `text`; with `python=True` only real comments count, not string contents.

    Test files quote suppression comments inside strings all the time; tokenizing tells a `#` in
    a string from a comment. Other languages use the line scan, where such quoting is rare.
    """
    lines = text.splitlines()
    if python:
        comments = _python_comments(text)
        if comments is not None:
            found = []
            for number, column, comment in comments:
                directive = _directive_in(comment, number, verbs, lines[number - 1][:column])
                if directive is not None:
                    found.append(directive)
            return found
    found = []
    for number, line in enumerate(lines, start=1):
        if "lessons:" not in line:
            continue
        match = _DIRECTIVE.search(line)
        if match is None:
            continue
        directive = _directive_in(line[match.start() :], number, verbs, line[: match.start()])
        if directive is not None:
            found.append(directive)
    return found


def _directive_in(
    comment: str, number: int, verbs: frozenset[str], before: str
) -> Directive | None:
    match = _DIRECTIVE.search(comment)
    if match is None or match.group("verb") not in verbs:
        return None
    ids = tuple(part.strip() for part in match.group("ids").split(",") if part.strip())
    reason = (match.group("reason") or "").strip() or None
    return Directive(
        verb=match.group("verb"),
        lessons=ids,
        reason=reason,
        line=number,
        column=len(before) + match.start("opener") + 1,
        standalone=not (before + comment[: match.start("opener")]).strip().strip("#").strip(),
    )


def _python_comments(text: str) -> list[tuple[int, int, str]] | None:
    """(line, column, comment) of each comment holding `lessons:`, or None if tokenizing fails."""
    comments: list[tuple[int, int, str]] = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT and "lessons:" in token.string:
                comments.append((token.start[0], token.start[1], token.string))
    except (tokenize.TokenError, SyntaxError):
        return None
    return comments


def malformed_directive_lines(text: str) -> list[int]:
    """Lines that mention `lessons:` in a comment but do not parse as a directive."""
    bad: list[int] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if re.search(r"(?:#|//|/\*)\s*lessons:\s*\S", line) and not _DIRECTIVE.search(line):
            bad.append(number)
    return bad
