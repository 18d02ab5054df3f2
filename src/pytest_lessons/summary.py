"""The terminal summary: per lesson, what it found, what it read, and what it could not."""

from __future__ import annotations

from pytest_lessons.findings import FILE_KINDS, LEFT_OUT_KINDS, NOTE_KINDS, ProblemKind
from pytest_lessons.outcome import Outcome


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary_lines(outcome: Outcome, selected: list[str]) -> list[str]:
    """One line per lesson in the catalog order, then the files left out or not analysed."""
    lines = [f"root: {outcome.root} ({_plural(outcome.files_scanned, 'file')} scanned)"]
    width = max((len(lesson) for lesson in selected), default=0)
    for lesson in selected:
        label = lesson.ljust(width)
        if lesson in outcome.skipped:
            lines.append(f"{label}  skipped: {outcome.skipped[lesson]}")
            continue
        tally = outcome.tally(lesson)
        if tally.files == 0 and tally.findings == 0 and tally.problems == 0:
            lines.append(f"{label}  applies to no file in this repository")
            continue
        flagged_files = len(
            {f.path for f in outcome.findings if f.lesson == lesson and not f.suppressed}
        )
        parts = [
            f"{_plural(tally.findings, 'finding')} in {_plural(flagged_files, 'file')}",
            f"{_plural(tally.files, 'file')} read",
            f"{tally.suppressed} suppressed",
        ]
        if tally.problems:
            parts.append(f"{_plural(tally.problems, 'file')} not analysed")
        lines.append(f"{label}  " + ", ".join(parts))
    for problem in outcome.problems:
        if problem.kind in LEFT_OUT_KINDS:
            lines.append(f"left out {problem.path}: {problem.message}")
    for problem in outcome.problems:
        if problem.kind in NOTE_KINDS and problem.kind not in LEFT_OUT_KINDS:
            lines.append(f"note {problem.location()}: {problem.message}")
    unread = [p for p in outcome.problems if p.lesson is None and p.kind not in NOTE_KINDS]
    for problem in unread:
        if problem.kind is ProblemKind.SUPPRESSION:  # the message says what is wrong
            lines.append(f"{problem.location()}: {problem.message}")
            continue
        verb = "not analysed" if problem.kind in FILE_KINDS else "not read"
        lines.append(f"{verb} {problem.location()}: {problem.message}")
    return lines
