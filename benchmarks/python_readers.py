"""The Python layers' two readers on a real repository: time, and any difference.

    .venv/bin/python benchmarks/python_readers.py /path/to/checkout [--limit N]

For the route facts (`lang.python.routes`, files the layer reads), the telemetry facts
(`lang.python.telemetry`) and the url-id flows (`checks.url_id_lookup`),
prints the seconds each reader spends on the repository's Python files (parse included: `ast`
parses in C, libcst parses and then resolves positions) and every file whose facts differ, which
must be none: the `ast` readers read what the interpreter parses and the libcst ones the rest,
and a finding must not depend on which one ran. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pytest_lessons.checks.url_id_lookup.python_flow import common_facts
from pytest_lessons.checks.url_id_lookup.python_flow_ast import python_flows
from pytest_lessons.checks.url_id_lookup.python_flow_cst import function_flows
from pytest_lessons.errors import AnalysisError
from pytest_lessons.lang.python.ast_source import parsed
from pytest_lessons.lang.python.imports import module_surface
from pytest_lessons.lang.python.routes import _DECLARES, extract_ast, extract_cst, route_facts
from pytest_lessons.lang.python.routes.facts import RouteFacts
from pytest_lessons.lang.python.telemetry.collect import bindings_of
from pytest_lessons.lang.python.telemetry.from_ast import ast_facts
from pytest_lessons.lang.python.telemetry.from_cst import cst_facts
from pytest_lessons.source import FileKind, SourceFile

_SKIPPED = frozenset({"node_modules", ".venv", "venv", ".git", "__pycache__", "site-packages"})
_ENTITY = re.compile(r"^(id|slug|uuid)$|[a-z0-9](Id|ID|_id|Slug|_slug|Uuid)$")
_Reader = Callable[[SourceFile], Any]


def _routes_ast(source: SourceFile) -> Any:
    if not _DECLARES.search(source.data):
        return RouteFacts()
    return extract_ast(source, parsed(source.text))


def _routes_cst(source: SourceFile) -> Any:
    if not _DECLARES.search(source.data):
        return RouteFacts()
    return extract_cst(source)


def _telemetry_ast(source: SourceFile) -> Any:
    return ast_facts(source.text, bindings_of(module_surface(source)), ())


def _telemetry_cst(source: SourceFile) -> Any:
    return cst_facts(source.python_metadata(), bindings_of(module_surface(source)), ())


def _handlers(source: SourceFile) -> set[tuple[int, int]]:
    return {(r.line, r.column) for r in route_facts(source).routes if r.endpoint_defined}


def _flows_ast(source: SourceFile) -> Any:
    return [
        common_facts(flow)
        for flow in python_flows(
            source.text, _handlers(source), _ENTITY, frozenset(), reads_path_params=True
        )
    ]


def _flows_cst(source: SourceFile) -> Any:
    return function_flows(
        source.python_metadata(), _handlers(source), _ENTITY, frozenset(), reads_path_params=True
    )


LAYERS: dict[str, tuple[_Reader, _Reader]] = {
    "routes": (_routes_ast, _routes_cst),
    "telemetry": (_telemetry_ast, _telemetry_cst),
    "url-id flows": (_flows_ast, _flows_cst),
}


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
    for layer, (fast_reader, slow_reader) in LAYERS.items():
        fast = slow = 0.0
        compared = unreadable = 0
        differing: list[str] = []
        for path in files:
            rel = path.relative_to(args.root).as_posix()
            source = SourceFile(path, rel, FileKind.PYTHON, path.read_bytes())
            try:
                module_surface(source)
                _handlers(source)  # shared layers, timed by neither reader
                started = time.perf_counter()
                by_ast = fast_reader(source)
                middle = time.perf_counter()
                by_cst = slow_reader(source)
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
        print(f"{layer}: {compared} files compared, {unreadable} not readable by one parser")
        print(f"  ast reader:    {fast:7.2f} s")
        print(f"  libcst reader: {slow:7.2f} s  ({ratio:.1f}x the ast reader)")
        print(f"  files whose facts differ: {len(differing)}")
        for rel in differing:
            print(f"    {rel}")


if __name__ == "__main__":
    main()
