"""The Python telemetry layer's two readers on a real repository: time, and any difference.

    .venv/bin/python benchmarks/python_telemetry.py /path/to/checkout [--limit N]

Prints the seconds each reader spends on the repository's Python files (parse included: `ast`
parses in C, libcst parses and then resolves positions) and every file whose facts differ, which
must be none: `from_ast` reads what the interpreter parses and `from_cst` the rest, and a finding
must not depend on which one ran. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from pytest_lessons.errors import AnalysisError
from pytest_lessons.lang.python.imports import module_surface
from pytest_lessons.lang.python.telemetry.collect import bindings_of
from pytest_lessons.lang.python.telemetry.from_ast import ast_facts
from pytest_lessons.lang.python.telemetry.from_cst import cst_facts
from pytest_lessons.source import FileKind, SourceFile

_SKIPPED = frozenset({"node_modules", ".venv", "venv", ".git", "__pycache__", "site-packages"})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--limit", type=int, default=0, help="read at most N files (0: all)")
    args = parser.parse_args()
    files = [
        path
        for path in sorted(args.root.rglob("*.py"))
        if not _SKIPPED & set(path.parts) and path.stat().st_size < 1_000_000
    ]
    if args.limit:
        files = files[: args.limit]
    fast = slow = 0.0
    compared = unreadable = 0
    differing: list[str] = []
    for path in files:
        rel = path.relative_to(args.root).as_posix()
        source = SourceFile(path, rel, FileKind.PYTHON, path.read_bytes())
        try:
            bindings = bindings_of(module_surface(source))
            started = time.perf_counter()
            by_ast = ast_facts(source.text, bindings, ())
            middle = time.perf_counter()
            by_cst = cst_facts(source.python_metadata(), bindings, ())
            ended = time.perf_counter()
        except (SyntaxError, ValueError, RecursionError, AnalysisError):
            unreadable += 1
            continue
        fast += middle - started
        slow += ended - middle
        compared += 1
        if by_ast != by_cst:
            differing.append(rel)
    ratio = slow / fast if fast else 0.0
    print(f"{compared} files compared, {unreadable} not readable by one of the parsers")
    print(f"ast reader:    {fast:7.2f} s")
    print(f"libcst reader: {slow:7.2f} s  ({ratio:.1f}x the ast reader)")
    print(f"files whose facts differ: {len(differing)}")
    for rel in differing:
        print(f"  {rel}")


if __name__ == "__main__":
    main()
