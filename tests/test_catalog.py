from __future__ import annotations

from pathlib import Path

import pytest

from pytest_lessons.catalog import BUILTIN_LESSONS_DIR, load_catalog, load_lesson
from pytest_lessons.errors import LessonsConfigError

FIXTURE = Path(__file__).parent / "fixtures" / "lessons" / "no-todo-marker" / "lesson.toml"


def test_builtin_catalog_loads_and_every_lesson_is_complete() -> None:
    catalog = load_catalog()
    assert len(catalog) >= 1
    for lesson in catalog:
        assert lesson.toml_path == BUILTIN_LESSONS_DIR / lesson.id / "lesson.toml"
        assert (lesson.examples_dir / "bad").is_dir(), f"{lesson.id} has no bad/ examples"
        assert (lesson.examples_dir / "good").is_dir(), f"{lesson.id} has no good/ examples"
        if lesson.is_pattern:
            assert lesson.spec.check is None
        else:
            module = (lesson.spec.check or "").split(":")[0]
            assert module == "pytest_lessons.checks." + lesson.id.replace("-", "_")
        # The catalog no longer imports check modules (nor compiles built-in rules) when it
        # loads; this is where a built-in lesson whose module does not import, whose rule
        # ast-grep rejects, or whose TOML defaults do not validate, fails.
        check = lesson.build_check({}, None)
        assert check.lesson_id == lesson.id
        assert check.file_kinds, f"{lesson.id} reads no kind of file"


def broken_copy(tmp_path: Path, old: str, new: str, name: str = "no-todo-marker") -> Path:
    """A copy of the fixture lesson's folder under `tmp_path/name`, with one edit to its TOML."""
    folder = tmp_path / name
    folder.mkdir()
    target = folder / "lesson.toml"
    target.write_text(FIXTURE.read_text().replace(old, new, 1))
    (folder / "no_todo_marker.py").write_text((FIXTURE.parent / "no_todo_marker.py").read_text())
    return target


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('why = "', 'whyy = "', "`whyy`: unknown key"),
        ('id = "no-todo-marker"', 'id = "No_Todo"', "lowercase words"),
        (
            'check = "no_todo_marker:NoTodoMarker"',
            'check = "no_todo_marker:Missing"',
            "not a Check",
        ),
        ('check = "no_todo_marker:NoTodoMarker"', 'check = "nowhere:X"', "cannot be imported"),
        ('marker = "TODO-NOW"', "marker = 3", "options.marker"),
        ("also-in-toml = false", "", "options.also-in-toml`: required key is missing"),
        ('title = "', 'title = ["', "invalid TOML"),
    ],
)
def test_malformed_lessons_name_file_and_key(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    path = broken_copy(tmp_path, old, new)
    with pytest.raises(LessonsConfigError) as error:
        load_lesson(path).build_check({}, None)
    assert str(error.value).startswith(str(path))
    assert expected in str(error.value)


def test_folder_name_must_match_id(tmp_path: Path) -> None:
    path = broken_copy(tmp_path, "x", "x", name="other-name")
    with pytest.raises(LessonsConfigError, match=r"rename it to no-todo-marker/"):
        load_lesson(path)


def test_a_flat_lesson_toml_is_told_to_become_a_folder(tmp_path: Path) -> None:
    (tmp_path / "no-todo-marker.toml").write_text(FIXTURE.read_text())
    with pytest.raises(LessonsConfigError, match=r"move this file to no-todo-marker/lesson\.toml"):
        load_catalog([tmp_path])


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        broken_copy(tmp_path / sub, "x", "x")
    with pytest.raises(LessonsConfigError) as error:
        load_catalog([tmp_path / "a", tmp_path / "b"])
    message = str(error.value)
    assert "lesson id 'no-todo-marker' is defined twice" in message
    assert str(tmp_path / "a" / "no-todo-marker" / "lesson.toml") in message
    assert str(tmp_path / "b" / "no-todo-marker" / "lesson.toml") in message
