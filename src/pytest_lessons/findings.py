"""The records that flow out of analysis: findings and the files that could not be analysed.

They are pydantic models so that one definition serves the xdist wire format, the JSON report and
the facts cache, and so that a record read back from any of those is validated, not trusted.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum

from pydantic import BaseModel, ConfigDict, Field

from pytest_lessons.fixes import Fix


class Severity(str, Enum):
    """How bad a repeat of the incident is: an error fails its item, a warning is reported only.

    A team rolling a lesson out sets it to "warning" in config: findings show in the warnings
    summary and the reports without failing the run, until the code is clean.
    """

    ERROR = "error"
    WARNING = "warning"


class LessonWarning(UserWarning):
    """The findings of a lesson whose severity is "warning", shown in pytest's warnings summary.

    `-W error::pytest_lessons.LessonWarning` (or `filterwarnings`) turns them into failures.
    """


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
    """Why the finding does not fail: `comment on line N`, `per-file-ignores`, `baseline`, or
    `unchanged since REF` (diff mode)."""
    source_line: str = ""
    fingerprint: str | None = None
    """A hash of the flagged code's normalised text (see `fingerprint.py`); set after judging."""
    occurrence: int = 0
    """Which of the lesson's findings with this fingerprint in this file, in line order."""
    fix: Fix | None = None
    """The edits that remove this finding, when the check knew them as it judged."""

    def location(self) -> str:
        """`path:line:col`, the shape editors and CI logs turn into links."""
        where = self.path if self.path is not None else "<repository>"
        return f"{where}:{self.line}:{self.column}"


class BaselineEntry(BaseModel):
    """A finding recorded in the baseline file: it does not fail while it keeps occurring.

    Keyed by lesson, path, fingerprint and occurrence; `code` is the flagged code's first line,
    there so that a reviewer of the file sees what was accepted, and is not part of the key.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    lesson: str
    path: str | None
    fingerprint: str
    occurrence: int = 0
    code: str = ""

    @property
    def key(self) -> tuple[str, str | None, str, int]:
        return (self.lesson, self.path, self.fingerprint, self.occurrence)


class ProblemKind(str, Enum):
    """Why a file could not be analysed, or was left out on purpose."""

    READ = "read"
    DECODE = "decode"
    PARSE = "parse"
    PARSE_RECOVERED = "parse-recovered"
    SYMLINK_LOOP = "symlink-loop"
    TOO_LARGE = "too-large"
    BINARY = "binary"
    MINIFIED = "minified"
    SYMLINK_OUTSIDE = "symlink-outside"
    IGNORE_PATTERN = "ignore-pattern"
    GIT = "git"
    NOTHING_ANALYSED = "nothing-analysed"
    CHECK_CRASHED = "check-crashed"
    TIMEOUT = "timeout"
    SUPPRESSION = "suppression"


LEFT_OUT_KINDS = frozenset({ProblemKind.TOO_LARGE, ProblemKind.BINARY, ProblemKind.MINIFIED})
"""Files skipped on purpose, for what they hold: listed as "left out" in the summary."""

NOTE_KINDS = LEFT_OUT_KINDS | {
    ProblemKind.PARSE_RECOVERED,
    ProblemKind.SYMLINK_OUTSIDE,
    ProblemKind.IGNORE_PATTERN,
    ProblemKind.GIT,
}
"""Problems reported in the summary and the JSON report without failing any item."""

FILE_KINDS = frozenset({ProblemKind.DECODE, ProblemKind.PARSE})
"""Problems of the file itself, whichever lesson ran into them: reported once per file."""


class FileProblem(BaseModel):
    """A file a lesson needed but could not analyse, or a file the workspace left out.

    `lesson` is None for problems of the file itself: found before any lesson looked at it
    (workspace notes, read errors), or met by every lesson that tried (it does not decode or
    parse; `needed_by` names those lessons). They fail `lessons-status::workspace`, once per file.
    """

    model_config = ConfigDict(frozen=True)

    path: str
    kind: ProblemKind
    message: str
    lesson: str | None = None
    line: int | None = None
    column: int | None = None
    needed_by: list[str] = Field(default_factory=list)
    """For a problem of the file itself, the lessons that needed the file."""

    def location(self) -> str:
        if self.line is None:
            return self.path
        return f"{self.path}:{self.line}:{self.column or 1}"

    @property
    def fails_lesson(self) -> bool:
        """Notes (left out for size or content, parsed with recovery) fail nothing; others do."""
        return self.kind not in NOTE_KINDS


def one_per_file(problems: Iterable[FileProblem]) -> list[FileProblem]:
    """Merge the decode and parse problems several lessons met in one file into one problem.

    Every lesson reading a file that does not parse meets the same error; reporting it once per
    lesson buries the one thing to fix under copies of it. Problems that differ (a lesson that
    reads only part of a JSON file, say) stay apart; the first one met keeps its place.
    """
    kept: list[FileProblem] = []
    merged: dict[tuple[object, ...], int] = {}
    for problem in problems:
        if problem.kind not in FILE_KINDS or problem.lesson is None:
            kept.append(problem)
            continue
        key = (problem.path, problem.kind, problem.line, problem.column, problem.message)
        at = merged.get(key)
        if at is None:
            merged[key] = len(kept)
            kept.append(problem.model_copy(update={"lesson": None, "needed_by": [problem.lesson]}))
        elif problem.lesson not in kept[at].needed_by:
            needed_by = [*kept[at].needed_by, problem.lesson]
            kept[at] = kept[at].model_copy(update={"needed_by": needed_by})
    return kept
