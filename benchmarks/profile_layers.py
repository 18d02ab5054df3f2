"""Where a cold analysis spends its time, per layer (figures printed, nothing asserted).

    python benchmarks/profile_layers.py REPO [--select IDS]

Runs the full catalog over REPO in this process (one job, no cache) with light timers on the
seams every lesson goes through, each timed exclusive of the seams nested in it:

- `parse <engine>`: `SourceFile.tree` (libcst, libcst with metadata, ast-grep);
- `layer <key>`: each shared layer computed through `SourceFile.derived` (py-routes, js-modules,
  py-telemetry, ...), without the parses and other layers it asks for;
- `extract <lesson>`: a lesson's own extraction code, without the layers and parses it uses;
- `judge <lesson>`: judging, in the parent;
- the pipeline's own phases (scan, survey, assemble, ...) from `RunStats`.

Unlike cProfile, the timers cost next to nothing, so the proportions are those of a real run.
`--clock cpu` times CPU seconds of the timed thread instead of wall seconds: on a machine other
work loads, wall time mostly measures the queue.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pytest_lessons.analysis import RunStats, run_analysis
from pytest_lessons.settings import CommandLine, resolve_settings
from pytest_lessons.source import SourceFile

_totals: dict[str, float] = defaultdict(float)
_calls: dict[str, int] = defaultdict(int)
_stack: list[list[float]] = []
_clock: Callable[[], float] = time.perf_counter


def timed(label: str, call: Callable[[], Any]) -> Any:
    """Run `call`, adding its time minus its nested timed calls to `label`."""
    frame = [_clock(), 0.0]
    _stack.append(frame)
    try:
        return call()
    finally:
        _stack.pop()
        elapsed = _clock() - frame[0]
        _totals[label] += elapsed - frame[1]
        _calls[label] += 1
        if _stack:
            _stack[-1][1] += elapsed


def instrument(settings: Any) -> None:
    tree = SourceFile.tree
    derived = SourceFile.derived

    def timed_tree(self: SourceFile, engine: str) -> Any:
        if engine in self._trees:  # already parsed: a dictionary look-up, not worth a timer
            return tree(self, engine)
        return timed(f"parse {engine}", lambda: tree(self, engine))

    def timed_derived(self: SourceFile, key: str, compute: Callable[[SourceFile], Any]) -> Any:
        if key in self._derived:
            return derived(self, key, compute)
        return timed(f"layer {key.split(':')[0]}", lambda: derived(self, key, compute))

    SourceFile.tree = timed_tree  # type: ignore[method-assign]
    SourceFile.derived = timed_derived  # type: ignore[method-assign]
    for lesson_id, check in settings.checks.items():
        extract, judge = check.extract, check.judge

        def timed_extract(file: SourceFile, _e: Any = extract, _id: str = lesson_id) -> Any:
            return timed(f"extract {_id}", lambda: _e(file))

        def timed_judge(facts: Any, _j: Any = judge, _id: str = lesson_id) -> Any:
            return timed(f"judge {_id}", lambda: list(_j(facts)))

        check.extract = timed_extract
        check.judge = timed_judge


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("repo", type=Path)
    parser.add_argument("--select", help="comma-separated lesson ids (default: all)")
    parser.add_argument(
        "--clock",
        choices=("wall", "cpu"),
        default="wall",
        help="wall seconds, or CPU seconds (of the thread timed, and of the process in all)",
    )
    args = parser.parse_args()
    global _clock
    total_clock: Callable[[], float] = time.perf_counter
    if args.clock == "cpu":
        _clock, total_clock = time.thread_time, time.process_time
    select = args.select.split(",") if args.select else None
    settings = resolve_settings(CommandLine(root=args.repo.resolve(), select=select, jobs=1))
    instrument(settings)
    stats = RunStats()
    started = total_clock()
    outcome = run_analysis(settings, stats=stats)
    wall = total_clock() - started  # or CPU seconds, with --clock cpu
    extract_wall = stats.phases.get("extract", 0.0)
    print(
        f"{args.repo.name}: {wall:.1f} {args.clock} s for {stats.files_listed} files "
        "(one job, no cache), "
        f"{len(outcome.findings)} findings"
    )
    print(f"  {'where':<48} {'seconds':>8} {'share':>6} {'calls':>7}")
    rows = dict(_totals)
    if args.clock == "cpu":  # the pipeline's phases are timed in wall seconds: not comparable
        rows["pipeline (scan, read, hash, pickle, survey...)"] = max(
            0.0, wall - sum(_totals.values())
        )
    else:
        accounted = sum(v for k, v in rows.items() if not k.startswith("judge "))
        rows["extract: pipeline (read, hash, pickle, notes)"] = max(0.0, extract_wall - accounted)
        for phase, seconds in stats.phases.items():
            if phase not in ("extract", "judge"):
                rows[f"pipeline {phase}"] = seconds
    for label, seconds in sorted(rows.items(), key=lambda kv: -kv[1]):
        if seconds < 0.05:
            continue
        print(
            f"  {label:<48} {seconds:8.1f} {100 * seconds / wall:5.0f}% {_calls.get(label, 0):>7}"
        )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
