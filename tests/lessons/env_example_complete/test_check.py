"""env-example-complete: snippets with exact verdicts and messages, settings classes across
modules, scopes in a monorepo, and a property (extraction never crashes on arbitrary text)."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_lessons.catalog import BUILTIN_LESSONS_DIR
from pytest_lessons.checks.env_example_complete.reads import documented_names
from pytest_lessons.checks.env_example_complete import (
    EnvExampleComplete,
    EnvExampleCompleteFacts,
)
from pytest_lessons.findings import Finding
from pytest_lessons.source import AnalysisError, SourceFile
from pytest_lessons.testing import make_check as build_check
from pytest_lessons.testing import run_lessons

LESSON_ID = "env-example-complete"
LESSONS_DIR = BUILTIN_LESSONS_DIR
SPEC = build_check(LESSON_ID).spec


def make_check(**overrides: Any) -> EnvExampleComplete:
    check = build_check(LESSON_ID, **overrides)
    assert isinstance(check, EnvExampleComplete)
    return check


def run(files: dict[str, str], *, prefilter: bool = True, **overrides: Any) -> list[Finding]:
    check = make_check(**overrides)
    facts: dict[str, EnvExampleCompleteFacts] = {}
    for rel, text in files.items():
        source = SourceFile.from_text(rel, textwrap.dedent(text))
        if check.applies_to(source, use_prefilter=prefilter):
            facts[rel] = check.extract(source)
    return list(check.judge(facts))


def sites(files: dict[str, str], **overrides: Any) -> list[tuple[str | None, int]]:
    found = [(f.path, f.line) for f in run(files, **overrides)]
    assert found == [(f.path, f.line) for f in run(files, prefilter=False, **overrides)]
    return found


ROUTE = """\
export async function GET(request: Request) {
  const secret = process.env.CRON_SECRET;
  const key = process.env.POSTHOG_KEY ?? "";
  return Response.json({ db: process.env.DATABASE_URL, secret, key });
}
"""


# -- the incident -------------------------------------------------------------------------------


def test_the_incident_is_flagged_on_each_missing_variable() -> None:
    findings = run({".env.example": "DATABASE_URL=\n", "app/api/cron/route.ts": ROUTE})
    assert [(f.path, f.line, f.column) for f in findings] == [
        ("app/api/cron/route.ts", 2, 18),
        ("app/api/cron/route.ts", 3, 15),
    ]
    assert findings[0].message == (
        "CRON_SECRET is read here (process.env) but missing from .env.example: add "
        "`CRON_SECRET=` to .env.example so a fresh deploy sets it"
    )


def test_the_finding_sits_on_the_first_reading_site_and_counts_the_others() -> None:
    files = {
        ".env.example": "DATABASE_URL=\nCRON_SECRET=\n",
        "app/api/cron/route.ts": ROUTE,
        "lib/a.ts": "export const k = process.env.POSTHOG_KEY;\n",
        "app/b.ts": "export const k = process.env.POSTHOG_KEY;\n",
    }
    [finding] = run(files)
    assert (finding.path, finding.line) == ("app/api/cron/route.ts", 3)
    assert finding.message.endswith("; it is read in 2 more places too")


@pytest.mark.parametrize(
    "example",
    [
        "CRON_SECRET=x\nPOSTHOG_KEY=\nDATABASE_URL=\n",
        "export CRON_SECRET=x\n# POSTHOG_KEY=\nDATABASE_URL=\n",
        "CRON_SECRET\n#POSTHOG_KEY=phc_123\nDATABASE_URL = postgres://\n",
    ],
)
def test_documented_and_commented_out_variables_count(example: str) -> None:
    assert sites({".env.example": example, "app/api/cron/route.ts": ROUTE}) == []


def test_documented_names_reads_assignments_not_prose() -> None:
    text = (
        "# Set POSTHOG_KEY to your project key\nA=1\nexport B=2\n#C=3\n# D = 4\nE\n"
        "# just words\n\n  F=6\n"
    )
    assert documented_names(text) == ["A", "B", "C", "D", "E", "F"]


# -- what counts as a read ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "flagged"),
    [
        ("const a = process.env.X;", True),
        ('const a = process.env["X"];', True),
        ("const { X } = process.env;", True),
        ("const { X: renamed } = process.env;", True),
        ("const a = import.meta.env.X;", True),
        ("const a = process.env.X!;", True),
        ("const a = import.meta.env.MODE;", False),
        ("const a = process.env[name];", False),
        ('process.env.X = "1";', False),
        ("delete process.env.X;", False),
        ("const a = process.env.NODE_ENV;", False),
        ("const a = process.env.VERCEL_GIT_COMMIT_SHA;", False),
        ("const a = process.env.PORT;", False),
    ],
)
def test_script_reads(code: str, flagged: bool) -> None:
    found = sites({".env.example": "", "src/a.ts": code + "\n"})
    assert found == ([("src/a.ts", 1)] if flagged else [])


@pytest.mark.parametrize(
    ("code", "flagged"),
    [
        ('os.environ["X"]', True),
        ('os.environ.get("X")', True),
        ('os.getenv("X")', True),
        ('os.getenv("X", "")', True),
        ('"X" in os.environ', True),
        ('os.environ.setdefault("X", "1")', False),
        ('os.environ.pop("X", None)', False),
        ("os.getenv(name)", False),
        ('os.getenv("HOME")', False),
    ],
)
def test_python_reads(code: str, flagged: bool) -> None:
    found = sites({".env.example": "", "app/a.py": f"import os\nvalue = {code}\n"})
    assert found == ([("app/a.py", 2)] if flagged else [])


def test_python_writes_and_aliases() -> None:
    code = """\
    import os as system
    from os import environ as env, getenv
    system.environ["WRITTEN"] = "1"
    del env["DELETED"]
    a = env.get("ALIASED")
    b = getenv("IMPORTED")
    """
    assert sites({".env.example": "", "a.py": code}) == [("a.py", 5), ("a.py", 6)]


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


def test_a_variable_copied_into_a_documented_one_is_satisfied() -> None:
    code = """\
    if (process.env.POSTGRES_URL) {
      process.env.DATABASE_URL = process.env.POSTGRES_URL;
    }
    """
    assert sites({".env.example": "DATABASE_URL=\n", "db.ts": code}) == []
    [finding] = run({".env.example": "OTHER=\n", "db.ts": code})
    assert finding.line == 1
    assert finding.message.startswith("POSTGRES_URL (or any of DATABASE_URL) is read here")


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


def test_example_file_names_are_configurable() -> None:
    files = {".env.dev.sample": "A=\n", "env.ts": "process.env.A;\n"}
    assert sites(files) == []
    [finding] = run(files, example_files=[".env.example"])
    assert finding.path is None


# -- scopes -------------------------------------------------------------------------------------


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


def test_a_committed_env_file_serves_when_there_is_no_example() -> None:
    files = {".env": "SECRET_KEY=changethis\n", "backend/config.py": CONFIG.format(prefix="")}
    [finding] = run(files)
    assert finding.message.startswith(
        "JWT_SECRET is read here (settings field Settings.jwt_secret) but missing from .env:"
    )
    # with an example file, `.env` holds real values and is never read
    assert sites({**files, ".env.example": "JWT_SECRET=\n"}) == [("backend/config.py", 7)]


# -- pydantic-settings --------------------------------------------------------------------------

CONFIG = """\
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict({prefix})

    secret_key: str
    jwt_secret: str


settings = Settings()
"""


def test_settings_fields_read_prefix_plus_name_upper_cased() -> None:
    files = {
        "api/.env.example": "CARTSNITCH_SECRET_KEY=\n",
        "api/config.py": CONFIG.format(prefix='env_prefix="CARTSNITCH_"'),
    }
    [finding] = run(files)
    assert (finding.path, finding.line, finding.column) == ("api/config.py", 8, 5)
    assert finding.message == (
        "CARTSNITCH_JWT_SECRET is read here (settings field Settings.jwt_secret, env_prefix "
        "'CARTSNITCH_') but missing from api/.env.example: add `CARTSNITCH_JWT_SECRET=` to "
        "api/.env.example so a fresh deploy sets it"
    )


def test_settings_names_are_case_insensitive_unless_case_sensitive() -> None:
    example = {"api/.env.example": "cartsnitch_secret_key=\nCARTSNITCH_JWT_SECRET=\n"}
    loose = {"api/config.py": CONFIG.format(prefix='env_prefix="CartSnitch_"')}
    assert sites({**example, **loose}) == []
    strict = {
        "api/config.py": CONFIG.format(prefix='env_prefix="CARTSNITCH_", case_sensitive=True')
    }
    # case_sensitive=True: the variable is CARTSNITCH_secret_key, spelt as the field is
    assert sites({**example, **strict}) == [("api/config.py", 7), ("api/config.py", 8)]


@pytest.mark.parametrize(
    "config",
    [
        '    model_config = {"env_prefix": "APP_"}',
        '    model_config = SettingsConfigDict(env_prefix="APP_")',
        '    class Config:\n        env_prefix = "APP_"',
    ],
)
def test_env_prefix_spellings(config: str) -> None:
    code = (
        "from pydantic_settings import BaseSettings, SettingsConfigDict\n\n"
        f"class Settings(BaseSettings):\n{config}\n    token: str\n"
    )
    assert sites({".env.example": "APP_TOKEN=\n", "config.py": code}) == []
    assert len(sites({".env.example": "TOKEN=\n", "config.py": code})) == 1


def test_class_keyword_prefix() -> None:
    code = (
        "from pydantic_settings import BaseSettings\n"
        'class S(BaseSettings, env_prefix="K_"):\n    a: str\n'
    )
    assert sites({".env.example": "K_A=\n", "s.py": code}) == []


def test_aliases_ignore_the_prefix_and_any_choice_is_enough() -> None:
    code = """\
    from pydantic import AliasChoices, Field
    from pydantic_settings import BaseSettings, SettingsConfigDict


    class Settings(BaseSettings):
        model_config = SettingsConfigDict(env_prefix="APP_")

        dsn: str = Field(validation_alias="SENTRY_DSN")
        key: str = Field(validation_alias=AliasChoices("POSTHOG_API_KEY", "POSTHOG_KEY"))
        old: str = Field(..., env="LEGACY_NAME")
        url: str = Field(alias="BASE_URL")
    """
    example = "SENTRY_DSN=\nPOSTHOG_KEY=\nLEGACY_NAME=\nBASE_URL=\n"
    assert sites({".env.example": example, "s.py": code}) == []
    findings = run({".env.example": "", "s.py": code})
    assert [f.line for f in findings] == [8, 9, 10, 11]
    assert findings[1].message.startswith(
        "POSTHOG_API_KEY (or any of POSTHOG_KEY) is read here (settings field Settings.key)"
    )


def test_a_subclass_in_another_module_inherits_fields_and_prefix() -> None:
    files = {
        "api/.env.example": "CARTSNITCH_SECRET_KEY=\nCARTSNITCH_JWT_SECRET=\n",
        "api/cartsnitch/config.py": CONFIG.format(prefix='env_prefix="CARTSNITCH_"'),
        "api/cartsnitch/worker/settings.py": (
            "from cartsnitch.config import Settings\n\n"
            "class WorkerSettings(Settings):\n    queue_url: str\n\nw = WorkerSettings()\n"
        ),
    }
    findings = run(files)
    assert [(f.path, f.line) for f in findings] == [("api/cartsnitch/worker/settings.py", 4)]
    assert findings[0].message.startswith("CARTSNITCH_QUEUE_URL is read here (settings field")


def test_a_subclass_with_its_own_prefix_is_reported_at_the_subclass() -> None:
    files = {
        "api/.env.example": "CARTSNITCH_SECRET_KEY=\nCARTSNITCH_JWT_SECRET=\nWORKER_JWT_SECRET=\n",
        "api/cartsnitch/config.py": CONFIG.format(prefix='env_prefix="CARTSNITCH_"'),
        "api/cartsnitch/worker.py": (
            "from pydantic_settings import SettingsConfigDict\n"
            "from .config import Settings\n\n"
            "class WorkerSettings(Settings):\n"
            '    model_config = SettingsConfigDict(env_prefix="WORKER_")\n\n'
            "w = WorkerSettings()\n"
        ),
    }
    [finding] = run(files)
    assert (finding.path, finding.line) == ("api/cartsnitch/worker.py", 4)
    assert finding.message.startswith(
        "WORKER_SECRET_KEY is read here (field secret_key that WorkerSettings inherits from "
        "Settings, env_prefix 'WORKER_')"
    )


def test_a_base_never_instantiated_only_lends_its_fields() -> None:
    base = (
        "from pydantic_settings import BaseSettings\n\n"
        "class CommonSettings(BaseSettings):\n    log_level: str\n"
    )
    sub = (
        "from pydantic_settings import SettingsConfigDict\nfrom .base import CommonSettings\n\n"
        "class Settings(CommonSettings):\n"
        '    model_config = SettingsConfigDict(env_prefix="APP_")\n\n'
        "s = Settings()\n"
    )
    files = {".env.example": "APP_LOG_LEVEL=\n", "app/base.py": base, "app/config.py": sub}
    assert sites(files) == []
    # once it is instantiated, it reads LOG_LEVEL itself
    files["app/main.py"] = "from .base import CommonSettings\nc = CommonSettings()\n"
    assert sites(files) == [("app/base.py", 4)]


def test_same_named_classes_resolve_through_the_import_then_by_nearness() -> None:
    def settings(prefix: str) -> str:
        return (
            "from pydantic_settings import BaseSettings, SettingsConfigDict\n\n"
            "class Base(BaseSettings):\n"
            f'    model_config = SettingsConfigDict(env_prefix="{prefix}")\n'
            "    token: str\n"
        )

    sub = "class Settings(Base):\n    extra: str\n\ns = Settings()\n"
    files = {
        ".env.example": "A_TOKEN=\nB_TOKEN=\n",
        "a/conf.py": settings("A_"),
        "b/conf.py": settings("B_"),
        "b/app.py": "from a.conf import Base\n\n" + sub,
    }
    # the import names a/conf.py, though b/conf.py is nearer
    [finding] = run(files)
    assert finding.message.startswith("A_EXTRA is read here")
    # no import: the Base sharing the longest directory prefix (b/conf.py) wins
    files["b/app.py"] = sub
    [finding] = run(files)
    assert finding.message.startswith("B_EXTRA is read here")


def test_nested_settings_and_nested_models() -> None:
    code = """\
    from pydantic import BaseModel, Field
    from pydantic_settings import BaseSettings, SettingsConfigDict


    class Db(BaseSettings):
        model_config = SettingsConfigDict(env_prefix="DB_")
        host: str


    class Smtp(BaseModel):
        host: str
        port: int


    class Settings(BaseSettings):
        model_config = SettingsConfigDict(env_prefix="APP_", env_nested_delimiter="__")
        db: Db = Field(default_factory=Db)
        smtp: Smtp


    settings = Settings()
    """
    example = "DB_HOST=\nAPP_SMTP__HOST=\nAPP_SMTP__PORT=\n"
    assert sites({".env.example": example, "s.py": code}) == []
    assert sites({".env.example": "DB_HOST=\nAPP_SMTP='{}'\n", "s.py": code}) == []
    findings = run({".env.example": "APP_SMTP__HOST=\n", "s.py": code})
    assert [f.message.split(" ")[0] for f in findings] == ["DB_HOST", "APP_SMTP__PORT"]


def test_the_example_trees_name_their_files(tmp_path: Path) -> None:
    outcome = run_lessons(LESSONS_DIR / LESSON_ID / "bad", [LESSON_ID])
    messages = [f.message for f in outcome.findings]
    assert any("missing from apps/reorder/.env.local.example" in m for m in messages)
    assert not outcome.problems


# -- property: extraction never crashes ---------------------------------------------------------


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
