"""The bundled example repository: `make demo` shows exactly these findings."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pytest_lessons.testing import found_marks, run_lessons

DEMO = Path(__file__).resolve().parents[1] / "examples" / "cartsnitch-api"

EXPECTED = {
    # the '%' crash: both alembic environments, and the dev URL in common/alembic.ini
    ("api/alembic/env.py", 17, "alembic-percent-escape"),
    ("common/alembic/env.py", 10, "alembic-percent-escape"),
    ("common/alembic.ini", 4, "alembic-percent-escape"),
    # create_all on the connection alembic then takes over: rolled back under SQLAlchemy 2.0
    ("api/alembic/env.py", 36, "alembic-create-all-commit"),
    # the 39-character revision id that did not fit alembic_version.version_num
    (
        "api/alembic/versions/003_make_users_hashed_password_nullable.py",
        10,
        "alembic-revision-id-length",
    ),
    # migration 005: NOT NULL column without a server default, inserted by another writer
    ("api/alembic/versions/005_purchase_store.py", 16, "migration-not-null-server-default"),
    # settings read with env_prefix="CARTSNITCH_" but missing from .env.example (empty defaults)
    ("src/cartsnitch_api/settings.py", 8, "env-example-complete"),
    ("src/cartsnitch_api/settings.py", 9, "env-example-complete"),
}


@pytest.mark.parametrize("prefilter", [True, False], ids=["prefilter", "no-prefilter"])
def test_demo_findings_are_pinned(prefilter: bool) -> None:
    outcome = run_lessons(DEMO, use_prefilter=prefilter)
    assert found_marks(outcome) == EXPECTED
    assert outcome.problems == []


def test_demo_through_pytest() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--lessons", "-p", "no:cacheprovider"],
        cwd=DEMO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    for path, line, lesson in EXPECTED:
        assert f"{path}:{line}:" in result.stdout
        assert f"FAILED {path}::{lesson}" in result.stdout
    assert "Traceback" not in result.stdout
    assert "alembic-percent-escape" in result.stdout
