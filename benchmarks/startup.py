"""What a lessons-only run costs before it reads a file: start-up figures, printed (never asserted).

    python benchmarks/startup.py [--repeat N] [PATH]

Each repetition starts fresh interpreters on PATH (default: a new empty directory) and takes the
median over the repetitions:

* `python -m pytest --version`: the floor, an interpreter that imports pytest and exits;
* `pytest-lessons check PATH`: the whole lessons-only run, as a CI job or a hook runs it;
* the same run in one probed interpreter, split into phases that add up to it: interpreter
  start, `import pytest`, the plugin's modules (those `pytest_configure` imports for a lessons
  run), the catalog (every lesson.toml read and validated), the config (the repository's table,
  options validated, the selected lessons' checks built), and pytest until the first lesson
  item runs (its own configuration, collection, the analysis of no file), then to the end.

Start-up is what the run costs over the floor; the ratio to the floor is the figure to compare
between runs, since absolute times on a shared machine move with its load. Byte code is written
(`PYTHONDONTWRITEBYTECODE` is dropped for the children), as an installed package has it, and a
first unmeasured run warms the caches.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PLUGIN_MODULES = (
    "pytest_lessons.plugin",
    "pytest_lessons.annotations",
    "pytest_lessons.errors",
    "pytest_lessons.filter_stage",
    "pytest_lessons.items",
    "pytest_lessons.lesson_hooks",
    "pytest_lessons.lessons_only",
    "pytest_lessons.progress",
    "pytest_lessons.report_text",
    "pytest_lessons.run_once",
    "pytest_lessons.settings",
    "pytest_lessons.cli",
)
"""What the plugin's `pytest_configure` imports for a lessons run (kept in step by hand: a
module missing here is counted in a later phase, not lost)."""

PROBE = r"""
import time
marks = {"python": time.time()}
import json, sys, types
root, out = sys.argv[1], sys.argv[2]
import pytest
marks["import pytest"] = time.time()
import importlib
for name in MODULES:
    importlib.import_module(name)
marks["plugin modules"] = time.time()
from pytest_lessons import settings as settings_module
from pytest_lessons.catalog import load_catalog
catalog = load_catalog()
marks["catalog"] = time.time()
settings_module.load_catalog = lambda extra_dirs=(), **kw: (
    load_catalog(extra_dirs, **kw) if extra_dirs else catalog
)
settings_module.resolve_settings(settings_module.CommandLine(root=__import__("pathlib").Path(root)))
marks["config"] = time.time()
probe = types.ModuleType("startup_probe")
def pytest_runtest_logstart(nodeid, location):
    marks.setdefault("first item", time.time())
probe.pytest_runtest_logstart = pytest_runtest_logstart
sys.modules["startup_probe"] = probe
from pytest_lessons.cli import main
import contextlib, io
with contextlib.redirect_stdout(io.StringIO()):
    main(["check", root, "-p", "startup_probe"])
marks["end"] = time.time()
marks["heavy"] = [m for m in ("libcst", "ast_grep_py", "pathspec") if m in sys.modules]
with open(out, "w") as handle:
    json.dump(marks, handle)
"""

PHASES = ("python", "import pytest", "plugin modules", "catalog", "config", "first item", "end")


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _wall(command: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=_env(), check=False, capture_output=True)
    return time.perf_counter() - started


def _probe(root: Path, scratch: Path) -> tuple[dict[str, float], list[str]]:
    """One probed run: seconds spent in each phase, and the heavy modules it imported."""
    out = scratch / "marks.json"
    script = PROBE.replace("MODULES", repr(PLUGIN_MODULES))
    launched = time.time()
    subprocess.run(
        [sys.executable, "-c", script, str(root), str(out)],
        cwd=root,
        env=_env(),
        check=True,
        capture_output=True,
    )
    marks = json.loads(out.read_text())
    heavy = marks.pop("heavy")
    marks.setdefault("first item", marks["end"])
    spent, previous = {}, launched
    for phase in PHASES:
        spent[phase] = marks[phase] - previous
        previous = marks[phase]
    return spent, heavy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", nargs="?", type=Path, help="repository (default: empty dir)")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    cli = str(Path(sys.executable).with_name("pytest-lessons"))
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        root = args.path.resolve() if args.path else scratch / "empty"
        root.mkdir(exist_ok=True)
        bare_command = [sys.executable, "-m", "pytest", "--version"]
        check_command = [cli, "check", str(root), "-p", "no:cacheprovider"]
        _wall(check_command, root)  # warm: byte code written, files in the page cache
        bare, check, phases = [], [], []
        heavy: list[str] = []
        for _ in range(args.repeat):
            bare.append(_wall(bare_command, root))
            check.append(_wall(check_command, root))
            spent, heavy = _probe(root, scratch)
            phases.append(spent)
    floor, run = statistics.median(bare), statistics.median(check)
    where = args.path or "an empty directory"
    print(f"start-up of a lessons-only run on {where}, median of {args.repeat} (seconds)")
    print(f"  python -m pytest --version          {floor:6.3f}   (the floor)")
    print(f"  pytest-lessons check                {run:6.3f}   {run / floor:4.2f}x the floor")
    print(f"  start-up over the floor             {run - floor:6.3f}")
    print("phases of the same run, probed in one interpreter:")
    for phase in PHASES:
        median = statistics.median(p[phase] for p in phases)
        print(f"  {phase:<34}  {median:6.3f}")
    print(f"heavy modules imported: {', '.join(heavy) or 'none'}")


if __name__ == "__main__":
    main()
