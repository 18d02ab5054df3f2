"""`pytest-lessons fix`: rounds of non-overlapping fixes, written back as read, and what is left."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from pytest_lessons.fixing import fix_repository, render_report, unified_diff
from pytest_lessons.settings import CommandLine, resolve_settings
from pytest_lessons.testing import example_trees, run_lessons

PATTERNS = Path(__file__).parent / "fixtures" / "patterns"
EXAMPLES = Path(__file__).parents[1] / "examples"


def pattern_lesson(root: Path, name: str, **replace: str) -> Path:
    """Copy a fixture pattern lesson into `root/lint/lessons`, editing its TOML."""
    target = root / "lint" / "lessons" / name
    shutil.copytree(PATTERNS / name, target)
    toml = target / "lesson.toml"
    text = toml.read_text()
    for old, new in replace.items():
        text = text.replace(old, new)
    toml.write_text(text)
    (root / "pyproject.toml").write_text(
        '[tool.pytest-lessons]\nlesson-paths = ["lint/lessons"]\nexclude = ["lint/"]\n'
        f'select = ["{name}"]\n'
    )
    return toml


def settings_for(root: Path) -> object:
    return resolve_settings(CommandLine(root=root))


def test_an_autofix_template_rewrites_every_match_and_nothing_is_left(tmp_path: Path) -> None:
    pattern_lesson(tmp_path, "parse-int-radix")
    (tmp_path / "ids.ts").write_text(
        "const a = parseInt(x);\nconst b = parseInt(\n  y.trim(),\n);\nparseInt(z, 16);\n"
    )
    report = fix_repository(resolve_settings(CommandLine(root=tmp_path)))
    assert (tmp_path / "ids.ts").read_text() == (
        "const a = parseInt(x, 10);\nconst b = parseInt(y.trim(), 10);\nparseInt(z, 16);\n"
    )
    assert [a.description for a in report.applied] == [
        "rewrite as `parseInt(x, 10)`",
        "rewrite as `parseInt(y.trim(), 10)`",
    ]
    assert report.left == []
    assert render_report(report)[-1] == "left: nothing; every finding is fixed"


def test_the_pattern_lessons_bad_tree_is_fixed_completely(tmp_path: Path) -> None:
    [bad] = [t for t in example_trees(PATTERNS) if str(t) == "parse-int-radix/bad"]
    tree = tmp_path / "bad"
    shutil.copytree(bad.path, tree)
    assert run_lessons(tree, ["parse-int-radix"], lesson_paths=[PATTERNS]).findings
    settings = resolve_settings(
        CommandLine(root=tree, select=["parse-int-radix"], lesson_paths=[PATTERNS])
    )
    report = fix_repository(settings)
    assert len(report.applied) == 2 and report.left == []


def test_a_multi_line_template_takes_the_indentation_of_the_match(tmp_path: Path) -> None:
    pattern_lesson(
        tmp_path,
        "parse-int-radix",
        **{'"parseInt($VALUE, 10)"': '"Number.parseInt(\\n  $VALUE,\\n  10,\\n)"'},
    )
    (tmp_path / "a.ts").write_text("function f() {\n    return parseInt(\n      x,\n    );\n}\n")
    fix_repository(resolve_settings(CommandLine(root=tmp_path)))
    assert (tmp_path / "a.ts").read_text() == (
        "function f() {\n    return Number.parseInt(\n      x,\n      10,\n    );\n}\n"
    )


def test_expand_end_widens_the_replaced_range(tmp_path: Path) -> None:
    toml = pattern_lesson(tmp_path, "parse-int-radix")
    toml.write_text(
        toml.read_text()
        .replace('autofix = "parseInt($VALUE, 10)"\n', "")
        .replace("[rule]", '[autofix]\ntemplate = ""\nexpandEnd = { regex = "^;$" }\n\n[rule]')
    )
    (tmp_path / "a.ts").write_text("parseInt(x);\nkeep();\n")
    fix_repository(resolve_settings(CommandLine(root=tmp_path)))
    assert (tmp_path / "a.ts").read_text() == "\nkeep();\n"


def test_overlapping_fixes_wait_for_the_next_round(tmp_path: Path) -> None:
    pattern_lesson(tmp_path, "parse-int-radix")
    (tmp_path / "a.ts").write_text("parseInt(parseInt(x));\n")
    report = fix_repository(resolve_settings(CommandLine(root=tmp_path)))
    assert (tmp_path / "a.ts").read_text() == "parseInt(parseInt(x, 10), 10);\n"
    assert len(report.applied) == 2 and report.left == []


def test_diff_mode_shows_the_change_and_writes_nothing(tmp_path: Path) -> None:
    pattern_lesson(tmp_path, "parse-int-radix")
    (tmp_path / "a.ts").write_text("parseInt(x);\n")
    report = fix_repository(resolve_settings(CommandLine(root=tmp_path)), write=False)
    assert (tmp_path / "a.ts").read_text() == "parseInt(x);\n"
    assert unified_diff(report) == (
        "--- a/a.ts\n+++ b/a.ts\n@@ -1 +1 @@\n-parseInt(x);\n+parseInt(x, 10);\n"
    )
    assert render_report(report)[0] == "would fix 1 finding in 1 file:"


def test_suppressed_findings_are_not_fixed(tmp_path: Path) -> None:
    pattern_lesson(tmp_path, "parse-int-radix")
    source = "parseInt(x); // lessons: ignore[parse-int-radix] -- x is always decimal here\n"
    (tmp_path / "a.ts").write_text(source)
    report = fix_repository(resolve_settings(CommandLine(root=tmp_path)))
    assert report.applied == [] and (tmp_path / "a.ts").read_text() == source


HOOKS = """\
from pydantic import BaseModel

from pytest_lessons import FileKind, NoOptions, PerFileCheck
from pytest_lessons.fixes import Fix, TextEdit


class Hits(BaseModel):
    lines: list[int]


class Check(PerFileCheck[NoOptions, Hits]):
    options_model = NoOptions
    facts_model = Hits
    file_kinds = frozenset({FileKind.PYTHON})

    def extract(self, file):
        return Hits(lines=[n for n, line in enumerate(file.lines, 1) if "BAD" in line])

    def judge_file(self, path, facts):
        for line in facts.lines:
            yield self.finding(path, line, 1, "BAD")

    def fix(self, finding, files):
        if finding.line == 1:
            raise RuntimeError("no idea")
        return Fix(description="escape", edits=(TextEdit(path="../outside.txt", text="x"),))
"""


def test_a_crashing_hook_or_an_edit_outside_the_root_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    folder = root / "lint" / "lessons" / "no-bad"
    folder.mkdir(parents=True)
    (folder / "lesson.toml").write_text(
        'id = "no-bad"\ntitle = "t"\nwhy = "w"\nfix = "f"\ncheck = "check:Check"\n'
        '[source]\nincident = "i"\nsummary = "s"\n[examples]\nbad = "b"\ngood = "g"\n'
    )
    (folder / "check.py").write_text(HOOKS)
    (root / "pyproject.toml").write_text(
        '[tool.pytest-lessons]\nlesson-paths = ["lint/lessons"]\nexclude = ["lint/"]\n'
        'select = ["no-bad"]\n'
    )
    (root / "m.py").write_text("BAD = 1\nBAD = 2\n")
    report = fix_repository(resolve_settings(CommandLine(root=root)))
    reasons = [why for _, why in report.refused]
    assert reasons[0].startswith("the lesson's fix() crashed (RuntimeError: no idea at ")
    assert reasons[1] == "the fix edits ../outside.txt, outside the root"
    assert not (tmp_path / "outside.txt").exists()
    assert [f.line for f in report.left] == [1, 2]


@pytest.mark.parametrize("demo", ["cartsnitch-api", "ozi-reorder"])
def test_fix_clears_the_demos_percent_escape_and_env_example_findings(
    tmp_path: Path, demo: str
) -> None:
    root = tmp_path / demo
    shutil.copytree(EXAMPLES / demo, root)
    lessons = ["alembic-percent-escape", "env-example-complete"]
    before = {f.lesson for f in run_lessons(root).findings if f.lesson in lessons}
    assert before  # the demo repeats at least one of the two
    report = fix_repository(resolve_settings(CommandLine(root=root)))
    # a variable the deployment sets one prefix away from a read has no certain fix (rename it,
    # or read both): it is left with the rest
    mismatch = "but no code it configures reads it"
    assert not [f for f in report.left if f.lesson in lessons and mismatch not in f.message]
    assert report.left  # the rest of the demo has no certain fix: it is left, and said so
    left = run_lessons(root).findings
    assert not [f for f in left if f.lesson in lessons and mismatch not in f.message]


def test_the_fix_report_names_what_changed(tmp_path: Path) -> None:
    root = tmp_path / "ozi"
    shutil.copytree(EXAMPLES / "ozi-reorder", root)
    report = fix_repository(resolve_settings(CommandLine(root=root)))
    lines = render_report(report)
    assert lines[0] == "fixed 1 finding in 1 file:"
    assert lines[1] == (
        "  lib/posthog-server.ts:3:36 [env-example-complete] list POSTHOG_KEY in .env.example"
    )
    assert (
        textwrap.dedent("""\
        # read by lib/posthog-server.ts
        POSTHOG_KEY=
        """)
        in (root / ".env.example").read_text()
    )
