"""A lessons-only run pays only for what it reads: start-up imports, checked in a fresh process.

Importing the check modules (and through them libcst and ast-grep) was most of a run's start-up;
they are built when the walk first meets a file some lesson reads. Figures are in
`benchmarks/startup.py`; these tests only say which modules a run imports, which no timing
noise can blur.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

PROBE = """
import contextlib, io, json, sys
from pytest_lessons.cli import main
with contextlib.redirect_stdout(io.StringIO()) as out:
    code = main(["check", sys.argv[1], "-p", "no:cacheprovider"])
print(json.dumps({
    "code": code,
    "out": out.getvalue(),
    "modules": sorted(m for m in sys.modules if m.split(".")[0] in HEAVY
        or m.startswith("pytest_lessons.checks.")),
}))
"""

HEAVY = ("libcst", "ast_grep_py", "pathspec")


def _run(root: Path) -> dict[str, object]:
    script = PROBE.replace("HEAVY", repr(HEAVY))
    done = subprocess.run(
        [sys.executable, "-c", script, str(root)],
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
