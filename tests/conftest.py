from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

FIXTURE_LESSONS = Path(__file__).parent / "fixtures" / "lessons"


@pytest.fixture
def fixture_lessons() -> Path:
    return FIXTURE_LESSONS
