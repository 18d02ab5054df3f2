from __future__ import annotations

from pathlib import Path

import pytest

from pytest_lessons.errors import LessonsConfigError
from pytest_lessons.settings import CommandLine, resolve_settings

FIXTURES = Path(__file__).parent / "fixtures" / "lessons"


def settings_for(tmp_path: Path, body: str, **command_line: object) -> object:
    (tmp_path / "pyproject.toml").write_text(
        f'[tool.pytest-lessons]\nlesson-paths = ["{FIXTURES.as_posix()}"]\n{body}\n'
    )
    return resolve_settings(CommandLine(root=tmp_path, **command_line))  # type: ignore[arg-type]


def test_select_ignore_and_skip(tmp_path: Path) -> None:
    settings = settings_for(
        tmp_path,
        'select = ["no-todo-marker", "alembic-percent-escape"]\n'
        'ignore = ["alembic-percent-escape"]\n'
        '[tool.pytest-lessons.skip]\n"no-todo-marker" = "later"',
    )
    assert settings.checks == {}  # type: ignore[attr-defined]
    assert settings.skipped == {"no-todo-marker": "later"}  # type: ignore[attr-defined]


def test_command_line_select_replaces_config(tmp_path: Path) -> None:
    settings = settings_for(
        tmp_path, 'select = ["no-todo-marker"]', select=["alembic-percent-escape"]
    )
    assert list(settings.checks) == ["alembic-percent-escape"]  # type: ignore[attr-defined]


def test_error_names_file_line_and_key(tmp_path: Path) -> None:
    with pytest.raises(LessonsConfigError) as error:
        settings_for(tmp_path, 'exclude = ["a"]\nper-file-ignores = { "x/**" = ["nope"] }')
    message = str(error.value)
    assert message.startswith(f"{tmp_path / 'pyproject.toml'}:")
    assert "per-file-ignores" in message and "'nope'" in message


def test_invalid_toml_is_located(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.pytest-lessons]\nselect = [\n")
    with pytest.raises(LessonsConfigError) as error:
        resolve_settings(CommandLine(root=tmp_path))
    assert "invalid TOML" in str(error.value)


def test_missing_root(tmp_path: Path) -> None:
    with pytest.raises(LessonsConfigError, match="not a directory"):
        resolve_settings(CommandLine(root=tmp_path / "nowhere"))


def test_no_config_means_every_builtin_lesson(tmp_path: Path) -> None:
    settings = resolve_settings(CommandLine(root=tmp_path))
    assert "alembic-percent-escape" in settings.checks
    assert settings.config_file is None
