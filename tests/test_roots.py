"""The root of a run: `--lessons-root`, else the `[tool.pytest-lessons]` config found upward, else
pytest's rootdir, never silently a sub-package."""

from __future__ import annotations

from pathlib import Path

import pytest

from pytest_lessons.roots import find_config_upward, has_lessons_table, resolve_root

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestAssertRewriteWarning")


def test_option_wins(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.pytest-lessons]\n")
    (tmp_path / "sub").mkdir()
    root = resolve_root(option="sub", invocation_dir=tmp_path, rootdir=tmp_path)
    assert root.path == tmp_path / "sub"
    assert root.reason == "--lessons-root"


def test_config_found_upward_from_the_invocation_directory(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.pytest-lessons]\nselect = ["x"]\n')
    backend = tmp_path / "backend"
    backend.mkdir()
    (backend / "pyproject.toml").write_text("[tool.pytest.ini_options]\n")
    root = resolve_root(option=None, invocation_dir=backend, rootdir=backend)
    assert root.path == tmp_path
    assert str(tmp_path / "pyproject.toml") in root.reason


def test_rootdir_below_the_invocation_directory_is_not_the_root(tmp_path: Path) -> None:
    backend = tmp_path / "backend"
    backend.mkdir()
    root = resolve_root(option=None, invocation_dir=tmp_path, rootdir=backend)
    assert root.path == tmp_path
    assert "below it" in root.reason


def test_rootdir_otherwise(tmp_path: Path) -> None:
    here = tmp_path / "a" / "b"
    here.mkdir(parents=True)
    root = resolve_root(option=None, invocation_dir=here, rootdir=tmp_path)
    assert (root.path, root.reason) == (tmp_path, "pytest's rootdir")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[tool.pytest-lessons]\n", True),
        ('[tool.pytest-lessons.skip]\nx = "y"\n', True),
        ('[tool]\n"pytest-lessons" = {select = []}\n', True),
        ("[tool.pytest.ini_options]\n# [tool.pytest-lessons]\n", False),
        ('[project]\nname = "pytest-lessons"\n', False),
        ("[tool.pytest-lessons]\nselect = [\n", True),  # broken: found, then reported
    ],
)
def test_which_files_configure_lessons(tmp_path: Path, text: str, expected: bool) -> None:
    (tmp_path / "pyproject.toml").write_text(text)
    assert has_lessons_table(tmp_path / "pyproject.toml") is expected
    assert (find_config_upward(tmp_path) is not None) is expected


def _template(root: Path) -> None:
    """full-stack-fastapi-template's shape: the env example at the top, a pyproject in backend/."""
    (root / "pyproject.toml").write_text("[project]\nname = 'template'\n")
    (root / ".env.example").write_text("FOO=1\n")
    (root / "backend" / "app").mkdir(parents=True)
    (root / "backend" / "pyproject.toml").write_text("[tool.pytest.ini_options]\n")
    (root / "backend" / "app" / "config.py").write_text(
        'import os\nfoo = os.environ["FOO"]\nbar = os.environ["BAR"]\n'
    )


def test_path_argument_does_not_shrink_the_root(pytester: pytest.Pytester) -> None:
    """`pytest --lessons backend/app` keeps the top-level env example in view."""
    _template(pytester.path)
    result = pytester.runpytest(
        "--lessons",
        "--lessons-select=env-example-complete",
        "-p",
        "no:cacheprovider",
        "backend/app",
    )
    result.stdout.fnmatch_lines(
        [
            f"lessons root: {pytester.path} (the invocation directory*",
            "backend/app/config.py:3:7: BAR is read here*missing from .env.example*",
        ]
    )
    assert "<repository>" not in result.stdout.str()
    result.assert_outcomes(failed=1, passed=2)


def test_status_items_run_for_a_named_directory(pytester: pytest.Pytester) -> None:
    """A repository-level finding is reported even when a directory narrows the run."""
    _template(pytester.path)
    (pytester.path / ".env.example").unlink()
    result = pytester.runpytest(
        "--lessons",
        "--lessons-select=env-example-complete",
        "-p",
        "no:cacheprovider",
        "--lessons-root=backend",
        "backend/app",
    )
    result.stdout.fnmatch_lines(["<repository>:1:1: the code reads 2 environment variables*"])
    result.assert_outcomes(failed=1, passed=2)


def test_header_names_the_root_and_why(pytester: pytest.Pytester, fixture_lessons: Path) -> None:
    backend = pytester.path / "backend"
    backend.mkdir()
    (backend / "pyproject.toml").write_text("[tool.pytest.ini_options]\n")
    (backend / "m.py").write_text("x = 1\n")
    result = pytester.runpytest("--lessons", "backend", "--collect-only", "-p", "no:cacheprovider")
    result.stdout.fnmatch_lines(
        [
            f"lessons root: {pytester.path} "
            "(the invocation directory (pytest's rootdir * is below it))"
        ]
    )
