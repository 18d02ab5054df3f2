"""env-example-complete, the judgement joining the halves: example-file scopes in a monorepo,
options that apply to every read, the example trees, and a property (extraction never crashes
on arbitrary text, in any half)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_lessons.catalog import BUILTIN_LESSONS_DIR
from pytest_lessons.source import AnalysisError, SourceFile
from pytest_lessons.testing import run_lessons
from tests.lessons.env_example_complete.support import (
    LESSON_ID,
    make_check,
    run,
    sites,
)


def test_defaulted_reads_are_flagged_unless_allowed() -> None:
    files = {
        ".env.example": "",
        "a.ts": 'export const a = process.env.A ?? "d";\nexport const b = process.env.B || "";\n',
        "b.py": 'import os\nc = os.getenv("C", "d")\nd = os.environ.get("D", None)\n',
    }
    assert sites(files, allow_defaulted=False) == [
        ("a.ts", 1),
        ("a.ts", 2),
        ("b.py", 2),
        ("b.py", 3),
    ]
    # "" and None are "silently off", not defaults: still flagged (and this is the default)
    assert sites(files, allow_defaulted=True) == [("a.ts", 2), ("b.py", 3)]
    assert sites(files) == [("a.ts", 2), ("b.py", 3)]
    [first, *_] = run(files, allow_defaulted=False)
    assert first.message == (
        "A is read here (process.env) but missing from .env.example: add `A=` to .env.example "
        "(it has a fallback here, so `# A=` documents it as optional)"
    )


def test_a_fallback_chain_is_satisfied_by_any_documented_variable() -> None:
    files = {
        ".env.example": "KEY=\nREDIS_URL=\n",
        "a.ts": 'export const k = process.env.KEY_LIVE ?? process.env.KEY ?? "";\n',
        "b.py": 'import os\nr = os.getenv("REDIS_OVERRIDE") or os.getenv("REDIS_URL")\n',
        "c.py": 'import os\nr = os.getenv("REDIS_OVERRIDE_2", os.getenv("REDIS_URL"))\n',
    }
    assert sites(files) == []


def test_tests_are_excluded_by_default() -> None:
    files = {
        ".env.example": "",
        "tests/helpers.py": 'import os\nos.environ["A"]\n',
        "src/a.test.ts": "process.env.B;\n",
        "src/__tests__/c.ts": "process.env.C;\n",
        "e2e/global-setup.ts": "process.env.D;\n",
    }
    assert sites(files) == []
    assert len(sites(files, exclude_globs=[])) == 4


def test_platform_variables_are_configurable_globs() -> None:
    files = {".env.example": "", "a.ts": "process.env.FLY_APP_NAME;\nprocess.env.ACME_ID;\n"}
    assert sites(files) == [("a.ts", 2)]
    assert sites(files, platform_variables=["ACME_*"]) == [("a.ts", 1)]


def test_each_package_is_judged_by_the_nearest_example_and_those_above() -> None:
    files = {
        ".env.example": "DATABASE_URL=\n",
        "apps/web/.env.local.example": "NEXT_PUBLIC_APP_URL=\n",
        "apps/web/app/route.ts": (
            "process.env.DATABASE_URL;\nprocess.env.NEXT_PUBLIC_APP_URL;\nprocess.env.DEMO_SECRET;\n"
        ),
        "apps/api/main.ts": "process.env.NEXT_PUBLIC_APP_URL;\n",
    }
    findings = run(files)
    assert [(f.path, f.line) for f in findings] == [
        ("apps/api/main.ts", 1),
        ("apps/web/app/route.ts", 3),
    ]
    assert "missing from .env.example:" in findings[0].message
    assert "missing from apps/web/.env.local.example:" in findings[1].message


def test_of_several_example_files_in_one_place_the_fullest_is_named() -> None:
    """`.env.dev-azure.example` comes first in the alphabet, but a newcomer adds variables to
    the file that lists them all; a better-ranked name (`.env.example`) still comes first."""
    files = {
        ".env.dev-azure.example": "DATABASE_URL=\n",
        ".env.prod.example": "DATABASE_URL=\nREDIS_URL=\nSMTP_HOST=\n",
        ".env.dev.example": "DATABASE_URL=\nREDIS_URL=\n",
        "app/route.ts": "process.env.CRON_SECRET;\nprocess.env.REDIS_URL;\n",
    }
    [finding] = run(files)
    assert (finding.path, finding.line) == ("app/route.ts", 1)
    assert "missing from .env.prod.example:" in finding.message
    [named] = run({**files, ".env.example": "DATABASE_URL=\n"})
    assert "missing from .env.example:" in named.message


def test_the_same_variable_is_reported_once_per_example_scope() -> None:
    files = {
        "apps/a/.env.example": "",
        "apps/b/.env.example": "",
        "apps/a/x.ts": "process.env.SHARED;\n",
        "apps/b/y.ts": "process.env.SHARED;\n",
    }
    assert sites(files) == [("apps/a/x.ts", 1), ("apps/b/y.ts", 1)]


def test_no_example_file_is_one_repository_finding() -> None:
    files = {
        "src/a.ts": "process.env.B;\nprocess.env.A;\n",
        "src/b.py": 'import os\nos.getenv("C")\n',
    }
    [finding] = run(files)
    assert (finding.path, finding.line) == (None, 1)
    assert finding.message == (
        "the code reads 3 environment variables but the repository has no env example file "
        "(first: B at src/a.ts:1): create src/.env.example listing A, B, C, so a fresh deploy "
        "knows what to set"
    )


def test_shared_code_outside_every_scope_is_documented_by_any_example() -> None:
    files = {
        "apps/web/.env.example": "SMTP_HOST=\n",
        "packages/email/index.ts": "process.env.SMTP_HOST;\nprocess.env.SLACK_HOOK;\n",
    }
    [finding] = run(files)
    assert finding.path is None
    assert finding.message == (
        "the code reads 1 environment variable that no env example file lists, from files with "
        "no example file at or above them (first: SLACK_HOOK at packages/email/index.ts:2): "
        "list SLACK_HOOK in the example file of the app that runs that code "
        "(apps/web/.env.example), or create one beside it"
    )


def test_the_example_trees_name_their_files(tmp_path: Path) -> None:
    outcome = run_lessons(BUILTIN_LESSONS_DIR / LESSON_ID / "bad", [LESSON_ID])
    messages = [f.message for f in outcome.findings]
    assert any("missing from apps/reorder/.env.local.example" in m for m in messages)
    assert not outcome.problems


# -- property: extraction never crashes, in any half -----------------------------------------


@pytest.mark.parametrize("rel", ["a.py", "a.ts", ".env.example"])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text())
def test_extract_raises_only_analysis_errors(rel: str, text: str) -> None:
    check = make_check()
    source = SourceFile.from_text(rel, text)
    try:
        check.extract(source)
    except AnalysisError:
        pass


ENVISH = st.sampled_from(
    [
        "process.env.A",
        'process.env["B"]',
        "const { C, D = 1 } = process.env;",
        "import.meta.env.E",
        'os.getenv("F", "x")',
        'os.environ["G"] = 1',
        "class S(BaseSettings):\n    a: str\n",
        "?? ",
        "|| ",
        "(",
        ")",
        "\n",
        "=",
    ]
)


@pytest.mark.parametrize("rel", ["a.py", "a.ts"])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parts=st.lists(ENVISH, max_size=12))
def test_extract_on_env_shaped_fragments(rel: str, parts: list[str]) -> None:
    check = make_check()
    source = SourceFile.from_text(rel, "".join(parts))
    try:
        check.extract(source)
    except AnalysisError:
        pass
