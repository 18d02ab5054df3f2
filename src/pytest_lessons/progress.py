"""Progress while the analysis runs, so a long first run is not silence.

The analysis runs during collection; on a large repository that was 20 s with nothing on the
screen. On a terminal, one line is rewritten in place (at most ten times a second) with the
stage, the count and the file or lesson at hand, and erased when the analysis is done, where
pytest's own output takes its place. A log (no terminal) gets one line when the analysis starts,
saying what is being read: thousands of rewritten lines would be worse than the silence.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

_STAGES = {"read": "reading", "extract": "analysing", "judge": "judging"}
_INTERVAL = 0.1


class TerminalProgress:
    """The `progress` callback of `run_analysis`, drawing on pytest's terminal reporter."""

    def __init__(
        self,
        config: pytest.Config,
        root: Path | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._config = config
        self._root = root
        self._clock = clock
        self._last = float("-inf")
        self._shown = False
        self._announced = False

    def _reporter(self) -> Any | None:
        """The terminal reporter, unless the run is quieted to nothing but its result (-qq)."""
        reporter = self._config.pluginmanager.get_plugin("terminalreporter")
        if reporter is None or int(self._config.getoption("verbose", 0)) < -1:
            return None
        return reporter

    def __call__(self, stage: str, done: int, total: int, subject: str) -> None:
        now = self._clock()
        if now - self._last < _INTERVAL:
            return
        self._last = now
        reporter = self._reporter()
        if reporter is None:
            return
        if not getattr(reporter, "isatty", False):
            if not self._announced:
                where = f" {self._root}" if self._root is not None else ""
                reporter.write_line(f"pytest-lessons: analysing{where} ({total} files to look at)")
                self._announced = True
            return
        noun = "lessons" if stage == "judge" else "files"
        line = f"pytest-lessons: {_STAGES.get(stage, stage)} {done}/{total} {noun} · {subject}"
        width = max(shutil.get_terminal_size().columns - 1, 20)
        if len(line) > width:
            line = line[: width - 1] + "…"
        reporter.rewrite(line, erase=True)
        self._shown = True

    def finish(self) -> None:
        """Erase the line, so pytest's next line starts on a clean one."""
        reporter = self._reporter() if self._shown else None
        if reporter is not None:
            reporter.rewrite("", erase=True)
        self._shown = False
