"""Every lesson over its own example trees: findings equal the annotated lines, both ways.

Run with the prefilter on and off: a prefilter that rejects a file a lesson needs loses findings
silently, and this is where that shows.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pytest_lessons.testing import (
    ExampleTree,
    check_example_tree,
    example_trees,
    expected_marks,
    found_marks,
    run_lessons,
)

FIXTURE_LESSONS = Path(__file__).parent / "fixtures" / "lessons"
TREES = example_trees()


@pytest.mark.parametrize("prefilter", [True, False], ids=["prefilter", "no-prefilter"])
@pytest.mark.parametrize("tree", TREES, ids=str)
def test_lesson_examples(tree: ExampleTree, prefilter: bool) -> None:
    check_example_tree(tree, use_prefilter=prefilter)


@pytest.mark.parametrize("tree", [t for t in TREES if t.verdict == "bad"], ids=str)
def test_bad_examples_are_not_empty(tree: ExampleTree) -> None:
    assert expected_marks(tree.path, tree.lesson), f"{tree} flags nothing"


def test_harness_reports_missed_and_unexpected(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(
        "x = 1  # TODO-NOW\n"  # found but not annotated
        "y = 2  # lessons: expect[no-todo-marker]\n"  # annotated but not found
    )
    with pytest.raises(AssertionError) as error:
        check_example_tree(tmp_path, "no-todo-marker", lesson_paths=[FIXTURE_LESSONS])
    report = str(error.value)
    assert "missed:     a.py:2 [no-todo-marker]" in report
    assert "unexpected: a.py:1:10 TODO-NOW marker left in code [no-todo-marker]" in report


def test_harness_accepts_exact_match(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(
        "# lessons: expect[no-todo-marker]\nx = 1  # TODO-NOW\n"
        "y = 2  # TODO-NOW  # lessons: expect[no-todo-marker]\n"
    )
    check_example_tree(tmp_path, "no-todo-marker", lesson_paths=[FIXTURE_LESSONS])
    outcome = run_lessons(tmp_path, ["no-todo-marker"], lesson_paths=[FIXTURE_LESSONS])
    assert found_marks(outcome) == {("a.py", 2, "no-todo-marker"), ("a.py", 3, "no-todo-marker")}


def test_harness_finds_a_teams_own_lessons(tmp_path: Path) -> None:
    trees = example_trees(FIXTURE_LESSONS)
    assert [str(t) for t in trees] == []  # the fixture lesson ships no example trees
    lessons = tmp_path / "lessons"
    (lessons / "no-todo-marker").mkdir(parents=True)
    for name in ("lesson.toml", "no_todo_marker.py"):
        (lessons / "no-todo-marker" / name).write_text(
            (FIXTURE_LESSONS / "no-todo-marker" / name).read_text()
        )
    bad = lessons / "no-todo-marker" / "bad"
    bad.mkdir(parents=True)
    (bad / "m.py").write_text("x = 1  # TODO-NOW  # lessons: expect[no-todo-marker]\n")
    [tree] = example_trees(lessons)
    assert str(tree) == "no-todo-marker/bad"
    check_example_tree(tree)
