"""dockerfile-ships-migrations on small repositories: what the image holds, and what runs."""

from __future__ import annotations

import pytest

from pytest_lessons.findings import Finding
from pytest_lessons.testing import judge_files, make_check

INI = "[alembic]\nscript_location = alembic\n"
ENV = "from alembic import context\ncontext.run_migrations()\n"


def run(files: dict[str, str]) -> list[Finding]:
    check = make_check("dockerfile-ships-migrations")
    found = judge_files(check, files, use_prefilter=True)
    assert [(f.path, f.line) for f in found] == [
        (f.path, f.line) for f in judge_files(check, files, use_prefilter=False)
    ]
    return found


def repo(dockerfile: str, **extra: str) -> dict[str, str]:
    return {
        "api/Dockerfile": dockerfile,
        "api/alembic.ini": INI,
        "api/alembic/env.py": ENV,
        **extra,
    }


HEAD = "FROM python:3.12-slim\nWORKDIR /app\n"
RUNS = 'CMD ["sh", "-c", "alembic upgrade head && uvicorn app:app"]\n'


@pytest.mark.parametrize(
    "copies",
    [
        "COPY . .\n",
        "COPY alembic.ini ./\nCOPY alembic ./alembic\n",
        "COPY alembic.ini ./\nCOPY alembic/ alembic/\n",
    ],
)
def test_quiet_when_both_are_copied(copies: str) -> None:
    assert run(repo(HEAD + copies + RUNS)) == []


def test_a_directory_source_copies_its_contents_not_itself() -> None:
    # `COPY alembic.ini alembic/ ./` puts env.py at /app/env.py, not /app/alembic/env.py
    [finding] = run(repo(HEAD + "COPY alembic.ini alembic/ ./\n" + RUNS))
    assert "is /app/alembic in the image, but no COPY/ADD brings its env.py" in finding.message


def test_the_ini_and_the_scripts_missing_are_both_named() -> None:
    [finding] = run(repo(HEAD + "COPY src/ src/\n" + RUNS))
    assert (finding.path, finding.line) == ("api/Dockerfile", 4)
    assert "alembic reads /app/alembic.ini, but no COPY/ADD brings it" in finding.message
    assert "script_location `alembic` (api/alembic.ini) is /app/alembic in the image" in (
        finding.message
    )


def test_dockerignore_is_anchored_at_the_context_root() -> None:
    files = repo(HEAD + "COPY . .\n" + RUNS, **{"api/.dockerignore": "alembic\n"})
    [finding] = run(files)
    assert "api/alembic/env.py is excluded by .dockerignore" in finding.message
    files["api/.dockerignore"] = "docs/alembic\n"  # only that path, not any `alembic`
    assert run(files) == []


def test_an_image_that_never_runs_alembic_needs_nothing() -> None:
    assert run(repo(HEAD + 'COPY src/ src/\nCMD ["python", "-m", "app"]\n')) == []
