"""Diff mode (`--lessons-since REF`): only findings on lines changed since the merge base fail."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pytest_lessons.changes import ChangedLines, changed_lines, parse_unified_diff
from pytest_lessons.errors import LessonsConfigError
from pytest_lessons.findings import Finding

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestAssertRewriteWarning")

OLD = "x = 1  # TODO-NOW\ny = 2\n"


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=Lessons", "-c", "user.email=lessons@example.invalid", *args],
        cwd=root,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


@pytest.fixture
def repo(pytester: pytest.Pytester, fixture_lessons: Path) -> pytest.Pytester:
    pytester.makepyprojecttoml(
        f'[tool.pytest-lessons]\nlesson-paths = ["{fixture_lessons.as_posix()}"]\n'
        'select = ["no-todo-marker"]\n'
    )
    pytester.path.joinpath("app").mkdir()
    pytester.path.joinpath("app", "jobs.py").write_text(OLD)
    git(pytester.path, "init", "-q", "-b", "main")
    git(pytester.path, "add", ".")
    git(pytester.path, "commit", "-q", "-m", "old code with an old finding")
    return pytester


def test_old_finding_passes_new_one_fails(repo: pytest.Pytester) -> None:
    repo.path.joinpath("app", "jobs.py").write_text(OLD + "z = 3  # TODO-NOW\n")
    result = repo.runpytest("--lessons", "--lessons-since", "HEAD", "-p", "no:cacheprovider")
    result.assert_outcomes(failed=1, passed=2)
    out = result.stdout.str()
    assert "app/jobs.py:3:10: TODO-NOW marker left in code" in out
    assert "app/jobs.py:1:10" not in out
    result.stdout.fnmatch_lines(
        [
            "no-todo-marker  1 finding in 1 file, 1 file read, 0 suppressed, 1 on unchanged lines",
            "diff mode: only findings on lines changed since HEAD (merge base *) fail; "
            "1 finding on unchanged lines does not",
        ]
    )


def test_branch_compared_with_its_merge_base(repo: pytest.Pytester) -> None:
    git(repo.path, "switch", "-q", "-c", "feature")
    repo.path.joinpath("app", "new.py").write_text("a = 1  # TODO-NOW\n")
    git(repo.path, "add", ".")
    git(repo.path, "commit", "-q", "-m", "feature work")
    git(repo.path, "switch", "-q", "main")
    repo.path.joinpath("app", "main_only.py").write_text("b = 1  # TODO-NOW\n")
    git(repo.path, "add", ".")
    git(repo.path, "commit", "-q", "-m", "main moved on")
    git(repo.path, "switch", "-q", "feature")
    repo.path.joinpath("app", "untracked.py").write_text("c = 1\nd = 2  # TODO-NOW\n")
    result = repo.runpytest("--lessons", "--lessons-since", "main", "-p", "no:cacheprovider")
    result.assert_outcomes(failed=2, passed=3)
    out = result.stdout.str()
    assert "app/new.py:1:10" in out  # committed on the branch
    assert "app/untracked.py:2:10" in out  # not even added: every line is new
    assert "app/jobs.py:1:10" not in out


def test_pytest_lessons_check_since(repo: pytest.Pytester) -> None:
    repo.path.joinpath("app", "jobs.py").write_text("w = 0  # TODO-NOW\n" + OLD)
    result = subprocess.run(
        [sys.executable, "-m", "pytest_lessons.cli", "check", "--lessons-since", "HEAD"],
        cwd=repo.path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "app/jobs.py:1:10: TODO-NOW" in result.stdout
    assert "app/jobs.py:2:10" not in result.stdout


def test_outside_a_git_repository(pytester: pytest.Pytester) -> None:
    pytester.path.joinpath("m.py").write_text("x = 1\n")
    result = pytester.runpytest("--lessons", "--lessons-since", "main")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--lessons-since: * is not inside a git repository*"])


def test_unknown_ref(repo: pytest.Pytester) -> None:
    result = repo.runpytest("--lessons", "--lessons-since", "origin/nope")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--lessons-since: unknown git ref 'origin/nope'*"])


def test_repository_without_commits(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    with pytest.raises(LessonsConfigError, match="no commit yet"):
        changed_lines(tmp_path, "HEAD")


def test_lines_of_a_subdirectory_root(repo: pytest.Pytester) -> None:
    repo.path.joinpath("app", "jobs.py").write_text(OLD + "z = 3\n")
    changed = changed_lines(repo.path / "app", "HEAD")
    assert changed.lines == {"jobs.py": frozenset({3})}


def test_parse_unified_diff() -> None:
    diff = "\n".join(
        [
            "diff --git a/a.py b/a.py",
            "--- a/a.py",
            "+++ b/a.py",
            "@@ -1,0 +2,3 @@",
            "+x",
            "@@ -10 +13 @@",
            "@@ -20,4 +22,0 @@",
            "diff --git a/gone.py b/gone.py",
            "+++ /dev/null",
            "@@ -1,3 +0,0 @@",
            '+++ "b/caf\\303\\251 \\"x\\".py"',
            "@@ -0,0 +1 @@",
        ]
    )
    assert parse_unified_diff(diff) == {
        "a.py": frozenset({2, 3, 4, 13}),
        'café "x".py': frozenset({1}),
    }


def test_a_span_touching_a_changed_line_is_new() -> None:
    changed = ChangedLines(ref="main", merge_base="abc", lines={"a.py": frozenset({5})})
    span = Finding(lesson="l", path="a.py", line=3, column=1, end_line=6, end_column=2, message="m")
    assert changed.touches(span)
    assert not changed.touches(span.model_copy(update={"end_line": 4}))
    assert not changed.touches(span.model_copy(update={"path": None}))
