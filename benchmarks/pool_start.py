"""What starting the extraction workers costs, per start method (figures printed).

    python benchmarks/pool_start.py [--jobs N]

From a process that has loaded the full catalog (as a pytest run has), extracts two one-line
files with N workers started by fork, forkserver and spawn, and with one job in-process. The
difference to in-process is what a run pays for isolation before its first file: fork copies
the loaded checks for free, forkserver and spawn start an interpreter that imports them again.
"""

from __future__ import annotations

import argparse
import multiprocessing
import tempfile
import time
from pathlib import Path

from pytest_lessons.extraction_pool import available_cpus, run_tasks
from pytest_lessons.file_facts import FileExtractor, FileTask
from pytest_lessons.settings import CommandLine, resolve_settings
from pytest_lessons.workspace import scan_workspace


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--jobs", type=int, default=max(2, available_cpus()))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        for n in range(args.jobs):
            (root / f"module_{n}.py").write_text(f"import posthog\nx = {n}\n")
        settings = resolve_settings(CommandLine(root=root))
        tasks = [
            FileTask(candidate, tuple(settings.checks), directives=False)
            for candidate in scan_workspace(root).candidates
        ]
        print(f"{len(tasks)} one-line files, {len(settings.checks)} lessons, {args.jobs} jobs")
        methods = [
            m
            for m in ("fork", "forkserver", "spawn")
            if m in multiprocessing.get_all_start_methods()
        ]
        for method in [*methods, "in-process"]:
            jobs = 1 if method == "in-process" else args.jobs
            extractor = FileExtractor(settings.checks, max_bytes=1 << 20, pickle_facts=jobs > 1)
            started = time.perf_counter()
            answers = list(
                run_tasks(
                    tasks,
                    extractor,
                    jobs=jobs,
                    time_limit=60,
                    method=None if method == "in-process" else method,
                )
            )
            elapsed = time.perf_counter() - started
            assert len(answers) == len(tasks)
            print(f"  {method:<11} {1000 * elapsed:8.0f} ms")


if __name__ == "__main__":
    main()
