"""The baseline: recorded findings do not fail, new ones do, fixed ones are reported.

Entries are keyed by lesson, path, the flagged code's fingerprint and an occurrence index, so
moving and reformatting code keeps them, and a second copy of a mistake is new.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pytest_lessons.baseline import read_baseline, write_baseline
from pytest_lessons.errors import LessonsConfigError
from pytest_lessons.findings import BaselineEntry, Finding
from pytest_lessons.fingerprint import fingerprint_of, flagged_code, normalise

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestAssertRewriteWarning")

HEADER = "import os\n\nfrom alembic import context\n\nconfig = context.config\n"
URL = 'db_url = os.environ["DATABASE_URL"]\n'
MAIN = 'config.set_main_option("sqlalchemy.url", db_url)\n'
SECTION = 'config.set_section_option("alembic", "sqlalchemy.url", db_url)\n'
MAIN_REFORMATTED = "config.set_main_option(\n    'sqlalchemy.url',\n    db_url,\n)\n"
SECTION_REFORMATTED = 'config.set_section_option(\n    "alembic", "sqlalchemy.url", db_url\n)\n'
SECTION_FIXED = (
    'config.set_section_option("alembic", "sqlalchemy.url", db_url.replace("%", "%%"))\n'
)


def _lessons(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest(
        "--lessons",
        "--lessons-select=alembic-percent-escape",
        "-p",
        "no:cacheprovider",
        *args,
    )


@pytest.fixture
def service(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makepyprojecttoml('[tool.pytest-lessons]\nbaseline = "lessons-baseline.json"\n')
    pytester.path.joinpath("alembic").mkdir()
    pytester.path.joinpath("alembic", "env.py").write_text(HEADER + URL + MAIN + SECTION)
    return pytester


def test_record_move_reformat_duplicate_fix(service: pytest.Pytester) -> None:
    env = service.path / "alembic" / "env.py"
    baseline = service.path / "lessons-baseline.json"

    # no baseline yet: a usage error that says how to make one
    missing = _lessons(service)
    assert missing.ret == pytest.ExitCode.USAGE_ERROR
    missing.stderr.fnmatch_lines(["*lessons-baseline.json: baseline file not found; create it*"])

    # record: the run that writes the baseline passes, and says what it wrote
    record = _lessons(service, "--lessons-update-baseline")
    assert record.ret == pytest.ExitCode.OK
    record.stdout.fnmatch_lines(["baseline: wrote 2 entries to *lessons-baseline.json*"])
    entries = json.loads(baseline.read_text())["findings"]
    assert [(e["lesson"], e["path"], e["occurrence"]) for e in entries] == [
        ("alembic-percent-escape", "alembic/env.py", 0),
        ("alembic-percent-escape", "alembic/env.py", 0),
    ]
    assert sorted(e["code"] for e in entries) == sorted([MAIN.strip(), SECTION.strip()])

    # move the flagged code down 20 lines and reformat it: still accepted
    padding = "".join(f"# migration note {n}\n" for n in range(20))
    env.write_text(HEADER + URL + padding + MAIN_REFORMATTED + SECTION_REFORMATTED)
    moved = _lessons(service)
    assert moved.ret == pytest.ExitCode.OK, moved.stdout.str()
    moved.stdout.fnmatch_lines(["*accepts 2 findings"])

    # a second occurrence of the same mistake: only it fails
    env.write_text(HEADER + URL + padding + MAIN_REFORMATTED + SECTION_REFORMATTED + MAIN)
    duplicated = _lessons(service)
    duplicated.assert_outcomes(failed=1, passed=2)
    failures = [line for line in duplicated.stdout.lines if line.startswith("alembic/env.py:")]
    assert failures == [
        'alembic/env.py:34:1: set_main_option("sqlalchemy.url", ...): value read from the '
        "environment (os.environ[\"DATABASE_URL\"]) is not %-escaped; a '%' in it crashes "
        "configparser interpolation [alembic-percent-escape]"
    ]

    # fix one: reported as fixed; failing only with --lessons-baseline-strict
    env.write_text(HEADER + URL + padding + MAIN_REFORMATTED + SECTION_FIXED)
    fixed = _lessons(service)
    assert fixed.ret == pytest.ExitCode.OK
    fixed.stdout.fnmatch_lines(
        [
            "baseline: 1 entry no longer found (fixed; reported); drop them with "
            "--lessons-update-baseline:",
            "  fixed alembic/env.py [alembic-percent-escape]: " + SECTION.strip(),
        ]
    )
    strict = _lessons(service, "--lessons-baseline-strict")
    strict.assert_outcomes(failed=1, passed=2)
    strict.stdout.fnmatch_lines(
        [
            "*_ lessons-status::alembic-percent-escape _*",
            "alembic/env.py: baseline entry no longer*",
        ]
    )

    # updating drops the fixed entry
    _lessons(service, "--lessons-update-baseline")
    assert len(json.loads(baseline.read_text())["findings"]) == 1


def test_update_keeps_entries_of_lessons_that_did_not_run(service: pytest.Pytester) -> None:
    baseline = service.path / "lessons-baseline.json"
    other = BaselineEntry(lesson="url-id-lookup", path="app/routes.py", fingerprint="0" * 16)
    write_baseline(baseline, [other])
    _lessons(service, "--lessons-update-baseline")
    lessons = [entry.lesson for entry in read_baseline(baseline)]
    assert sorted(lessons) == ["alembic-percent-escape", "alembic-percent-escape", "url-id-lookup"]


def test_baseline_file_is_stable_and_reviewable(service: pytest.Pytester) -> None:
    baseline = service.path / "lessons-baseline.json"
    _lessons(service, "--lessons-update-baseline")
    first = baseline.read_text()
    _lessons(service, "--lessons-update-baseline")
    assert baseline.read_text() == first
    lines = first.splitlines()
    assert lines[:3] == ["{", '  "version": 1,', '  "findings": [']
    assert all(line.startswith('    {"lesson": ') for line in lines[3:5])  # one entry a line
    assert lines[-2:] == ["  ]", "}"]


def test_command_line_baseline_and_strict_need_a_file(pytester: pytest.Pytester) -> None:
    pytester.path.joinpath("m.py").write_text("x = 1\n")
    update = _lessons(pytester, "--lessons-update-baseline")
    assert update.ret == pytest.ExitCode.USAGE_ERROR
    update.stderr.fnmatch_lines(["*--lessons-update-baseline: name the baseline file*"])
    strict = _lessons(pytester, "--lessons-baseline-strict")
    assert strict.ret == pytest.ExitCode.USAGE_ERROR
    target = pytester.path / "ci" / "baseline.json"
    written = _lessons(pytester, f"--lessons-baseline={target}", "--lessons-update-baseline")
    assert written.ret == pytest.ExitCode.OK
    assert json.loads(target.read_text()) == {"version": 1, "findings": []}


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ('{"version": 1, "findings": [\n  {"lesson": "x"\n]}', "not valid JSON", 3),
        ('{"version": 7, "findings": []}', "not a pytest-lessons baseline of version 1", None),
        (
            '{\n  "version": 1,\n  "findings": [\n    {"lesson": "x", "path": "a.py"}\n  ]\n}',
            "entry 1: `fingerprint`: required key is missing",
            4,
        ),
    ],
)
def test_bad_baseline_files_are_usage_errors(
    tmp_path: Path, text: str, message: str, line: int | None
) -> None:
    path = tmp_path / "baseline.json"
    path.write_text(text)
    with pytest.raises(LessonsConfigError) as error:
        read_baseline(path)
    assert message in str(error.value)
    assert error.value.line == line


def _finding(line: int, column: int, end_line: int, end_column: int) -> Finding:
    return Finding(
        lesson="l",
        path="a.py",
        line=line,
        column=column,
        end_line=end_line,
        end_column=end_column,
        message="m",
    )


def test_fingerprint_ignores_layout_but_not_code() -> None:
    one = ['x = 1; config.set_main_option("url", db_url)  # note']
    three = ["config.set_main_option(", "    'url',", "    db_url,", ")"]
    span_one = _finding(1, 8, 1, 45)
    span_three = _finding(1, 1, 4, 2)
    assert flagged_code(span_one, one) == 'config.set_main_option("url", db_url)'
    assert normalise(flagged_code(span_three, three)) == 'config.set_main_option("url",db_url)'
    assert fingerprint_of(span_one, one) == fingerprint_of(span_three, three)
    other = ['x = 1; config.set_main_option("url", other)  # note']
    assert fingerprint_of(span_one, other) != fingerprint_of(span_one, one)


def test_point_findings_fingerprint_their_line() -> None:
    point = _finding(2, 5, 2, 5)
    assert flagged_code(point, ["a", "    def handler():"]) == "    def handler():"
    assert fingerprint_of(point, ["a", "def handler():"]) == fingerprint_of(
        _finding(7, 1, 7, 1), ["", "", "", "", "", "", "def  handler( ):"]
    )


def test_repository_level_findings_are_keyed_by_lesson_alone() -> None:
    first = Finding(
        lesson="env-example-complete",
        path=None,
        line=1,
        column=1,
        end_line=1,
        end_column=1,
        message="the code reads 14 environment variables (first: A at x.py:105)",
    )
    later = first.model_copy(
        update={"message": "the code reads 15 environment variables (first: A at x.py:107)"}
    )
    assert fingerprint_of(first, []) == fingerprint_of(later, [])
