"""How findings read in a terminal: like a linter, clickable, with the lesson's advice.

No Python traceback ever reaches the user: a failing lesson item shows each finding as
`path:line:col`, the offending source line with a caret, a one-line message, then the fix and the
incident the lesson comes from.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from pytest_lessons.findings import FileProblem, Finding, ProblemKind
from pytest_lessons.lesson_spec import LessonSpec


def render_findings(
    spec: LessonSpec | None, findings: Sequence[Finding], problems: Sequence[FileProblem]
) -> str:
    blocks: list[str] = []
    for finding in findings:
        blocks.append(render_finding(finding))
    for problem in problems:
        blocks.append(render_problem(problem))
    if spec is not None and findings:
        blocks.append(render_advice(spec))
    return "\n\n".join(blocks)


def render_problem(problem: FileProblem) -> str:
    """A file left unanalysed says so; a bad suppression comment is not an analysis failure."""
    if problem.kind is ProblemKind.SUPPRESSION:
        return f"{problem.location()}: {problem.message}"
    needed = f", needed by {', '.join(problem.needed_by)}" if problem.needed_by else ""
    return (
        f"{problem.location()}: could not analyse ({problem.kind.value}{needed}): {problem.message}"
    )


def render_finding(finding: Finding) -> str:
    head = f"{finding.location()}: {finding.message} [{finding.lesson}]"
    if not finding.source_line:
        return head
    number = str(finding.line)
    gutter = " " * len(number)
    source = finding.source_line.rstrip("\n").expandtabs(4)
    start = max(finding.column - 1, 0)
    if finding.end_line == finding.line and finding.end_column > finding.column:
        width = finding.end_column - finding.column
    else:
        width = max(len(source.rstrip()) - start, 1)
    caret = " " * start + "^" * width
    return f"{head}\n {number} | {source}\n {gutter} | {caret}"


def render_advice(spec: LessonSpec) -> str:
    paragraphs = [" ".join(part.split()) for part in spec.fix.strip().split("\n\n")]
    fix = "\n".join(
        textwrap.fill(p, 98, initial_indent="  ", subsequent_indent="  ") for p in paragraphs
    )
    return (
        f"fix:\n{fix}\n"
        f"lesson: {spec.id} — {spec.title}\n"
        f"learned from: {spec.source.incident}\n"
        f"suppress one place: `lessons: ignore[{spec.id}] -- reason` in a comment on the line "
        "or the line above"
    )
