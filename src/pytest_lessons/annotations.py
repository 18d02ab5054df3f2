"""GitHub Actions annotations: one `::error file=…,line=…::message` line per failing finding.

GitHub turns these workflow commands, printed anywhere in a job's log, into annotations on the
pull request's diff, with no upload step and no token. Only what fails the run is annotated:
suppressed, baselined and (in diff mode) untouched findings are not.

Paths are relative to `GITHUB_WORKSPACE` (the checkout) when the lessons root lies inside it, so
an annotation lands on the right file even when the root is a sub-directory.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from enum import Enum
from pathlib import Path

from pytest_lessons.findings import FileProblem, Finding, Severity
from pytest_lessons.lesson_spec import LessonSpec
from pytest_lessons.outcome import Outcome


class AnnotationMode(str, Enum):
    AUTO = "auto"
    """GitHub annotations when `GITHUB_ACTIONS=true` (as GitHub sets it), else none."""
    OFF = "off"
    GITHUB = "github"


def wants_annotations(mode: AnnotationMode, environ: Mapping[str, str] = os.environ) -> bool:
    if mode is AnnotationMode.AUTO:
        return environ.get("GITHUB_ACTIONS") == "true"
    return mode is AnnotationMode.GITHUB


def github_annotations(
    outcome: Outcome,
    specs: Mapping[str, LessonSpec],
    environ: Mapping[str, str] = os.environ,
) -> list[str]:
    prefix = _path_prefix(Path(outcome.root), environ.get("GITHUB_WORKSPACE"))
    lines = [
        _finding_line(finding, specs.get(finding.lesson), prefix)
        for finding in outcome.findings
        if not finding.suppressed
    ]
    lines.extend(
        _problem_line(problem, prefix) for problem in outcome.problems if problem.fails_lesson
    )
    return lines


def _finding_line(finding: Finding, spec: LessonSpec | None, prefix: str) -> str:
    level = "warning" if finding.severity is Severity.WARNING else "error"
    title = f"{finding.lesson}: {spec.title}" if spec is not None else finding.lesson
    properties: list[tuple[str, object]] = []
    if finding.path is not None:
        properties += [("file", prefix + finding.path), ("line", finding.line)]
        if finding.end_line > finding.line:
            properties.append(("endLine", finding.end_line))
        properties.append(("col", finding.column))
        if finding.end_line == finding.line and finding.end_column > finding.column:
            properties.append(("endColumn", finding.end_column))
    properties.append(("title", title))
    return _command(level, properties, f"{finding.message} [{finding.lesson}]")


def _problem_line(problem: FileProblem, prefix: str) -> str:
    properties: list[tuple[str, object]] = [("file", prefix + problem.path)]
    if problem.line is not None:
        properties += [("line", problem.line), ("col", problem.column or 1)]
    what = f"pytest-lessons could not analyse this file ({problem.kind.value})"
    if problem.lesson is not None:
        what += f" for {problem.lesson}"
    properties.append(("title", what))
    return _command("error", properties, problem.message)


def _command(level: str, properties: list[tuple[str, object]], message: str) -> str:
    rendered = ",".join(f"{key}={_escape_property(str(value))}" for key, value in properties)
    return f"::{level} {rendered}::{_escape_data(message)}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _path_prefix(root: Path, workspace: str | None) -> str:
    """`sub/dir/` when the root is `$GITHUB_WORKSPACE/sub/dir`, else ``."""
    if not workspace:
        return ""
    try:
        inside = root.resolve().relative_to(Path(workspace).resolve())
    except ValueError:
        return ""
    return "" if inside == Path(".") else inside.as_posix() + "/"
