"""The built-in catalog ships inside the wheel: install it for real and run `pytest --lessons`."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

import pytest

from pytest_lessons.catalog import load_catalog

PROJECT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_installs_with_every_builtin_lesson(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(PROJECT)],
        check=True,
        capture_output=True,
    )
    [wheel] = dist.glob("pytest_lessons-*.whl")
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", str(wheel)],
        check=True,
        capture_output=True,
    )
    where = subprocess.run(
        [str(python), "-c", "import pytest_lessons, sys; print(pytest_lessons.__file__)"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "site-packages" in where, "the wheel install must not be an editable one"
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "pyproject.toml").write_text("[tool.pytest.ini_options]\n")
    result = subprocess.run(
        [
            str(python),
            "-m",
            "pytest",
            "--lessons",
            "--collect-only",
            "-q",
            "-p",
            "no:cacheprovider",
        ],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
    )
    collected = result.stdout.splitlines()
    for lesson in load_catalog():
        assert f"lessons-status::{lesson.id}" in collected, result.stdout + result.stderr
