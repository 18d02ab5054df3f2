"""A team's code lesson is code it opted into: imported only to run it, from inside the root."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pytest_lessons.analysis import RunStats, run_analysis
from pytest_lessons.catalog import load_catalog
from pytest_lessons.docs import explain, reads
from pytest_lessons.errors import LessonsConfigError
from pytest_lessons.settings import CommandLine, resolve_settings
from pytest_lessons.testing import run_lessons

PATTERNS = Path(__file__).parent / "fixtures" / "patterns"

CHECK = """\
from pathlib import Path

from pydantic import BaseModel

from pytest_lessons import FileKind, NoOptions, PerFileCheck

from .words import WORD

Path(__file__).with_name("imported").write_text("yes")  # the side effect of running it


class Hits(BaseModel):
    lines: list[int]


class Check(PerFileCheck[NoOptions, Hits]):
    options_model = NoOptions
    facts_model = Hits
    file_kinds = frozenset({FileKind.PYTHON})

    def extract(self, file):
        return Hits(lines=[n for n, line in enumerate(file.lines, 1) if WORD in line])

    def judge_file(self, path, facts):
        for line in facts.lines:
            yield self.finding(path, line, 1, f"{WORD} found")
"""


def code_lesson(lessons: Path, lesson_id: str, word: str) -> Path:
    """A code lesson whose check module is `check.py` and imports a helper relatively."""
    folder = lessons / lesson_id
    folder.mkdir(parents=True)
    (folder / "lesson.toml").write_text(
        f'id = "{lesson_id}"\ntitle = "No {word}"\nwhy = "w"\nfix = "f"\ncheck = "check:Check"\n'
        '[source]\nincident = "i"\nsummary = "s"\n[examples]\nbad = "b"\ngood = "g"\n'
    )
    (folder / "check.py").write_text(CHECK)
    (folder / "words.py").write_text(f"WORD = {word!r}\n")
    return folder


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    lessons = root / "lint" / "lessons"
    code_lesson(lessons, "no-alpha", "ALPHA")
    code_lesson(lessons, "no-beta", "BETA")
    (root / "pyproject.toml").write_text(
        '[tool.pytest-lessons]\nlesson-paths = ["lint/lessons"]\nexclude = ["lint/"]\n'
        'select = ["no-alpha", "no-beta"]\n'
    )
    (root / "app.py").write_text("x = 'ALPHA'\ny = 'BETA'\n")
    return root


def imported(root: Path, lesson_id: str) -> bool:
    return (root / "lint" / "lessons" / lesson_id / "imported").exists()


def test_listing_and_explaining_import_nothing(repo: Path) -> None:
    settings = resolve_settings(CommandLine(root=repo), build_checks=False)
    assert settings.selected == ["no-alpha", "no-beta"]
    lesson = settings.catalog["no-alpha"]
    assert "origin: lesson-paths: lint/lessons" in explain(lesson)
    assert reads(lesson) == "code (not imported)"
    assert not imported(repo, "no-alpha") and not imported(repo, "no-beta")


def test_two_lessons_with_a_check_py_each_do_not_collide(repo: Path) -> None:
    outcome = run_lessons(repo)
    assert [(f.lesson, f.line, f.message) for f in outcome.findings] == [
        ("no-alpha", 1, "ALPHA found"),
        ("no-beta", 2, "BETA found"),
    ]
    assert imported(repo, "no-alpha") and imported(repo, "no-beta")
    assert "check" not in sys.modules and "words" not in sys.modules  # no bare names
    team = [name for name in sys.modules if name.startswith("pytest_lessons.team_code.d")]
    assert len({name.rsplit(".", 1)[0] for name in team if name.endswith(".check")}) >= 2


def test_the_lesson_folders_are_left_out_of_the_scan(repo: Path) -> None:
    """Without an `exclude`, a lesson's own files (its check module names the word it looks
    for, its bad/ tree repeats the mistake on purpose) are not findings of the repository."""
    config = repo / "pyproject.toml"
    config.write_text(config.read_text().replace('exclude = ["lint/"]\n', ""))
    bad = repo / "lint" / "lessons" / "no-alpha" / "bad"
    bad.mkdir()
    (bad / "sample.py").write_text("z = 'ALPHA'\n")
    outcome = run_lessons(repo)
    assert sorted({f.path for f in outcome.findings}) == ["app.py"]


def test_an_unselected_code_lesson_is_not_imported(repo: Path) -> None:
    run_lessons(repo, ["no-beta"])
    assert imported(repo, "no-beta") and not imported(repo, "no-alpha")


def test_no_code_lessons_refuses_each_with_a_visible_skip(repo: Path) -> None:
    settings = resolve_settings(CommandLine(root=repo, code_lessons=False))
    assert settings.checks == {}
    assert settings.skipped["no-alpha"] == (
        "code lesson refused by --lessons-no-code-lessons: its check module (check:Check) "
        "was not imported"
    )
    assert not imported(repo, "no-alpha")


def test_the_config_switch_refuses_them_too(repo: Path) -> None:
    config = repo / "pyproject.toml"
    config.write_text(config.read_text() + "allow-code-lessons = false\n")
    settings = resolve_settings(CommandLine(root=repo))
    assert set(settings.skipped) == {"no-alpha", "no-beta"}
    assert "allow-code-lessons = false" in settings.skipped["no-beta"]
    assert not imported(repo, "no-beta")


def test_built_in_and_pattern_lessons_still_run_without_code_lessons(repo: Path) -> None:
    shutil.copytree(PATTERNS / "parse-int-radix", repo / "lint" / "lessons" / "parse-int-radix")
    (repo / "a.ts").write_text("parseInt(x);\n")
    settings = resolve_settings(
        CommandLine(root=repo, code_lessons=False, select=["parse-int-radix", "url-id-lookup"])
    )
    assert list(settings.checks) == ["url-id-lookup", "parse-int-radix"]


@pytest.mark.parametrize("where", ["../outside", "ABSOLUTE", "lint/link"])
def test_a_code_lesson_outside_the_root_is_a_usage_error(
    repo: Path, tmp_path: Path, where: str
) -> None:
    outside = tmp_path / "outside"
    code_lesson(outside, "no-gamma", "GAMMA")
    (repo / "lint" / "link").symlink_to(outside)
    configured = str(outside) if where == "ABSOLUTE" else where
    (repo / "pyproject.toml").write_text(
        f'[tool.pytest-lessons]\nlesson-paths = ["{configured}"]\n'
    )
    with pytest.raises(LessonsConfigError) as error:
        resolve_settings(CommandLine(root=repo), build_checks=False)
    message = str(error.value)
    assert message.startswith(f"{outside / 'no-gamma' / 'lesson.toml'}:5: ")
    assert "a code lesson outside the root is never imported" in message
    assert f"lesson-paths: {configured} leads to {outside / 'no-gamma'}" in message
    assert not (outside / "no-gamma" / "imported").exists()


def test_a_symlinked_check_module_leading_out_is_refused(repo: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.py"
    elsewhere.write_text(CHECK)
    module = repo / "lint" / "lessons" / "no-alpha" / "check.py"
    module.unlink()
    module.symlink_to(elsewhere)
    with pytest.raises(LessonsConfigError, match=r"leads to .*elsewhere\.py, outside"):
        resolve_settings(CommandLine(root=repo), build_checks=False)


def test_a_pattern_lesson_outside_the_root_is_data_and_loads(repo: Path) -> None:
    (repo / "pyproject.toml").write_text(
        f'[tool.pytest-lessons]\nlesson-paths = ["{PATTERNS}"]\nselect = ["parse-int-radix"]\n'
    )
    (repo / "a.ts").write_text("parseInt(x);\n")
    assert [f.lesson for f in run_lessons(repo).findings] == ["parse-int-radix"]


def test_lessons_named_by_the_invoking_user_may_live_anywhere(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    code_lesson(outside, "no-gamma", "GAMMA")
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "m.py").write_text("GAMMA\n")
    outcome = run_lessons(repo, ["no-gamma"], lesson_paths=[outside])
    assert [f.line for f in outcome.findings] == [1]


def test_a_broken_check_module_is_a_usage_error_when_it_runs(repo: Path) -> None:
    (repo / "lint" / "lessons" / "no-alpha" / "words.py").write_text("raise ValueError('boom')\n")
    catalog = load_catalog([repo / "lint" / "lessons"])  # loading still imports nothing
    with pytest.raises(LessonsConfigError) as error:
        catalog["no-alpha"].build_check({}, None)
    assert "check module 'check' cannot be imported (ValueError: boom)" in str(error.value)
    assert str(error.value).startswith(f"{catalog['no-alpha'].toml_path}:5: ")


def test_explain_on_the_command_line_imports_nothing(repo: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--lessons-explain", "no-alpha"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "options (defaults from its TOML" in result.stdout
    assert not imported(repo, "no-alpha")


def test_team_and_pattern_lessons_run_in_spawned_workers(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Spawn (macOS, Windows) unpickles each check in a fresh interpreter: a team module is found
    by its name alone, a pattern check is rebuilt from its spec."""
    shutil.copytree(PATTERNS / "parse-int-radix", repo / "lint" / "lessons" / "parse-int-radix")
    (repo / "a.ts").write_text("parseInt(x);\n")
    (repo / "b.py").write_text("ALPHA = 2\n")
    monkeypatch.setenv("PYTEST_LESSONS_START_METHOD", "spawn")
    settings = resolve_settings(
        CommandLine(root=repo, jobs=2, select=["no-alpha", "no-beta", "parse-int-radix"])
    )
    stats = RunStats()
    outcome = run_analysis(settings, stats=stats)
    assert (stats.start_method, stats.fallback) == ("spawn", None)
    assert outcome.problems == []
    assert sorted((f.lesson, f.path) for f in outcome.findings) == [
        ("no-alpha", "app.py"),
        ("no-alpha", "b.py"),
        ("no-beta", "app.py"),
        ("parse-int-radix", "a.ts"),
    ]
