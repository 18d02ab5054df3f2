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
    # The lessons job a team adds to CI: the installed console script, on a service whose
    # conftest and tests need FastAPI (not installed here) and import nothing while checked.
    service = tmp_path / "service"
    (service / "app").mkdir(parents=True)
    (service / "pyproject.toml").write_text(
        '[tool.pytest.ini_options]\naddopts = "--cov=app"\n\n[tool.pytest-lessons]\n'
        'select = ["worker-route-auth"]\n'
    )
    tripwire = "open(__file__ + '.imported', 'w').close()\n"
    (service / "conftest.py").write_text(tripwire + "import fastapi\n")
    (service / "app" / "__init__.py").write_text(tripwire)
    (service / "app" / "worker.py").write_text(
        tripwire + "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n\n"
        '@router.post("/internal/run")\ndef run() -> None:\n    pass\n'
    )
    check = subprocess.run(
        [str(env_dir / "bin" / "pytest-lessons"), "check", str(service), "-p", "no:cacheprovider"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 1, check.stdout + check.stderr
    assert "app/worker.py:8:1: POST /internal/run changes state without any auth" in check.stdout
    assert not list(service.rglob("*.imported"))
