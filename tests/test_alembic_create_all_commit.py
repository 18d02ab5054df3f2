"""alembic-create-all-commit: snippets with exact verdicts, the SQLAlchemy pin, and a property.

The verdicts follow what alembic and SQLAlchemy 2.0 really do (checked against alembic 1.20 with
SQLAlchemy 2.0.58 and 2.1.9): `context.configure()` decides whether the connection is already in
the caller's transaction, so the commit has to come before it; a statement after `configure` is
committed by `begin_transaction()`; `begin_nested()` autobegins the outer transaction.
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pytest_lessons
from pytest_lessons.checks.alembic_create_all_commit import (
    AlembicCreateAllCommit,
    AlembicCreateAllCommitFacts,
    AlembicCreateAllCommitOptions,
    caps_below_2,
    poetry_caps_below_2,
    sqlalchemy_requirement,
)
from pytest_lessons.findings import Finding
from pytest_lessons.lesson_spec import LessonSpec
from pytest_lessons.options import kebab
from pytest_lessons.source import AnalysisError, SourceFile
from pytest_lessons.testing import check_example_tree, run_lessons

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - 3.10 only
    import tomli as tomllib

LESSON_ID = "alembic-create-all-commit"
LESSONS_DIR = Path(pytest_lessons.__file__).parent / "lessons"
EXAMPLES_DIR = LESSONS_DIR / LESSON_ID
SPEC = LessonSpec.model_validate(
    tomllib.loads((LESSONS_DIR / f"{LESSON_ID}.toml").read_text(encoding="utf-8"))
)
HEADER = "from alembic import context\nfrom sqlalchemy import create_engine, text\n"


def make_check(**overrides: Any) -> AlembicCreateAllCommit:
    options = {**SPEC.options, **{kebab(key): value for key, value in overrides.items()}}
    return AlembicCreateAllCommit(SPEC, AlembicCreateAllCommitOptions.model_validate(options))


def run(code: str, files: dict[str, str] | None = None, **overrides: Any) -> list[Finding]:
    """Findings for `alembic/env.py` holding HEADER + `code`, beside optional other files."""
    check = make_check(**overrides)
    sources = {"alembic/env.py": HEADER + textwrap.dedent(code), **(files or {})}
    facts: dict[str, AlembicCreateAllCommitFacts] = {}
    for rel, text in sources.items():
        source = SourceFile.from_text(rel, text)
        if check.applies_to(source, use_prefilter=False):
            facts[rel] = check.extract(source)
    return list(check.judge(facts))


def flagged(code: str, files: dict[str, str] | None = None, **overrides: Any) -> list[int]:
    """Flagged lines, numbered within `code` (the header is not counted)."""
    offset = HEADER.count("\n")
    return [finding.line - offset for finding in run(code, files, **overrides)]


INCIDENT = """\
engine = create_engine(URL)
with engine.connect() as connection:
    Base.metadata.create_all(connection)
    context.configure(connection=connection, target_metadata=Base.metadata)
    with context.begin_transaction():
        context.run_migrations()
"""


# -- what is flagged ----------------------------------------------------------------------------


def test_the_incident_is_flagged_with_the_whole_story() -> None:
    [finding] = run(INCIDENT)
    assert (finding.line, finding.column) == (5, 5)
    assert finding.message == (
        "Base.metadata.create_all(connection) runs on connection 'connection' and SQLAlchemy 2.0 "
        "does not autocommit it: alembic then sees an open transaction, leaves it to the caller "
        "and never commits it, so this work and every migration are rolled back when the "
        "connection closes (tables silently missing); call connection.commit() right after it, "
        "before context.configure(), or run it in `with engine.begin() as conn:`"
    )


@pytest.mark.parametrize(
    "statement",
    [
        "Base.metadata.create_all(connection)",
        "Base.metadata.create_all(bind=connection)",
        "Base.metadata.drop_all(connection)",
        "SQLModel.metadata.create_all(connection, checkfirst=True)",
        'connection.execute(text("SELECT pg_advisory_lock(1)"))',
        'connection.exec_driver_sql("CREATE SCHEMA IF NOT EXISTS app")',
        'connection.scalar(text("SELECT 1"))',
        "status_enum.create(connection, checkfirst=True)",
    ],
)
def test_anything_run_before_configure_is_flagged(statement: str) -> None:
    code = INCIDENT.replace("Base.metadata.create_all(connection)", statement)
    assert flagged(code) == [3]


@pytest.mark.parametrize(
    "opening",
    [
        "with engine.connect() as c:",
        "with create_engine(URL).connect() as c:",
        "with engine.connect().execution_options(stream_results=False) as c:",
    ],
)
def test_connections_named_anything(opening: str) -> None:
    code = f"""\
    engine = create_engine(URL)
    {opening}
        meta.create_all(c)
        context.configure(connection=c)
        context.run_migrations()
    """
    assert flagged(code) == [3]


def test_connection_from_config_attributes() -> None:
    code = """\
    conn = context.config.attributes.get("connection")
    meta.create_all(conn)
    context.configure(connection=conn)
    """
    assert flagged(code) == [2]


def test_a_parameter_handed_to_configure_is_a_connection() -> None:
    code = """\
    def do_run_migrations(connection):
        Base.metadata.create_all(connection)
        context.configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
    """
    assert flagged(code) == [2]


def test_a_commit_after_configure_is_too_late() -> None:
    code = INCIDENT.replace(
        "    with context.begin_transaction():",
        "    connection.commit()\n    with context.begin_transaction():",
    )
    [finding] = run(code)
    assert finding.line == 5
    assert "the connection.commit() on line 7 comes after context.configure()" in finding.message
    assert finding.message.endswith("move the commit before context.configure()")


def test_begin_nested_alone_is_flagged_at_the_savepoint() -> None:
    code = """\
    with engine.connect() as connection:
        with connection.begin_nested():
            Base.metadata.create_all(connection)
        context.configure(connection=connection)
        context.run_migrations()
    """
    [finding] = run(code)
    assert finding.line - HEADER.count("\n") == 2
    assert "autobegins an outer transaction" in finding.message


def test_ddl_left_uncommitted_when_the_connection_closes() -> None:
    code = """\
    with engine.connect() as connection:
        connection.execute(text("CREATE SCHEMA audit"))
    with engine.connect() as connection:
        context.configure(connection=connection)
    """
    [finding] = run(code)
    assert finding.line - HEADER.count("\n") == 2
    assert "rolled back when the connection closes" in finding.message


def test_async_run_sync_bootstrap_is_flagged_and_the_fix_is_awaited() -> None:
    code = """\
    def do_run_migrations(connection):
        context.configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()

    async def main():
        async with engine.connect() as connection:
            await connection.run_sync(Base.metadata.create_all)
            await connection.run_sync(do_run_migrations)
    """
    [finding] = run(code)
    assert (finding.line - HEADER.count("\n"), finding.column) == (8, 9)
    assert "call await connection.commit() right after it" in finding.message


def test_a_helper_of_the_module_is_followed() -> None:
    code = """\
    def bootstrap(conn):
        meta.create_all(conn)

    with engine.connect() as connection:
        bootstrap(connection)
        context.configure(connection=connection)
    """
    assert flagged(code) == [2]


# -- what is not flagged ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code",
    [
        INCIDENT.replace(
            "create_all(connection)\n", "create_all(connection)\n    connection.commit()\n"
        ),
        INCIDENT.replace("create_all(connection)", "create_all(engine)"),
        INCIDENT.replace("engine.connect()", "engine.begin()"),
        # a commit in a helper of the same module
        "def finish(c):\n    c.commit()\n\n"
        + INCIDENT.replace(
            "create_all(connection)\n", "create_all(connection)\n    finish(connection)\n"
        ),
        # inside connection.begin(): committed when the block ends
        INCIDENT.replace(
            "    Base.metadata.create_all(connection)\n",
            "    with connection.begin():\n        Base.metadata.create_all(connection)\n",
        ),
        # after configure, alembic's begin_transaction() commits it
        INCIDENT.replace("    Base.metadata.create_all(connection)\n", "").replace(
            "    with context.begin_transaction():",
            '    connection.execute(text("SET search_path TO app"))\n'
            "    with context.begin_transaction():",
        ),
        # a read-only probe rolled back before configure
        INCIDENT.replace(
            "    Base.metadata.create_all(connection)\n",
            '    connection.execute(text("SELECT 1"))\n    connection.rollback()\n',
        ),
        # an AUTOCOMMIT engine commits every statement at the driver
        INCIDENT.replace("create_engine(URL)", 'create_engine(URL, isolation_level="AUTOCOMMIT")'),
        # no takeover seen: a read-only query whose transaction is simply rolled back
        'with engine.connect() as c:\n    rows = c.execute(text("SELECT 1")).all()\n'
        "context.configure(url=URL)\ncontext.run_migrations()\n",
    ],
    ids=[
        "commit",
        "engine",
        "engine-begin",
        "helper-commit",
        "connection-begin",
        "after-configure",
        "rollback",
        "autocommit",
        "select-then-close",
    ],
)
def test_committed_or_harmless_shapes_pass(code: str) -> None:
    assert flagged(code) == []


def test_a_module_that_is_not_an_env_py_is_not_read() -> None:
    code = "with engine.connect() as c:\n    meta.create_all(c)\n    c.close()\n"
    check = make_check()
    source = SourceFile.from_text("app/db.py", "from sqlalchemy import create_engine\n" + code)
    assert check.extract(source).uncommitted == []


def test_commit_helpers_option_declares_helpers_of_other_modules() -> None:
    code = "from app.db import seal\n" + INCIDENT.replace(
        "create_all(connection)\n", "create_all(connection)\n    seal(connection)\n"
    )
    assert flagged(code) == [4]
    assert flagged(code, commit_helpers=["app.db.seal"]) == []


# -- the SQLAlchemy requirement -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("pyproject", "applies"),
    [
        ('[project]\ndependencies = ["sqlalchemy<2"]', False),
        ('[project]\ndependencies = ["SQLAlchemy~=1.4"]', False),
        ('[project]\ndependencies = ["sqlalchemy==1.4.*"]', False),
        ('[project]\ndependencies = ["sqlalchemy>=1.3,<2.0"]', False),
        ('[project]\ndependencies = ["sqlalchemy[asyncio]<=1.4.54"]', False),
        ("[tool.poetry.dependencies]\nsqlalchemy = '^1.4'", False),
        (
            "[tool.poetry.dependencies]\nSQLAlchemy = {version = '~1.4', extras = ['asyncio']}",
            False,
        ),
        ('[project.optional-dependencies]\ndb = ["sqlalchemy<2"]', False),
        ('[project]\ndependencies = ["sqlalchemy>=2.0"]', True),
        ('[project]\ndependencies = ["sqlalchemy"]', True),
        ('[project]\ndependencies = ["sqlalchemy<3,!=2.0.1"]', True),
        ('[project]\ndependencies = ["sqlalchemy<2.1"]', True),
        (
            '[project]\ndependencies = ["sqlalchemy>=1.4"]\n'
            '[dependency-groups]\nold = ["sqlalchemy<2"]',
            True,
        ),
        ("[tool.poetry.dependencies]\nsqlalchemy = '^2.0'", True),
        ("[tool.poetry.dependencies]\nsqlalchemy = '*'", True),
        ("[project]\ndependencies = [\"sqlalchemy<2; python_version < '3.8'\"]", True),
        ('[project]\ndependencies = ["sqlalchemy-utils<1"]', True),
        ('[tool.mypy]\nplugins = ["sqlalchemy.ext.mypy.plugin"]', True),
    ],
)
def test_the_project_pin_decides(pyproject: str, applies: bool) -> None:
    assert bool(flagged(INCIDENT, {"pyproject.toml": pyproject})) is applies


def test_the_nearest_pyproject_naming_sqlalchemy_wins() -> None:
    files = {
        "pyproject.toml": '[project]\ndependencies = ["sqlalchemy<2"]',
        "alembic/pyproject.toml": '[project]\ndependencies = ["sqlalchemy>=2"]',
    }
    assert flagged(INCIDENT, files) == [3]
    files["alembic/pyproject.toml"] = "[tool.ruff]\nline-length = 100  # no sqlalchemy here"
    assert flagged(INCIDENT, files) == []


def test_other_toml_files_are_not_read() -> None:
    check = make_check()
    source = SourceFile.from_text("ruff.toml", "# sqlalchemy\n")
    assert not check.applies_to(source, use_prefilter=False)


def test_broken_pyproject_is_a_parse_problem() -> None:
    check = make_check()
    source = SourceFile.from_text("pyproject.toml", "[project\ndependencies = ['sqlalchemy']\n")
    with pytest.raises(AnalysisError) as error:
        check.extract(source)
    assert error.value.line == 1


@pytest.mark.parametrize(
    ("constraint", "caps"),
    [
        ("^1.4", True),
        ("~1.4.2", True),
        ("~1", True),
        ("1.4.*", True),
        ("1.4.49", True),
        (">=1.3 <2", True),
        (">=1.3,<2.0", True),
        ("^1.3 || ^1.4", True),
        ("^1.4 || ^2.0", False),
        ("^2.0", False),
        (">=1.4", False),
        ("*", False),
        ("", False),
    ],
)
def test_poetry_constraints(constraint: str, caps: bool) -> None:
    assert poetry_caps_below_2(constraint) is caps


def test_caps_below_2_edges() -> None:
    assert caps_below_2("<", "2")
    assert caps_below_2("<", "2.0.0b1")
    assert not caps_below_2("<", "2.0.1")
    assert caps_below_2("<=", "1.99")
    assert not caps_below_2("<=", "2.0")
    assert not caps_below_2("<", "not-a-version")
    assert sqlalchemy_requirement({}).verdict == "absent"


# -- examples and properties --------------------------------------------------------------------


def test_examples_flag_exactly_the_annotated_lines() -> None:
    for verdict in ("bad", "good"):
        check_example_tree(EXAMPLES_DIR / verdict, LESSON_ID)


def test_the_pinned_subproject_is_scanned_but_not_flagged() -> None:
    outcome = run_lessons(EXAMPLES_DIR / "good", [LESSON_ID])
    assert "legacy/alembic/env.py" in outcome.files_by_lesson[LESSON_ID]
    assert "legacy/pyproject.toml" in outcome.files_by_lesson[LESSON_ID]
    bug_shape = make_check().extract(
        SourceFile.from_text(
            "legacy/alembic/env.py",
            (EXAMPLES_DIR / "good" / "legacy" / "alembic" / "env.py").read_text(),
        )
    )
    assert len(bug_shape.uncommitted) == 1  # the shape is there; the 1.4 pin excuses it


ENV_WORDS = st.sampled_from(
    [
        "context.configure(connection=c)\n",
        "context.run_migrations()\n",
        "with e.connect() as c:\n",
        "async with e.begin() as c:\n",
        "    meta.create_all(c)\n",
        "    await c.run_sync(f)\n",
        "def f(c):\n",
        "    c.commit()\n",
        "with c.begin_nested():\n",
        "    f(c)\n",
        "(",
        ")",
        "\t",
        "lambda c: ",
        "#",
        '"""',
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=300), st.lists(ENV_WORDS, max_size=25).map("".join)))
def test_extract_raises_only_analysis_errors(text: str) -> None:
    check = make_check()
    for rel in ("alembic/env.py", "pyproject.toml"):
        try:
            source = SourceFile.from_text(rel, "# context.configure sqlalchemy\n" + text)
            facts = check.extract(source)
        except AnalysisError:
            continue
        list(check.judge({rel: facts}))
