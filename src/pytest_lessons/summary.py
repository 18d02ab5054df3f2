"""The terminal summary: per lesson, what it found, read and accepted; then how to fix it, once.

The summary is the one place a run says everything that is not a single finding: counts per
lesson (why a lesson was skipped, without `-rs`), files left out, what the baseline accepted or
saw fixed, what diff mode let through, and each failing lesson's fix and origin, once per run.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pytest_lessons.baseline import BASELINED
from pytest_lessons.findings import (
    FILE_KINDS,
    LEFT_OUT_KINDS,
    NOTE_KINDS,
    Finding,
    ProblemKind,
    Severity,
)
from pytest_lessons.lesson_spec import LessonSpec
from pytest_lessons.outcome import Outcome
from pytest_lessons.report_text import SUPPRESS_HINT, OutputFormat, render_advice


@dataclass(frozen=True)
class RunFacts:
    """What the summary needs beyond the outcome: the filter stage's inputs and timing."""

    seconds: float | None = None
    baseline: Path | None = None
    baseline_strict: bool = False
    baseline_written: str | None = None
    since: str | None = None
    merge_base: str | None = None


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _why_not_failing(finding: Finding) -> str:
    reason = finding.suppressed_by or ""
    if reason == BASELINED:
        return "baselined"
    if reason.startswith("unchanged since "):
        return "on unchanged lines"
    return "suppressed"


def summary_lines(
    outcome: Outcome, selected: list[str], facts: RunFacts | None = None
) -> list[str]:
    """One line per lesson in the catalog order, then the files left out or not analysed."""
    facts = facts or RunFacts()
    took = f" in {facts.seconds:.1f} s" if facts.seconds is not None else ""
    lines = [f"root: {outcome.root} ({_plural(outcome.files_scanned, 'file')} scanned{took})"]
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
        found = [f for f in outcome.findings if f.lesson == lesson]
        flagged_files = len({f.path for f in found if not f.suppressed})
        parts = [
            f"{_plural(tally.findings, 'finding')} in {_plural(flagged_files, 'file')}",
            f"{_plural(tally.files, 'file')} read",
        ]
        quiet_counts = {"suppressed": 0, "baselined": 0, "on unchanged lines": 0}
        for finding in found:
            if finding.suppressed:
                quiet_counts[_why_not_failing(finding)] += 1
        parts.append(f"{quiet_counts['suppressed']} suppressed")
        parts.extend(
            f"{count} {what}"
            for what, count in quiet_counts.items()
            if count and what != "suppressed"
        )
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
    lines.extend(_baseline_lines(outcome, facts))
    lines.extend(_diff_lines(outcome, facts))
    return lines


def _baseline_lines(outcome: Outcome, facts: RunFacts) -> list[str]:
    if facts.baseline is None:
        return []
    accepted = sum(f.suppressed_by == BASELINED for f in outcome.findings)
    lines = []
    if facts.baseline_written is not None:
        lines.append(f"baseline: {facts.baseline_written}")
    lines.append(f"baseline: {facts.baseline} accepts {_plural(accepted, 'finding')}")
    if outcome.baseline_fixed:
        verdict = "failing (--lessons-baseline-strict)" if facts.baseline_strict else "reported"
        lines.append(
            f"baseline: {_plural(len(outcome.baseline_fixed), 'entry')} no longer found "
            f"(fixed; {verdict}); drop them with --lessons-update-baseline:"
        )
        for entry in outcome.baseline_fixed:
            where = entry.path or "<repository>"
            code = f": {entry.code}" if entry.code else ""
            lines.append(f"  fixed {where} [{entry.lesson}]{code}")
    return lines


def _diff_lines(outcome: Outcome, facts: RunFacts) -> list[str]:
    if facts.since is None:
        return []
    quiet = sum((f.suppressed_by or "").startswith("unchanged since ") for f in outcome.findings)
    base = f" (merge base {facts.merge_base[:12]})" if facts.merge_base else ""
    return [
        f"diff mode: only findings on lines changed since {facts.since}{base} fail; "
        f"{_plural(quiet, 'finding')} on unchanged lines {'does' if quiet == 1 else 'do'} not"
    ]


def advice_lines(
    outcome: Outcome, specs: Mapping[str, LessonSpec], output: OutputFormat
) -> list[str]:
    """Fix and origin of each lesson with a failing finding, once per run.

    A warning (severity "warning" in config) does not fail its item, so its lesson gets no
    paragraph here: the warnings summary already says where it is, and "how to fix what
    failed" over a passing run would read as a failure."""
    failing = [
        lesson
        for lesson in outcome.lessons
        if any(
            f.lesson == lesson and not f.suppressed and f.severity is Severity.ERROR
            for f in outcome.findings
        )
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
