"""Run a module's route tests on both readers of the routes layer.

The layer reads a module with stdlib `ast` and falls back to libcst for syntax `ast` rejects
(newer than the interpreter's). Both must give the facts the tests describe; a test module
imports `both_readers` (an autouse fixture) to run each of its tests once per reader.
"""

from __future__ import annotations

import pytest

from pytest_lessons.lang.python import routes


@pytest.fixture(autouse=True, params=["ast", "libcst"])
def both_readers(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "libcst":
        monkeypatch.setattr(routes, "_extract", routes.extract_cst)
    return str(request.param)
