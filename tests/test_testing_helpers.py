"""`make_check` / `judge_files`: what teams unit-test their own lessons with."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from pytest_lessons.testing import judge_files, make_check

FIXTURE_LESSONS = Path(__file__).parent / "fixtures" / "lessons"


def test_a_team_lesson_is_built_with_its_toml_defaults_and_judged_on_snippets() -> None:
    check = make_check("no-todo-marker", lesson_paths=[FIXTURE_LESSONS])
    findings = judge_files(check, {"b.py": "ok = 1\nx = 1  # TODO-NOW\n", "a.py": "# TODO-NOW\n"})
    assert [(f.path, f.line) for f in findings] == [("a.py", 1), ("b.py", 2)]


def test_options_are_overlaid_in_python_or_config_spelling() -> None:
    check = make_check("no-todo-marker", lesson_paths=[FIXTURE_LESSONS], marker="FIXME-NOW")
    assert judge_files(check, {"a.py": "# TODO-NOW\n# FIXME-NOW\n"})[0].line == 2
    built = make_check("worker-route-auth", **{"public-routes": {"/hooks/*": "signed upstream"}})
    assert [route.glob for route in built.options.public()] == ["/hooks/*"]


def test_a_bad_option_raises_the_validation_error() -> None:
    with pytest.raises(ValidationError):
        make_check("worker-route-auth", public_routes=[{"glob": "/x", "reason": " "}])
