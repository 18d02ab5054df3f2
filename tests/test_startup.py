"""A lessons-only run pays only for what it reads: start-up imports, checked in a fresh process.

Importing the check modules (and through them libcst and ast-grep) was most of a run's start-up;
they are built when the walk first meets a file some lesson reads. Figures are in
`benchmarks/startup.py`; these tests only say which modules a run imports, which no timing
noise can blur.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PROBE = """
import contextlib, io, json, sys
from pytest_lessons.cli import main
with contextlib.redirect_stdout(io.StringIO()) as out:
    code = main(["check", sys.argv[1], *(sys.argv[2:] or ["-p", "no:cacheprovider"])])
print(json.dumps({
    "code": code,
    "out": out.getvalue(),
    "modules": sorted(m for m in sys.modules if m.split(".")[0] in HEAVY
        or m.startswith("pytest_lessons.checks.")),
}))
"""

HEAVY = ("libcst", "ast_grep_py", "pathspec")


def _run(root: Path, *args: str) -> dict[str, object]:
    """A lessons-only run in a fresh interpreter (`args` for pytest; default: no cache)."""
    script = PROBE.replace("HEAVY", repr(HEAVY))
    done = subprocess.run(
        [sys.executable, "-c", script, str(root), *args],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    result: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
    return result


def test_an_empty_directory_imports_no_parser_and_no_check_module(tmp_path: Path) -> None:
    result = _run(tmp_path)
    assert result["code"] == 0, result["out"]
    assert "skipped: applies to no file in this repository" in str(result["out"])
    assert result["modules"] == ["pytest_lessons.checks.base"]


def test_files_of_no_kind_a_lesson_reads_build_no_check(tmp_path: Path) -> None:
    (tmp_path / "LICENSE").write_text("All rights reserved.\n")
    (tmp_path / "notes.txt").write_text("nothing a lesson reads\n")
    (tmp_path / ".gitignore").write_text("build/\n")
    result = _run(tmp_path)
    assert result["code"] == 0, result["out"]
    modules = result["modules"]
    assert isinstance(modules, list)
    assert "libcst" not in modules and "ast_grep_py" not in modules
    assert "pathspec" in modules  # an ignore pattern to compile


def test_a_python_file_builds_the_checks_and_they_find(tmp_path: Path) -> None:
    (tmp_path / "env.py").write_text(
        "from alembic import context\n"
        "config = context.config\n"
        "config.set_main_option('sqlalchemy.url', DATABASE_URL)\n"
    )
    result = _run(tmp_path)
    modules = result["modules"]
    assert isinstance(modules, list)
    assert "libcst" in modules
    assert "pytest_lessons.checks.alembic_percent_escape" in modules
    assert result["code"] == 1, result["out"]
    assert "alembic-percent-escape" in str(result["out"])


def test_an_edit_to_a_typescript_file_imports_no_python_parser(tmp_path: Path) -> None:
    """Every lesson keeps libcst (a tenth of a second to import) behind the readers that need
    it: the first run builds every check, the Python ones included, without importing it for a
    plain module; after a TypeScript edit only the lessons reading the file are built (the
    others' profiles come from the cache), and none of them imports it either."""
    repo = tmp_path / "repo"
    route = repo / "app" / "api" / "jobs" / "route.ts"
    route.parent.mkdir(parents=True)
    route.write_text(
        'import { posthog } from "@/lib/posthog";\n'
        "export async function POST(request: Request) {\n"
        '  posthog.capture({ event: "job_started", distinctId: "x" });\n'
        "  return Response.json({ ok: true });\n"
        "}\n"
    )
    (repo / "models.py").write_text("class Order:\n    pass\n")  # Python lessons run too
    cache = ["-o", f"cache_dir={tmp_path / 'cache'}"]
    first = _run(repo, *cache)
    built = _checks_imported(first)
    for python_lesson in ("migration_not_null_server_default", "alembic_percent_escape"):
        assert f"pytest_lessons.checks.{python_lesson}" in built
    assert "libcst" not in first["modules"]  # type: ignore[operator]
    route.write_text(
        route.read_text().replace(
            "  return",
            '  await fetch("https://example.invalid/run", { method: "POST" });\n  return',
        )
    )
    result = _run(repo, *cache)
    assert result["code"] == 1, result["out"]  # the unauthenticated POST route is found
    assert "worker-route-auth" in str(result["out"])
    checks = _checks_imported(result)
    for expected in ("worker_route_auth", "single_emission_source", "consumer_idempotency"):
        assert f"pytest_lessons.checks.{expected}" in checks
    assert "pytest_lessons.checks.alembic_create_all_commit" not in checks
    modules = result["modules"]
    assert isinstance(modules, list)
    assert "ast_grep_py" in modules
    assert "libcst" not in modules


def _checks_imported(result: dict[str, object]) -> list[str]:
    modules = result["modules"]
    assert isinstance(modules, list)
    return [
        m
        for m in modules
        if m.startswith("pytest_lessons.checks.")
        and m.count(".") == 2
        and m != "pytest_lessons.checks.base"
    ]


def test_a_warm_run_that_reuses_every_judgement_imports_no_check_and_no_parser(
    tmp_path: Path,
) -> None:
    """The walk's file kinds, the prefilters' project markers and the cache's salts come from
    the lessons' profiles kept in the cache: nothing is parsed, so nothing needs a check."""
    repo = tmp_path / "repo"
    (repo / "migrations").mkdir(parents=True)
    (repo / "migrations" / "env.py").write_text(
        "from alembic import context\n"
        "config = context.config\n"
        "config.set_main_option('sqlalchemy.url', DATABASE_URL)\n"
    )
    (repo / "web").mkdir()
    (repo / "web" / "track.ts").write_text(
        "import posthog from 'posthog-js';\nexport const track = () => posthog.capture('x');\n"
    )
    cache = ["-o", f"cache_dir={tmp_path / 'cache'}"]

    def run(name: str) -> tuple[dict[str, object], str]:
        report = tmp_path / f"{name}.json"
        result = _run(repo, *cache, f"--lessons-json={report}")
        return result, report.read_text().replace(str(repo), "ROOT")

    cold, cold_report = run("cold")
    warm, warm_report = run("warm")
    assert cold["code"] == warm["code"] == 1, warm["out"]
    assert "alembic-percent-escape" in str(warm["out"])
    assert warm_report == cold_report
    # (the env.py was read with libcst in an extraction worker: this process never needed it)
    assert "pytest_lessons.checks.alembic_percent_escape" in _checks_imported(cold)
    assert _checks_imported(warm) == []
    assert warm["modules"] == ["pytest_lessons.checks.base"]

    # One TypeScript file changed: the lessons that read no TypeScript are not built for it.
    (repo / "web" / "track.ts").write_text("export const track = () => 1;\n")
    changed, _ = run("changed")
    assert "pytest_lessons.checks.telemetry_isolation" in _checks_imported(changed)
    assert "pytest_lessons.checks.alembic_revision_id_length" not in _checks_imported(changed)


LOADER_PROBE = """
import json, os, sys

def pytest_unconfigure(config):
    with open(os.environ["LOADER_PROBE_OUT"], "w") as out:
        json.dump({
            "rewritten": sorted(
                name for name, module in list(sys.modules.items())
                if name.split(".")[0] == "pytest_lessons"
                and type(getattr(module, "__loader__", None)).__name__ == "AssertionRewritingHook"
            ),
            "loaded": sorted(m for m in sys.modules if m.startswith("pytest_lessons.")),
        }, out)
"""


def test_the_modules_a_run_imports_are_not_rewritten_by_pytest(tmp_path: Path) -> None:
    """pytest marks an installed plugin's whole package for assertion rewriting, which
    re-parses and re-compiles every module it imports on a fresh install (a CI job, each time):
    only what pytest imported before the plugin could take the mark back is rewritten."""
    repository, probe = tmp_path / "repository", tmp_path / "probe"
    repository.mkdir()
    probe.mkdir()
    (repository / "env.py").write_text(
        "from alembic import context\n"
        "config = context.config\n"
        "config.set_main_option('sqlalchemy.url', DATABASE_URL)\n"
    )
    (probe / "loader_probe.py").write_text(LOADER_PROBE)
    report = tmp_path / "loaders.json"
    environment = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(probe), os.environ.get("PYTHONPATH", "")]),
        "LOADER_PROBE_OUT": str(report),
    }
    environment.pop("PYTEST_DISABLE_PLUGIN_AUTOLOAD", None)
    done = subprocess.run(
        [
            *(sys.executable, "-m", "pytest", "--lessons-only", "-p", "loader_probe", "-q"),
            *("-p", "no:cacheprovider", "-c", os.devnull, "--rootdir", str(repository)),
        ],
        cwd=repository,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 1, done.stdout + done.stderr  # the env.py finding
    result = json.loads(report.read_text())
    assert "pytest_lessons.analysis" in result["loaded"]
    assert "pytest_lessons.checks.alembic_percent_escape" in result["loaded"]
    # a module named like a test file (`lang/common/test_files.py`) is pytest's to rewrite
    rewritten = {m for m in result["rewritten"] if not m.rpartition(".")[2].startswith("test_")}
    assert rewritten <= {
        "pytest_lessons",
        "pytest_lessons.plugin",
        "pytest_lessons.assertion_rewriting",
    }
