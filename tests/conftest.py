from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# CI runs the same examples every time: a random draw must not decide whether a change lands.
# Locally the search stays random, which is where new counter-examples come from.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

pytest_plugins = ["pytester"]

# The facts cache is signed with a per-user key kept outside every repository; the suite uses
# its own, so it never writes into the developer's ~/.cache.
os.environ.setdefault("PYTEST_LESSONS_CACHE_KEY", "pytest-lessons test suite")

FIXTURE_LESSONS = Path(__file__).parent / "fixtures" / "lessons"


@pytest.fixture
def fixture_lessons() -> Path:
    return FIXTURE_LESSONS
