"""env-example-complete's fix: list the missing names in the example file, creating it if none."""

from __future__ import annotations

import shutil
from pathlib import Path

from pytest_lessons.catalog import BUILTIN_LESSONS_DIR
from pytest_lessons.fixing import fix_repository
from pytest_lessons.settings import CommandLine, resolve_settings
from pytest_lessons.testing import run_lessons

LESSON = "env-example-complete"
DEPLOYMENT_MISMATCH = "but no code it configures reads it"
"""A variable a deployment sets one rule away from a read: renaming it or reading both is a
choice, so it has no certain fix and is left."""


def fix(root: Path) -> None:
    fix_repository(resolve_settings(CommandLine(root=root, select=[LESSON])))


def test_the_bad_tree_is_fixed_completely(tmp_path: Path) -> None:
    tree = tmp_path / "bad"
    shutil.copytree(BUILTIN_LESSONS_DIR / LESSON / "bad", tree)
    assert run_lessons(tree, [LESSON]).findings
    report = fix_repository(resolve_settings(CommandLine(root=tree, select=[LESSON])))
    assert report.applied and report.problems == []
    assert report.left and all(DEPLOYMENT_MISMATCH in f.message for f in report.left)
    left = run_lessons(tree, [LESSON]).findings
    assert sorted((f.path, f.line) for f in left) == sorted((f.path, f.line) for f in report.left)


def test_missing_names_are_appended_under_the_file_that_reads_them(tmp_path: Path) -> None:
    (tmp_path / ".env.example").write_text("DATABASE_URL=postgres://localhost/app")  # no newline
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "route.ts").write_text(
        "export const secret = process.env.CRON_SECRET;\n"
        'export const key = process.env.POSTHOG_KEY ?? "phc_default";\n'
    )
    fix(tmp_path)
    assert (tmp_path / ".env.example").read_text() == (
        "DATABASE_URL=postgres://localhost/app\n# read by app/route.ts\nCRON_SECRET=\n"
    )


def test_a_read_with_a_fallback_is_listed_commented_out(tmp_path: Path) -> None:
    """An empty value copied into a deploy would replace the fallback with ''."""
    (tmp_path / ".env.example").write_text("A=1\n")
    (tmp_path / "pyproject.toml").write_text(
        "[tool.pytest-lessons.options.env-example-complete]\nallow-defaulted = false\n"
    )
    (tmp_path / "jobs.py").write_text('import os\nHOST = os.getenv("SMTP_HOST", "localhost")\n')
    fix(tmp_path)
    assert (tmp_path / ".env.example").read_text() == (
        "A=1\n# read by jobs.py (optional: it has a fallback)\n# SMTP_HOST=\n"
    )
    assert run_lessons(tmp_path, [LESSON]).findings == []


def test_the_example_file_is_created_where_none_exists(tmp_path: Path) -> None:
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "settings.py").write_text(
        'import os\nDATABASE_URL = os.environ["DATABASE_URL"]\nSECRET = os.environ["SECRET"]\n'
    )
    fix(tmp_path)
    assert (tmp_path / "api" / ".env.example").read_text() == (
        "# read by api/settings.py\nDATABASE_URL=\n# read by api/settings.py\nSECRET=\n"
    )
    assert run_lessons(tmp_path, [LESSON]).findings == []
