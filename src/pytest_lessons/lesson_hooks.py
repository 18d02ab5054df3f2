"""The hooks that run only with `--lessons`: collection, header, summary, reports, xdist."""

from __future__ import annotations

import os
from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from pytest_lessons.annotations import AnnotationMode, github_annotations, wants_annotations
from pytest_lessons.collection import (
    explicit_paths,
    is_test_module,
    is_under_any,
    lessons_by_path,
    named_arguments,
)
from pytest_lessons.filter_stage import FilteredOutcome
from pytest_lessons.item_protocol import LeanProtocol
from pytest_lessons.items import LessonsFile, is_lesson_item, status_collector
from pytest_lessons.lesson_spec import LessonSpec
from pytest_lessons.report_json import write_json_report
from pytest_lessons.report_text import OutputFormat
from pytest_lessons.roots import LessonsRoot
from pytest_lessons.run_once import WORKERINPUT_KEY, is_xdist_worker
from pytest_lessons.sarif import write_sarif
from pytest_lessons.settings import Settings
from pytest_lessons.summary import RunFacts, advice_lines, summary_lines
from pytest_lessons.unproven import unproven_warnings


@dataclass(frozen=True)
class ReportOptions:
    """How the run reports: text format, SARIF file, CI annotations."""

    output: OutputFormat = OutputFormat.FULL
    sarif_path: Path | None = None
    annotations: AnnotationMode = AnnotationMode.AUTO


def _prefix_under(root: Path, rootdir: Path) -> str | None:
    """What a lessons-root path gets in front to be rootdir-relative, or None when the root
    does not lie under the rootdir (each file is then related on its own)."""
    if root == rootdir:
        return ""
    if rootdir in root.parents:
        return root.relative_to(rootdir).as_posix() + "/"
    return None


class XdistController:
    """Only registered when xdist is loaded: its hook does not exist otherwise."""

    def __init__(self, plugin: LessonsPlugin) -> None:
        self._plugin = plugin

    def pytest_configure_node(self, node: Any) -> None:
        node.workerinput[WORKERINPUT_KEY] = self._plugin.outcome.to_workerinput()


class LessonsPlugin:
    def __init__(
        self,
        config: pytest.Config,
        settings: Settings,
        outcome: FilteredOutcome,
        *,
        root: LessonsRoot,
        reports: ReportOptions,
    ) -> None:
        self.config = config
        self.settings = settings
        self.outcome = outcome
        self.root = root
        self.reports = reports
        self.specs: dict[str, LessonSpec] = {lesson.id: lesson.spec for lesson in settings.catalog}
        self._by_path: dict[Path, tuple[str, list[str]]] | None = None
        self._named: dict[Path, list[list[str]]] | None = None
        self._root_prefix: str | None = None
        self._root_related = False
        self.protocol = LeanProtocol(config)

    def lesson_files(self) -> dict[Path, tuple[str, list[str]]]:
        if self._by_path is None:
            self._by_path = lessons_by_path(self.outcome())
        return self._by_path

    def pytest_report_header(self, config: pytest.Config) -> list[str]:
        lines = [f"lessons root: {self.root.path} ({self.root.reason})"]
        if config.inipath is not None and str(config.inipath) == os.devnull:
            lines.append("pytest configuration: none read (pytest-lessons check isolates the run)")
        return lines

    # -- collection ------------------------------------------------------------------------

    def _named_files(self) -> dict[Path, list[list[str]]]:
        """Files named on the command line, with the `::` parts of each argument naming them."""
        if self._named is None:
            named = named_arguments(self.config) or {}
            self._named = {path: parts for path, parts in named.items() if path.is_file()}
        return self._named

    def _claims_module(self, path: Path) -> bool:
        """Whether a named `.py` lesson file is ours rather than the python plugin's.

        pytest's python plugin collects (imports) any `.py` file named on the command line, even
        one that is no test module. Claiming the file in `pytest_pycollect_makemodule`, before
        the python plugin builds its Module, keeps `pytest src/app/worker.py::worker-route-auth`
        from importing the application. A named test module stays the python plugin's unless
        every argument naming it names one of its lesson items.
        """
        entry = self.lesson_files().get(path)
        names = self._named_files().get(path)
        if entry is None or names is None:
            return False
        if not is_test_module(path, self.config):
            return True
        lesson_ids = entry[1]
        return all(parts and parts[0] in lesson_ids for parts in names)

    def _lesson_file(self, path: Path, parent: pytest.Collector) -> LessonsFile:
        """A named file's node hangs under the session, whatever collector found it.

        Under a python `Package`, running the item would set the package up, which imports its
        `__init__.py`; the session has nothing to set up.
        """
        rel, lesson_ids = self.lesson_files()[path]
        return self._file_node(parent.session, path, rel, lesson_ids)

    def _file_node(
        self, session: pytest.Session, path: Path, rel: str, lesson_ids: list[str]
    ) -> LessonsFile:
        name, nodeid = self._file_names(path, rel)
        return LessonsFile.from_parent(
            session, path=path, name=name, nodeid=nodeid, lesson_ids=lesson_ids, rel=rel
        )

    @pytest.hookimpl(tryfirst=True)
    def pytest_pycollect_makemodule(
        self, module_path: Path, parent: pytest.Collector
    ) -> LessonsFile | None:
        if self._claims_module(module_path):
            return self._lesson_file(module_path, parent)
        return None

    def pytest_collect_file(self, file_path: Path, parent: pytest.Collector) -> LessonsFile | None:
        """Claim a file only when it is named on the command line (`path::lesson-id` from an IDE).

        Every other lesson file is collected from the session (below), whether or not pytest's
        own walk passes it: the walk follows `testpaths` and `norecursedirs`, the lessons follow
        the workspace rules. A `.py` file the python plugin will offer us through
        `pytest_pycollect_makemodule` is claimed there instead.
        """
        if file_path not in self._named_files() or file_path not in self.lesson_files():
            return None
        python_active = self.config.pluginmanager.has_plugin("python")
        if python_active and file_path.suffix == ".py" and self._claims_module(file_path):
            return None
        return self._lesson_file(file_path, parent)

    @pytest.hookimpl(wrapper=True)
    def pytest_make_collect_report(
        self, collector: pytest.Collector
    ) -> Generator[None, pytest.CollectReport, pytest.CollectReport]:
        """Hang the lesson collectors under the session, so pytest counts and filters them."""
        report = yield
        if isinstance(collector, pytest.Session) and report.passed:
            report.result.extend(self._session_collectors(collector))
        return report

    def _file_names(self, path: Path, rel: str) -> tuple[str, str]:
        """The file node's name and node id, as pytest would derive them under the session.

        Both are the path relative to the rootdir, like any test's; a file outside the rootdir
        is named by its file name and keeps its lessons-root path as its id. The lessons root's
        place under the rootdir is worked out once, not with `Path.relative_to` per file.
        """
        if not self._root_related:
            self._root_prefix = _prefix_under(Path(self.outcome().root), self.config.rootpath)
            self._root_related = True
        if self._root_prefix is not None:
            nodeid = self._root_prefix + rel
            return nodeid, nodeid
        try:
            nodeid = path.relative_to(self.config.rootpath).as_posix()
        except ValueError:
            return path.name, rel
        return nodeid, nodeid

    def _session_collectors(self, session: pytest.Session) -> list[pytest.Collector]:
        wanted = explicit_paths(self.config)
        named = self._named_files()
        collectors: list[pytest.Collector] = []
        for path, (rel, lesson_ids) in self.lesson_files().items():
            if path in named or (wanted is not None and not is_under_any(path, wanted)):
                continue
            collectors.append(self._file_node(session, path, rel, lesson_ids))
        scope = self._status_scope(wanted)
        if wanted is None or scope is not None:
            collectors.append(status_collector(session, self._selected_ids(), scope))
        return collectors

    def _status_scope(self, wanted: list[Path] | None) -> list[str] | None:
        """With directories named, what under the root the status items report (None: all).

        Status items run unless only files or node ids were named: a repository-level finding
        must not vanish because `pytest --lessons backend/app` narrowed the run.
        """
        if wanted is None:
            return None
        root = self.settings.root
        scope: list[str] = []
        for path in wanted:
            if not path.is_dir():
                continue
            if path == root or path in root.parents:
                return ["."]
            if root in path.parents:
                scope.append(path.relative_to(root).as_posix())
        return scope or None

    def _selected_ids(self) -> list[str]:
        return [*self.settings.checks, *self.settings.skipped]

    # -- running ---------------------------------------------------------------------------

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_protocol(
        self, item: pytest.Item, nextitem: pytest.Item | None
    ) -> bool | None:
        """Lesson items run lean where that cannot change what anyone observes (item_protocol)."""
        if not is_lesson_item(item):
            return None
        return self.protocol.run(item, nextitem)

    # -- reporting -------------------------------------------------------------------------

    def _run_facts(self) -> RunFacts:
        filters = self.settings.filters
        inputs = self.outcome.inputs
        update = self.outcome.update
        written = None
        if update is not None:
            written = (
                f"wrote {update.written} entries to {update.path} "
                f"({update.added} added, {update.removed} removed)"
            )
        return RunFacts(
            seconds=self.outcome.seconds,
            baseline=filters.baseline,
            baseline_strict=filters.baseline_strict,
            baseline_written=written,
            since=filters.since,
            merge_base=inputs.changed.merge_base if inputs and inputs.changed else None,
        )

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        outcome = self.outcome.computed
        if outcome is None or is_xdist_worker(self.config):
            return
        terminalreporter.section("pytest-lessons")
        ordered = [i for i in self.settings.catalog.ids if i in self._selected_ids()]
        for line in summary_lines(outcome, ordered, self._run_facts()):
            terminalreporter.write_line(line)
        for line in advice_lines(outcome, self.specs, self.reports.output):
            terminalreporter.write_line(line)
        if wants_annotations(self.reports.annotations):
            for line in github_annotations(outcome, self.specs):
                terminalreporter.write_line(line)
        for line in unproven_warnings(self.settings.catalog, outcome):
            terminalreporter.write_line(line, yellow=True)

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if is_xdist_worker(self.config):
            return
        if self.outcome.interrupted:
            return  # Ctrl-C stopped the analysis: no report rather than a partial one
        if self.settings.json_path is not None:
            write_json_report(self.outcome(), self.settings.json_path)
        if self.reports.sarif_path is not None:
            write_sarif(
                self.outcome(),
                self.specs,
                self.reports.sarif_path,
                baseline=self.settings.filters.baseline,
            )
