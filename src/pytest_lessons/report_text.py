"""How findings read in a terminal: like a linter, clickable, and short enough for hundreds.

No Python traceback ever reaches the user. A failing lesson item lists each finding as
`path:line:col: message [lesson]`, with the offending source line and a caret in the full format
or alone on its line in the concise one. A lesson's fix and the incident it comes from are
printed once per run, in the pytest-lessons summary (see `summary.py`), not once per failing
item: on a repository with 70 findings of one lesson that was the bulk of the output. An item
keeps one line naming the lesson, so a failure seen alone in an IDE still says where to look.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from enum import Enum

from pytest_lessons.findings import FileProblem, Finding, ProblemKind
from pytest_lessons.lesson_spec import LessonSpec


class OutputFormat(str, Enum):
    FULL = "full"
    CONCISE = "concise"


def render_findings(
    spec: LessonSpec | None,
    findings: Sequence[Finding],
    problems: Sequence[FileProblem],
    output: OutputFormat = OutputFormat.FULL,
) -> str:
    concise = output is OutputFormat.CONCISE
    blocks = [render_finding(finding, with_source=not concise) for finding in findings]
    blocks.extend(render_problem(problem) for problem in problems)
    if spec is not None and findings:
        blocks.append(
            f"{spec.id}: {spec.title} — fix and origin in the pytest-lessons summary, "
            f"or: pytest-lessons explain {spec.id}"
        )
    return ("\n" if concise else "\n\n").join(blocks)


def render_problem(problem: FileProblem) -> str:
    """A file left unanalysed says so; a bad suppression comment is not an analysis failure."""
    if problem.kind is ProblemKind.SUPPRESSION:
        return f"{problem.location()}: {problem.message}"
    needed = f", needed by {', '.join(problem.needed_by)}" if problem.needed_by else ""
    return (
        f"{problem.location()}: could not analyse ({problem.kind.value}{needed}): {problem.message}"
    )


def render_finding(finding: Finding, *, with_source: bool = True) -> str:
    head = f"{finding.location()}: {finding.message} [{finding.lesson}]"
    if not finding.source_line or not with_source:
        return head
    number = str(finding.line)
    gutter = " " * len(number)
    raw = finding.source_line.rstrip("\n")
    source = raw.expandtabs(4)
    # Columns count characters; the caret goes where they land once tabs are expanded (Go).
    start = len(raw[: max(finding.column - 1, 0)].expandtabs(4))
    if finding.end_line == finding.line and finding.end_column > finding.column:
        width = len(raw[: finding.end_column - 1].expandtabs(4)) - start
    else:
        width = max(len(source.rstrip()) - start, 1)
    caret = " " * start + "^" * width
    return f"{head}\n {number} | {source}\n {gutter} | {caret}"


def render_advice(spec: LessonSpec) -> str:
    """A lesson's fix and origin, printed once per run for every lesson that failed."""
    paragraphs = [" ".join(part.split()) for part in spec.fix.strip().split("\n\n")]
    fix = "\n".join(
        textwrap.fill(p, 96, initial_indent="    ", subsequent_indent="    ") for p in paragraphs
    )
    return f"{spec.id} — {spec.title}\n  fix:\n{fix}\n  learned from: {spec.source.incident}"


SUPPRESS_HINT = (
    "suppress one place: `lessons: ignore[<lesson-id>] -- reason` in a comment on the line or "
    "the line above"
)
