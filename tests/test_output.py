"""Output for people: findings per item, a lesson's fix once per run, concise lines, a progress
line on a terminal, reportinfo at the first finding, skip reasons without `-rs`."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pytest_lessons.progress import TerminalProgress

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestAssertRewriteWarning")


@pytest.fixture
def repo(pytester: pytest.Pytester, fixture_lessons: Path) -> pytest.Pytester:
    pytester.makepyprojecttoml(
        f'[tool.pytest-lessons]\nlesson-paths = ["{fixture_lessons.as_posix()}"]\n'
        'select = ["no-todo-marker"]\n'
    )
    for name in ("a", "b", "c"):
        pytester.path.joinpath(f"{name}.py").write_text(
            "x = 1\n\ny = 2  # TODO-NOW\nz = 3  # TODO-NOW\n"
        )
    return pytester


def test_fix_and_origin_once_per_run(repo: pytest.Pytester) -> None:
    result = repo.runpytest("--lessons", "-p", "no:cacheprovider")
    result.assert_outcomes(failed=3, passed=2)
    out = result.stdout.str()
    assert out.count("Do the thing, then delete the marker.") == 1
    assert out.count("learned from: pytest-lessons test suite") == 1
    assert out.count("suppress one place:") == 1
    result.stdout.fnmatch_lines(
        [
            "*= pytest-lessons =*",
            "how to fix what failed:",
            "",
            "no-todo-marker — No TODO-NOW markers left in code",
            "  fix:",
            "    Do the thing, then delete the marker.",
            "  learned from: pytest-lessons test suite",
        ]
    )


def test_warnings_alone_print_no_fix_paragraph(repo: pytest.Pytester) -> None:
    repo.makepyprojecttoml(
        repo.path.joinpath("pyproject.toml").read_text()
        + '\n[tool.pytest-lessons.severity]\n"no-todo-marker" = "warning"\n'
    )
    result = repo.runpytest("--lessons", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=5, warnings=3)
    out = result.stdout.str()
    assert "TODO-NOW marker left in code" in out
    assert "how to fix what failed:" not in out
    assert "Do the thing, then delete the marker." not in out


def test_item_lists_each_finding_with_its_source(repo: pytest.Pytester) -> None:
    result = repo.runpytest("--lessons", "-p", "no:cacheprovider", "b.py::no-todo-marker")
    result.stdout.fnmatch_lines(
        [
            "*_ b.py::no-todo-marker _*",
            "b.py:3:10: TODO-NOW marker left in code [no-todo-marker]",
            " 3 | y = 2  # TODO-NOW",
            "   |          ^^^^^^^^",
            "",
            "b.py:4:10: TODO-NOW marker left in code [no-todo-marker]",
            " 4 | z = 3  # TODO-NOW",
            "   |          ^^^^^^^^",
            "",
            "no-todo-marker: No TODO-NOW markers left in code — fix and origin in the "
            "pytest-lessons summary, or: pytest-lessons explain no-todo-marker",
        ]
    )


def test_concise_format_is_one_line_per_finding(repo: pytest.Pytester) -> None:
    result = repo.runpytest(
        "--lessons", "-p", "no:cacheprovider", "--lessons-format", "concise", "b.py"
    )
    result.stdout.fnmatch_lines(
        [
            "*_ b.py::no-todo-marker _*",
            "b.py:3:10: TODO-NOW marker left in code [no-todo-marker]",
            "b.py:4:10: TODO-NOW marker left in code [no-todo-marker]",
            "no-todo-marker: No TODO-NOW markers left in code — *",
        ],
        consecutive=True,
    )
    out = result.stdout.str()
    assert " | " not in out
    assert "Do the thing" not in out  # concise advice: the title and where to read more
    result.stdout.fnmatch_lines(
        ["  no-todo-marker — No TODO-NOW markers left in code (pytest-lessons explain *)"]
    )


def test_reportinfo_points_at_the_first_finding(repo: pytest.Pytester) -> None:
    items, _ = repo.inline_genitems("--lessons", "-p", "no:cacheprovider")
    by_id = {item.nodeid: item for item in items}
    assert by_id["b.py::no-todo-marker"].location == ("b.py", 2, "b.py::no-todo-marker")
    repo.path.joinpath("clean.py").write_text("# TODO-NOW\n")
    assert by_id["lessons-status::no-todo-marker"].location[1] == 0


def test_skip_reasons_in_the_summary_without_rs(
    pytester: pytest.Pytester, fixture_lessons: Path
) -> None:
    pytester.makepyprojecttoml(
        f'[tool.pytest-lessons]\nlesson-paths = ["{fixture_lessons.as_posix()}"]\n'
        'select = ["no-todo-marker", "url-id-lookup"]\n'
        '[tool.pytest-lessons.skip]\n"url-id-lookup" = "no routes until Q3"\n'
    )
    pytester.path.joinpath("m.txt").write_text("nothing to read\n")
    result = pytester.runpytest("--lessons", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, skipped=2)
    assert "short test summary" not in result.stdout.str()
    result.stdout.fnmatch_lines_random(
        [
            "no-todo-marker  skipped: applies to no file in this repository",
            "url-id-lookup   skipped: no routes until Q3",
        ]
    )


class _Reporter:
    isatty = True

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.written: list[str] = []

    def rewrite(self, line: str, **markup: Any) -> None:
        self.lines.append(line)

    def write_line(self, line: str, **markup: Any) -> None:
        self.written.append(line)


class _Config:
    def __init__(self, reporter: _Reporter | None, verbosity: int = 0) -> None:
        self._reporter = reporter
        self._verbosity = verbosity
        self.pluginmanager = self

    def get_plugin(self, name: str) -> _Reporter | None:
        return self._reporter if name == "terminalreporter" else None

    def getoption(self, name: str, default: object = None) -> object:
        return self._verbosity if name == "verbose" else default


def test_progress_line_is_throttled_and_erased() -> None:
    reporter = _Reporter()
    clock = iter([0.0, 0.05, 0.2, 0.21, 0.5])
    progress = TerminalProgress(_Config(reporter), clock=lambda: next(clock))  # type: ignore[arg-type]
    progress("read", 1, 10, "a.py")  # 0.0: shown (the first call)
    progress("read", 2, 10, "b.py")  # 0.05: too soon
    progress("extract", 3, 10, "c.py")  # 0.2: shown
    progress("extract", 4, 10, "d.py")  # 0.21: too soon
    progress("judge", 1, 2, "worker-route-auth")  # 0.5: shown
    progress.finish()
    assert reporter.lines == [
        "pytest-lessons: reading 1/10 files · a.py",
        "pytest-lessons: analysing 3/10 files · c.py",
        "pytest-lessons: judging 1/2 lessons · worker-route-auth",
        "",
    ]


def test_one_announcement_off_a_terminal() -> None:
    clock = iter([0.0, 1.0, 2.0])
    reporter = _Reporter()
    reporter.isatty = False
    progress = TerminalProgress(_Config(reporter), Path("/repo"), lambda: next(clock))  # type: ignore[arg-type]
    progress("read", 1, 40, "a.py")
    progress("extract", 2, 30, "b.py")
    progress("judge", 1, 9, "url-id-lookup")
    progress.finish()
    assert reporter.lines == []
    assert reporter.written == ["pytest-lessons: analysing /repo (40 files to look at)"]
    very_quiet = _Reporter()
    TerminalProgress(_Config(very_quiet, verbosity=-2))("read", 1, 1, "a.py")  # type: ignore[arg-type]
    assert very_quiet.lines == []
    quiet = _Reporter()  # -q, as `pytest-lessons check` runs: the line still helps
    TerminalProgress(_Config(quiet, verbosity=-1))("read", 1, 1, "a.py")  # type: ignore[arg-type]
    assert quiet.lines == ["pytest-lessons: reading 1/1 files · a.py"]


def test_progress_line_on_a_real_terminal(repo: pytest.Pytester) -> None:
    """Through a pseudo-terminal, as a person sees it: the line appears, then is erased."""
    primary, secondary = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "pytest", "--lessons", "-p", "no:cacheprovider"],
        cwd=repo.path,
        stdin=secondary,
        stdout=secondary,
        stderr=secondary,
        env={**os.environ, "COLUMNS": "120"},
    )
    os.close(secondary)
    output = b""
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    process.wait(timeout=60)
    os.close(primary)
    text = output.decode("utf-8", errors="replace")
    assert "\rpytest-lessons: reading 1/" in text, text
    assert "collected 5 items" in text
