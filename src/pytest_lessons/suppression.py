"""The filter stage: inline suppressions and per-file-ignores applied to judged findings.

Suppressed findings are kept (marked, with what suppressed them) rather than dropped, so reports
can count them and a suppression that no longer matches anything can be reported as stale.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Mapping, Sequence

from pytest_lessons.directives import VERBS, Directive
from pytest_lessons.findings import FileProblem, Finding, ProblemKind, Severity


def apply_suppressions(
    findings: Sequence[Finding],
    directives: Mapping[str, Sequence[Directive]],
    *,
    running: Collection[str],
    known: Collection[str],
    ignored_by_file: Mapping[str, frozenset[str]],
    require_reason: bool,
    severity: Mapping[str, Severity] | None = None,
) -> tuple[list[Finding], list[FileProblem]]:
    """Mark suppressed findings, then add findings for stale or reason-less suppressions.

    Only lessons that ran can make a suppression stale: a comment for a lesson deselected on this
    run is left alone. Comments naming unknown lessons, no lesson at all (`ignore[]`, a bare
    `ignore`) or an unknown verb come back as problems. A stale or reason-less suppression has
    its lesson's `severity` (a lesson rolled out as a warning does not fail for its comments).
    """
    used: set[tuple[str, int, str]] = set()
    result: list[Finding] = []
    for finding in findings:
        if finding.path is not None and finding.lesson in ignored_by_file.get(finding.path, ()):
            result.append(
                finding.model_copy(update={"suppressed": True, "suppressed_by": "per-file-ignores"})
            )
            continue
        matched = _matching_directive(
            finding, directives.get(finding.path or "", ()), require_reason
        )
        if matched is None:
            result.append(finding)
            continue
        used.add((finding.path or "", matched.line, finding.lesson))
        result.append(
            finding.model_copy(
                update={"suppressed": True, "suppressed_by": f"comment on line {matched.line}"}
            )
        )

    problems: list[FileProblem] = []
    for path, file_directives in directives.items():
        for directive in file_directives:
            if directive.verb not in VERBS:
                problems.append(_unknown_verb(path, directive))
                continue
            if directive.verb != "ignore":
                continue
            if not directive.lessons:
                problems.append(_names_no_lesson(path, directive))
                continue
            for lesson in directive.lessons:
                if lesson not in known:
                    problems.append(_unknown_lesson(path, directive, lesson, known))
                    continue
                if lesson not in running or lesson in ignored_by_file.get(path, ()):
                    continue
                if require_reason and directive.reason is None:
                    result.append(
                        _meta_finding(
                            lesson,
                            path,
                            directive,
                            f"suppression of {lesson} has no reason; write it as "
                            f"`lessons: ignore[{lesson}] -- why this is safe`",
                            (severity or {}).get(lesson, Severity.ERROR),
                        )
                    )
                elif (path, directive.line, lesson) not in used:
                    result.append(
                        _meta_finding(
                            lesson,
                            path,
                            directive,
                            f"unused suppression: no {lesson} finding on line "
                            f"{directive.target_line}; remove the comment",
                            (severity or {}).get(lesson, Severity.ERROR),
                        )
                    )
    return result, problems


def _matching_directive(
    finding: Finding, candidates: Sequence[Directive], require_reason: bool
) -> Directive | None:
    for directive in candidates:
        if directive.verb != "ignore" or finding.lesson not in directive.lessons:
            continue
        if require_reason and directive.reason is None:
            continue
        if directive.covers(finding.line, finding.end_line):
            return directive
    return None


def _meta_finding(
    lesson: str, path: str, directive: Directive, message: str, severity: Severity
) -> Finding:
    return Finding(
        lesson=lesson,
        path=path,
        line=directive.line,
        column=directive.column,
        end_line=directive.line,
        end_column=directive.column,
        message=message,
        severity=severity,
    )


def _names_no_lesson(path: str, directive: Directive) -> FileProblem:
    return _comment_problem(
        path,
        directive,
        "suppression comment names no lesson, so it suppresses nothing (there is no blanket "
        "ignore); write `lessons: ignore[<lesson-id>] -- reason`",
    )


def _unknown_verb(path: str, directive: Directive) -> FileProblem:
    close = difflib.get_close_matches(directive.verb, sorted(VERBS), n=1)
    hint = f"did you mean `lessons: {close[0]}[...]`?" if close else "write `lessons: ignore[...]`"
    message = f"`lessons: {directive.verb}` is not a directive, so it suppresses nothing; {hint}"
    return _comment_problem(path, directive, message)


def _unknown_lesson(
    path: str, directive: Directive, lesson: str, known: Collection[str]
) -> FileProblem:
    close = difflib.get_close_matches(lesson, sorted(known), n=1)
    hint = f"did you mean {close[0]!r}?" if close else "check the lesson id"
    message = f"suppression comment names unknown lesson {lesson!r}; {hint}"
    return _comment_problem(path, directive, message)


def _comment_problem(path: str, directive: Directive, message: str) -> FileProblem:
    """A comment that suppresses nothing: it fails the workspace item, at the comment."""
    return FileProblem(
        path=path,
        kind=ProblemKind.SUPPRESSION,
        message=message,
        line=directive.line,
        column=directive.column,
    )
