from __future__ import annotations

import multiprocessing.heap
import multiprocessing.sharedctypes
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

# CI runs the same examples every time: a random draw must not decide whether a change lands.
# Locally the search stays random, which is where new counter-examples come from.
# No deadline: a per-example time limit is a timed assertion, and on a loaded machine it fails
# on timing alone (speed is measured in benchmarks/).
settings.register_profile("dev", deadline=None)
settings.register_profile("ci", derandomize=True, print_blob=True, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

pytest_plugins = ["pytester"]

# The facts cache is signed with a per-user key kept outside every repository; the suite uses
# its own, so it never writes into the developer's ~/.cache.
os.environ.setdefault("PYTEST_LESSONS_CACHE_KEY", "pytest-lessons test suite")

# pytest 7's pytester drops the modules an in-process run imported once it ends; a
# multiprocessing.heap imported there and imported again later leaves the extraction pool's
# shared arrays pickling a class that is no longer the importable one. Imported here, before
# any pytester run, they stay the same objects for the whole session.
assert multiprocessing.heap and multiprocessing.sharedctypes

FIXTURE_LESSONS = Path(__file__).parent / "fixtures" / "lessons"


@pytest.fixture
def fixture_lessons(request: pytest.FixtureRequest) -> Path:
    """A copy of the fixture lessons inside the test's repository: a configuration's
    `lesson-paths` may only name code lessons under its root (the run leaves them out of the
    scan)."""
    base = "pytester" if "pytester" in request.fixturenames else "tmp_path"
    root = request.getfixturevalue(base)
    target = (root.path if base == "pytester" else root) / "lint" / "lessons"
    shutil.copytree(FIXTURE_LESSONS, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target
