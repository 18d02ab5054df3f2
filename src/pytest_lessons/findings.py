"""The records that flow out of analysis: findings and the files that could not be analysed.

They are pydantic models so that one definition serves the xdist wire format, the JSON report and
the facts cache, and so that a record read back from any of those is validated, not trusted.
"""

from __future__ import annotations

from enum import Enum

from pydantic import BaseModel, ConfigDict


class Severity(str, Enum):
    """How bad a repeat of the incident is; every finding fails its item, severity ranks them."""

    ERROR = "error"
    WARNING = "warning"


class Finding(BaseModel):
    """One place where code repeats a lesson's mistake.

    `path` is relative to the lessons root with `/` separators, or None for a finding about the
    repository as a whole (it is then reported by the lesson's status item).
    """

    model_config = ConfigDict(frozen=True)

    lesson: str
    path: str | None
    line: int
    column: int
    end_line: int
    end_column: int
    message: str
    severity: Severity = Severity.ERROR
    suppressed: bool = False
    suppressed_by: str | None = None
    source_line: str = ""

    def location(self) -> str:
        """`path:line:col`, the shape editors and CI logs turn into links."""
        where = self.path if self.path is not None else "<repository>"
        return f"{where}:{self.line}:{self.column}"


class ProblemKind(str, Enum):
    """Why a file could not be analysed, or was left out on purpose."""

    READ = "read"
    DECODE = "decode"
    PARSE = "parse"
    PARSE_RECOVERED = "parse-recovered"
    SYMLINK_LOOP = "symlink-loop"
    TOO_LARGE = "too-large"
    BINARY = "binary"
    CHECK_CRASHED = "check-crashed"
    SUPPRESSION = "suppression"


NOTE_KINDS = frozenset({ProblemKind.TOO_LARGE, ProblemKind.BINARY, ProblemKind.PARSE_RECOVERED})
"""Problems reported in the summary and the JSON report without failing any item."""


class FileProblem(BaseModel):
    """A file a lesson needed but could not analyse, or a file the workspace left out.

    `lesson` is None for problems found before any lesson looked at the file (workspace notes and
    read errors); such problems are shown in the summary rather than failing an item.
    """

    model_config = ConfigDict(frozen=True)

    path: str
    kind: ProblemKind
    message: str
    lesson: str | None = None
    line: int | None = None
    column: int | None = None

    def location(self) -> str:
        if self.line is None:
            return self.path
        return f"{self.path}:{self.line}:{self.column or 1}"

    @property
    def fails_lesson(self) -> bool:
        """Notes (left out for size or content, parsed with recovery) fail nothing; others do."""
        return self.kind not in NOTE_KINDS
