"""Benchmarks, run on demand (`make bench`): figures printed, never asserted.

Absolute times on shared machines are noisy, so each figure is shown next to a ratio within the
same run: prefilter on vs off shows what the prefilter saves; a warm facts cache vs a cold one shows
what the cache saves; the bare file walk is the floor. The synthetic repository mimics a FastAPI
service in the proportions of real ones (dispatch: 717 Python files, 55 of them declaring routes
or dependencies, 13 reading the environment): many ordinary modules, one in 25 reading the
environment, one router module per ten (all included by `main.py`, so the cross-file route
lessons join them), a few alembic environments.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from pytest_lessons.analysis import run_analysis
from pytest_lessons.fact_cache import FactCache
from pytest_lessons.outcome import Outcome
from pytest_lessons.settings import CommandLine, resolve_settings
from pytest_lessons.source import AnalysisError, FileKind, SourceFile
from pytest_lessons.workspace import read_candidate, scan_workspace

MODULE = '''"""Module {n}: ordinary service code."""

import os
from dataclasses import dataclass


@dataclass
class Record{n}:
    id: int
    name: str

    def describe(self) -> str:
        return f"{{self.id}}: {{self.name}}"


def load_{n}(rows: list[dict[str, object]]) -> list[Record{n}]:
    result = []
    for row in rows:
        if not row:
            continue
        result.append(Record{n}(id=int(str(row["id"])), name=str(row.get("name", ""))))
    return result

'''

SETTINGS_TAIL = """

DEFAULT_LIMIT = int(os.environ.get("LIMIT_{n}", "100"))
"""

ROUTER = '''"""Router {n}: the HTTP face of module {n}."""

from fastapi import APIRouter, Depends, HTTPException

from pkg{package}.module_{n} import Record{n}

router = APIRouter(prefix="/records{n}", dependencies=[Depends(require_user)])


@router.get("/{{record_id}}")
def read_record(record_id: int, session=Depends(get_session)) -> dict[str, object]:
    record = session.get(Record{n}, record_id)
    if record is None:
        raise HTTPException(status_code=404)
    return {{"id": record.id}}


@router.post("/")
def create_record(payload: dict[str, object], session=Depends(get_session)) -> dict[str, int]:
    session.add(Record{n}(id=int(str(payload["id"])), name=str(payload["name"])))
    return {{"created": 1}}
'''

ENV_PY = """from alembic import context
import os

config = context.config
config.set_main_option("sqlalchemy.url", os.environ["DATABASE_URL"])
"""


def make_repository(root: Path, modules: int) -> None:
    for n in range(modules):
        package = root / "src" / f"pkg{n // 50}"
        package.mkdir(parents=True, exist_ok=True)
        tail = SETTINGS_TAIL.format(n=n) if n % 25 == 0 else ""
        (package / f"module_{n}.py").write_text(MODULE.format(n=n) + tail)
    routers = range(0, modules, 10)
    for n in routers:
        web = root / "src" / "web"
        web.mkdir(parents=True, exist_ok=True)
        (web / f"router_{n}.py").write_text(ROUTER.format(n=n, package=n // 50))
    (root / "src" / "web" / "main.py").write_text(
        "from fastapi import FastAPI\n\n"
        + "".join(f"from web import router_{n}\n" for n in routers)
        + "\napp = FastAPI()\n"
        + "".join(f"app.include_router(router_{n}.router)\n" for n in routers)
    )
    for n in range(max(modules // 500, 1)):
        env = root / f"service{n}" / "alembic"
        env.mkdir(parents=True)
        (env / "env.py").write_text(ENV_PY)


def timed(label: str, action: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    print(f"  {label:<38} {best * 1000:9.1f} ms (best of {repeat})")
    return best


def walk_and_read(root: Path) -> int:
    count = 0
    for candidate in scan_workspace(root).candidates:
        read_candidate(candidate, max_bytes=1 << 20)
        count += 1
    return count


def parse_everything(root: Path) -> int:
    """What a tool without prefilters pays: a libcst parse of every Python file."""
    parsed = 0
    for candidate in scan_workspace(root).candidates:
        source = read_candidate(candidate, max_bytes=1 << 20)
        if isinstance(source, SourceFile) and source.kind is FileKind.PYTHON:
            try:
                source.python_module()
                parsed += 1
            except AnalysisError:
                pass
    return parsed


def analyse(root: Path, *, prefilter: bool, cache_dir: Path | None = None) -> Outcome:
    settings = resolve_settings(CommandLine(root=root, use_prefilter=prefilter))
    if cache_dir is None:
        return run_analysis(settings)
    cache = FactCache(cache_dir, settings)
    outcome = run_analysis(settings, cache=cache)
    cache.save()
    return outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--modules", type=int, default=2000)
    parser.add_argument("--repo", type=Path, help="benchmark an existing repository instead")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="lessons-bench-"))
    try:
        root = args.repo.resolve() if args.repo else workdir / "repo"
        if not args.repo:
            make_repository(root, args.modules)
        files = walk_and_read(root)
        print(f"repository: {root} ({files} candidate files)")
        walk = timed("walk + read (the floor)", lambda: walk_and_read(root))
        on = timed("analysis, prefilter on", lambda: analyse(root, prefilter=True))
        off = timed("analysis, prefilter off", lambda: analyse(root, prefilter=False), repeat=1)
        cache_dir = workdir / "cache"
        cache_dir.mkdir()
        cold = timed(
            "prefilter off, cold cache",
            lambda: analyse(root, prefilter=False, cache_dir=cache_dir),
            repeat=1,
        )
        warm = timed(
            "prefilter off, warm cache",
            lambda: analyse(root, prefilter=False, cache_dir=cache_dir),
        )
        parse_all = timed("libcst parse of every Python file", lambda: parse_everything(root), 1)
        findings = len(analyse(root, prefilter=True).findings)
        print(f"  findings: {findings}")
        print(f"  prefilter speed-up:       {off / on:6.1f}x")
        print(f"  parse-everything / analysis: {parse_all / on:6.1f}x")
        print(f"  analysis / bare walk:     {on / walk:6.1f}x")
        print(f"  warm cache speed-up:      {cold / warm:6.1f}x")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"  peak memory (RSS):        {peak:6.0f} MiB")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
