"""Lessons-only runs import nothing of the target: `pytest-lessons check`, `pytest --lessons-only`,
and node ids of `.py` lesson files in a normal `pytest --lessons` run.

The proof is a target whose every module writes a file into `imported/` when it is imported, and
whose conftest and test modules import a package that is not installed.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestAssertRewriteWarning")

TRIPWIRE = "import pathlib\npathlib.Path(__file__).with_suffix('.imported').touch()\n"


def _imported(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*.imported"))


def make_target(root: Path, fixture_lessons: Path, *, broken_pytest_config: bool) -> Path:
    """A service whose conftest and tests need FastAPI, which is not installed here."""
    pytest_config = ""
    if broken_pytest_config:
        # what a real service's pytest config holds: plugins the lessons job does not have
        pytest_config = (
            "[tool.pytest.ini_options]\n"
            'addopts = "-p pytest_cov_not_installed --cov=app"\n'
            'required_plugins = ["pytest-django>=4"]\n'
            "python_files = ['*.py']\n"
        )
    (root / "pyproject.toml").write_text(
        f"{pytest_config}\n[tool.pytest-lessons]\n"
        f'lesson-paths = ["{fixture_lessons.as_posix()}"]\nselect = ["no-todo-marker"]\n'
    )
    (root / "conftest.py").write_text(TRIPWIRE + "import fastapi  # not installed\n")
    (root / "app").mkdir()
    (root / "app" / "__init__.py").write_text(TRIPWIRE)
    (root / "app" / "worker.py").write_text(
        TRIPWIRE + "import fastapi\n\n\ndef run():\n    return 1  # TODO-NOW\n"
    )
    (root / "app" / "clean.py").write_text(TRIPWIRE + "x = 1\n")
    (root / "tests").mkdir()
    (root / "tests" / "conftest.py").write_text(TRIPWIRE + "import fastapi\n")
    (root / "tests" / "test_app.py").write_text(
        TRIPWIRE + "import fastapi\n\n\ndef test_app():\n    pass  # TODO-NOW\n"
    )
    return root


def select_fixture_lesson(pytester: pytest.Pytester, fixture_lessons: Path) -> None:
    pytester.makepyprojecttoml(
        f'[tool.pytest-lessons]\nlesson-paths = ["{fixture_lessons.as_posix()}"]\n'
        'select = ["no-todo-marker"]\n'
    )


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest_lessons.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def test_check_reports_findings_and_imports_nothing(
    pytester: pytest.Pytester, fixture_lessons: Path
) -> None:
    root = make_target(pytester.path, fixture_lessons, broken_pytest_config=True)
    result = run_cli("check", "-p", "no:cacheprovider", "-v", cwd=root)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "app/worker.py:7:17: TODO-NOW marker left in code [no-todo-marker]" in result.stdout
    assert "tests/test_app.py:7:13: TODO-NOW marker left in code" in result.stdout
    assert "FAILED app/worker.py::no-todo-marker" in result.stdout
    assert "pytest configuration: none read" in result.stdout
    assert _imported(root) == []
    assert "fastapi" not in result.stdout + result.stderr


def test_check_takes_the_root_as_path(pytester: pytest.Pytester, fixture_lessons: Path) -> None:
    (pytester.path / "service").mkdir()
    # the lessons the service's config names live in the service, its root
    lessons = shutil.copytree(fixture_lessons, pytester.path / "service" / "lint" / "lessons")
    root = make_target(pytester.path / "service", lessons, broken_pytest_config=True)
    elsewhere = pytester.path / "elsewhere"
    elsewhere.mkdir()
    result = run_cli("check", str(root), "-p", "no:cacheprovider", cwd=elsewhere)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"root: {root} (" in result.stdout  # the summary; the header is gone with -q
    # pytest shows node ids relative to the invocation directory, so they stay clickable
    assert "FAILED ../service/app/worker.py::no-todo-marker" in result.stdout
    assert _imported(root) == []


def test_check_passes_options_and_node_ids_to_pytest(
    pytester: pytest.Pytester, fixture_lessons: Path
) -> None:
    root = make_target(pytester.path, fixture_lessons, broken_pytest_config=True)
    one = run_cli("check", ".", "app/worker.py::no-todo-marker", "-p", "no:cacheprovider", cwd=root)
    assert one.returncode == 1, one.stdout + one.stderr
    assert "1 failed in" in one.stdout
    ignored = run_cli(
        "check", "--lessons-ignore", "no-todo-marker", "-p", "no:cacheprovider", cwd=root
    )
    assert ignored.returncode == 0, ignored.stdout + ignored.stderr
    assert _imported(root) == []


def test_pytest_lessons_only_imports_nothing(
    pytester: pytest.Pytester, fixture_lessons: Path
) -> None:
    root = make_target(pytester.path, fixture_lessons, broken_pytest_config=False)
    result = pytester.runpytest_subprocess("--lessons-only", "-p", "no:cacheprovider")
    result.assert_outcomes(failed=2, passed=2, skipped=0)
    result.stdout.fnmatch_lines(["*app/worker.py:7:17: TODO-NOW marker left in code*"])
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    assert _imported(root) == []


def test_lessons_only_node_id_and_last_failed(
    pytester: pytest.Pytester, fixture_lessons: Path
) -> None:
    root = make_target(pytester.path, fixture_lessons, broken_pytest_config=False)
    one = pytester.runpytest_subprocess("--lessons-only", "app/worker.py::no-todo-marker")
    one.assert_outcomes(failed=1)
    everything = pytester.runpytest_subprocess("--lessons-only")
    everything.assert_outcomes(failed=2, passed=2)
    rerun = pytester.runpytest_subprocess("--lessons-only", "--lf")
    rerun.assert_outcomes(failed=2)
    assert _imported(root) == []


def test_named_lesson_file_is_not_imported_in_a_normal_run(
    pytester: pytest.Pytester, fixture_lessons: Path
) -> None:
    """With the python plugin on, `worker.py::lesson-id` must not make it (or its package's
    `__init__.py`) a test module to import."""
    root = make_target(pytester.path, fixture_lessons, broken_pytest_config=False)
    for conftest in (root / "conftest.py", root / "tests" / "conftest.py"):
        conftest.unlink()  # a normal run loads conftests: that is pytest, not the lesson
    result = pytester.runpytest_subprocess("--lessons", "app/worker.py::no-todo-marker")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*app/worker.py:7:17: TODO-NOW marker left in code*"])
    assert _imported(root) == []


def test_named_test_module_still_runs_its_tests(
    pytester: pytest.Pytester, fixture_lessons: Path
) -> None:
    select_fixture_lesson(pytester, fixture_lessons)
    pytester.makepyfile(test_mod="def test_ok():\n    pass  # TODO-NOW\n")
    both = pytester.runpytest("--lessons", "test_mod.py")
    both.assert_outcomes(passed=1, failed=1)
    lesson_only = pytester.runpytest("--lessons", "test_mod.py::no-todo-marker")
    lesson_only.assert_outcomes(failed=1)
    test_only = pytester.runpytest("--lessons", "test_mod.py::test_ok")
    test_only.assert_outcomes(passed=1)


def test_lessons_only_deselects_other_items(
    pytester: pytest.Pytester, fixture_lessons: Path
) -> None:
    select_fixture_lesson(pytester, fixture_lessons)
    pytester.makepyfile(test_mod="def test_ok():\n    pass\n")
    result = pytester.runpytest("--lessons-only", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, skipped=1)
    assert "test_ok" not in result.stdout.str()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check", "no/such/dir"], "no/such/dir: no such directory"),
        (["frobnicate"], "unknown command 'frobnicate'"),
        (["explain", "worker-route-auht"], "did you mean 'worker-route-auth'"),
        (["explain"], "name the lesson"),
        (["list", "a", "b"], "unexpected arguments: b"),
    ],
)
def test_cli_usage_errors_exit_4(tmp_path: Path, args: list[str], message: str) -> None:
    result = run_cli(*args, cwd=tmp_path)
    assert result.returncode == pytest.ExitCode.USAGE_ERROR
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_check_config_error_exits_4(pytester: pytest.Pytester) -> None:
    pytester.makepyprojecttoml('[tool.pytest-lessons]\nselec = ["x"]\n')
    result = run_cli("check", cwd=pytester.path)
    assert result.returncode == pytest.ExitCode.USAGE_ERROR
    assert "`selec`: unknown key" in result.stderr


def test_check_clean_repository_exits_0(pytester: pytest.Pytester, fixture_lessons: Path) -> None:
    select_fixture_lesson(pytester, fixture_lessons)
    pytester.path.joinpath("m.py").write_text("x = 1\n")
    result = run_cli("check", "-p", "no:cacheprovider", cwd=pytester.path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_list_shows_what_the_config_runs(pytester: pytest.Pytester, fixture_lessons: Path) -> None:
    pytester.makepyprojecttoml(
        f'[tool.pytest-lessons]\nlesson-paths = ["{fixture_lessons.as_posix()}"]\n'
        'ignore = ["url-id-lookup"]\n'
        '[tool.pytest-lessons.skip]\n"worker-route-auth" = "until the auth rewrite"\n'
        '[tool.pytest-lessons.severity]\n"no-todo-marker" = "warning"\n'
    )
    result = run_cli("list", cwd=pytester.path)
    assert result.returncode == 0, result.stderr
    rows = {line.split()[0]: line for line in result.stdout.splitlines() if line.strip()}
    assert "no (select/ignore)" in rows["url-id-lookup"]
    assert "skipped: until the auth rewrite" in rows["worker-route-auth"]
    assert "yes" in rows["no-todo-marker"] and "warning" in rows["no-todo-marker"]
    assert (
        "yes" in rows["alembic-percent-escape"] and "Python, INI" in rows["alembic-percent-escape"]
    )
    assert f"config: {pytester.path / 'pyproject.toml'}" in result.stdout


def test_explain_prints_the_lesson(tmp_path: Path) -> None:
    result = run_cli("explain", "alembic-percent-escape", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("alembic-percent-escape: ")
    assert "\nwhy:\n" in result.stdout and "\nfix:\n" in result.stdout


def test_version_and_help(tmp_path: Path) -> None:
    version = run_cli("--version", cwd=tmp_path)
    assert version.returncode == 0 and version.stdout.startswith("pytest-lessons ")
    help_text = run_cli("check", "--help", cwd=tmp_path)
    assert help_text.returncode == 0 and "exit codes" in help_text.stdout
    bare = run_cli(cwd=tmp_path)
    assert bare.returncode == pytest.ExitCode.USAGE_ERROR and "usage:" in bare.stdout
