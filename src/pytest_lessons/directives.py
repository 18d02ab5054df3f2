"""Comment directives: `lessons: ignore[...]` suppressions and `lessons: expect[...]` annotations.

One parser serves both so that the example harness and the suppression filter can never disagree
about which line a comment is about. Forms: `# ...` (Python, ini, toml, shell, YAML), `// ...`,
`/* ... */`, JSX `{/* ... */}`, `-- ...` (Lua, Haskell) and `<!-- ... -->` (HTML, Markdown). A
comment alone on its line is about the next line; a comment after code is about its own line.
"""

from __future__ import annotations

import dataclasses
import io
import re
import tokenize
from dataclasses import dataclass

from pytest_lessons.lines import split_lines

MARKER = b"lessons:"

VERBS = frozenset({"ignore", "expect"})

_DIRECTIVE = re.compile(
    r"(?P<opener>\{/\*|/\*|//|#|;|<!--|--)\s*lessons:\s*(?P<verb>[a-z]+)(?:\[(?P<ids>[^\]]*)\])?"
    r"(?:\s*--(?!>)\s*(?P<reason>.*?))?\s*(?:(?:\*/|-->)\s*\}?)?\s*$"
)
"""One comment in any of the syntaxes of the languages lessons read: `#` (Python, shell, YAML,
Ruby, ini), `;` (ini), `//` and `/* */` (TypeScript, Go, Rust, Java, C, ...), JSX `{/* */}`,
`--` (Lua, Haskell, SQL) and `<!-- -->` (HTML, Markdown). The brackets are optional so that
`lessons: ignore` (a blanket ignore, which does not exist) and `lessons: ignore[]` come back as
directives naming no lesson, to be reported."""


@dataclass(frozen=True)
class Directive:
    verb: str
    lessons: tuple[str, ...]
    reason: str | None
    line: int
    column: int
    standalone: bool
    decorated_def: int | None = None
    """When the comment speaks about a decorator line: the line of the decorated `def` (or
    `class`), whose findings it covers too."""

    @property
    def target_line(self) -> int:
        """The line the comment speaks about."""
        return self.line + 1 if self.standalone else self.line

    def covers(self, line: int, end_line: int) -> bool:
        """Whether a finding spanning `line..end_line` is the one this comment is about.

        A standalone comment must sit right above the finding's first line; a trailing comment
        may sit on any line of a multi-line statement, where black puts the closing argument.
        A comment on or above a decorator covers the decorated definition's line as well: that
        is where the comment has to go when a lesson flags the `def` of a decorated handler.
        """
        if self.decorated_def is not None and line == self.decorated_def:
            return True
        if self.standalone:
            return self.target_line == line
        return line <= self.line <= end_line


def parse_directives(
    text: str,
    verbs: frozenset[str] = VERBS,
    *,
    python: bool = False,
    lines: list[str] | None = None,
) -> list[Directive]:
    """Directives in `text`; with `python=True` only real comments count, not string contents.

    Test files quote suppression comments inside strings all the time; tokenizing tells a `#` in
    a string from a comment. Other languages use the line scan, where such quoting is rare.
    Directives with a verb outside `VERBS` (a misspelt `ignroe[...]`) are returned whatever
    `verbs` asks for, so that callers can report them.
    """
    if lines is None:
        lines = split_lines(text)
    if python:
        scanned = _python_comments(text)
        if scanned is not None:
            comments, decorators = scanned
            found = []
            for number, column, comment in comments:
                directive = _directive_in(comment, number, verbs, lines[number - 1][:column])
                if directive is not None:
                    found.append(_with_decorated_def(directive, decorators))
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


def _with_decorated_def(directive: Directive, decorators: dict[int, int]) -> Directive:
    decorated = decorators.get(directive.target_line)
    if decorated is None:
        return directive
    return dataclasses.replace(directive, decorated_def=decorated)


def _directive_in(
    comment: str, number: int, verbs: frozenset[str], before: str
) -> Directive | None:
    match = _DIRECTIVE.search(comment)
    if match is None:
        return None
    verb = match.group("verb")
    if verb not in verbs and verb in VERBS:
        return None
    ids = tuple(part.strip() for part in (match.group("ids") or "").split(",") if part.strip())
    reason = (match.group("reason") or "").strip() or None
    return Directive(
        verb=verb,
        lessons=ids,
        reason=reason,
        line=number,
        column=len(before) + match.start("opener") + 1,
        standalone=not (before + comment[: match.start("opener")]).strip().strip("#").strip(),
    )


def _python_comments(text: str) -> tuple[list[tuple[int, int, str]], dict[int, int]] | None:
    """(line, column, comment) of each comment holding `lessons:`, and the decorator lines.

    The second part maps every line of a decorator block to the line of the `def` or `class` it
    decorates. None when tokenizing fails.
    """
    comments: list[tuple[int, int, str]] = []
    decorators: dict[int, int] = {}
    block_start: int | None = None
    at_statement_start = True
    try:
        # newline=None: a bare \r ends a line here as it does in every other line count
        for token in tokenize.generate_tokens(io.StringIO(text, newline=None).readline):
            kind, string = token.type, token.string
            if kind == tokenize.COMMENT and "lessons:" in string:
                comments.append((token.start[0], token.start[1], string))
            if kind in _LAYOUT:  # NL: a blank line, or a break inside brackets
                at_statement_start = at_statement_start or kind == tokenize.NEWLINE
                continue
            if at_statement_start:
                if kind == tokenize.OP and string == "@":
                    block_start = token.start[0] if block_start is None else block_start
                elif block_start is not None and string in ("def", "class", "async"):
                    for line in range(block_start, token.start[0]):
                        decorators[line] = token.start[0]
                    block_start = None
                else:
                    block_start = None
            at_statement_start = False
    except (tokenize.TokenError, SyntaxError):
        return None
    return comments, decorators


_LAYOUT = frozenset(
    {tokenize.NEWLINE, tokenize.NL, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT}
)


def malformed_directive_lines(text: str) -> list[int]:
    """Lines that mention `lessons:` in a comment but do not parse as a directive."""
    bad: list[int] = []
    for number, line in enumerate(split_lines(text), start=1):
        if re.search(r"(?:#|//|/\*|--|<!--)\s*lessons:\s*\S", line) and not _DIRECTIVE.search(line):
            bad.append(number)
    return bad
