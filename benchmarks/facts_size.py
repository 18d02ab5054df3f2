"""What the facts held for judging weigh, per lesson and per record type (figures printed).

    python benchmarks/facts_size.py REPO [--select IDS] [--jobs N] [--top N]

The pytest process keeps every file's facts until the lessons that read them have judged: on a
large repository that is most of its peak RSS. This runs the full catalog over REPO (no cache)
and, as each lesson is about to judge, walks the object graph of its facts and prints:

- per lesson: files with facts, objects, bytes (`sys.getsizeof` summed over every object
  reachable from the facts, each object counted once across all lessons: facts two lessons
  share are billed to the first), and the pickled size;
- per type (pydantic model, str, tuple, list, dict ...): objects and bytes, over all lessons;
- per pydantic field of the heaviest models: the bytes reachable only through that field;
- the process's peak RSS and `tracemalloc`'s peak (with `--tracemalloc`; it slows the run).

Nothing is asserted: it is for finding what to shrink.
"""

from __future__ import annotations

import argparse
import gc
import pickle
import resource
import sys
import time
import tracemalloc
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from pytest_lessons import analysis
from pytest_lessons.analysis import RunStats, run_analysis
from pytest_lessons.settings import CommandLine, resolve_settings

_ATOMS = (int, float, bool, type(None), bytes, str)


class Walker:
    """Counts each object reachable from the facts once, by type and by the lesson that reached
    it first; stops at types, modules and functions (shared by the program, not the facts)."""

    def __init__(self) -> None:
        self.seen: set[int] = set()
        self.by_type: Counter[str] = Counter()
        self.count_by_type: Counter[str] = Counter()
        self.by_field: dict[str, Counter[str]] = defaultdict(Counter)

    def size(self, roots: Iterable[Any], owner: str | None = None) -> tuple[int, int]:
        total = objects = 0
        stack = list(roots)
        while stack:
            obj = stack.pop()
            if id(obj) in self.seen or isinstance(obj, type):
                continue
            self.seen.add(id(obj))
            name = type(obj).__name__
            if (
                type(obj).__module__ in ("builtins",)
                and callable(obj)
                and not isinstance(obj, (dict, list, tuple, set, frozenset, str, bytes))
            ):
                continue
            size = sys.getsizeof(obj)
            total += size
            objects += 1
            self.by_type[name] += size
            self.count_by_type[name] += 1
            if isinstance(obj, _ATOMS):
                continue
            if isinstance(obj, BaseModel):
                for key, value in obj.__dict__.items():
                    if isinstance(value, (list, tuple)) and value and owner is None:
                        # bill what hangs under each field of a model to Model.field
                        bytes_before = total
                        sub, subobjects = self.size([value], f"{name}.{key}")
                        total += sub
                        objects += subobjects
                        self.by_field[name][key] += total - bytes_before
                    else:
                        stack.append(value)
                stack.append(obj.__dict__)
                extra = getattr(obj, "__pydantic_fields_set__", None)
                if extra is not None:
                    stack.append(extra)
                continue
            if isinstance(obj, dict):
                stack.extend(obj.keys())
                stack.extend(obj.values())
            elif isinstance(obj, (list, tuple, set, frozenset)):
                stack.extend(obj)
            else:
                stack.extend(gc.get_referents(obj))
        return total, objects


def mib(size: float) -> str:
    return f"{size / 2**20:8.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("repo", type=Path)
    parser.add_argument("--select", help="comma-separated lesson ids (default: all)")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--tracemalloc", action="store_true")
    args = parser.parse_args()
    if args.tracemalloc:
        tracemalloc.start()
    select = args.select.split(",") if args.select else None
    settings = resolve_settings(
        CommandLine(root=args.repo.resolve(), select=select, jobs=args.jobs)
    )
    walker = Walker()
    rows: list[tuple[str, int, int, int, int]] = []
    judge = analysis._judge

    def measured(check: Any, facts: Mapping[str, BaseModel]) -> Any:
        size, objects = walker.size(facts.values())
        pickled = sum(
            len(pickle.dumps(f, protocol=pickle.HIGHEST_PROTOCOL)) for f in facts.values()
        )
        rows.append((check.lesson_id, len(facts), objects, size, pickled))
        return judge(check, facts)

    analysis._judge = measured  # type: ignore[assignment]
    stats = RunStats()
    started = time.perf_counter()
    outcome = run_analysis(settings, stats=stats)
    wall = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(
        f"{args.repo.name}: {wall:.1f} s, {stats.files_listed} files, "
        f"{len(outcome.findings)} findings, jobs {args.jobs}; peak RSS {mib(peak).strip()} MiB"
    )
    if args.tracemalloc:
        current, traced_peak = tracemalloc.get_traced_memory()
        print(f"tracemalloc: peak {mib(traced_peak).strip()} MiB, now {mib(current).strip()} MiB")
    print(f"\n  {'lesson':<36} {'files':>6} {'objects':>10} {'MiB':>8} {'pickled':>8}")
    for lesson_id, files, objects, size, pickled in sorted(rows, key=lambda r: -r[3]):
        print(f"  {lesson_id:<36} {files:>6} {objects:>10} {mib(size)} {mib(pickled)}")
    total = sum(r[3] for r in rows)
    print(f"  {'all lessons (shared objects once)':<36} {'':>6} {'':>10} {mib(total)}")
    print(f"\n  {'type':<36} {'objects':>10} {'MiB':>8}")
    for name, size in walker.by_type.most_common(args.top):
        print(f"  {name:<36} {walker.count_by_type[name]:>10} {mib(size)}")
    print(f"\n  {'model.field (lists and tuples under it)':<52} {'MiB':>8}")
    fields = [
        (f"{model}.{key}", size)
        for model, by_key in walker.by_field.items()
        for key, size in by_key.items()
    ]
    for label, size in sorted(fields, key=lambda kv: -kv[1])[: args.top]:
        print(f"  {label:<52} {mib(size)}")


if __name__ == "__main__":
    main()
