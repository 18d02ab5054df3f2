"""The built-in catalog ships inside the wheel: install it for real and run `pytest --lessons`."""

from __future__ import annotations

import os
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


ACME_PYPROJECT = """\
[build-system]
requires = ["hatchling>=1.18"]
build-backend = "hatchling.build"

[project]
name = "acme-lessons"
version = "1.2.0"

[project.entry-points."pytest_lessons.lessons"]
acme = "acme_lessons"

[tool.hatch.build.targets.wheel]
packages = ["acme_lessons"]
"""

ACME_CHECK = """\
from pydantic import BaseModel

from pytest_lessons import FileKind, NoOptions, PerFileCheck

from .words import WORD


class Hits(BaseModel):
    lines: list[int]


class Check(PerFileCheck[NoOptions, Hits]):
    options_model = NoOptions
    facts_model = Hits
    file_kinds = frozenset({FileKind.PYTHON})

    def extract(self, file):
        return Hits(lines=[n for n, line in enumerate(file.lines, 1) if WORD in line])

    def judge_file(self, path, facts):
        for line in facts.lines:
            yield self.finding(path, line, 1, f"{WORD} is the old ledger's API")
"""


def _acme_package(source: Path) -> None:
    """A company's lessons as a package: one pattern lesson, one code lesson."""
    package = source / "acme_lessons"
    (package / "no-print-in-jobs" / "bad").mkdir(parents=True)
    (source / "pyproject.toml").write_text(ACME_PYPROJECT)
    (package / "__init__.py").write_text('"""ACME\'s lessons."""\n')
    common = '[source]\nincident = "ACME-7"\nsummary = "s"\n[examples]\nbad = "b"\ngood = "g"\n'
    (package / "no-print-in-jobs" / "lesson.toml").write_text(
        'id = "no-print-in-jobs"\ntitle = "Jobs log, they do not print"\nwhy = "w"\nfix = "f"\n'
        'language = "python"\n' + common + '[rule]\npattern = "print($$$A)"\n'
    )
    (package / "no-print-in-jobs" / "bad" / "job.py").write_text(
        "print(1)  # lessons: expect[no-print-in-jobs]\n"
    )
    refund = package / "refund-through-ledger"
    refund.mkdir()
    (refund / "lesson.toml").write_text(
        'id = "refund-through-ledger"\ntitle = "Refunds go through the ledger"\nwhy = "w"\n'
        'fix = "f"\ncheck = "check:Check"\n' + common
    )
    (refund / "check.py").write_text(ACME_CHECK)
    (refund / "words.py").write_text('WORD = "stripe.Refund"\n')


@pytest.mark.slow
def test_a_wheel_of_lessons_is_found_through_its_entry_point(tmp_path: Path) -> None:
    source = tmp_path / "acme"
    _acme_package(source)
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(source)],
        check=True,
        capture_output=True,
    )
    [wheel] = dist.glob("acme_lessons-1.2.0-*.whl")
    site = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(site),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    repo = tmp_path / "repo"
    (repo / "jobs").mkdir(parents=True)
    (repo / "jobs" / "nightly.py").write_text("print('start')\nstripe.Refund.create(x)\n")
    (repo / "pyproject.toml").write_text("[tool.pytest-lessons]\n")
    env = {**os.environ, "PYTHONPATH": str(site)}
    script = Path(sys.executable).with_name("pytest-lessons")

    listed = subprocess.run(
        [str(script), "list", str(repo)], capture_output=True, text=True, env=env, check=False
    )
    assert listed.returncode == 0, listed.stderr
    rows = {line.split()[0]: line for line in listed.stdout.splitlines() if line.strip()}
    origin = "package acme-lessons 1.2.0 (entry point 'acme')"
    assert origin in rows["no-print-in-jobs"] and "Python (pattern)" in rows["no-print-in-jobs"]
    assert origin in rows["refund-through-ledger"]
    assert "code (not imported)" in rows["refund-through-ledger"]

    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--lessons",
            "-p",
            "no:cacheprovider",
            "-q",
            "--lessons-select",
            "no-print-in-jobs,refund-through-ledger",
        ],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert run.returncode == 1, run.stdout + run.stderr
    assert "jobs/nightly.py:1:1: Jobs log, they do not print [no-print-in-jobs]" in run.stdout
    assert "jobs/nightly.py:2:1: stripe.Refund is the old ledger's API" in run.stdout

    clash = repo / "lint" / "lessons" / "no-print-in-jobs"
    clash.mkdir(parents=True)
    (clash / "lesson.toml").write_text(
        (site / "acme_lessons" / "no-print-in-jobs" / "lesson.toml").read_text()
    )
    (repo / "pyproject.toml").write_text('[tool.pytest-lessons]\nlesson-paths = ["lint/lessons"]\n')
    clashed = subprocess.run(
        [str(script), "list", str(repo)], capture_output=True, text=True, env=env, check=False
    )
    assert clashed.returncode == 4
    assert "lesson id 'no-print-in-jobs' is defined twice: by " + origin in clashed.stderr
    assert "and by lesson-paths: lint/lessons" in clashed.stderr
