"""End-to-end behaviour of `pytest --lessons`, driven through pytester."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestAssertRewriteWarning")


def install_lessons(root: Path, lessons_dir: Path) -> str:
    """Copy a team's lessons into the repository (code lessons must live inside the root), at
    `lint/lessons`; the config excludes `lint/` so the check's own source is not scanned."""
    target = root / "lint" / "lessons"
    if lessons_dir.resolve() != target.resolve():  # the fixture copy already sits there
        shutil.copytree(lessons_dir, target, dirs_exist_ok=True)
    return "lint/lessons"


def write_config(
    pytester: pytest.Pytester, lessons_dir: Path, extra: str = "", exclude: str = ""
) -> None:
    where = install_lessons(pytester.path, lessons_dir)
    pytester.makepyprojecttoml(
        f"""
        [tool.pytest-lessons]
        lesson-paths = ["{where}"]
        select = ["no-todo-marker"]
        exclude = ["lint/", {exclude}]
        {extra}
        """
    )


@pytest.fixture
def repo(pytester: pytest.Pytester, fixture_lessons: Path) -> pytest.Pytester:
    write_config(pytester, fixture_lessons)
    pytester.mkpydir("pkg")
    pytester.path.joinpath("pkg", "jobs.py").write_text("x = 1\ny = 2  # TODO-NOW\n")
    pytester.path.joinpath("pkg", "clean.py").write_text("z = 3\n")
    return pytester


def test_without_flag_the_plugin_adds_nothing(repo: pytest.Pytester) -> None:
    result = repo.runpytest("--collect-only", "-q")
    assert "TODO-NOW" not in result.stdout.str()
    assert "no-todo-marker" not in result.stdout.str()
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED


def test_items_have_stable_node_ids(repo: pytest.Pytester) -> None:
    result = repo.runpytest("--lessons", "--collect-only", "-q")
    lines = result.stdout.lines
    assert "pkg/jobs.py::no-todo-marker" in lines
    assert "lessons-status::no-todo-marker" in lines
    assert "lessons-status::workspace" in lines
    assert not any(line.startswith("pkg/clean.py") for line in lines)


def test_failure_reads_like_a_linter(repo: pytest.Pytester) -> None:
    result = repo.runpytest("--lessons")
    result.assert_outcomes(failed=1, passed=2)
    out = result.stdout.str()
    assert "pkg/jobs.py:2:10: TODO-NOW marker left in code [no-todo-marker]" in out
    assert " 2 | y = 2  # TODO-NOW" in out
    assert "^^^" not in out or "|" in out
    assert "fix:" in out
    assert "learned from: pytest-lessons test suite" in out
    assert "Traceback" not in out
    assert "raise LessonsFailed" not in out


def test_summary_counts_per_lesson(repo: pytest.Pytester) -> None:
    result = repo.runpytest("--lessons")
    result.stdout.re_match_lines(
        [r".*pytest-lessons.*", r"root: .*\(\d+ files? scanned in \d+\.\d s\)"]
    )
    result.stdout.fnmatch_lines(["no-todo-marker  1 finding in 1 file, 1 file read, 0 suppressed"])


def test_markers_select_and_deselect(repo: pytest.Pytester) -> None:
    repo.makepyfile(test_plain="def test_ok():\n    pass\n")
    only = repo.runpytest("--lessons", "--strict-markers", "-m", "lessons")
    only.assert_outcomes(failed=1, passed=2)
    none = repo.runpytest("--lessons", "--strict-markers", "-m", "not lesson_no_todo_marker")
    none.assert_outcomes(passed=2)  # the plain test and the workspace status item


def test_lesson_with_no_file_is_reported_not_passed(
    pytester: pytest.Pytester, fixture_lessons: Path
) -> None:
    write_config(pytester, fixture_lessons)
    pytester.path.joinpath("clean.py").write_text("a = 1\n")
    result = pytester.runpytest("--lessons", "-rs")
    result.assert_outcomes(passed=1, skipped=1)
    result.stdout.fnmatch_lines_random(
        [
            "*no-todo-marker applies to no file under*",
            "no-todo-marker  skipped: applies to no file*",
        ]
    )


def test_skip_in_config_shows_reason(pytester: pytest.Pytester, fixture_lessons: Path) -> None:
    write_config(
        pytester, fixture_lessons, '[tool.pytest-lessons.skip]\n"no-todo-marker" = "until Q3"'
    )
    pytester.path.joinpath("a.py").write_text("x = 1  # TODO-NOW\n")
    result = pytester.runpytest("--lessons", "-rs")
    result.assert_outcomes(passed=1, skipped=1)
    result.stdout.fnmatch_lines(["*no-todo-marker: until Q3*"])


def test_options_table_reaches_the_check(pytester: pytest.Pytester, fixture_lessons: Path) -> None:
    write_config(
        pytester,
        fixture_lessons,
        '[tool.pytest-lessons.options.no-todo-marker]\nmarker = "FIXME-NOW"',
    )
    pytester.path.joinpath("a.py").write_text("x = 1  # TODO-NOW\ny = 2  # FIXME-NOW\n")
    result = pytester.runpytest("--lessons", "--lessons-no-prefilter")
    result.stdout.fnmatch_lines(["a.py:2:10: FIXME-NOW marker left in code*"])
    assert "a.py:1:" not in result.stdout.str()


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ("selec = []", "*pyproject.toml:*`selec`: unknown key*"),
        ('ignore = ["no-todo-markr"]', "*`ignore`: unknown lesson 'no-todo-markr'; did you mean*"),
        ('max-file-size = "big"', "*`max-file-size`: *"),
        (
            '[tool.pytest-lessons.options.no-todo-marker]\nalso-in-toml = "maybe"',
            "*options.no-todo-marker.also-in-toml*",
        ),
        (
            '[tool.pytest-lessons.options.no-todo-marker]\ncolour = "red"',
            "*options.no-todo-marker.colour`: unknown key*",
        ),
    ],
)
def test_config_errors_are_usage_errors(
    pytester: pytest.Pytester, fixture_lessons: Path, extra: str, expected: str
) -> None:
    write_config(pytester, fixture_lessons, extra)
    result = pytester.runpytest("--lessons")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([expected])
    assert "Traceback" not in result.stderr.str()


def test_unknown_lesson_on_command_line(repo: pytest.Pytester) -> None:
    result = repo.runpytest("--lessons", "--lessons-select", "alembic-percent-escap")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--lessons-select*did you mean 'alembic-percent-escape'*"])


def test_ignore_on_command_line(repo: pytest.Pytester) -> None:
    result = repo.runpytest("--lessons", "--lessons-ignore", "no-todo-marker")
    result.assert_outcomes(passed=1)


def test_json_report(repo: pytest.Pytester, tmp_path: Path) -> None:
    target = tmp_path / "out" / "lessons.json"
    repo.runpytest("--lessons", f"--lessons-json={target}")
    document = json.loads(target.read_text())
    assert document["version"] == 3
    assert document["errors"] == []
    assert document["baseline_fixed"] == []
    [finding] = document["findings"]
    assert len(finding.pop("fingerprint")) == 16
    assert [finding] == [
        {
            "lesson": "no-todo-marker",
            "path": "pkg/jobs.py",
            "line": 2,
            "column": 10,
            "end_line": 2,
            "end_column": 10,
            "message": "TODO-NOW marker left in code",
            "severity": "error",
            "suppressed": False,
            "suppressed_by": None,
            "occurrence": 0,
        }
    ]


def test_inline_suppressions(pytester: pytest.Pytester, fixture_lessons: Path) -> None:
    write_config(pytester, fixture_lessons)
    pytester.path.joinpath("a.py").write_text(
        "x = 1  # TODO-NOW  # lessons: ignore[no-todo-marker] -- tracked in JIRA-1\n"
        "# lessons: ignore[no-todo-marker] -- next line is fine\n"
        "y = 2  # TODO-NOW\n"
        "z = 3  # TODO-NOW  # lessons: ignore[no-todo-marker]\n"
        "# lessons: ignore[no-todo-marker] -- nothing here\n"
        "w = 4\n"
        "v = 5  # lessons: ignore[no-todo-markers] -- typo\n"
    )
    target = pytester.path / "report.json"
    result = pytester.runpytest("--lessons", f"--lessons-json={target}")
    out = result.stdout.str()
    assert "a.py:4:10: TODO-NOW marker left in code" in out
    assert "a.py:4:20: suppression of no-todo-marker has no reason" in out
    assert "a.py:5:1: unused suppression: no no-todo-marker finding on line 6" in out
    assert "a.py:7:8: suppression comment names unknown lesson 'no-todo-markers'" in out
    assert "could not analyse" not in out
    findings = json.loads(target.read_text())["findings"]
    suppressed = sorted(f["line"] for f in findings if f["suppressed"])
    assert suppressed == [1, 3]
    result.assert_outcomes(failed=2, passed=1)


def test_reason_optional_by_config(pytester: pytest.Pytester, fixture_lessons: Path) -> None:
    write_config(pytester, fixture_lessons, "require-suppression-reason = false")
    pytester.path.joinpath("a.py").write_text(
        "x = 1  # TODO-NOW  # lessons: ignore[no-todo-marker]\n"
    )
    result = pytester.runpytest("--lessons")
    result.assert_outcomes(passed=3)


def test_per_file_ignores(pytester: pytest.Pytester, fixture_lessons: Path) -> None:
    write_config(
        pytester,
        fixture_lessons,
        '[tool.pytest-lessons.per-file-ignores]\n"legacy/**" = ["no-todo-marker"]',
    )
    pytester.path.joinpath("legacy").mkdir()
    pytester.path.joinpath("legacy", "old.py").write_text("x = 1  # TODO-NOW\n")
    pytester.path.joinpath("new.py").write_text("x = 1  # TODO-NOW\n")
    target = pytester.path / "r.json"
    result = pytester.runpytest("--lessons", f"--lessons-json={target}", "--collect-only", "-q")
    assert "legacy/old.py::no-todo-marker" not in result.stdout.lines
    assert "new.py::no-todo-marker" in result.stdout.lines
    pytester.runpytest("--lessons", f"--lessons-json={target}")
    findings = json.loads(target.read_text())["findings"]
    assert {(f["path"], f["suppressed"]) for f in findings} == {
        ("legacy/old.py", True),
        ("new.py", False),
    }


def test_exclude_and_gitignore(pytester: pytest.Pytester, fixture_lessons: Path) -> None:
    write_config(pytester, fixture_lessons, exclude='"vendored/"')
    for folder in ("vendored", "generated", "kept"):
        pytester.path.joinpath(folder).mkdir()
        pytester.path.joinpath(folder, "m.py").write_text("x = 1  # TODO-NOW\n")
    pytester.path.joinpath(".gitignore").write_text("generated/\n")
    result = pytester.runpytest("--lessons", "--collect-only", "-q")
    assert "kept/m.py::no-todo-marker" in result.stdout.lines
    assert not any("vendored" in line or "generated" in line for line in result.stdout.lines)


def test_bad_files_are_reported_not_crashed(
    pytester: pytest.Pytester, fixture_lessons: Path
) -> None:
    write_config(pytester, fixture_lessons, "max-file-size = 2000")
    pytester.path.joinpath("latin.py").write_bytes(b"x = '\xe9'  # TODO-NOW\n")
    pytester.path.joinpath("broken.py").write_text("def f(:\n    pass  # TODO-NOW\n")
    pytester.path.joinpath("huge.py").write_text("# TODO-NOW\n" + "x = 1\n" * 1000)
    pytester.path.joinpath("blob.py").write_bytes(b"TODO-NOW\x00\x01\x02")
    result = pytester.runpytest("--lessons", "-p", "no:cacheprovider")
    out = result.stdout.str()
    assert (
        "latin.py:1:6: could not analyse (decode, needed by no-todo-marker): "
        "cannot decode byte 0xe9 as utf-8" in out
    )
    assert (
        "broken.py:1:7: could not analyse (parse, needed by no-todo-marker): "
        "Python syntax error: invalid syntax" in out
    )
    assert "left out huge.py: skipped: " in out and "max-file-size" in out
    assert "left out blob.py: skipped: binary content" in out
    assert "Traceback" not in out
    # one failure for the two files no lesson could read: the workspace item names them once
    result.assert_outcomes(failed=1, passed=1)
    assert "FAILED lessons-status::workspace" in out


def test_coding_cookie_is_honoured(pytester: pytest.Pytester, fixture_lessons: Path) -> None:
    write_config(pytester, fixture_lessons)
    pytester.path.joinpath("legacy.py").write_bytes(
        b"# -*- coding: latin-1 -*-\nname = '\xe9'  # TODO-NOW\n"
    )
    pytester.path.joinpath("bom.py").write_bytes(b"\xef\xbb\xbfx = 1  # TODO-NOW\n")
    result = pytester.runpytest("--lessons")
    result.stdout.fnmatch_lines_random(
        ["legacy.py:2:15: TODO-NOW marker left in code*", "bom.py:1:10: TODO-NOW marker*"]
    )


def test_symlink_loop_fails_workspace_item(
    pytester: pytest.Pytester, fixture_lessons: Path
) -> None:
    write_config(pytester, fixture_lessons)
    pytester.path.joinpath("pkg").mkdir()
    pytester.path.joinpath("pkg", "loop").symlink_to(pytester.path / "pkg")
    pytester.path.joinpath("pkg", "a.py").write_text("x = 1\n")
    result = pytester.runpytest("--lessons", "-p", "no:cacheprovider", "--ignore=pkg")
    result.stdout.fnmatch_lines(["*pkg/loop*symlink*"])
    result.assert_outcomes(failed=1, skipped=1)


def test_explicit_paths_limit_lesson_files(
    pytester: pytest.Pytester, fixture_lessons: Path
) -> None:
    write_config(pytester, fixture_lessons)
    for folder in ("one", "two"):
        pytester.path.joinpath(folder).mkdir()
        pytester.path.joinpath(folder, "m.py").write_text("x = 1  # TODO-NOW\n")
    result = pytester.runpytest("--lessons", "one", "--collect-only", "-q")
    assert "one/m.py::no-todo-marker" in result.stdout.lines
    assert "two/m.py::no-todo-marker" not in result.stdout.lines


def test_node_id_argument_runs_one_item(repo: pytest.Pytester) -> None:
    result = repo.runpytest("--lessons", "pkg/jobs.py::no-todo-marker")
    result.assert_outcomes(failed=1)


def test_last_failed_reruns_only_failures(repo: pytest.Pytester) -> None:
    first = repo.runpytest("--lessons")
    first.assert_outcomes(failed=1, passed=2)
    rerun = repo.runpytest("--lessons", "--lf")
    rerun.assert_outcomes(failed=1)
    repo.path.joinpath("pkg", "jobs.py").write_text("y = 2\n")
    fixed = repo.runpytest("--lessons", "--lf")
    assert fixed.ret == pytest.ExitCode.OK


def test_xdist_gives_the_same_findings(repo: pytest.Pytester, tmp_path: Path) -> None:
    serial = tmp_path / "serial.json"
    parallel = tmp_path / "parallel.json"
    repo.path.joinpath("pkg", "more.py").write_text("a = 1  # TODO-NOW\nb = 2  # TODO-NOW\n")
    one = repo.runpytest_subprocess("--lessons", f"--lessons-json={serial}")
    two = repo.runpytest_subprocess(
        "-p", "xdist", "-n", "2", "--lessons", f"--lessons-json={parallel}"
    )
    one.assert_outcomes(failed=2, passed=2)
    two.assert_outcomes(failed=2, passed=2)
    assert (
        json.loads(serial.read_text())["findings"] == json.loads(parallel.read_text())["findings"]
    )
    two.stdout.fnmatch_lines(["*pkg/more.py:2:10: TODO-NOW marker left in code*"])


def test_analysis_runs_once_under_xdist(repo: pytest.Pytester) -> None:
    repo.makeconftest(
        """
        import pytest_lessons.analysis as analysis
        import os

        original = analysis.run_analysis

        def counting(settings, **kwargs):
            with open(os.path.join(str(settings.root), "runs.log"), "a") as log:
                log.write("run\\n")
            return original(settings, **kwargs)

        analysis.run_analysis = counting
        import pytest_lessons.run_once as run_once
        run_once.run_analysis = counting
        """
    )
    repo.runpytest_subprocess("-p", "xdist", "-n", "2", "--lessons")
    assert repo.path.joinpath("runs.log").read_text().count("run") == 1


def test_status_item_fails_for_findings_outside_read_files(repo: pytest.Pytester) -> None:
    repo.path.joinpath("pkg", "clean.py").write_text(
        "# lessons: ignore[no-todo-marker] -- stale\nz = 3\n"
    )
    result = repo.runpytest("--lessons")
    result.assert_outcomes(failed=2, passed=1)
    result.stdout.fnmatch_lines(
        ["*lessons-status::no-todo-marker*", "pkg/clean.py:1:1: unused suppression*"]
    )


def test_lessons_root_points_elsewhere(
    pytester: pytest.Pytester, fixture_lessons: Path, tmp_path: Path
) -> None:
    target = tmp_path / "service"
    target.mkdir()
    install_lessons(target, fixture_lessons)
    (target / "pyproject.toml").write_text(
        '[tool.pytest-lessons]\nlesson-paths = ["lint/lessons"]\nexclude = ["lint/"]\n'
        'select = ["no-todo-marker"]\n'
    )
    (target / "job.py").write_text("x = 1  # TODO-NOW\n")
    pytester.makeini("[pytest]\n")
    result = pytester.runpytest("--lessons", f"--lessons-root={target}")
    result.assert_outcomes(failed=1, passed=2)
    result.stdout.fnmatch_lines(["job.py:1:10: TODO-NOW marker left in code*"])
    assert "FAILED job.py::no-todo-marker" in result.stdout.str()


def test_explain_prints_the_lesson(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--lessons-explain", "alembic-percent-escape")
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(
        ["alembic-percent-escape: *", "*marker: lesson_alembic_percent_escape*", "why:", "fix:"]
    )
    unknown = pytester.runpytest("--lessons-explain", "alembic-percent")
    assert unknown.ret == pytest.ExitCode.USAGE_ERROR
    unknown.stderr.fnmatch_lines(["*unknown lesson 'alembic-percent'; did you mean*"])


def test_files_no_running_lesson_reads_are_not_opened(
    pytester: pytest.Pytester, fixture_lessons: Path
) -> None:
    write_config(pytester, fixture_lessons, "max-file-size = 100")
    pytester.path.joinpath("bundle.js").write_text("// TODO-NOW\n" + "x();\n" * 200)
    pytester.path.joinpath("big.py").write_text("# TODO-NOW\n" + "x = 1\n" * 200)
    result = pytester.runpytest("--lessons")
    out = result.stdout.str()
    assert "left out big.py" in out
    assert "bundle.js" not in out


def test_files_read_only_for_context_get_no_item(
    pytester: pytest.Pytester, fixture_lessons: Path
) -> None:
    write_config(
        pytester,
        fixture_lessons,
        '[tool.pytest-lessons.options.no-todo-marker]\nmarker = "FIXME-NOW"',
    )
    pytester.path.joinpath("judged.py").write_text("x = 1  # FIXME-NOW\n")
    pytester.path.joinpath("context.py").write_text("y = 2\n")
    result = pytester.runpytest("--lessons", "--lessons-no-prefilter", "--collect-only", "-q")
    assert "judged.py::no-todo-marker" in result.stdout.lines
    assert "context.py::no-todo-marker" not in result.stdout.lines


def test_a_lesson_set_to_warning_reports_without_failing(
    pytester: pytest.Pytester, fixture_lessons: Path
) -> None:
    write_config(
        pytester, fixture_lessons, '[tool.pytest-lessons.severity]\n"no-todo-marker" = "warning"'
    )
    pytester.path.joinpath("a.py").write_text(
        "x = 1  # TODO-NOW\n# lessons: ignore[no-todo-marker] -- stale\ny = 2\n"
    )
    target = pytester.path / "r.json"
    result = pytester.runpytest("--lessons", f"--lessons-json={target}")
    assert result.ret == pytest.ExitCode.OK
    result.assert_outcomes(passed=3, warnings=1)
    result.stdout.fnmatch_lines(
        [
            "*warnings summary*",
            "a.py::no-todo-marker",
            "*a.py:1: LessonWarning: a.py:1:10: TODO-NOW marker left in code*",
        ]
    )
    severities = {f["severity"] for f in json.loads(target.read_text())["findings"]}
    assert severities == {"warning"}
    strict = pytester.runpytest("--lessons", "-W", "error::pytest_lessons.LessonWarning")
    strict.assert_outcomes(failed=1, passed=2)


def test_a_suppression_above_the_decorators_covers_the_def(
    pytester: pytest.Pytester, fixture_lessons: Path
) -> None:
    write_config(pytester, fixture_lessons)
    pytester.path.joinpath("routes.py").write_text(
        "# lessons: ignore[no-todo-marker] -- the handler is being removed\n"
        "@router.post(\n"
        '    "/internal",\n'
        ")\n"
        "def handler():  # TODO-NOW\n"
        "    pass\n"
    )
    result = pytester.runpytest("--lessons")
    result.assert_outcomes(passed=3)
