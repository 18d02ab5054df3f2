"""The hooks that run only with `--lessons`: collection, summary, JSON report, xdist hand-off."""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest

from pytest_lessons.collection import explicit_paths, is_under_any, lessons_by_path
from pytest_lessons.items import LessonsFile, status_collector
from pytest_lessons.report_json import write_json_report
from pytest_lessons.run_once import WORKERINPUT_KEY, OutcomeOnce, is_xdist_worker
from pytest_lessons.settings import Settings
from pytest_lessons.summary import summary_lines


class XdistController:
    """Only registered when xdist is loaded: its hook does not exist otherwise."""

    def __init__(self, plugin: LessonsPlugin) -> None:
        self._plugin = plugin

    def pytest_configure_node(self, node: Any) -> None:
        node.workerinput[WORKERINPUT_KEY] = self._plugin.outcome.to_workerinput()


class LessonsPlugin:
    def __init__(self, config: pytest.Config, settings: Settings) -> None:
        self.config = config
        self.settings = settings
        self.outcome = OutcomeOnce(config, settings)
        self._by_path: dict[Path, tuple[str, list[str]]] | None = None

    def lesson_files(self) -> dict[Path, tuple[str, list[str]]]:
        if self._by_path is None:
            self._by_path = lessons_by_path(self.outcome())
        return self._by_path

    def pytest_collect_file(self, file_path: Path, parent: pytest.Collector) -> LessonsFile | None:
        """Claim a file only when it is named on the command line (`path::lesson-id` from an IDE).

        Every other lesson file is collected from the session (below), whether or not pytest's
        own walk passes it: the walk follows `testpaths` and `norecursedirs`, the lessons follow
        the workspace rules.
        """
        if file_path not in self._named_files():
            return None
        entry = self.lesson_files().get(file_path)
        if entry is None:
            return None
        rel, lesson_ids = entry
        return LessonsFile.from_parent(parent, path=file_path, lesson_ids=lesson_ids, rel=rel)

    @pytest.hookimpl(wrapper=True)
    def pytest_make_collect_report(
        self, collector: pytest.Collector
    ) -> Generator[None, pytest.CollectReport, pytest.CollectReport]:
        """Hang the lesson collectors under the session, so pytest counts and filters them."""
        report = yield
        if isinstance(collector, pytest.Session) and report.passed:
            report.result.extend(self._session_collectors(collector))
        return report

    def _named_files(self) -> set[Path]:
        wanted = explicit_paths(self.config)
        return {path for path in wanted or [] if path.is_file()}

    def _file_nodeid(self, path: Path, rel: str) -> str:
        """Relative to rootdir like any test; a root outside it keeps the lessons-root path."""
        try:
            return path.relative_to(self.config.rootpath).as_posix()
        except ValueError:
            return rel

    def _session_collectors(self, session: pytest.Session) -> list[pytest.Collector]:
        wanted = explicit_paths(self.config)
        named = self._named_files()
        collectors: list[pytest.Collector] = []
        for path, (rel, lesson_ids) in self.lesson_files().items():
            if path in named or (wanted is not None and not is_under_any(path, wanted)):
                continue
            collectors.append(
                LessonsFile.from_parent(
                    session,
                    path=path,
                    nodeid=self._file_nodeid(path, rel),
                    lesson_ids=lesson_ids,
                    rel=rel,
                )
            )
        if wanted is None or is_under_any(self.settings.root, wanted):
            collectors.append(status_collector(session, self._selected_ids()))
        return collectors

    def _selected_ids(self) -> list[str]:
        return [*self.settings.checks, *self.settings.skipped]

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        outcome = self.outcome.computed
        if outcome is None or is_xdist_worker(self.config):
            return
        terminalreporter.section("pytest-lessons")
        ordered = [i for i in self.settings.catalog.ids if i in self._selected_ids()]
        for line in summary_lines(outcome, ordered):
            terminalreporter.write_line(line)

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if is_xdist_worker(self.config) or self.settings.json_path is None:
            return
        if self.outcome.interrupted:
            return  # Ctrl-C stopped the analysis: no report rather than a partial one
        write_json_report(self.outcome(), self.settings.json_path)
