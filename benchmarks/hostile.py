"""Benchmarks for hostile input (issue 13), run on demand: figures printed, never asserted.

Two questions. What does the nesting gate cost on ordinary code? Every Python file libcst
parses is first parsed by `ast.parse` and its tree measured, so the figure that matters is the
gate's time next to libcst's parse of the same files (`--repo PATH` for a real repository; the
default is the synthetic FastAPI service of `run.py`). And how long do the issue's inputs, at
full size, now take? Each is timed through the gate; with `--ungated`, libcst is also run on it
bare, in a subprocess with a time limit, to show what the gate saves (a crash shows as a
signal).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import libcst

from pytest_lessons.engines.python import parse_module
from pytest_lessons.engines.python_gate import nesting_problem
from pytest_lessons.findings import FileProblem
from pytest_lessons.source import AnalysisError, FileKind, SourceFile
from pytest_lessons.workspace import read_candidate, scan_workspace

sys.path.insert(0, str(Path(__file__).parent))
from run import make_repository

INPUTS: dict[str, Callable[[], str]] = {
    "5,000 nested parentheses": lambda: "x = " + "(" * 5000 + "1" + ")" * 5000 + "\n",
    "1,400-deep list": lambda: "x = " + "[" * 1400 + "]" * 1400 + "\n",
    "1,200-deep list": lambda: "x = " + "[" * 1200 + "]" * 1200 + "\n",
    "10,000-term sum": lambda: "x = (\n" + " +\n".join(["a"] * 10_000) + "\n)\n",
    "3,000-term sum": lambda: "x = (\n" + " +\n".join(["a"] * 3000) + "\n)\n",
    "10,000-term `and`": lambda: "x = (\n" + " and\n".join(["a"] * 10_000) + "\n)\n",
    "5,000 concatenated strings": lambda: "x = (\n" + '"s"\n' * 5000 + ")\n",
    "200,000-term sum (3.10's ast crash)": lambda: "x = (\n" + "+a\n" * 200_000 + ")\n",
}

UNGATED = """
import sys, time, libcst
text = sys.stdin.read()
start = time.perf_counter()
try:
    libcst.parse_module(text)
except Exception as error:
    print(f"{time.perf_counter() - start:.2f} s, then {type(error).__name__}")
else:
    print(f"{time.perf_counter() - start:.2f} s")
"""


def python_sources(root: Path) -> list[str]:
    texts: list[str] = []
    for candidate in scan_workspace(root).candidates:
        if candidate.kind is not FileKind.PYTHON:
            continue
        source = read_candidate(candidate, max_bytes=1 << 20, max_line_length=5000)
        if isinstance(source, SourceFile):
            try:
                texts.append(source.text)
            except AnalysisError:
                pass
    return texts


def gate_cost(root: Path) -> None:
    texts = python_sources(root)
    start = time.perf_counter()
    refused = sum(nesting_problem(text) is not None for text in texts)
    gate = time.perf_counter() - start
    start = time.perf_counter()
    for text in texts:
        try:
            libcst.parse_module(text)
        except Exception:
            continue
    bare = time.perf_counter() - start
    lines = sum(text.count("\n") for text in texts)
    print(f"nesting gate on {len(texts)} Python files ({lines:,} lines) under {root}")
    print(f"  gate (ast.parse + depth walk)   {gate * 1000:9.0f} ms   refused: {refused}")
    print(f"  libcst parse of the same files  {bare * 1000:9.0f} ms")
    print(f"  gate / libcst parse             {gate / bare:9.1%}")


def ungated(text: str, limit: int) -> str:
    try:
        done = subprocess.run(
            [sys.executable, "-c", UNGATED],
            input=text,
            capture_output=True,
            text=True,
            timeout=limit,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return f"over {limit} s (stopped)"
    if done.returncode < 0:
        return f"crashed (signal {-done.returncode})"
    return done.stdout.strip() or done.stderr.strip().splitlines()[-1]


def hostile_inputs(show_ungated: bool, limit: int) -> None:
    print("issue 13 inputs, through the gate" + (" (and libcst bare)" if show_ungated else ""))
    for label, make in INPUTS.items():
        text = make()
        start = time.perf_counter()
        try:
            parse_module(text)
            verdict = "parsed"
        except AnalysisError as error:
            verdict = f"parse problem at line {error.line}"
        took = time.perf_counter() - start
        line = f"  {label:<38} {took * 1000:8.1f} ms  {verdict}"
        if show_ungated and not label.startswith("200,000"):
            line += f"   bare libcst: {ungated(text, limit)}"
        print(line)


def minified_bundle(workdir: Path) -> None:
    bundle = workdir / "bundle" / "vendor.js"
    bundle.parent.mkdir(parents=True)
    statement = "var a=process.env.API_URL||function(e){return e&&e.x};"
    bundle.write_text(statement * (900 * 1024 // len(statement)) + "\n")
    [candidate] = scan_workspace(bundle.parent).candidates
    start = time.perf_counter()
    read = read_candidate(candidate, max_bytes=1 << 20, max_line_length=5000)
    took = time.perf_counter() - start
    assert isinstance(read, FileProblem)
    size = bundle.stat().st_size // 1024
    print(f"a {size} KiB one-line .js bundle: left out in {took * 1000:.1f} ms ({read.kind.value})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repo", type=Path, help="measure the gate on this repository")
    parser.add_argument("--modules", type=int, default=2000)
    parser.add_argument("--ungated", action="store_true", help="also run libcst bare")
    parser.add_argument("--limit", type=int, default=120, help="seconds per bare libcst run")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="lessons-hostile-"))
    try:
        root = args.repo.resolve() if args.repo else workdir / "repo"
        if not args.repo:
            make_repository(root, args.modules)
        gate_cost(root)
        hostile_inputs(args.ungated, args.limit)
        minified_bundle(workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
