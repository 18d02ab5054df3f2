"""The terminal summary: per lesson, what it found and read; then how to fix it, once.

The summary is the one place a run says everything that is not a single finding: counts per
lesson (why a lesson was skipped, without `-rs`), files left out, and each failing lesson's fix
and origin, once per run.
"""

from __future__ import annotations

from collections.abc import Mapping

from pytest_lessons.findings import FILE_KINDS, LEFT_OUT_KINDS, NOTE_KINDS, ProblemKind
from pytest_lessons.lesson_spec import LessonSpec
from pytest_lessons.outcome import Outcome
from pytest_lessons.report_text import SUPPRESS_HINT, OutputFormat, render_advice


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
            quiet = sum(f.lesson == lesson for f in outcome.findings)
            if not quiet:
                lines.append(f"{label}  skipped: applies to no file in this repository")
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


def advice_lines(
    outcome: Outcome, specs: Mapping[str, LessonSpec], output: OutputFormat
) -> list[str]:
    """Fix and origin of each lesson with a failing finding, once per run."""
    failing = [
        lesson
        for lesson in outcome.lessons
        if any(f.lesson == lesson and not f.suppressed for f in outcome.findings)
    ]
    if not failing:
        return []
    lines = ["", "how to fix what failed:"]
    for lesson in failing:
        spec = specs[lesson]
        if output is OutputFormat.CONCISE:
            lines.append(f"  {spec.id} — {spec.title} (pytest-lessons explain {spec.id})")
        else:
            lines.extend(["", *render_advice(spec).splitlines()])
    lines.extend(["", SUPPRESS_HINT])
    return lines
