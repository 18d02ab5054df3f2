"""alembic-create-all-commit: snippets with exact verdicts, the SQLAlchemy pin, and a property.

The verdicts follow what alembic and SQLAlchemy 2.0 really do (checked against alembic 1.20 with
SQLAlchemy 2.0.58 and 2.1.9): `context.configure()` decides whether the connection is already in
the caller's transaction, so the commit has to come before it; a statement after `configure` is
committed by `begin_transaction()`; `begin_nested()` autobegins the outer transaction.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_lessons.catalog import BUILTIN_LESSONS_DIR
from pytest_lessons.checks.alembic_create_all_commit import (
    AlembicCreateAllCommit,
)
from pytest_lessons.findings import Finding
from pytest_lessons.source import AnalysisError, SourceFile
from pytest_lessons.testing import check_example_tree, judge_files, run_lessons
from pytest_lessons.testing import make_check as build_check

LESSON_ID = "alembic-create-all-commit"
LESSONS_DIR = BUILTIN_LESSONS_DIR
EXAMPLES_DIR = LESSONS_DIR / LESSON_ID
SPEC = build_check(LESSON_ID).spec
HEADER = "from alembic import context\nfrom sqlalchemy import create_engine, text\n"
PYPROJECT_13 = '[project]\ndependencies = ["sqlalchemy>=1.3"]\n'


def make_check(**overrides: Any) -> AlembicCreateAllCommit:
    check = build_check(LESSON_ID, **overrides)
    assert isinstance(check, AlembicCreateAllCommit)
    return check


def run(code: str, files: dict[str, str] | None = None, **overrides: Any) -> list[Finding]:
    """Findings for `alembic/env.py` holding HEADER + `code`, beside optional other files."""
    sources = {"alembic/env.py": HEADER + textwrap.dedent(code), **(files or {})}
    return judge_files(make_check(**overrides), sources, use_prefilter=False)


def _tree(root: Path, files: dict[str, str]) -> Path:
    """Write `files` under `root` and return it."""
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


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
        "before context.configure(), or run it in `with engine.begin() as conn:` (no "
        "pyproject.toml, requirements or lock file at or above it names SQLAlchemy, so 2.0 is "
        "assumed)"
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
    "statement",
    [
        'sa.inspect(connection).has_table("alembic_version")',
        "sqlalchemy.inspect(connection).get_table_names()",
        "inspect(connection).get_schema_names()",
        'connection.dialect.has_table(connection, "alembic_version")',
        "meta.reflect(connection)",
        "meta.reflect(bind=connection, only=['users'])",
        "MigrationContext.configure(connection).get_current_revision()",
        'Operations(MigrationContext.configure(connection)).alter_column("t", "c")',
        'op.alter_column("alembic_version", "version_num", type_=sa.String(128))',
        'ctx.stamp(script, "head")',
    ],
)
def test_reads_and_operations_on_the_connection_open_it_too(statement: str) -> None:
    """Item: any statement opens SQLAlchemy 2.0's transaction, not only create_all."""
    code = (
        "import sqlalchemy\nimport sqlalchemy as sa\nfrom sqlalchemy import inspect\n"
        "from alembic.migration import MigrationContext\n"
        "from alembic.operations import Operations\n"
        "engine = create_engine(URL)\n"
        "with engine.connect() as connection:\n"
        "    ctx = MigrationContext.configure(connection)\n"
        "    op = Operations(ctx)\n"
        f"    {statement}\n"
        "    context.configure(connection=connection, target_metadata=Base.metadata)\n"
        "    with context.begin_transaction():\n"
        "        context.run_migrations()\n"
    )
    assert flagged(code) == [10]


def test_a_read_says_it_opens_the_transaction_although_it_only_reads() -> None:
    code = INCIDENT.replace(
        "Base.metadata.create_all(connection)", 'sa.inspect(connection).has_table("users")'
    )
    [finding] = run("import sqlalchemy as sa\n" + code)
    assert finding.message.startswith(
        "sa.inspect(connection).has_table(\"users\") runs on connection 'connection': under "
        "SQLAlchemy 2.0 any statement, a read included, begins a transaction that stays open "
        "until a commit: alembic then sees an open transaction"
    )


@pytest.mark.parametrize(
    "statement",
    [
        'inspect(engine).has_table("alembic_version")',  # the Engine uses its own connection
        "MigrationContext.configure(connection)",  # builds a context, runs nothing
        "Operations(MigrationContext.configure(connection))",
        'other.inspect(connection).has_table("t")',  # not SQLAlchemy's inspect
    ],
)
def test_building_a_context_or_inspecting_the_engine_opens_nothing(statement: str) -> None:
    code = (
        "import sqlalchemy as sa\nfrom sqlalchemy import inspect\n"
        "from alembic.migration import MigrationContext\n"
        "from alembic.operations import Operations\n"
        "engine = create_engine(URL)\n"
        "with engine.connect() as connection:\n"
        f"    {statement}\n"
        "    context.configure(connection=connection, target_metadata=Base.metadata)\n"
        "    with context.begin_transaction():\n"
        "        context.run_migrations()\n"
    )
    assert flagged(code) == []


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
    assert "move the commit before context.configure() (" in finding.message


def test_a_commit_once_the_migrations_have_run_commits_them_too() -> None:
    """Alembic leaves the open transaction to the caller, who commits it at the end."""
    code = INCIDENT + "    connection.commit()\n"
    assert flagged(code) == []


MULTI_DATABASE = """\
engines = {"": {"engine": create_engine(URL)}, "audit": {"engine": create_engine(AUDIT)}}
for name, rec in engines.items():
    rec["connection"] = conn = rec["engine"].connect()
    rec["transaction"] = conn.begin()
try:
    for name, rec in engines.items():
        context.configure(connection=rec["connection"], target_metadata=metadata[name])
        context.run_migrations(engine_name=name)
    for rec in engines.values():
        rec["transaction"].commit()
except Exception:
    for rec in engines.values():
        rec["transaction"].rollback()
    raise
finally:
    for rec in engines.values():
        rec["connection"].close()
"""


def test_transactions_kept_per_engine_and_committed_after_the_migrations() -> None:
    """The multi-database env.py: one explicit transaction per engine, committed at the end."""
    assert flagged(MULTI_DATABASE) == []
    commit = '        rec["transaction"].commit()\n'
    without_commit = MULTI_DATABASE.replace(commit, "        pass\n")
    assert flagged(without_commit) == [4]


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
    assert check.extract(source).python.uncommitted == []


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


# -- requirement files, lock files and their precedence -----------------------------------------

LOCK_2 = '[[package]]\nname = "sqlalchemy"\nversion = "2.0.30"\n'
LOCK_14 = '[[package]]\nname = "SQLAlchemy"\nversion = "1.4.52"\n'


@pytest.mark.parametrize(
    ("files", "applies"),
    [
        ({"requirements.txt": "sqlalchemy[asyncio]==1.4.52\n"}, False),
        ({"requirements.txt": "SQLAlchemy~=1.4\n"}, False),
        ({"requirements-dev.txt": "Sqlalchemy<2 \\\n  --hash=sha256:00\n"}, False),
        ({"requirements/base.txt": "sqlalchemy==1.4.*\n"}, False),
        ({"requirements.in": "sqlalchemy<2\n"}, False),
        ({"requirements.txt": "sqlalchemy<2; python_version < '3.8'\n"}, True),
        ({"requirements.txt": "sqlalchemy>=1.4\n"}, True),
        ({"requirements.txt": "# sqlalchemy<2\nflask-sqlalchemy<3\n"}, True),
        ({"Pipfile": '[packages]\nsqlalchemy = "==1.4.*"\n'}, False),
        ({"setup.cfg": "[options]\ninstall_requires =\n    sqlalchemy<2\n"}, False),
        (
            {"setup.py": "from setuptools import setup\nsetup(install_requires=['sqlalchemy<2'])"},
            False,
        ),
        ({"uv.lock": LOCK_14}, False),
        ({"pdm.lock": LOCK_2}, True),
        ({"Pipfile.lock": '{"default": {"sqlalchemy": {"version": "==1.4.52"}}}'}, False),
    ],
)
def test_each_format_decides(files: dict[str, str], applies: bool) -> None:
    assert bool(flagged(INCIDENT, files)) is applies


def test_a_lock_pin_wins_over_a_declared_range_beside_it() -> None:
    assert flagged(INCIDENT, {"pyproject.toml": PYPROJECT_13, "poetry.lock": LOCK_14}) == []
    capped = {"requirements.txt": "sqlalchemy~=1.4\n", "uv.lock": LOCK_2}
    [finding] = run(INCIDENT, capped)
    assert finding.message.endswith("(uv.lock pins SQLAlchemy 2.0.30)")
    # two locks: 1.x only if every pinned SQLAlchemy is 1.x
    assert flagged(INCIDENT, {"poetry.lock": LOCK_14, "uv.lock": LOCK_2}) == [3]


def test_the_nearest_directory_with_any_evidence_decides() -> None:
    files = {"uv.lock": LOCK_14, "alembic/requirements.txt": "sqlalchemy>=2\n"}
    [finding] = run(INCIDENT, files)
    assert finding.message.endswith(
        "(alembic/requirements.txt declares `sqlalchemy>=2`, which admits 2.0, and no lock file "
        "beside it pins a version)"
    )
    files["alembic/requirements.txt"] = "alembic==1.13  # no sqlalchemy here\n"
    assert flagged(INCIDENT, files) == []  # passed by: the root's lock decides


def test_includes_are_followed_across_directories_and_loops_end() -> None:
    files = {
        "alembic/requirements.txt": "-r ../common/requirements.txt\n-r requirements.txt\n",
        "common/requirements.txt": "-c ../alembic/requirements.txt\n-r constraints.txt\n",
        "common/constraints.txt": "SQLAlchemy==1.4.52\n",
        "uv.lock": LOCK_2,
    }
    assert flagged(INCIDENT, files) == []
    files["common/constraints.txt"] = "SQLAlchemy==2.0.30\n"
    [finding] = run(INCIDENT, files)
    assert "common/constraints.txt declares `SQLAlchemy==2.0.30`" in finding.message


def test_an_include_without_sqlalchemy_is_still_read() -> None:
    check = make_check()
    source = SourceFile.from_text("requirements.txt", "-r requirements/base.txt\n")
    assert check.applies_to(source)
    assert not check.applies_to(SourceFile.from_text("requirements-docs.txt", "sphinx\n"))


def test_a_broken_lock_is_a_problem_and_the_verdict_falls_back(tmp_path: Path) -> None:
    result = run_lessons(
        _tree(
            tmp_path,
            {
                "alembic/env.py": HEADER + INCIDENT,
                "pyproject.toml": '[project]\ndependencies = ["sqlalchemy<2"]\n',
                "uv.lock": '[[package]]\nname = "sqlalchemy"\nversion = 2.0.30\n',
            },
        ),
        [LESSON_ID],
    )
    assert result.findings == []  # the pyproject's cap decides, as if there were no lock
    [problem] = result.problems
    assert (problem.path, problem.kind.value, problem.line) == ("uv.lock", "parse", 3)


def test_an_oversized_lock_is_reported_as_skipped(tmp_path: Path) -> None:
    root = _tree(tmp_path, {"alembic/env.py": HEADER + INCIDENT, "uv.lock": LOCK_14 + "#" * 4096})
    (root / "pyproject.toml").write_text("[tool.pytest-lessons]\nmax-file-size = 2048\n")
    result = run_lessons(root, [LESSON_ID])
    assert [f.line for f in result.findings] == [5]
    assert "no pyproject.toml, requirements or lock file" in result.findings[0].message
    assert [(p.path, p.kind.value) for p in result.problems] == [("uv.lock", "too-large")]


def test_other_ini_and_lock_like_files_are_not_read() -> None:
    check = make_check()
    for rel in ("alembic.ini", "yarn.lock", "notes.txt", "MANIFEST.in"):
        try:
            source = SourceFile.from_text(rel, "sqlalchemy\n")
        except ValueError:
            continue  # no lesson reads this type at all
        assert not check.applies_to(source, use_prefilter=False)


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
    assert len(bug_shape.python.uncommitted) == 1  # the shape is there; the 1.4 pin excuses it


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


def test_a_module_without_an_alembic_call_is_not_parsed() -> None:
    """`configure_mappers()` or `configure_logging` hold the word but make no env.py: the
    module is left unparsed, so even broken syntax there is no problem of this lesson."""
    check = make_check()
    broken = "import sqlalchemy\nconfigure_mappers()\nsettings.configure_logging(\n"
    source = SourceFile.from_text("app/models.py", broken)
    assert check.applies_to(source)
    facts = check.extract(source).python
    assert facts is not None
    assert facts.uncommitted == []
    aliased = "import sqlalchemy\ncontext . configure(\n"
    with pytest.raises(AnalysisError):
        check.extract(SourceFile.from_text("migrations/env.py", aliased))
