"""alembic-percent-escape: snippets with exact verdicts, the example trees, and properties.

The properties pin the lesson to configparser itself: the recommended fix round-trips any
URL-quoted URL, the unescaped URL crashes, and the check's literal and `.ini` verdicts agree with
what `ConfigParser` really accepts.
"""

from __future__ import annotations

import configparser
import re
import textwrap
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from pytest_lessons.catalog import BUILTIN_LESSONS_DIR
from pytest_lessons.checks.alembic_percent_escape import (
    AlembicPercentEscape,
    AlembicPercentEscapeOptions,
)
from pytest_lessons.findings import Finding
from pytest_lessons.source import AnalysisError, FileKind, SourceFile, kind_of
from pytest_lessons.testing import judge_files
from pytest_lessons.testing import make_check as build_check

LESSON_ID = "alembic-percent-escape"
LESSONS_DIR = BUILTIN_LESSONS_DIR
EXAMPLES_DIR = LESSONS_DIR / LESSON_ID
SPEC = build_check(LESSON_ID).spec
CONSEQUENCE = "a '%' in it crashes configparser interpolation"


def make_check(**overrides: Any) -> AlembicPercentEscape:
    """The check with the TOML's default options, overridden by keyword (snake_case)."""
    check = build_check(LESSON_ID, **overrides)
    assert isinstance(check, AlembicPercentEscape)
    return check


def run(code: str, rel: str = "alembic/env.py", **overrides: Any) -> list[Finding]:
    return judge_files(make_check(**overrides), {rel: code}, use_prefilter=False)


def flagged(code: str, rel: str = "alembic/env.py", **overrides: Any) -> list[int]:
    return [finding.line for finding in run(code, rel, **overrides)]


def only_message(code: str, rel: str = "alembic/env.py", **overrides: Any) -> str:
    findings = run(code, rel, **overrides)
    assert len(findings) == 1, [finding.message for finding in findings]
    return findings[0].message


# -- what is flagged ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ('import os\ncfg.set_main_option("sqlalchemy.url", os.environ["DB"])\n', "environment"),
        ('import os\ncfg.set_main_option("sqlalchemy.url", os.environ.get("DB"))\n', "environment"),
        ('import os\ncfg.set_main_option("sqlalchemy.url", os.getenv("DB", "x"))\n', "environment"),
        (
            'from os import environ\ncfg.set_main_option("sqlalchemy.url", environ["DB"])\n',
            'value read from the environment (environ["DB"])',
        ),
        (
            'import os as system\ncfg.set_main_option("sqlalchemy.url", system.environ["DB"])\n',
            "environment",
        ),
        (
            "from app import settings\n"
            'cfg.set_main_option("sqlalchemy.url", settings.database_url)\n',
            "setting or attribute value (settings.database_url)",
        ),
        (
            'cfg.set_main_option("sqlalchemy.url", f"postgresql://{user}:{pw}@db/app")\n',
            "f-string with interpolated values",
        ),
        (
            'cfg.set_main_option("sqlalchemy.url", "pg://{}@db".format(pw))\n',
            "str.format() with values",
        ),
        (
            'cfg.set_main_option("sqlalchemy.url", "pg://%s@db" % pw)\n',
            "%-formatting with values",
        ),
        (
            'cfg.set_main_option("sqlalchemy.url", "pg://" + pw + "@db")\n',
            "string concatenation with a value that is not %-escaped (pw)",
        ),
        ('cfg.set_main_option("sqlalchemy.url", str(url))\n', "name 'url' is not assigned"),
        (
            'cfg.set_main_option("sqlalchemy.url", build_database_url())\n',
            "value from a call that is not shown to escape '%' (build_database_url())",
        ),
        (
            'def configure(cfg, url):\n    cfg.set_main_option("sqlalchemy.url", url)\n',
            "function parameter 'url' is not %-escaped",
        ),
        (
            'cfg.set_main_option("sqlalchemy.url", url.render_as_string(hide_password=False))\n',
            "URL rendered with percent-encoding",
        ),
    ],
)
def test_unproven_values_are_flagged_with_their_reason(code: str, reason: str) -> None:
    message = only_message(code)
    assert reason in message
    assert message.startswith('set_main_option("sqlalchemy.url", ...): ')
    assert message.endswith(CONSEQUENCE)


@pytest.mark.parametrize(
    "receiver",
    ["context.config", "config", "alembic_cfg", 'Config("alembic.ini")', "self.cfg", "a.b[0]()"],
)
def test_any_receiver_counts(receiver: str) -> None:
    assert flagged(
        f'import os\n{receiver}.set_main_option("sqlalchemy.url", os.environ["X"])\n'
    ) == [2]


@pytest.mark.parametrize(
    "call",
    [
        'cfg.set_main_option("sqlalchemy.url", value=os.environ["X"])',
        'cfg.set_main_option(value=os.environ["X"], name="sqlalchemy.url")',
        'cfg.set_section_option("alembic", "sqlalchemy.url", os.environ["X"])',
        'cfg.set_section_option("alembic", "sqlalchemy.url", value=os.environ["X"])',
        'cfg.set_section_option(section="alembic", name="sqlalchemy.url", value=os.environ["X"])',
    ],
)
def test_positional_and_keyword_values(call: str) -> None:
    assert flagged(f"import os\n{call}\n") == [2]


def test_section_option_message_names_section_and_key() -> None:
    message = only_message('cfg.set_section_option("alembic", "sqlalchemy.url", value=url)\n')
    assert message.startswith('set_section_option("alembic", "sqlalchemy.url", ...): ')


def test_key_is_left_out_of_the_message_when_not_a_literal() -> None:
    message = only_message("cfg.set_main_option(KEY, os.environ['X'])\n")
    assert message.startswith("set_main_option(...): value read from the environment")


def test_exact_message_and_span_of_a_multi_line_call() -> None:
    code = """\
        import os

        def run_migrations_online():
            url = os.environ["DATABASE_URL"]
            config.set_main_option(
                "sqlalchemy.url",
                url,
            )
    """
    (finding,) = run(code)
    assert (finding.line, finding.column, finding.end_line, finding.end_column) == (5, 5, 8, 6)
    assert finding.lesson == LESSON_ID
    assert finding.message == (
        'set_main_option("sqlalchemy.url", ...): value read from the environment '
        '(os.environ["DATABASE_URL"]) is not %-escaped; '
        "a '%' in it crashes configparser interpolation"
    )


def test_the_last_assignment_before_the_call_decides_following_self_references() -> None:
    code = """\
        import os
        url = "sqlite:///local.db"
        url = os.environ["DATABASE_URL"]
        url = url.strip()
        url = url.lower()
        cfg.set_main_option("sqlalchemy.url", url)
        url = url.replace("%", "%%")
        cfg.set_main_option("sqlalchemy.url", url)
    """
    findings = run(code)
    assert [finding.line for finding in findings] == [6]
    assert 'os.environ["DATABASE_URL"]' in findings[0].message


def test_module_level_names_are_followed_into_functions() -> None:
    code = """\
        import os
        DATABASE_URL = os.environ["DATABASE_URL"]

        def run_migrations_online():
            config.set_main_option("sqlalchemy.url", DATABASE_URL)
    """
    assert flagged(code) == [5]


def test_a_local_helper_that_returns_an_unescaped_value_is_flagged() -> None:
    code = """\
        import os

        def get_url():
            if os.environ.get("CI"):
                return "sqlite://"
            return os.environ["DATABASE_URL"]

        config.set_main_option("sqlalchemy.url", get_url())
    """
    message = only_message(code)
    assert "value read from the environment" in message
    assert "(in get_url())" in message


def test_string_literal_with_an_unescaped_percent() -> None:
    message = only_message('cfg.set_main_option("sqlalchemy.url", "pg://u:p%2Bss@db/app")\n')
    assert "string literal \"pg://u:p%2Bss@db/app\" has an unescaped '%'" in message


@pytest.mark.parametrize(
    "value",
    [
        "quote_plus(password)",
        "urllib.parse.quote(password)",
        'f"postgresql://app:{quote_plus(password)}@db/app"',
        "urlencode({'password': password})",
        'str(PostgresDsn.build(scheme="postgresql", password=password, host="db"))',
        'URL.create("postgresql", password=password).render_as_string(hide_password=False)',
        'str(URL.create("postgresql", password=password))',
        "str(make_url(raw))",
        '"postgresql://app:" + quote(password, safe="") + "@db/app"',
    ],
)
def test_url_encoding_is_flagged_as_producing_percent_sequences(value: str) -> None:
    code = f"""\
        import urllib.parse
        from urllib.parse import quote, quote_plus, urlencode
        from pydantic import PostgresDsn
        from sqlalchemy.engine import URL, make_url
        cfg.set_main_option("sqlalchemy.url", {value})
    """
    message = only_message(code)
    assert "URL rendered with percent-encoding" in message
    assert "produces %XX sequences" in message


def test_url_decoding_is_no_better() -> None:
    code = """\
        from urllib.parse import unquote
        cfg.set_main_option("sqlalchemy.url", unquote(raw_url))
    """
    assert "URL-decoded value (unquote(raw_url)) can still contain a bare '%'" in only_message(code)


@pytest.mark.parametrize(
    "code",
    [
        'url = os.environ.get("DATABASE_URL") or "sqlite://"\ncfg.set_main_option("k", url)\n',
        'cfg.set_main_option("k", url.replace("%", "%%") if flag else os.environ["X"])\n',
        'if flag:\n    url = os.environ["A"]\nelse:\n    url = "sqlite://"\n'
        'cfg.set_main_option("k", url)\n',
        'url = "sqlite://"\nif flag:\n    url = os.environ["A"]\ncfg.set_main_option("k", url)\n',
        'url = "sqlite://"\nfor _ in range(3):\n    url = os.environ["A"]\n'
        'cfg.set_main_option("k", url)\n',
        'try:\n    url = os.environ["A"]\nexcept KeyError:\n    url = "sqlite://"\n'
        'cfg.set_main_option("k", url)\n',
    ],
)
def test_an_unsafe_branch_is_enough(code: str) -> None:
    assert flagged("import os\n" + code) == [code.count("\n") + 1]


@pytest.mark.parametrize(
    "value",
    [
        'os.environ["X"].replace("%%", "%")',
        'os.environ["X"].replace("%", "%%", 1)',
        'os.environ["X"].replace("%", "%25")',
        'os.environ["X"].upper()',
        'os.environ["X"].replace("%", "%%").strip("%")',
    ],
)
def test_replacements_that_do_not_escape_every_percent(value: str) -> None:
    assert flagged(f'import os\ncfg.set_main_option("k", {value})\n') == [2]


@pytest.mark.parametrize(
    "rel", ["tests/conftest.py", "tests/test_migrations.py", "scripts/migrate.py", "setup.py"]
)
def test_every_file_counts_tests_and_scripts_included(rel: str) -> None:
    code = 'import os\ncfg.set_main_option("sqlalchemy.url", os.environ["TEST_DATABASE_URL"])\n'
    assert flagged(code, rel) == [2]


# -- what is accepted ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code",
    [
        'cfg.set_main_option("sqlalchemy.url", os.environ["X"].replace("%", "%%"))\n',
        "cfg.set_main_option('sqlalchemy.url', os.environ['X'].replace('%', '%%'))\n",
        'cfg.set_main_option("sqlalchemy.url", os.environ["X"].replace(r"%", r"%%"))\n',
        'cfg.set_main_option("sqlalchemy.url", os.environ["X"].replace("%", "%%").strip())\n',
        'cfg.set_main_option("sqlalchemy.url", os.environ["X"].strip().replace("%", "%%"))\n',
        'url = os.environ["X"]\nurl = url.replace("%", "%%")\ncfg.set_main_option("k", url)\n',
        'url = os.environ["X"].replace("%", "%%")\nurl = url.rstrip("/")\n'
        'cfg.set_main_option("k", url.lower())\n',
        'url = os.environ["X"]\ncfg.set_main_option(\n    "sqlalchemy.url",\n'
        '    url.replace("%", "%%"),\n)\n',
        'PCT, ESCAPED = "%", "%%"\n'
        'cfg.set_main_option("k", os.environ["X"].replace(PCT, ESCAPED))\n',
        'cfg.set_main_option("k", re.sub("%", "%%", os.environ["X"]))\n',
        'cfg.set_main_option("k", os.environ["X"].replace("postgres://", "postgresql://")'
        '.replace("%", "%%"))\n',
    ],
)
def test_the_fix_anywhere_on_the_way(code: str) -> None:
    assert flagged("import os, re\n" + code) == []


@pytest.mark.parametrize(
    "code",
    [
        'def get_url():\n    return os.environ["X"].replace("%", "%%")\n'
        'cfg.set_main_option("k", get_url())\n',
        'def escape(value):\n    return value.replace("%", "%%")\n'
        'cfg.set_main_option("k", escape(os.environ["X"]))\n',
        'def get_url():\n    url = os.environ.get("X")\n    if not url:\n        return None\n'
        '    return url.replace("%", "%%")\ncfg.set_main_option("k", get_url())\n',
        'def with_default(url="sqlite:///app.db"):\n    return url\n'
        'cfg.set_main_option("k", with_default())\n',
        'def run():\n    cfg.set_main_option("k", get_url())\n'
        'def get_url():\n    return os.environ["X"].replace("%", "%%")\n',
        'async def get_url():\n    return os.environ["X"].replace("%", "%%")\n'
        'async def run():\n    cfg.set_main_option("k", await get_url())\n',
    ],
)
def test_a_local_helper_whose_every_return_is_safe(code: str) -> None:
    assert flagged("import os\n" + code) == []


def test_a_helper_called_with_an_unsafe_argument_is_judged_by_that_argument() -> None:
    code = """\
        import os
        def with_scheme(url):
            return "postgresql://" + url
        cfg.set_main_option("k", with_scheme("db/app"))
        cfg.set_main_option("k", with_scheme(os.environ["X"]))
    """
    assert flagged(code) == [5]


@pytest.mark.parametrize(
    "literal",
    [
        '"postgresql://app@db/app"',
        '"postgresql://app:p%%2Bss@db/app"',
        '"sqlite:///%(here)s/app.db"',
        "'%(here)s/migrations'",
        '"%%(rev)s_%%(slug)s"',
        "'''sqlite:///app.db'''",
        '"sqlite:///" "%(here)s/app.db"',
        "None",
        "42",
    ],
)
def test_literals_without_a_bare_percent(literal: str) -> None:
    assert flagged(f'cfg.set_main_option("sqlalchemy.url", {literal})\n') == []


@pytest.mark.parametrize(
    "value",
    [
        'os.environ.get("X", "").replace("%", "%%") or "sqlite://"',
        '(os.environ.get("X") or "sqlite://").replace("%", "%%")',
        '"sqlite://" if testing else os.environ["X"].replace("%", "%%")',
        "f\"postgresql://{user.replace('%', '%%')}@db:{int(port)}/app\"",
        '"pg://%s@db" % (os.environ["U"].replace("%", "%%"),)',
        '"pg://{}@db".format(os.environ["U"].replace("%", "%%"))',
        '"/".join(["sqlite:", "", "app.db"])',
    ],
)
def test_conditionals_and_compositions_of_safe_parts(value: str) -> None:
    assert flagged(f'import os\ncfg.set_main_option("sqlalchemy.url", {value})\n') == []


@pytest.mark.parametrize(
    "code",
    [
        'context.configure(url=os.environ["X"], target_metadata=None)\n',
        'engine = create_engine(os.environ["X"])\n',
        "section = config.get_section(config.config_ini_section, {})\n"
        'section["sqlalchemy.url"] = os.environ["X"]\n'
        'engine = engine_from_config(section, prefix="sqlalchemy.")\n',
        'with engine.connect() as connection:\n    config.attributes["connection"] = connection\n',
        'config.set_main_option_later("sqlalchemy.url", os.environ["X"])\n',
        'DOC = \'config.set_main_option("sqlalchemy.url", os.environ["X"])\'\n',
        '# config.set_main_option("sqlalchemy.url", os.environ["X"])\n',
    ],
)
def test_urls_that_never_reach_configparser(code: str) -> None:
    assert flagged("import os\n" + code) == []


PATH_VALUES = [
    "os.path.dirname(__file__)",
    'os.path.join(os.path.dirname(os.path.abspath(__file__)), "migrations")',
    'str(Path(__file__).parent / "migrations")',
    'str(pathlib.Path(__file__).resolve().parents[1] / "alembic")',
    'Path("migrations").as_posix()',
    "os.getcwd()",
    'f"{HERE}/migrations"',
    'str(tmp_path / "migrations")',
    "os.fspath(HERE)",
]


@pytest.mark.parametrize("value", PATH_VALUES)
def test_path_values_are_trusted_by_default(value: str) -> None:
    code = f"""\
        import os, pathlib
        from pathlib import Path
        HERE = Path(__file__).parent
        def fixture(tmp_path):
            cfg.set_main_option("script_location", {value})
    """
    assert flagged(code) == []
    message = only_message(code, trust_path_values=False)
    assert message.startswith('set_main_option("script_location", ...): filesystem path (')
    assert "trust-path-values is off" in message


def test_a_path_built_from_a_value_with_a_bare_percent_is_still_flagged() -> None:
    code = 'import os\ncfg.set_main_option("script_location", os.path.join("100%", "m"))\n'
    assert flagged(code) == [2]


def test_escape_helpers_option_trusts_helpers_defined_elsewhere() -> None:
    code = """\
        from app.db import alembic_url
        from app import db
        cfg.set_main_option("sqlalchemy.url", alembic_url())
        cfg.set_main_option("sqlalchemy.url", db.alembic_url())
        cfg.set_main_option("sqlalchemy.url", self.alembic_url())
    """
    assert flagged(code) == [3, 4, 5]
    assert flagged(code, escape_helpers=["app.db.alembic_url"]) == [5]
    assert flagged(code, escape_helpers=["alembic_url"]) == []


@pytest.mark.parametrize(
    "code",
    [
        "cfg.set_main_option()\n",
        'cfg.set_main_option("sqlalchemy.url")\n',
        "cfg.set_main_option(*args)\n",
        "cfg.set_main_option(**options)\n",
        'cfg.set_section_option("alembic", *rest)\n',
        '(lambda: cfg)().set_main_option("k", "v")\n',
        'cfg.set_main_option("k", "v", "extra", more=1)\n',
        "set_main_option(os.environ['X'])\n",
        "getattr(cfg, 'set_main_option')('k', os.environ['X'])\n",
    ],
)
def test_unreadable_calls_are_not_flagged(code: str) -> None:
    assert flagged("import os\n" + code) == []


@pytest.mark.parametrize(
    "code",
    [
        'f = lambda url: cfg.set_main_option("k", url)\n',
        '[cfg.set_main_option("k", v) for v in values]\n',
        'cfg.set_main_option(*args, value=os.environ["X"])\n',
        'def recurse():\n    return recurse()\ncfg.set_main_option("k", recurse())\n',
        'a = b\nb = a\ncfg.set_main_option("k", a)\n',
        'with open(p) as url:\n    cfg.set_main_option("k", url)\n',
    ],
)
def test_odd_shapes_with_an_unproven_value_are_flagged(code: str) -> None:
    assert flagged("import os\n" + code) != []


def test_loop_over_a_literal_tuple_of_safe_values() -> None:
    code = """\
        for key, value in {"script_location": "migrations", "sqlalchemy.url": "sqlite://"}.items():
            cfg.set_main_option(key, value)
        for value in ("a", "b"):
            cfg.set_main_option("k", value)
        for value in ("a", os.environ["X"]):
            cfg.set_main_option("k", value)
    """
    assert flagged(code) == [6]


# -- precision: path options, laundering, temp dirs, forwarding, bindings ----------------------


def _message(detail: str, call: str = 'set_main_option("sqlalchemy.url", ...)') -> str:
    return f"{call}: {detail}; {CONSEQUENCE}"


PATH_KEY_CODE = """\
    import os
    from urllib.parse import quote
    cfg.set_main_option("script_location", os.environ["MIGRATIONS_DIR"])
    cfg.set_main_option("Version_Locations", settings.VERSIONS)
    cfg.set_section_option("alembic", "prepend_sys_path", directory)
    cfg.set_main_option("sqlalchemy.url", os.environ["DATABASE_URL"])
    cfg.set_main_option("script_location", "100%")
    cfg.set_main_option("script_location", quote(settings.DIR))
    cfg.set_main_option(key, os.environ["X"])
    cfg.set_main_option("plugin_dir", settings.PLUGIN_DIR)
"""


def test_path_options_of_unknown_origin_are_judged_as_paths() -> None:
    findings = run(PATH_KEY_CODE)
    assert [finding.line for finding in findings] == [6, 7, 8, 9, 10]
    assert findings[0].message == _message(
        'value read from the environment (os.environ["DATABASE_URL"]) is not %-escaped'
    )
    assert findings[1].message == _message(
        "string literal \"100%\" has an unescaped '%'", 'set_main_option("script_location", ...)'
    )
    assert findings[2].message == _message(
        "URL rendered with percent-encoding (quote(settings.DIR)) produces %XX sequences",
        'set_main_option("script_location", ...)',
    )


def test_path_options_follow_trust_path_values() -> None:
    findings = run(PATH_KEY_CODE, trust_path_values=False)
    assert [finding.line for finding in findings] == [3, 4, 5, 6, 7, 8, 9, 10]
    assert findings[0].message == _message(
        'value read from the environment (os.environ["MIGRATIONS_DIR"]) is not %-escaped '
        "(a path option, and trust-path-values is off)",
        'set_main_option("script_location", ...)',
    )
    assert findings[2].message == _message(
        "name 'directory' is not assigned in this file, so it is not shown to escape '%' "
        "(a path option, and trust-path-values is off)",
        'set_section_option("alembic", "prepend_sys_path", ...)',
    )


def test_path_keys_option_is_extendable() -> None:
    assert flagged(PATH_KEY_CODE, path_keys=["plugin_dir"]) == [3, 4, 5, 6, 7, 8, 9]


@pytest.mark.parametrize(
    ("value", "culprit"),
    [
        (
            'os.path.join(os.environ["DATABASE_URL"])',
            'value read from the environment (os.environ["DATABASE_URL"]) is not %-escaped',
        ),
        (
            '"sqlite:///" + str(Path(os.environ["DB_FILE"]).resolve())',
            "string concatenation with a value that is not %-escaped "
            '(str(Path(os.environ["DB_FILE"]).resolve()))',
        ),
        (
            'str(Path(settings.DATA) / "app.db")',
            "setting or attribute value (settings.DATA) is not %-escaped",
        ),
        (
            'tempfile.mkdtemp(dir=os.environ["TMP"])',
            'value read from the environment (os.environ["TMP"]) is not %-escaped',
        ),
    ],
)
def test_path_functions_do_not_launder_their_inputs(value: str, culprit: str) -> None:
    code = f"""\
        import os, tempfile
        from pathlib import Path
        cfg.set_main_option("sqlalchemy.url", {value})
    """
    assert only_message(code) == _message(culprit)


TEMP_AND_CONSTANT_VALUES = [
    "tempfile.gettempdir()",
    'tempfile.mkdtemp(prefix="alembic-")',
    "tempfile.TemporaryDirectory().name",
    "TemporaryDirectory().name",
    "scratch.name",
    "workdir",
]


@pytest.mark.parametrize("value", TEMP_AND_CONSTANT_VALUES)
def test_temporary_directories_are_paths(value: str) -> None:
    code = f"""\
        import tempfile
        from tempfile import TemporaryDirectory
        scratch = tempfile.TemporaryDirectory()
        with TemporaryDirectory() as workdir:
            cfg.set_main_option("k", {value})
    """
    assert flagged(code) == []
    assert "trust-path-values is off" in only_message(code, trust_path_values=False)


@pytest.mark.parametrize(
    "value",
    [
        'os.pathsep.join(["a", "b"])',
        "os.sep + os.linesep + os.curdir + os.pardir + os.path.sep + os.extsep",
        '"a%(sep)sb" % {"sep": os.pathsep}',
    ],
)
def test_os_separators_are_percent_free_constants(value: str) -> None:
    assert flagged(f'import os\ncfg.set_main_option("k", {value})\n', trust_path_values=False) == []


def test_other_with_targets_stay_opaque() -> None:
    code = 'with open("f") as handle:\n    cfg.set_main_option("k", handle)\n'
    assert only_message(code) == _message(
        "'handle' (bound by with/except/match or a def) is not shown to escape '%'",
        'set_main_option("k", ...)',
    )


def test_a_setters_own_forwarding_is_not_flagged() -> None:
    code = """\
        import os
        class MyConfig(Config):
            def set_main_option(self, name, value):
                self.set_section_option(self.config_ini_section, name, value)

            def set_section_option(self, section, name, value):
                self.file_config.set(section, name, value)
                self.file_config.set(section, name, os.environ["X"])

        def configure(cfg, value):
            cfg.set_main_option("k", value)
    """
    findings = run(code)
    assert [(finding.line, finding.message) for finding in findings] == [
        (
            8,
            _message(
                'value read from the environment (os.environ["X"]) is not %-escaped',
                "file_config.set(...)",
            ),
        ),
        (11, _message("function parameter 'value' is not %-escaped", 'set_main_option("k", ...)')),
    ]


def test_file_config_set_is_a_sink() -> None:
    code = """\
        import os
        cfg.file_config.set("alembic", "sqlalchemy.url", os.environ["DATABASE_URL"])
        cfg.file_config.set("alembic", "sqlalchemy.url", os.environ["URL"].replace("%", "%%"))
        cfg.file_config.set("alembic", "script_location", settings.MIGRATIONS)
        parser.set("alembic", "sqlalchemy.url", os.environ["DATABASE_URL"])
    """
    (finding,) = run(code)
    assert (finding.line, finding.column) == (2, 1)
    assert finding.message == _message(
        'value read from the environment (os.environ["DATABASE_URL"]) is not %-escaped',
        'file_config.set("alembic", "sqlalchemy.url", ...)',
    )


def test_walrus_binds_a_name() -> None:
    code = """\
        import os
        if (loc := "migrations"):
            cfg.set_main_option("script_location", loc)
        if (url := os.environ.get("DATABASE_URL")):
            cfg.set_main_option("sqlalchemy.url", url)
        if any((found := u) for u in ["sqlite://"]):
            cfg.set_main_option("k", found)
    """
    findings = run(code, trust_path_values=False)
    assert [(finding.line, finding.message) for finding in findings] == [
        (
            5,
            _message(
                'value read from the environment (os.environ.get("DATABASE_URL")) is not %-escaped'
            ),
        )
    ]


PARAMETRIZED = """\
    import os
    import pytest
    from sqlalchemy import testing

    CASES = ["a", "b:c"]

    @pytest.mark.parametrize("sep", ["space", "os", ":"])
    def test_one(sep):
        cfg.set_main_option("path_separator", sep)

    @pytest.mark.parametrize("url, loc", [("sqlite://", "m"), pytest.param("sqlite:///", "n")])
    def test_two(url, loc):
        cfg.set_main_option("sqlalchemy.url", url)
        cfg.set_main_option("k", loc)

    @pytest.mark.parametrize(["url"], [("sqlite://",)])
    def test_three(url):
        cfg.set_main_option("sqlalchemy.url", url)

    @pytest.mark.parametrize(argnames="value", argvalues=CASES)
    def test_four(value):
        cfg.set_main_option("k", "a%(sep)sb" % {"sep": value})

    class TestCombinations:
        @testing.combinations(("space", "a b"), (":", "a:b"), argnames="sep, value")
        def test_five(self, sep, value):
            cfg.set_main_option("k", sep + value)

        @testing.combinations(("plain", ".", None), ("two", "/a:/b", ":"), id_="iaa")
        def test_six(self, value, sep):
            cfg.set_main_option("k", value)
            cfg.set_main_option("k", sep)

    @pytest.mark.parametrize("url", ["sqlite://", "postgresql://u:p%2B@db/app"])
    def test_seven(url):
        cfg.set_main_option("sqlalchemy.url", url)

    @pytest.mark.parametrize("url", [os.environ["DATABASE_URL"]])
    def test_eight(url):
        cfg.set_main_option("sqlalchemy.url", url)

    @pytest.mark.parametrize("url", make_cases())
    def test_nine(url):
        cfg.set_main_option("sqlalchemy.url", url)
"""


def test_parametrized_parameters_are_the_union_of_their_cases() -> None:
    findings = run(PARAMETRIZED, "tests/test_migrations.py", trust_path_values=False)
    assert [(finding.line, finding.message) for finding in findings] == [
        (
            36,
            _message("string literal \"postgresql://u:p%2B@db/app\" has an unescaped '%'"),
        ),
        (
            40,
            _message(
                'value read from the environment (os.environ["DATABASE_URL"]) is not %-escaped'
            ),
        ),
        (44, _message("function parameter 'url' is not %-escaped")),
    ]


PRIVATE_HELPERS = """\
    import os

    def _make(url):
        cfg = Config()
        cfg.set_main_option("sqlalchemy.url", url)
        return cfg

    def _other(url, loc="migrations"):
        Config().set_main_option("sqlalchemy.url", url)
        Config().set_main_option("k", loc)

    def _never_called(url):
        Config().set_main_option("sqlalchemy.url", url)

    def public(url):
        Config().set_main_option("sqlalchemy.url", url)

    def _passed_on(url):
        Config().set_main_option("sqlalchemy.url", url)

    _make(os.environ["DATABASE_URL"].replace("%", "%%"))
    _make("sqlite://")
    _other("sqlite://")
    _other("sqlite://", os.environ["X"])
    _other(url=os.environ["DATABASE_URL"])
    public("sqlite://")
    callbacks = [_passed_on]
    _passed_on("sqlite://")
"""


def test_a_private_helpers_parameter_is_judged_by_its_callers() -> None:
    findings = run(PRIVATE_HELPERS)
    assert [(finding.line, finding.message) for finding in findings] == [
        (
            9,
            _message(
                'value read from the environment (os.environ["DATABASE_URL"]) is not %-escaped '
                "(passed as 'url' to _other() at line 25)"
            ),
        ),
        (
            10,
            _message(
                'value read from the environment (os.environ["X"]) is not %-escaped '
                "(passed as 'loc' to _other() at line 24)",
                'set_main_option("k", ...)',
            ),
        ),
        (13, _message("function parameter 'url' is not %-escaped")),
        (16, _message("function parameter 'url' is not %-escaped")),
        (19, _message("function parameter 'url' is not %-escaped")),
    ]


def test_private_helpers_chain_and_recurse() -> None:
    code = """\
        import os
        def _make(url):
            Config().set_main_option("sqlalchemy.url", url)
        def _chain(url):
            _make(url)
        def _loop(url):
            Config().set_main_option("k", url)
            _loop(url)
        def _spin(url):
            Config().set_main_option("k", url)
            _spin(url)
        _chain(os.environ["U"])
        _loop("sqlite://")
    """
    findings = run(code)
    assert [(finding.line, finding.message) for finding in findings] == [
        (
            3,
            _message(
                'value read from the environment (os.environ["U"]) is not %-escaped '
                "(passed as 'url' to _chain() at line 12) (passed as 'url' to _make() at line 5)"
            ),
        ),
        (10, _message("function parameter 'url' is not %-escaped", 'set_main_option("k", ...)')),
    ]


def test_loop_over_a_literal_held_in_an_attribute_of_the_same_function() -> None:
    code = """\
        import os
        class T:
            def setUp(self):
                self.projects = ("core", "plugin-a")
                for project in self.projects:
                    cfg.set_main_option("project", project)
                    cfg.set_main_option("module", ":".join([project.replace("-", "_"), "m"]))

            def other_method(self):
                for project in self.projects:
                    cfg.set_main_option("project", project)

            def unsafe(self):
                self.urls = [os.environ["A"]]
                for url in self.urls:
                    cfg.set_main_option("sqlalchemy.url", url)
    """
    findings = run(code)
    assert [(finding.line, finding.message) for finding in findings] == [
        (
            11,
            _message(
                "loop variable 'project' takes values that are not shown to escape '%'",
                'set_main_option("project", ...)',
            ),
        ),
        (
            16,
            _message('value read from the environment (os.environ["A"]) is not %-escaped'),
        ),
    ]


# -- the check's declaration, facts and lesson data --------------------------------------------


def test_declaration() -> None:
    assert AlembicPercentEscape.prefilter == (
        b"set_main_option",
        b"set_section_option",
        b"file_config",
        b"sqlalchemy.url",
    )
    assert AlembicPercentEscape.file_kinds == frozenset({FileKind.PYTHON, FileKind.INI})
    check = make_check()
    assert not check.applies_to(SourceFile.from_text("app/db.py", "engine = create_engine(u)\n"))
    assert check.applies_to(SourceFile.from_text("alembic.ini", "sqlalchemy.url = x\n"))
    assert not check.applies_to(SourceFile.from_text("web/index.ts", "set_main_option()"))


def test_options_have_no_defaults_outside_the_toml() -> None:
    with pytest.raises(ValidationError, match="trust-path-values"):
        AlembicPercentEscapeOptions.model_validate({"escape-helpers": []})
    with pytest.raises(ValidationError, match="extra"):
        AlembicPercentEscapeOptions.model_validate({**SPEC.options, "trust-paths": True})
    assert SPEC.options == {
        "trust-path-values": True,
        "escape-helpers": [],
        "path-keys": [
            "script_location",
            "version_locations",
            "prepend_sys_path",
            "path_separator",
            "version_path_separator",
            "here",
        ],
    }


def test_lesson_toml() -> None:
    assert SPEC.id == LESSON_ID
    assert SPEC.check == "pytest_lessons.checks.alembic_percent_escape:AlembicPercentEscape"
    assert 2 <= SPEC.why.count(". ") + 1 <= 4
    assert 'replace("%", "%%")' in SPEC.fix
    assert "api/alembic/env.py" in SPEC.source.summary
    assert flagged(SPEC.examples.bad) != []
    assert flagged(SPEC.examples.good) == []


def test_facts_are_serializable_and_record_every_write() -> None:
    code = """\
        import os
        cfg.set_main_option("script_location", os.path.dirname(__file__))
        cfg.set_main_option("sqlalchemy.url", os.environ["X"].replace("%", "%%"))
        cfg.set_section_option("alembic", "sqlalchemy.url", os.environ["X"])
        cfg.set_main_option()
    """
    check = make_check()
    facts = check.extract(SourceFile.from_text("env.py", textwrap.dedent(code)))
    writes = facts.python.writes
    assert [(write.kind, write.key, write.verdict, write.reason) for write in writes] == [
        ("set_main_option", "script_location", "path", "path"),
        ("set_main_option", "sqlalchemy.url", "safe", "none"),
        ("set_section_option", "sqlalchemy.url", "unsafe", "environment"),
        ("set_main_option", None, "unreadable", "unreadable"),
    ]
    assert writes[2].section == "alembic"
    again = AlembicPercentEscape.facts_model.model_validate_json(facts.model_dump_json())
    assert again == facts


def test_files_without_a_setter_are_not_parsed() -> None:
    source = SourceFile.from_text("models.py", 'URL_KEY = "sqlalchemy.url"\ndef (:\n')
    assert make_check().extract(source).python.writes == []


def test_syntax_errors_become_analysis_errors() -> None:
    source = SourceFile.from_text("env.py", 'cfg.set_main_option("k", (\n')
    with pytest.raises(AnalysisError):
        make_check().extract(source)


# -- the example trees --------------------------------------------------------------------------

_EXPECT = re.compile(r"(?:#|;)\s*lessons:\s*expect\[(?P<ids>[^\]]*)\]")
Mark = tuple[str, int]


def _tree_files(root: Path) -> list[SourceFile]:
    files = []
    for path in sorted(root.rglob("*")):
        kind = kind_of(path.name)
        if path.is_file() and kind is not None:
            files.append(
                SourceFile(path, path.relative_to(root).as_posix(), kind, path.read_bytes())
            )
    return files


def _expected_marks(files: list[SourceFile]) -> set[Mark]:
    marks: set[Mark] = set()
    for source in files:
        for number, line in enumerate(source.lines, start=1):
            match = _EXPECT.search(line)
            if match and LESSON_ID in [part.strip() for part in match.group("ids").split(",")]:
                standalone = not line[: match.start()].strip()
                marks.add((source.rel, number + 1 if standalone else number))
    return marks


def _found_marks(files: list[SourceFile], *, use_prefilter: bool) -> set[Mark]:
    check = make_check()
    found: set[Mark] = set()
    for source in files:
        if check.applies_to(source, use_prefilter=use_prefilter):
            found |= {
                (f.path or "", f.line) for f in check.judge({source.rel: check.extract(source)})
            }
    return found


@pytest.mark.parametrize("use_prefilter", [True, False], ids=["prefilter", "no-prefilter"])
@pytest.mark.parametrize("tree", ["bad", "good"])
def test_example_tree_matches_its_annotations(tree: str, use_prefilter: bool) -> None:
    files = _tree_files(EXAMPLES_DIR / tree)
    expected = _expected_marks(files)
    found = _found_marks(files, use_prefilter=use_prefilter)
    assert sorted(found - expected) == [], "unexpected findings"
    assert sorted(expected - found) == [], "missed findings"
    assert (tree == "bad") == bool(expected)


def test_example_trees_hold_the_incident_shape_and_no_test_modules() -> None:
    bad = _expected_marks(_tree_files(EXAMPLES_DIR / "bad"))
    assert {"api/alembic/env.py", "common/alembic/env.py", "alembic.ini"} <= {
        path for path, _ in bad
    }
    for path in EXAMPLES_DIR.rglob("*.py"):
        assert not path.name.startswith("test_"), path
        assert path.name != "conftest.py", path


# -- properties ---------------------------------------------------------------------------------

_TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=40)
_QUOTERS: list[Callable[[str], str]] = [
    urllib.parse.quote,
    urllib.parse.quote_plus,
    lambda text: urllib.parse.quote(text, safe=""),
]


def _parser() -> configparser.ConfigParser:
    parser = configparser.ConfigParser()
    parser.add_section("alembic")
    return parser


@given(user=_TEXT, password=_TEXT, quoter=st.sampled_from(_QUOTERS))
def test_the_fix_round_trips_any_quoted_url(
    user: str, password: str, quoter: Callable[[str], str]
) -> None:
    url = f"postgresql+psycopg2://{quoter(user)}:{quoter(password)}@db:5432/app"
    parser = _parser()
    parser.set("alembic", "sqlalchemy.url", url.replace("%", "%%"))
    assert parser.get("alembic", "sqlalchemy.url") == url
    if "%" in url:
        with pytest.raises(ValueError, match="invalid interpolation syntax"):
            parser.set("alembic", "sqlalchemy.url", url)


_LITERAL_TEXT = st.text(alphabet=st.sampled_from("%()sa:/@+2B\\'\"x"), max_size=16) | _TEXT


@given(text=_LITERAL_TEXT)
def test_literal_verdict_agrees_with_configparser_set(text: str) -> None:
    try:
        _parser().set("alembic", "sqlalchemy.url", text)
    except ValueError:
        rejected = True
    else:
        rejected = False
    code = f'cfg.set_main_option("sqlalchemy.url", {text!r})\n'
    assert (flagged(code) == [1]) is rejected


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(text=st.text(max_size=200), rel=st.sampled_from(["env.py", "alembic.ini", "setup.cfg"]))
def test_extract_never_raises_but_analysis_error_on_any_text(text: str, rel: str) -> None:
    check = make_check()
    source = SourceFile.from_text(rel, "set_main_option(" + text)
    try:
        facts = check.extract(source)
    except AnalysisError:
        return
    list(check.judge({rel: facts}))


_ATOMS = st.sampled_from(
    [
        'os.environ["X"]',
        'environ.get("X", "d")',
        "url",
        "value",
        "key",
        '"lit%"',
        '"%%"',
        "'%(here)s'",
        "__file__",
        "settings.db",
        "get_url()",
        "quote_plus(pw)",
        'URL.create("pg")',
        "Path(__file__)",
        "None",
        "42",
        "self",
        "x[0]",
        "cfg",
    ]
)


def _expressions() -> st.SearchStrategy[str]:
    return st.recursive(
        _ATOMS,
        lambda inner: st.one_of(
            st.tuples(inner, inner).map(lambda pair: f"{pair[0]} + {pair[1]}"),
            st.tuples(inner, inner).map(lambda pair: f"({pair[0]} or {pair[1]})"),
            st.tuples(inner, inner, inner).map(lambda t: f"({t[0]} if {t[1]} else {t[2]})"),
            st.tuples(inner, inner).map(lambda pair: f"{pair[0]} / {pair[1]}"),
            inner.map(lambda e: f'{e}.replace("%", "%%")'),
            inner.map(lambda e: f'{e}.replace("a", {e})'),
            inner.map(lambda e: f"{e}.strip()"),
            inner.map(lambda e: f"{e}.parent"),
            inner.map(lambda e: f'f"pg://{{{e}}}@h"'),
            inner.map(lambda e: f"str({e})"),
            inner.map(lambda e: f"'%s' % ({e},)"),
            inner.map(lambda e: f"'{{}}'.format({e})"),
            inner.map(lambda e: f"(lambda url: {e})({e})"),
            inner.map(lambda e: f"[{e} for value in {e}]"),
            inner.map(lambda e: f"get_url({e}, *{e})"),
            inner.map(lambda e: f"os.path.join({e})"),
            inner.map(lambda e: f"(url := {e})"),
        ),
        max_leaves=6,
    )


def _statements(expression: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    templates = [
        "url = {e}",
        "url += {e}",
        "value = {e}",
        "url, value = value, {e}",
        "url, *value = {e}",
        "if {e}:\n    url = {e}\nelif {e}:\n    return {e}\nelse:\n    raise {e}",
        "for url in [{e}, {e}]:\n    value = url\nelse:\n    url = {e}",
        "while {e}:\n    url = {e}\n    break",
        "cfg.set_main_option('sqlalchemy.url', {e})",
        "cfg.set_section_option('s', key, value={e})",
        "{e}.set_main_option(key, {e})",
        "def get_url(p=None, *a, k={e}, **kw):\n    return {e}",
        "def get_url(url):\n    cfg.set_main_option('k', url)\n    return get_url({e})",
        "async def get_url():\n    return await {e}",
        "try:\n    url = {e}\nexcept Exception as url:\n    value = {e}\nelse:\n    pass\n"
        "finally:\n    url = url",
        "with open({e}) as url, open({e}):\n    cfg.set_main_option('k', url)",
        "import os\nfrom os import environ\nfrom urllib.parse import quote_plus as q",
        "from . import settings\nfrom .x import *",
        "class C:\n    url = {e}\n    def m(self):\n        self.cfg.set_main_option('k', url)",
        "match {e}:\n    case {{'a': url}}:\n        pass\n    case _:\n        url = {e}",
        "global url\ndel value",
    ]
    return st.tuples(st.sampled_from(templates), st.lists(expression, min_size=8, max_size=8)).map(
        lambda pair: _fill(pair[0], pair[1])
    )


def _fill(template: str, expressions: list[str]) -> str:
    parts = template.replace("{{", "\x01").replace("}}", "\x02").split("{e}")
    filled = parts[0]
    for index, part in enumerate(parts[1:]):
        filled += expressions[index % len(expressions)] + part
    return filled.replace("\x01", "{").replace("\x02", "}")


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None, max_examples=150)
@given(
    body=st.lists(_statements(_expressions()), min_size=1, max_size=6),
    last=_expressions(),
    inside_function=st.booleans(),
)
def test_generated_python_never_crashes_and_the_fix_always_satisfies(
    body: list[str], last: str, inside_function: bool
) -> None:
    lines = [*body, f'cfg.set_main_option("k", ({last}).replace("%", "%%"))']
    lines.append(f'cfg.set_main_option("k", quote_plus({last}))')
    code = "\n".join(lines) + "\n"
    if inside_function:
        code = "def run_migrations(url, value):\n" + textwrap.indent(code, "    ")
    check = make_check(trust_path_values=False)
    try:
        facts = check.extract(SourceFile.from_text("env.py", code))
    except AnalysisError:
        return
    findings = list(check.judge({"env.py": facts}))
    assert all("\n" not in finding.message for finding in findings)
    last_lines = {write.line: write.verdict for write in facts.python.writes}
    fix_line = code.count("\n") - 1
    assert last_lines[fix_line] == "safe"
    assert last_lines[fix_line + 1] == "unsafe"
