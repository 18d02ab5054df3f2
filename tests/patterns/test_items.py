"""A pattern lesson in a pytest run: items, markers, suppressions and the JSON report."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestAssertRewriteWarning")

PATTERNS = Path(__file__).parents[1] / "fixtures" / "patterns"


@pytest.fixture
def go_repo(pytester: pytest.Pytester) -> pytest.Pytester:
    shutil.copytree(
        PATTERNS / "no-ack-before-work", pytester.path / "lint" / "lessons" / "no-ack-before-work"
    )
    pytester.makepyprojecttoml(
        """
        [tool.pytest-lessons]
        lesson-paths = ["lint/lessons"]
        exclude = ["lint/"]
        select = ["no-ack-before-work"]
        """
    )
    (pytester.path / "svc").mkdir()
    (pytester.path / "svc" / "consumer.go").write_text(
        "package svc\n\n"
        "func handle(m Msg) {\n"
        "\tm.Ack()\n"
        "\tn.Notify(m)\n"
        "}\n\n"
        "func again(m Msg) {\n"
        "\t// lessons: ignore[no-ack-before-work] -- the broker redelivers on Notify failure\n"
        "\tm.Ack()\n"
        "\tn.Notify(m)\n"
        "}\n"
    )
    # both words the rule needs, in the right order: read, and no finding
    (pytester.path / "svc" / "clean.go").write_text(
        "package svc\n\nfunc f(m Msg) {\n\tn.Notify(m)\n\tm.Ack()\n}\n"
    )
    return pytester


def test_a_go_file_gets_an_item_with_the_lessons_markers(go_repo: pytest.Pytester) -> None:
    result = go_repo.runpytest("--lessons", "--strict-markers", "-m", "lesson_no_ack_before_work")
    result.assert_outcomes(failed=1, passed=2)
    result.stdout.fnmatch_lines(
        [
            "*svc/consumer.go::no-ack-before-work*",
            "svc/consumer.go:4:2: m.Ack() runs before m is handled; a crash in between loses "
            "the message [no-ack-before-work]",
            " 4 |     m.Ack()",
            "   |     ^^^^^^^",
            "*no-ack-before-work*1 finding in 1 file, 2 files read, 1 suppressed*",
        ]
    )
    deselected = go_repo.runpytest("--lessons", "-m", "not lesson_no_ack_before_work")
    assert "consumer.go" not in deselected.stdout.str().replace("deselected", "")


def test_the_json_report_holds_pattern_findings(go_repo: pytest.Pytester) -> None:
    go_repo.runpytest("--lessons", "--lessons-json", "out.json")
    report = json.loads((go_repo.path / "out.json").read_text())
    assert [
        (f["lesson"], f["path"], f["line"], f["column"], f["suppressed"])
        for f in report["findings"]
    ] == [
        ("no-ack-before-work", "svc/consumer.go", 4, 2, False),
        ("no-ack-before-work", "svc/consumer.go", 10, 2, True),
    ]


def test_explain_a_pattern_lesson(go_repo: pytest.Pytester) -> None:
    result = go_repo.runpytest("--lessons-explain", "no-ack-before-work")
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(
        ["no-ack-before-work: Acknowledge*", "pattern (ast-grep rule):", '  language = "go"']
    )
