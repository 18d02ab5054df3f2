"""pytest nodes for lessons: a File per scanned file, an item per (file, lesson), status items.

Node ids follow pytest-ruff and pytest-mypy (`alembic/env.py::alembic-percent-escape`) so that
`--lf`, `-k`, `-m` and IDE test runners treat lesson items like any other test. Items only look up
results that the analysis already computed; running an item never analyses anything.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Iterator
from functools import cached_property
from pathlib import Path
from typing import Any

import pytest

from pytest_lessons.findings import BaselineEntry, FileProblem, Finding, LessonWarning, Severity
from pytest_lessons.lesson_spec import LessonSpec
from pytest_lessons.outcome import Outcome
from pytest_lessons.report_text import OutputFormat, render_findings

STATUS_NAME = "lessons-status"
WORKSPACE_ITEM = "workspace"


class LessonsFailed(Exception):
    """Raised by an item whose lesson found something; rendered without a traceback."""

    def __init__(self, report: str) -> None:
        super().__init__(report)
        self.report = report


class _LessonNode(pytest.Item):
    """Shared behaviour of lesson items: their failure is the lesson report, nothing else."""

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, LessonsFailed):
            return excinfo.value.report
        return str(super().repr_failure(excinfo, style=style))

    def _fail_with(
        self,
        spec: LessonSpec | None,
        findings: list[Finding],
        problems: list[FileProblem],
        fixed: list[BaselineEntry] | None = None,
    ) -> None:
        """Fail with every finding; with warnings only, pass and warn, pointing at the first."""
        output = _context(self).output
        if problems or fixed or any(f.severity is not Severity.WARNING for f in findings):
            report = [render_findings(spec, findings, problems, output)]
            report.extend(_render_fixed(entry) for entry in fixed or [])
            raise LessonsFailed("\n".join(part for part in report if part))
        if findings:
            first = findings[0]
            warnings.warn_explicit(
                LessonWarning(render_findings(spec, findings, [], output)),
                LessonWarning,
                filename=first.path or "<repository>",
                lineno=first.line,
            )


def _render_fixed(entry: BaselineEntry) -> str:
    code = f" ({entry.code})" if entry.code else ""
    return (
        f"{entry.path or '<repository>'}: baseline entry no longer found{code} "
        f"[{entry.lesson}]; the code was fixed: drop the entry with --lessons-update-baseline"
    )


class LessonsFile(pytest.File):
    """A scanned file; its children are the lessons that read it."""

    def __init__(self, *, lesson_ids: list[str], rel: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.lesson_ids = lesson_ids
        self.rel = rel

    def collect(self) -> Iterator[LessonItem]:
        for lesson_id in self.lesson_ids:
            yield LessonItem.from_parent(self, name=lesson_id, lesson_id=lesson_id, rel=self.rel)

    @cached_property
    def location_path(self) -> str:
        """The path part of pytest's `Item.location` (relative to the rootdir, `..` where it lies
        outside), computed once for the file's items rather than once per item."""
        path, rootdir = str(self.path), str(self.config.rootpath)
        if path.startswith(rootdir) and path[len(rootdir) : len(rootdir) + 1] == os.sep:
            return path[len(rootdir) + 1 :]
        try:
            return os.path.relpath(path, rootdir)
        except ValueError:  # another drive (Windows): pytest keeps the path as it is
            return path


class LessonItem(_LessonNode):
    def __init__(self, *, lesson_id: str, rel: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.lesson_id = lesson_id
        self.rel = rel
        for mark in _context(self).marks(lesson_id):
            self.add_marker(mark)

    def _failing(self) -> list[Finding]:
        return _context(self).failing(self.lesson_id, self.rel)

    def runtest(self) -> None:
        context = _context(self)
        problems = context.problems(self.lesson_id, self.rel)
        self._fail_with(context.spec(self.lesson_id), self._failing(), problems)

    def reportinfo(self) -> tuple[Path, int, str]:
        """The first failing finding's line (0-based, as pytest counts), for IDEs and plugins
        that point at the failure; the top of the file when nothing fails."""
        failing = self._failing()
        line = failing[0].line - 1 if failing else 0
        return self.path, line, f"{self.rel}::{self.lesson_id}"

    @cached_property
    def location(self) -> tuple[str, int | None, str]:
        """pytest's location (`reportinfo` with the path relative to the rootdir), taking the
        path from the file node: pytest would build and relate a `Path` for every item."""
        assert isinstance(self.parent, LessonsFile)
        _, line, domain = self.reportinfo()
        return self.parent.location_path, line, domain


class LessonsStatus(pytest.Collector):
    """Holds the status items: one per selected lesson, and one for the workspace.

    `scope` is None for a whole-repository run; with directories named on the command line it
    holds their paths relative to the root, and the status items report only what lies under
    them, plus what belongs to the repository as a whole.
    """

    def __init__(self, *, lesson_ids: list[str], scope: list[str] | None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.lesson_ids = lesson_ids
        self.scope = scope

    def in_scope(self, rel: str | None) -> bool:
        if self.scope is None or rel is None:
            return True
        return any(
            prefix in ("", ".") or rel == prefix or rel.startswith(prefix + "/")
            for prefix in self.scope
        )

    def collect(self) -> list[pytest.Item]:
        items: list[pytest.Item] = [
            LessonStatusItem.from_parent(
                self, name=lesson_id, nodeid=f"{STATUS_NAME}::{lesson_id}", lesson_id=lesson_id
            )
            for lesson_id in self.lesson_ids
        ]
        items.append(
            WorkspaceStatusItem.from_parent(
                self, name=WORKSPACE_ITEM, nodeid=f"{STATUS_NAME}::{WORKSPACE_ITEM}"
            )
        )
        return items


def _scope_of(item: pytest.Item) -> Callable[[str | None], bool]:
    parent = item.parent
    if isinstance(parent, LessonsStatus):
        return parent.in_scope
    return lambda rel: True


class LessonStatusItem(_LessonNode):
    """A lesson's findings with no file item of their own, its skip reason, or its absence."""

    def __init__(self, *, lesson_id: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.lesson_id = lesson_id
        for mark in _context(self).marks(lesson_id):
            self.add_marker(mark)
        reason = self._skip_reason()
        if reason is not None:
            self.add_marker(pytest.mark.skip(reason=reason))

    def _skip_reason(self) -> str | None:
        """Skipped in config, or reading no file: either way, not a pass."""
        context = _context(self)
        outcome = context.outcome
        if self.lesson_id in outcome.skipped:
            return f"{self.lesson_id}: {outcome.skipped[self.lesson_id]}"
        if (
            not outcome.files_by_lesson.get(self.lesson_id)
            and not any(f.lesson == self.lesson_id for f in outcome.findings)
            and not outcome.lesson_met_problems(self.lesson_id)
            and not (context.baseline_strict and self._fixed())
        ):
            return f"{self.lesson_id} applies to no file under {outcome.root}"
        return None

    def _fixed(self) -> list[BaselineEntry]:
        outcome = _context(self).outcome
        return [entry for entry in outcome.baseline_fixed if entry.lesson == self.lesson_id]

    def runtest(self) -> None:
        context = _context(self)
        outcome = context.outcome
        with_items = set(outcome.files_by_lesson.get(self.lesson_id, []))
        in_scope = _scope_of(self)
        findings = [
            f
            for f in outcome.findings
            if f.lesson == self.lesson_id
            and not f.suppressed
            and f.path not in with_items
            and in_scope(f.path)
        ]
        problems = [
            p
            for p in outcome.problems
            if p.lesson == self.lesson_id and p.path not in with_items and in_scope(p.path)
        ]
        fixed = [e for e in self._fixed() if in_scope(e.path)] if context.baseline_strict else []
        self._fail_with(context.spec(self.lesson_id), findings, problems, fixed)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"{STATUS_NAME}::{self.lesson_id}"


class WorkspaceStatusItem(_LessonNode):
    """Files no lesson could read at all (unreadable, symlink loops, bad suppression comments)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.add_marker("lessons")

    def runtest(self) -> None:
        outcome = _context(self).outcome
        in_scope = _scope_of(self)
        problems = [
            p for p in outcome.problems if p.lesson is None and p.fails_lesson and in_scope(p.path)
        ]
        self._fail_with(None, [], problems)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"{STATUS_NAME}::{WORKSPACE_ITEM}"


class _ByFile:
    """Each (lesson, file)'s failing findings and problems, gathered in one pass.

    An item looking its own up by scanning the outcome made collecting and running the items
    cost (items x findings): a repository with many findings has many items too.
    """

    def __init__(self, outcome: Outcome) -> None:
        self.outcome = outcome
        self.failing: dict[tuple[str, str | None], list[Finding]] = {}
        for finding in outcome.findings:
            if not finding.suppressed:
                self.failing.setdefault((finding.lesson, finding.path), []).append(finding)
        self.problems: dict[tuple[str | None, str | None], list[FileProblem]] = {}
        for problem in outcome.problems:
            self.problems.setdefault((problem.lesson, problem.path), []).append(problem)


class ItemContext:
    """What items need at run time: the outcome (computed once), lesson texts, output options."""

    def __init__(
        self,
        outcome_getter: Callable[[], Outcome],
        specs: dict[str, LessonSpec],
        *,
        output: OutputFormat = OutputFormat.FULL,
        baseline_strict: bool = False,
    ) -> None:
        self._outcome_getter = outcome_getter
        self._specs = specs
        self.output = output
        self.baseline_strict = baseline_strict
        self._by_file: _ByFile | None = None
        self._marks: dict[str, tuple[pytest.MarkDecorator, ...]] = {}

    @property
    def outcome(self) -> Outcome:
        return self._outcome_getter()

    def spec(self, lesson_id: str) -> LessonSpec:
        return self._specs[lesson_id]

    def marks(self, lesson_id: str) -> tuple[pytest.MarkDecorator, ...]:
        """`lessons` and the lesson's own marker, built once per lesson rather than per item."""
        marks = self._marks.get(lesson_id)
        if marks is None:
            marks = (pytest.mark.lessons, getattr(pytest.mark, self.spec(lesson_id).marker))
            self._marks[lesson_id] = marks
        return marks

    def _index(self) -> _ByFile:
        outcome = self.outcome
        if self._by_file is None or self._by_file.outcome is not outcome:
            self._by_file = _ByFile(outcome)
        return self._by_file

    def failing(self, lesson_id: str, rel: str) -> list[Finding]:
        """The lesson's unsuppressed findings in the file, in the outcome's order."""
        return self._index().failing.get((lesson_id, rel), [])

    def problems(self, lesson_id: str, rel: str) -> list[FileProblem]:
        return self._index().problems.get((lesson_id, rel), [])


ITEM_CONTEXT = pytest.StashKey[ItemContext]()


def _context(node: pytest.Item) -> ItemContext:
    return node.config.stash[ITEM_CONTEXT]


def status_collector(
    session: pytest.Session, lesson_ids: list[str], scope: list[str] | None = None
) -> LessonsStatus:
    return LessonsStatus.from_parent(
        session, name=STATUS_NAME, nodeid=STATUS_NAME, lesson_ids=lesson_ids, scope=scope
    )


def is_lesson_item(item: pytest.Item) -> bool:
    return isinstance(item, _LessonNode)
