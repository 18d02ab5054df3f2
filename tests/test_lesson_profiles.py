"""Lesson profiles kept in the fact cache: what a warm run knows of a check without building it.

A profile taken from the cache must be exactly the one its check gives (file kinds, project
markers, salt), for every built-in lesson, and must be worked out again whenever what the check
is built from changes: its options, its TOML.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from pytest_lessons.catalog import BUILTIN_LESSONS_DIR
from pytest_lessons.fact_cache import FactCache
from pytest_lessons.lesson_profiles import LessonProfiles, profile_of
from pytest_lessons.settings import CommandLine, Settings, resolve_settings
from pytest_lessons.source import FileKind


def _settings(root: Path, lesson_paths: list[Path] | None = None) -> Settings:
    return resolve_settings(CommandLine(root=root, lesson_paths=lesson_paths or []))


def _keep_profiles(settings: Settings, cache_dir: Path) -> None:
    """A run that looks every running lesson's profile up, and writes the cache."""
    cache = FactCache(cache_dir, settings)
    for lesson_id in settings.checks:
        assert cache.profiles[lesson_id] is not None
    cache.save()


def test_every_builtin_lessons_kept_profile_is_the_one_its_check_gives(tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    _keep_profiles(_settings(tmp_path), cache_dir)
    settings = _settings(tmp_path)
    cache = FactCache(cache_dir, settings)
    kept = {lesson_id: cache.profiles[lesson_id] for lesson_id in settings.checks}
    assert len(kept) == len(list(BUILTIN_LESSONS_DIR.glob("*/lesson.toml")))
    assert cache.profiles.worked_out == []
    assert settings.checks.built() == []  # type: ignore[attr-defined]
    for lesson_id, profile in kept.items():
        check = settings.checks[lesson_id]
        assert profile == profile_of(check), lesson_id
        assert profile.file_kinds == check.file_kinds
        assert profile.project_prefilter == dict(check.project_prefilter())
    assert cache.salts == {lesson_id: kept[lesson_id].salt for lesson_id in settings.checks}


def test_changed_options_work_the_profile_out_again(tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    _keep_profiles(_settings(tmp_path), cache_dir)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.pytest-lessons.options.telemetry-isolation]\nextra-emitters = ["acme.track"]\n'
    )
    settings = _settings(tmp_path)
    cache = FactCache(cache_dir, settings)
    profile = cache.profiles["telemetry-isolation"]
    assert b"acme" in profile.project_prefilter[FileKind.PYTHON]
    assert '"extra_emitters":["acme.track"]' in profile.salt
    assert cache.profiles["url-id-lookup"] is not None
    assert cache.profiles.worked_out == ["telemetry-isolation"]


def test_an_edited_lesson_toml_works_the_profile_out_again(tmp_path: Path) -> None:
    """A team's pattern lesson: its rule is in its TOML, which the plugin's code hash does not
    cover; the lesson's spec is part of the profile's key."""
    lessons = tmp_path / "lessons"
    (lessons / "no-print").mkdir(parents=True)
    toml = lessons / "no-print" / "lesson.toml"
    toml.write_text(
        'id = "no-print"\ntitle = "No print"\nwhy = "w"\nfix = "f"\n'
        'language = "python"\nmessage = "no print"\n'
        '[source]\nincident = "ACME-7"\nsummary = "s"\n[examples]\nbad = "b"\ngood = "g"\n'
        '[rule]\npattern = "print($A)"\n'
    )
    cache_dir = tmp_path / "cache"
    _keep_profiles(_settings(tmp_path, [lessons]), cache_dir)
    toml.write_text(toml.read_text().replace('language = "python"', 'language = "go"'))
    settings = _settings(tmp_path, [lessons])
    cache = FactCache(cache_dir, settings)
    assert cache.profiles["no-print"].file_kinds == frozenset({FileKind.GO})
    assert cache.profiles.worked_out == ["no-print"]


def test_a_team_code_lessons_profile_comes_from_its_check_every_time(tmp_path: Path) -> None:
    """Its module may import helpers no key covers; it is built when the run is configured."""
    lessons = tmp_path / "lint" / "lessons"
    shutil.copytree(
        Path(__file__).parent / "fixtures" / "lessons",
        lessons,
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    cache_dir = tmp_path / "cache"
    _keep_profiles(_settings(tmp_path, [lessons]), cache_dir)
    settings = _settings(tmp_path, [lessons])
    cache = FactCache(cache_dir, settings)
    assert cache.profiles["no-todo-marker"] == profile_of(settings.checks["no-todo-marker"])
    assert cache.profiles.worked_out == ["no-todo-marker"]
    assert "no-todo-marker" not in cache.profiles.to_keep()


def test_without_a_cache_profiles_come_from_the_checks(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    profiles = LessonProfiles(settings.checks)
    assert profiles["release-in-finally"].file_kinds == frozenset({FileKind.PYTHON})
    assert profiles.worked_out == ["release-in-finally"]
