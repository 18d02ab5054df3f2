"""env-example-complete, the env half: what an example file documents, and which files serve as
one."""

from __future__ import annotations

import pytest

from pytest_lessons.checks.env_example_complete.env import documented_names
from tests.lessons.env_example_complete.support import (
    CONFIG,
    ROUTE,
    run,
    sites,
)


@pytest.mark.parametrize(
    "example",
    [
        "CRON_SECRET=x\nPOSTHOG_KEY=\nDATABASE_URL=\n",
        "export CRON_SECRET=x\n# POSTHOG_KEY=\nDATABASE_URL=\n",
        "CRON_SECRET\n#POSTHOG_KEY=phc_123\nDATABASE_URL = postgres://\n",
    ],
)
def test_documented_and_commented_out_variables_count(example: str) -> None:
    assert sites({".env.example": example, "app/api/cron/route.ts": ROUTE}) == []


def test_documented_names_reads_assignments_not_prose() -> None:
    text = (
        "# Set POSTHOG_KEY to your project key\nA=1\nexport B=2\n#C=3\n# D = 4\nE\n"
        "# just words\n\n  F=6\n"
    )
    assert documented_names(text) == ["A", "B", "C", "D", "E", "F"]


def test_example_file_names_are_configurable() -> None:
    files = {".env.dev.sample": "A=\n", "env.ts": "process.env.A;\n"}
    assert sites(files) == []
    [finding] = run(files, example_files=[".env.example"])
    assert finding.path is None


def test_a_committed_env_file_serves_when_there_is_no_example() -> None:
    files = {".env": "SECRET_KEY=changethis\n", "backend/config.py": CONFIG.format(prefix="")}
    [finding] = run(files)
    assert finding.message.startswith(
        "JWT_SECRET is read here (settings field Settings.jwt_secret) but missing from .env:"
    )
    # with an example file, `.env` holds real values and is never read
    assert sites({**files, ".env.example": "JWT_SECRET=\n"}) == [("backend/config.py", 7)]
