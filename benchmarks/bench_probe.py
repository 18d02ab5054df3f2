"""A pytest plugin the benchmark loads (`-p bench_probe`) into the run it measures.

It records what only the measured process knows: its own peak RSS and CPU time, the largest
RSS and the total CPU time of its extraction workers, and, where the installed pytest-lessons
has them, the analysis' `RunStats` (files read, files parsed per lesson, phases). It writes them
as JSON to $BENCH_PROBE_OUT when pytest ends. With an older pytest-lessons (the "before" column)
only the memory and CPU figures exist.
"""

from __future__ import annotations

import dataclasses
import json
import os
import resource
import sys
from typing import Any

import pytest

_STATS: list[Any] = []


def pytest_configure(config: pytest.Config) -> None:
    try:
        import pytest_lessons.run_once as run_once
        from pytest_lessons.analysis import RunStats
    except ImportError:
        return
    original = run_once.run_analysis

    def measured(settings: Any, **kwargs: Any) -> Any:
        stats = RunStats()
        _STATS.append(stats)
        return original(settings, stats=stats, **kwargs)

    run_once.run_analysis = measured  # type: ignore[assignment]


def pytest_unconfigure(config: pytest.Config) -> None:
    target = os.environ.get("BENCH_PROBE_OUT")
    if not target:
        return
    scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB on Linux
    own = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    report: dict[str, Any] = {
        "rss_main": own.ru_maxrss * scale,
        "rss_worker": workers.ru_maxrss * scale,
        "cpu_main": own.ru_utime + own.ru_stime,
        "cpu_workers": workers.ru_utime + workers.ru_stime,
    }
    if _STATS:
        stats = _STATS[-1]
        report["stats"] = {f.name: getattr(stats, f.name) for f in dataclasses.fields(stats)}
    with open(target, "w", encoding="utf-8") as handle:
        json.dump(report, handle)
