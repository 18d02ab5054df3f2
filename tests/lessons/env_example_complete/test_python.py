"""env-example-complete, the Python half: `os.environ`/`os.getenv` reads and pydantic-settings
classes across modules."""

from __future__ import annotations

import pytest

from pytest_lessons.checks.env_example_complete.python import python_facts
from pytest_lessons.source import SourceFile
from tests.lessons.env_example_complete.support import (
    CONFIG,
    run,
    sites,
)


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
    # APP_TOKEN is missing, and the listed TOKEN is one prefix away from it
    assert sites({".env.example": "TOKEN=\n", "config.py": code}) == [
        (".env.example", 1),
        ("config.py", code.count("\n")),
    ]


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
        url: str = Field(alias="BASE_URL")
    """
    example = "SENTRY_DSN=\nPOSTHOG_KEY=\nBASE_URL=\n"
    assert sites({".env.example": example, "s.py": code}) == []
    findings = run({".env.example": "", "s.py": code})
    assert [f.line for f in findings] == [8, 9, 10]
    assert findings[1].message.startswith(
        "POSTHOG_API_KEY (or any of POSTHOG_KEY) is read here (settings field Settings.key)"
    )


@pytest.mark.parametrize(
    ("module", "field", "reads"),
    [
        # pydantic-settings v2 ignores v1's `env=` (pydantic keeps it as schema extra)
        ("pydantic_settings", 'Field("d", env="LEGACY")', "APP_OLD"),
        ("pydantic_settings", 'Field("d", alias="LEGACY")', "LEGACY"),
        # pydantic v1 reads `env=` and ignores an alias (with a FutureWarning)
        ("pydantic", 'Field("d", env="LEGACY")', "LEGACY"),
        ("pydantic", 'Field("d", alias="LEGACY")', "APP_OLD"),
        ("pydantic.v1", 'Field("d", env=["LEGACY", "OLDER"])', "LEGACY"),
    ],
)
def test_which_explicit_names_each_pydantic_version_reads(
    module: str, field: str, reads: str
) -> None:
    code = (
        f"from pydantic import Field\nfrom {module} import BaseSettings\n\n"
        f"class S(BaseSettings):\n    old: str = {field}\n\n"
        "    class Config:\n        env_prefix = 'APP_'\n\nS()\n"
    )
    [finding] = run({".env.example": "", "s.py": code}, allow_defaulted=False)
    assert finding.message.startswith(f"{reads} ")


def test_v1_config_fields_name_the_variables() -> None:
    code = (
        "from pydantic import BaseSettings\n\nclass S(BaseSettings):\n    dsn: str\n\n"
        "    class Config:\n        env_prefix = 'APP_'\n"
        "        fields = {'dsn': {'env': ['SENTRY_DSN', 'DSN']}}\n\nS()\n"
    )
    assert sites({".env.example": "DSN=\n", "s.py": code}) == []
    [finding] = run({".env.example": "", "s.py": code})
    assert finding.message.startswith("SENTRY_DSN (or any of DSN) is read here")


def test_a_prefix_held_in_a_module_constant_is_followed() -> None:
    code = (
        "from pydantic_settings import BaseSettings, SettingsConfigDict\n"
        'ENV_PREFIX = "FIDES__SECURITY__"\n'
        "class S(BaseSettings):\n    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX)\n"
        '    app_key: str = ""\n\nS()\n'
    )
    [finding] = run({".env.example": "", "s.py": code}, allow_defaulted=False)
    assert finding.message.startswith("FIDES__SECURITY__APP_KEY is read here")


def test_a_prefix_computed_at_run_time_reads_unknown_names() -> None:
    code = (
        "from pydantic_settings import BaseSettings, SettingsConfigDict\nimport config\n"
        "class S(BaseSettings):\n"
        "    model_config = SettingsConfigDict(env_prefix=f'{config.APP}_')\n"
        "    dsn: str\n\nS()\n"
    )
    assert sites({".env.example": "", "s.py": code}) == []


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


@pytest.mark.parametrize(
    ("name", "prefix", "read"),
    [
        ("TestSettings", "WORKER_", False),
        ("IntegrationTestingSettings", "WORKER_", False),
        ("WorkerSettings", "APP_TEST_", False),
        ("WorkerSettings", "app_tests_", False),
        ("LatestSettings", "WORKER_", True),
        ("WorkerSettings", "CONTEST_", True),
    ],
)
def test_a_settings_class_for_the_test_suite_reads_nothing(
    name: str, prefix: str, read: bool
) -> None:
    files = {
        "api/.env.example": "CARTSNITCH_SECRET_KEY=\nCARTSNITCH_JWT_SECRET=\n",
        "api/cartsnitch/config.py": CONFIG.format(prefix='env_prefix="CARTSNITCH_"'),
        "api/cartsnitch/variants.py": (
            "from pydantic_settings import SettingsConfigDict\n"
            "from .config import Settings\n\n"
            f"class {name}(Settings):\n"
            f'    model_config = SettingsConfigDict(env_prefix="{prefix}")\n\n'
            f"s = {name}()\n"
        ),
    }
    expected = [("api/cartsnitch/variants.py", 4)] if read else []
    assert sorted(set(sites(files))) == expected


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


_CONFIG_MODULE = """\
from starlette.config import Config
from starlette.datastructures import Secret

config = Config(".env")

DATABASE_URL = config("DATABASE_URL")
SECRET_KEY = config("SECRET_KEY", cast=Secret)
LOG_LEVEL = config("LOG_LEVEL", default="WARNING")
SENTRY_DSN = config("SENTRY_DSN", default=None)
DEBUG = config("DEBUG", bool, False)
"""


def test_starlette_config_reads_are_required_unless_given_a_real_default() -> None:
    """Starlette's `Config` reads the environment (and a `.env` file, not committed): a name
    with no default raises at import; `default=None` is the feature silently off."""
    files = {".env.example": "DATABASE_URL=\n", "app/config.py": _CONFIG_MODULE}
    assert sites(files) == [("app/config.py", 7), ("app/config.py", 9)]
    [secret, _] = run(files)
    assert secret.message.startswith("SECRET_KEY is read here (config(...))")
    assert sites(files, allow_defaulted=False) == [
        ("app/config.py", 7),
        ("app/config.py", 8),
        ("app/config.py", 9),
        ("app/config.py", 10),
    ]


@pytest.mark.parametrize(
    ("code", "flagged"),
    [
        ('from decouple import config\nX = config("X")\n', True),
        ('from decouple import config\nX = config("X", "fallback")\n', False),
        ('from decouple import config\nX = config("X", default="")\n', True),
        ('import decouple\nX = decouple.config("X", cast=int)\n', True),
        ('from decouple import AutoConfig\nc = AutoConfig()\nX = c("X")\n', True),
        # a `config` that is no env reader: alembic's, an app's own function, a method
        ('from alembic import context\nconfig = context.config\nX = config("X")\n', False),
        ('def config(name): ...\nX = config("X")\n', False),
        ('from starlette.config import Config\nc = Config()\nX = c.get("X")\n', False),
    ],
)
def test_python_decouple_and_other_config_calls(code: str, flagged: bool) -> None:
    found = sites({".env.example": "", "app/settings.py": code})
    assert bool(found) == flagged


_REPLICAS = """\
import os


def replicas():
    if not os.environ.get("REPLICA_URLS"):
        return [PRIMARY]
    return os.environ["REPLICA_URLS"].split(",")
"""
_BUILD = """\
import os


def build_id():
    if "BUILD_ID" in os.environ:
        return os.environ["BUILD_ID"]
    return git_sha()
"""


@pytest.mark.parametrize(
    ("code", "undefaulted"),
    [
        (_REPLICAS, []),
        (_REPLICAS.replace('"REPLICA_URLS"):', '"REPLICA_URLS") is None:'), [5, 7]),
        (_REPLICAS.replace("return [PRIMARY]", "return None"), [5, 7]),
        (_REPLICAS.replace("return [PRIMARY]", 'return ""'), [5, 7]),
        (_REPLICAS.replace("return [PRIMARY]", 'raise RuntimeError("set it")'), [5, 7]),
        (
            _REPLICAS.replace("return [PRIMARY]", "return JSONResponse(error, status_code=503)"),
            [5, 7],
        ),
        (
            _REPLICAS.replace("return [PRIMARY]", "log.error('unset')\n        return [PRIMARY]"),
            [5, 8],
        ),
        (_BUILD, []),
        (_BUILD.replace("return git_sha()", "return None"), [5, 6]),
        (_BUILD.replace("return git_sha()", 'raise RuntimeError("no build id")'), [5, 6]),
        # the guard is in another function: this read is not behind it
        (_REPLICAS + "\n\ndef urls():\n    return os.environ['REPLICA_URLS']\n", [11]),
    ],
)
def test_a_read_behind_an_if_that_returns_a_real_default_is_defaulted(
    code: str, undefaulted: list[int]
) -> None:
    """`if not os.environ.get("X"): return fallback` before a read, or `if "X" in os.environ:
    return os.environ["X"]` followed by `return fallback`, is the statement form of
    `os.getenv("X") or fallback`, as in TypeScript."""
    facts = python_facts(SourceFile.from_text("app/db.py", code))
    assert facts.reads, "the sample must read the variable"
    assert [read.line for read in facts.reads if not read.defaulted] == undefaulted
    assert bool(run({".env.example": "", "app/db.py": code})) == bool(undefaulted)
