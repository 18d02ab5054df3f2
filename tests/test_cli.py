"""The `pytest-lessons` command: new, fix, list."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pytest_lessons.cli import main
from pytest_lessons.testing import check_example_tree, example_trees, run_lessons

PATTERNS = Path(__file__).parent / "fixtures" / "patterns"


@pytest.mark.parametrize("language", ["go", "python", "typescript", "tsx", "rust", "java"])
def test_new_writes_a_lesson_that_passes_its_own_test(
    tmp_path: Path, language: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "new",
            "no-debug-print",
            "--language",
            language,
            "--title",
            "No debug print in a handler",
            "--date",
            "2025-06-02",
            "--link",
            "https://wiki.example/pm/12",
            str(tmp_path),
        ]
    )
    assert code == 0
    out = capsys.readouterr().out
    folder = tmp_path / "lint" / "lessons" / "no-debug-print"
    assert f"wrote {folder / 'lesson.toml'}" in out
    toml = (folder / "lesson.toml").read_text()
    assert 'title = "No debug print in a handler"' in toml
    assert "date = 2025-06-02" in toml and 'link = "https://wiki.example/pm/12"' in toml
    [bad, good] = sorted(example_trees(tmp_path / "lint" / "lessons"), key=str)
    for tree in (bad, good):
        check_example_tree(tree)
        check_example_tree(tree, use_prefilter=False)
    assert (tmp_path / "lint" / "lessons" / "test_lessons.py").is_file()
    assert (tmp_path / "pyproject.toml").read_text() == (
        '[tool.pytest-lessons]\nlesson-paths = ["lint/lessons"]\nexclude = ["lint/lessons/"]\n'
    )
    # the repository's own run reads the lesson through the config, and skips its examples
    assert run_lessons(tmp_path, ["no-debug-print"]).findings == []


@pytest.mark.parametrize("language", ["python", "typescript", "tsx", "javascript"])
def test_the_commented_options_example_works_once_uncommented(
    tmp_path: Path, language: str
) -> None:
    assert main(["new", "no-debug-print", "--language", language, str(tmp_path)]) == 0
    toml_path = tmp_path / "lint" / "lessons" / "no-debug-print" / "lesson.toml"
    text = toml_path.read_text()
    head, _, example = text.partition("with the lines below, uncommented:")
    commented = example.split("\n")[1:]
    assert commented[0] == "# [options.debug-calls]"
    rule_start = head.index("\n[rule]\n")
    rule_end = head.index("\n", head.index("pattern = ", rule_start)) + 1
    options = "\n".join(line.removeprefix("#").removeprefix(" ") for line in commented)
    toml_path.write_text(head[:rule_start] + head[rule_end:] + "\n" + options)
    for tree in example_trees(tmp_path / "lint" / "lessons"):
        check_example_tree(tree)
        check_example_tree(tree, use_prefilter=False)
    # the team's config now decides which calls are flagged
    config = tmp_path / "pyproject.toml"
    bad = next((toml_path.parent / "bad").iterdir())
    target = tmp_path / "src" / bad.name
    target.parent.mkdir()
    target.write_text(bad.read_text())
    assert len(run_lessons(tmp_path, ["no-debug-print"]).findings) == 1
    config.write_text(
        config.read_text() + '\n[tool.pytest-lessons.options.no-debug-print]\ndebug-calls = ["x"]\n'
    )
    assert run_lessons(tmp_path, ["no-debug-print"]).findings == []


def test_no_options_example_where_the_call_pattern_would_not_match(tmp_path: Path) -> None:
    assert main(["new", "no-debug-print", "--language", "go", str(tmp_path)]) == 0
    toml = (tmp_path / "lint" / "lessons" / "no-debug-print" / "lesson.toml").read_text()
    assert "[options." not in toml


def test_the_generated_test_module_runs_under_pytest(tmp_path: Path) -> None:
    assert main(["new", "no-debug-print", "--language", "go", str(tmp_path)]) == 0
    assert main(["new", "no-println", "--language", "rust", str(tmp_path)]) == 0
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "lint/lessons"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "8 passed" in result.stdout  # two lessons x bad and good x prefilter on and off


def test_new_adds_to_an_existing_config_without_reshaping_it(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "svc"\n\n[tool.pytest-lessons]  # lessons\nselect = ["a"]\n'
    )
    assert main(["new", "no-debug-print", "--language", "python", str(tmp_path)]) == 0
    assert (tmp_path / "pyproject.toml").read_text() == (
        '[project]\nname = "svc"\n\n[tool.pytest-lessons]  # lessons\n'
        'lesson-paths = ["lint/lessons"]\nexclude = ["lint/lessons/"]\nselect = ["a"]\n'
    )


def test_new_uses_the_configured_lessons_folder_and_advises_what_it_cannot_add(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.pytest-lessons]\nlesson-paths = ["qa/lessons"]\nexclude = ["vendor/"]\n'
    )
    assert main(["new", "no-debug-print", "--language", "python", str(tmp_path)]) == 0
    assert (tmp_path / "qa" / "lessons" / "no-debug-print" / "lesson.toml").is_file()
    assert 'add "qa/lessons/" to `exclude`' in capsys.readouterr().out


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["No_Debug", "--language", "go"], "is not a lesson id"),
        (["no-debug", "--language", "cobol"], "no template for language 'cobol'"),
        (["no-debug"], "the following arguments are required: --language"),
        (["no-debug", "--language", "go", "--date", "June"], "Invalid isoformat"),
    ],
)
def test_new_reports_usage_errors(
    tmp_path: Path, arguments: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["new", *arguments, str(tmp_path)]) == 4
    assert message in capsys.readouterr().err


def test_new_never_overwrites_a_lesson(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "no-debug", "--language", "go", str(tmp_path)]) == 0
    lesson = tmp_path / "lint" / "lessons" / "no-debug" / "lesson.toml"
    lesson.write_text(lesson.read_text() + "# mine\n")
    assert main(["new", "no-debug", "--language", "python", str(tmp_path)]) == 4
    assert "already exists" in capsys.readouterr().err
    assert lesson.read_text().endswith("# mine\n")


def test_fix_and_its_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(PATTERNS / "parse-int-radix", tmp_path / "lint" / "lessons" / "parse-int-radix")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.pytest-lessons]\nlesson-paths = ["lint/lessons"]\nexclude = ["lint/"]\n'
    )
    (tmp_path / "a.ts").write_text("parseInt(x);\n")
    assert main(["fix", str(tmp_path), "--diff", "--select", "parse-int-radix"]) == 1
    assert "+parseInt(x, 10);" in capsys.readouterr().out
    assert (tmp_path / "a.ts").read_text() == "parseInt(x);\n"
    assert main(["fix", str(tmp_path), "--select", "parse-int-radix"]) == 0
    assert (tmp_path / "a.ts").read_text() == "parseInt(x, 10);\n"
    assert main(["fix", str(tmp_path), "--select", "nope"]) == 4
    assert "unknown lesson 'nope'" in capsys.readouterr().err


def test_list_shows_where_each_lesson_comes_from(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(PATTERNS / "parse-int-radix", tmp_path / "lint" / "lessons" / "parse-int-radix")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.pytest-lessons]\nlesson-paths = ["lint/lessons"]\n'
    )
    assert main(["list", str(tmp_path)]) == 0
    rows = {line.split()[0]: line for line in capsys.readouterr().out.splitlines() if line}
    assert "origin" in rows["id"]
    assert "built-in" in rows["alembic-percent-escape"]
    assert "TypeScript (pattern)" in rows["parse-int-radix"]
    assert "lesson-paths: lint/lessons" in rows["parse-int-radix"]


def test_the_console_script_is_installed() -> None:
    script = Path(sys.executable).with_name("pytest-lessons")
    result = subprocess.run([str(script), "--help"], capture_output=True, text=True, check=False)
    assert result.returncode == 0
    assert "pytest-lessons new ID --language" in result.stdout
