"""pytest-lessons on real repositories, end to end, as a user's CI runs it (figures printed).

    python benchmarks/real_repos.py REPO [REPO ...] [--before PYTHON] [--jobs N]
    python benchmarks/real_repos.py --synthetic 1000,10000

For each checked-out repository, in one run so that the ratios hold (absolute times on shared
machines are noisy), with the full catalog, lessons-only (`--lessons-only`, as a lessons job in
CI runs it):

- cold with `--lessons-jobs 1` and with N jobs (default: the CPUs available), cache off;
- warm with nothing changed, and warm after one changed file, with the facts cache on: a route or
  API module gets a comment line appended (no lesson's facts change: judgements are reused),
  then, instead, a function making a request (the lessons reading the file judge again);
- peak RSS of the pytest process and of its largest extraction worker;
- files listed and read, and per lesson the files extracted and parsed (from `RunStats`);
- when `semgrep` and `ast-grep` are on PATH (the `bench` extra installs both), their times on the
  same tree with the simple rules in `approximate_rules/` (the five reorder/alembic lessons
  without their joins across files), semgrep with `-j 1`;
- with `--before PYTHON` (an interpreter with another pytest-lessons installed, e.g. a checkout
  of main), that version's cold, warm and one-change times and peak RSS, for a before/after.

The repository is copied to a temporary directory first: the one-file change never touches the
checkout. `--synthetic SIZES` measures generated monorepos (`synthetic.py`) instead: cold with
N jobs against one job, and the cost per file as the repository grows; their files are as
long as the corpora's, or with `--synthetic-sizes tiny` a section of code each (about 20
lines, the shape of the measurements before 6 December).

`--repeat N` measures the warm and one-change runs N times (each repetition with an edit of its
own) and each synthetic size as N interleaved pairs of runs, and keeps the median: on a shared
machine one run of a second can be a fifth off.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RULES = HERE / "approximate_rules"
sys.path.insert(0, str(HERE))

from synthetic import make_monorepo  # noqa: E402


@dataclass
class Run:
    seconds: float
    exit_code: int
    rss_main: int = 0
    rss_worker: int = 0
    cpu_main: float = 0.0
    cpu_workers: float = 0.0
    stats: dict[str, Any] = field(default_factory=dict)
    findings: list[Any] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.exit_code in (0, 1)


def lessons_run(
    python: str, repo: Path, work: Path, *, jobs: int | None, cache: Path | None
) -> Run:
    """One `pytest --lessons` process over `repo`, timed from the outside."""
    probe = work / "probe.json"
    report = work / "report.json"
    ini = work / "empty.ini"  # the repository's own pytest config (addopts, plugins) stays out
    ini.write_text("[pytest]\n")
    for stale in (probe, report):
        stale.unlink(missing_ok=True)
    command = [
        python,
        "-m",
        "pytest",
        "-p",
        "bench_probe",
        "--lessons-only",  # as a lessons job in CI runs it: nothing of the target collected
        "-c",
        str(ini),
        "--rootdir",
        str(repo),
        "--lessons-root",
        str(repo),
        "-q",
        "--no-header",
        f"--lessons-json={report}",
    ]
    command += ["-p", "no:cacheprovider"] if cache is None else ["-o", f"cache_dir={cache}"]
    if jobs is not None:
        command.append(f"--lessons-jobs={jobs}")
    env = {
        **clean_environment(),
        "PYTHONPATH": os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")]),
        "BENCH_PROBE_OUT": str(probe),
    }
    started = time.perf_counter()
    done = subprocess.run(command, cwd=repo, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    run = Run(seconds, done.returncode)
    if not run.ok:
        print(f"    ! exit {done.returncode}: {(done.stdout + done.stderr)[-1500:]}")
        return run
    if probe.exists():
        measured = json.loads(probe.read_text())
        run.rss_main, run.rss_worker = measured["rss_main"], measured["rss_worker"]
        run.cpu_main, run.cpu_workers = measured["cpu_main"], measured["cpu_workers"]
        run.stats = measured.get("stats", {})
    if report.exists():
        run.findings = json.loads(report.read_text())["findings"]
    return run


def clean_environment() -> dict[str, str]:
    """As a user's shell has it: bytecode caching on (some sandboxes turn it off, and then every
    run compiles the plugin again), and this interpreter's scripts (semgrep, ast-grep) on PATH."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


def tool_seconds(command: list[str], cwd: Path) -> float | None:
    """Wall time of another tool; its CPU time (with its children's) is printed beside it."""
    env = clean_environment()
    found = shutil.which(command[0], path=env["PATH"])
    if found is None:
        return None
    before = _children_cpu()
    started = time.perf_counter()
    process = subprocess.Popen(
        [found, *command[1:]],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**env, "SEMGREP_ENABLE_VERSION_CHECK": "0", "SEMGREP_SEND_METRICS": "off"},
    )
    _, stderr = process.communicate()
    seconds = time.perf_counter() - started
    cpu = _children_cpu() - before
    if process.returncode not in (0, 1):
        print(f"    ! {command[0]} exit {process.returncode}: {stderr.decode()[-500:]}")
        return None
    print(f"    {command[0]}: {seconds:.1f} s wall, {cpu:.1f} s CPU")
    return seconds


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def semgrep_seconds(repo: Path) -> float | None:
    return tool_seconds(
        [
            "semgrep",
            "scan",
            "--config",
            str(RULES / "semgrep.yml"),
            "-j",
            "1",
            "--metrics",
            "off",
            "--disable-version-check",
            "--quiet",
            "--json",
            "--output",
            os.devnull,
            str(repo),
        ],
        repo,
    )


def ast_grep_seconds(repo: Path) -> float | None:
    return tool_seconds(
        ["ast-grep", "scan", "-c", str(RULES / "ast-grep" / "sgconfig.yml"), "--json", str(repo)],
        repo,
    )


def file_to_change(repo: Path) -> Path:
    """A file that route, auth and telemetry lessons all read: an API route if there is one."""
    preferences = [
        "**/app/api/**/route.ts",
        "**/pages/api/**/*.ts",
        "**/routes/*.py",
        "**/api/**/*.py",
        "**/*.py",
        "**/*.ts",
    ]
    for pattern in preferences:
        found = sorted(
            p for p in repo.glob(pattern) if "node_modules" not in p.parts and p.is_file()
        )
        if found:
            return found[len(found) // 2]
    raise SystemExit(f"{repo}: no Python or TypeScript file to change")


def copy_repository(source: Path, target: Path) -> None:
    shutil.copytree(
        source,
        target,
        symlinks=True,
        ignore=shutil.ignore_patterns(".git", "node_modules", ".pytest_cache"),
    )


def mib(size: int) -> str:
    return f"{size / (1 << 20):.0f}"


PY_EDIT = b"""

def lessons_benchmark_edit(payload: dict) -> dict:
    result = requests.post("https://example.invalid/lessons", json=payload, timeout=5)
    return result.json()
"""
TS_EDIT = b"""
export async function lessonsBenchmarkEdit(payload: unknown) {
  const response = await fetch("https://example.invalid/lessons", {
    method: "POST",
    body: JSON.stringify(payload),
  });
  return response.json();
}
"""
"""The second one-file change: code a lesson reads (a new function making a request), so that
the lessons reading the file judge again; the comment line of the first change leaves every
lesson's facts as they were, and their judgements are reused."""


def measure_version(
    label: str,
    python: str,
    repo: Path,
    work: Path,
    changed: Path,
    jobs: int,
    with_jobs: bool,
    serial: bool = True,
    repeat: int = 1,
) -> dict[str, Run]:
    """cold (jobs 1 and N when the version has jobs), warm, warm after one change.

    With `repeat` > 1 the warm and one-change runs are measured that many times, and the run
    of median wall time is kept for each. Every repetition edits the file anew (a comment and a
    function whose names carry the repetition's number), so that no repetition finds its edit
    already in the cache; before repeating, the file is put back and one run (not measured)
    judges it again, so that each warm run starts from the same state."""
    runs: dict[str, Run] = {}
    original = changed.read_bytes()
    if with_jobs:
        if serial:
            runs["cold j1"] = lessons_run(python, repo, work, jobs=1, cache=None)
        runs[f"cold j{jobs}"] = lessons_run(python, repo, work, jobs=jobs, cache=None)
    else:
        runs["cold"] = lessons_run(python, repo, work, jobs=None, cache=None)
    cache = work / f"cache-{label}"
    shutil.rmtree(cache, ignore_errors=True)
    use = jobs if with_jobs else None
    runs["prime"] = lessons_run(python, repo, work, jobs=use, cache=cache)
    repeated: dict[str, list[Run]] = {"warm": [], "1 change": [], "code edit": []}
    for number in range(repeat):
        if number:
            changed.write_bytes(original)
        time.sleep(3.5)  # past the racily-clean window of the files just written
        if number:  # judged as it was again, its stat signature kept: warm as the first time
            lessons_run(python, repo, work, jobs=use, cache=cache)
        repeated["warm"].append(lessons_run(python, repo, work, jobs=use, cache=cache))
        changed.write_bytes(original + edit_text(changed, number, code=False))
        repeated["1 change"].append(lessons_run(python, repo, work, jobs=use, cache=cache))
        changed.write_bytes(original + edit_text(changed, number, code=True))
        repeated["code edit"].append(lessons_run(python, repo, work, jobs=use, cache=cache))
    changed.write_bytes(original)
    for name, measured in repeated.items():
        runs[name] = median_run(measured)
    for name, run in runs.items():
        spread = ""
        if name in repeated and repeat > 1:
            spread = f"  (of {', '.join(f'{r.seconds:.2f}' for r in repeated[name])})"
        print(
            f"  {label:<7} {name:<9} {run.seconds:8.1f} s   CPU main {run.cpu_main:6.1f} s"
            f" workers {run.cpu_workers:6.1f} s   RSS main {mib(run.rss_main):>5} MiB"
            f"   worker {mib(run.rss_worker):>5} MiB   findings {len(run.findings)}{spread}"
        )
    return runs


def edit_text(changed: Path, number: int, *, code: bool) -> bytes:
    """The one-file change of repetition `number`: a comment line, or code a lesson reads."""
    if not code:
        marker = b"#" if changed.suffix == ".py" else b"//"
        return b"\n" + marker + b" benchmark edit %d\n" % number
    text = PY_EDIT if changed.suffix == ".py" else TS_EDIT
    suffix = b"" if number == 0 else b"%d" % number
    return text.replace(b"lessons_benchmark_edit", b"lessons_benchmark_edit" + suffix).replace(
        b"lessonsBenchmarkEdit", b"lessonsBenchmarkEdit" + suffix
    )


def median_run(runs: list[Run]) -> Run:
    """The run of median wall time (the lower middle one of an even number)."""
    ordered = sorted(runs, key=lambda run: run.seconds)
    return ordered[(len(ordered) - 1) // 2]


def print_stats(stats: dict[str, Any], title: str) -> None:
    if not stats:
        return
    print(
        f"  {title}: {stats['files_listed']} files listed, {stats['files_read']} read, "
        f"{stats['stat_hits']} known by stat; {stats['tasks']} extraction tasks, "
        f"{stats['jobs']} job(s) ({stats['start_method']}), {stats['lost']} lost"
    )
    phases = ", ".join(f"{k} {v:.1f}s" for k, v in stats["phases"].items())
    print(f"    phases (wall): {phases}")
    if stats.get("phases_cpu"):
        cpu = ", ".join(f"{k} {v:.2f}s" for k, v in stats["phases_cpu"].items())
        print(f"    phases (CPU of the pytest process): {cpu}")
    if stats["extracted"]:
        print(
            "    per lesson: files extracted / parsed, extraction s (summed over workers), judge s"
        )
        for lesson in sorted(stats["extracted"], key=lambda k: -stats["extract_seconds"][k]):
            print(
                f"      {lesson:<36} {stats['extracted'][lesson]:>6} /"
                f" {stats['parsed'].get(lesson, 0):>6}"
                f"   {stats['extract_seconds'][lesson]:7.1f}"
                f"   {stats['judge_seconds'].get(lesson, 0.0):6.2f}"
            )
    if stats.get("reused"):
        print(f"    judgements reused: {', '.join(stats['reused'])}")
    if stats.get("judged_ahead"):
        print(
            f"    judged ahead (cached facts unpickled during the survey): "
            f"{', '.join(stats['judged_ahead'])}"
        )
    if stats.get("judged_held"):
        print(
            f"    judged by the extraction workers holding their facts: "
            f"{', '.join(stats['judged_held'])}"
        )
    if stats.get("fallback"):
        print(f"    workers fell back in-process: {stats['fallback']}")
    if stats.get("extracted_again"):
        again = ", ".join(f"{k} {v}" for k, v in sorted(stats["extracted_again"].items()))
        print(f"    facts not read back, extracted again while judging: {again}")


def same_findings(runs: dict[str, Run]) -> str:
    def key(findings: list[Any]) -> list[Any]:
        return [(f["lesson"], f["path"], f["line"], f["column"], f["message"]) for f in findings]

    first = next((r for r in runs.values() if r.ok), None)
    if first is None:
        return "no run succeeded"
    differing = [
        name for name, run in runs.items() if run.ok and key(run.findings) != key(first.findings)
    ]
    return "identical in every run" if not differing else f"DIFFER in: {', '.join(differing)}"


def benchmark_repository(source: Path, args: argparse.Namespace, rows: list[str]) -> None:
    with tempfile.TemporaryDirectory(prefix="lessons-real-") as temporary:
        work = Path(temporary)
        repo = work / "repo"
        copy_repository(source, repo)
        changed = file_to_change(repo)
        print(f"\n== {source.name}  (one change: {changed.relative_to(repo)})")
        after = measure_version(
            "after",
            sys.executable,
            repo,
            work,
            changed,
            args.jobs,
            True,
            not args.skip_serial,
            args.repeat,
        )
        before: dict[str, Run] = {}
        if args.before:
            before = measure_version(
                "before", args.before, repo, work, changed, args.jobs, False, True, args.repeat
            )
        semgrep = semgrep_seconds(repo)
        ast_grep = ast_grep_seconds(repo)
        print(f"  semgrep -j1 (approximate rules): {_s(semgrep)}   ast-grep: {_s(ast_grep)}")
        print_stats(after[f"cold j{args.jobs}"].stats, f"cold, {args.jobs} jobs")
        print_stats(after["warm"].stats, "warm")
        print_stats(after["1 change"].stats, "one change (a comment)")
        print_stats(after["code edit"].stats, "one change (code)")
        everything = {**after, **{f"before {k}": v for k, v in before.items()}}
        edited = {k: everything.pop(k) for k in list(everything) if k.endswith("code edit")}
        print(f"  findings: {same_findings(everything)}")
        if len(edited) > 1:  # the edit may add a finding: compared between versions only
            print(f"  findings after the code edit: {same_findings(edited)}")
        cold_n = after[f"cold j{args.jobs}"].seconds
        cells = [
            source.name,
            str(after[f"cold j{args.jobs}"].stats.get("files_listed", "?")),
            f"{after['cold j1'].seconds:.0f} s" if "cold j1" in after else "-",
            f"{cold_n:.0f} s",
            f"{after['warm'].seconds:.1f} s ({after['warm'].seconds / cold_n:.2f}x)",
            f"{after['1 change'].seconds:.1f} s ({after['1 change'].seconds / cold_n:.2f}x)",
            f"{after['code edit'].seconds:.1f} s ({after['code edit'].seconds / cold_n:.2f}x)",
            f"{mib(max(r.rss_main for r in after.values()))} + "
            f"{mib(max(r.rss_worker for r in after.values()))} MiB",
            f"{_s(semgrep)} ({_ratio(cold_n, semgrep)})",
            _s(ast_grep),
        ]
        if before:
            cells.append(
                f"{before['cold'].seconds:.0f} s / {before['warm'].seconds:.1f} s / "
                f"{before['1 change'].seconds:.1f} s / {before['code edit'].seconds:.1f} s / "
                f"{mib(max(r.rss_main for r in before.values()))} MiB"
            )
        rows.append("| " + " | ".join(cells) + " |")


def _s(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds:.1f} s"


def _ratio(ours: float, theirs: float | None) -> str:
    return "-" if not theirs else f"ours {ours / theirs:.1f}x"


def benchmark_synthetic(sizes: list[int], args: argparse.Namespace) -> None:
    print(
        f"\n== synthetic monorepos, {args.synthetic_sizes} file sizes"
        f" (cold, cache off, jobs {args.jobs} vs 1)"
    )
    if args.repeat > 1:
        print(f"  {args.repeat} pairs of runs per size, one job then {args.jobs}; the median pair")
    per_file: dict[int, float] = {}
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="lessons-synthetic-") as temporary:
            work = Path(temporary)
            repo = work / "repo"
            files = make_monorepo(repo, size, args.synthetic_sizes)
            lines = sorted(
                path.read_bytes().count(b"\n")
                for path in repo.rglob("*")
                if path.suffix in (".py", ".ts", ".tsx")
            )
            print(
                f"  {files:>6} files, {len(lines)} of code: median {lines[len(lines) // 2]}"
                f" lines, mean {sum(lines) / len(lines):.0f}"
            )
            pairs: list[tuple[Run, Run]] = []
            for _ in range(args.repeat):  # interleaved, so that a slower spell hits both
                one = lessons_run(sys.executable, repo, work, jobs=1, cache=None)
                many = lessons_run(sys.executable, repo, work, jobs=args.jobs, cache=None)
                pairs.append((one, many))
            pairs.sort(key=lambda pair: pair[1].seconds / pair[0].seconds)
            one, many = pairs[(len(pairs) - 1) // 2]
            if len(pairs) > 1:
                ratios = ", ".join(
                    f"{b.seconds:.1f}/{a.seconds:.1f} = {b.seconds / a.seconds:.2f}"
                    for a, b in pairs
                )
                print(f"  {files:>6} files, every pair (jobs {args.jobs} / jobs 1): {ratios}")
            per_file[size] = many.seconds / files
            print(
                f"  {files:>6} files: jobs 1 {one.seconds:6.1f} s, jobs {args.jobs}"
                f" {many.seconds:6.1f} s  (ratio {many.seconds / one.seconds:.2f});"
                f" {1000 * per_file[size]:.2f} ms per file at jobs {args.jobs};"
                f" RSS main {mib(many.rss_main)} MiB, worker {mib(many.rss_worker)} MiB"
            )
            # On a loaded machine wall times say little; CPU says what N free cores would give.
            critical = many.cpu_main + many.cpu_workers / args.jobs
            print(
                f"         CPU: jobs 1 {one.cpu_main:.1f} s; jobs {args.jobs} parent"
                f" {many.cpu_main:.1f} s + workers {many.cpu_workers:.1f} s: on {args.jobs} free"
                f" cores about {critical:.1f} s ({critical / max(one.cpu_main, 0.001):.2f} of"
                f" jobs 1); {1000 * one.cpu_main / files:.2f} ms CPU per file at jobs 1"
            )
            print_stats(many.stats, f"jobs {args.jobs}")
    if len(per_file) > 1:
        small, large = min(per_file), max(per_file)
        print(
            f"  cost per file at {large} vs {small} files: {per_file[large] / per_file[small]:.2f}x"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("repos", nargs="*", type=Path)
    parser.add_argument("--jobs", type=int, default=None, help="N (default: CPUs available)")
    parser.add_argument("--before", help="python of another pytest-lessons install to compare")
    parser.add_argument("--synthetic", help="comma-separated sizes, e.g. 1000,10000")
    parser.add_argument(
        "--synthetic-sizes",
        choices=["corpora", "tiny"],
        default="corpora",
        help="how long the synthetic files are: like the corpora's (default), or a section each",
    )
    parser.add_argument(
        "--skip-serial", action="store_true", help="no cold run with one job (large repositories)"
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="measure the warm and one-change runs (and each synthetic pair) N times, keep the "
        "median",
    )
    args = parser.parse_args()
    if args.jobs is None:
        from pytest_lessons.extraction_pool import available_cpus

        args.jobs = max(2, available_cpus())
    rows: list[str] = []
    for repo in args.repos:
        benchmark_repository(repo.resolve(), args, rows)
    if rows:
        columns = [
            "repository",
            "files",
            "cold, jobs 1",
            f"cold, jobs {args.jobs}",
            "warm, no change",
            "one change: a comment",
            "one change: code",
            "peak RSS (main + largest worker)",
            "semgrep -j1",
            "ast-grep",
        ]
        if args.before:
            columns.append("before: cold / warm / comment / code / RSS")
        print("\n| " + " | ".join(columns) + " |")
        print("|" + "---|" * len(columns))
        print("\n".join(rows))
    if args.synthetic:
        benchmark_synthetic([int(size) for size in args.synthetic.split(",")], args)


if __name__ == "__main__":
    main()
