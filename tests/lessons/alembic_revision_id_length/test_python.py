"""alembic-revision-id-length: snippets with exact verdicts, the example trees, and properties.

The lesson joins facts from several files (migrations, the widenings inside them, env.py), so the
snippet helper runs `extract` over a small dict of files and `judge` over all of their facts.
"""

from __future__ import annotations

import textwrap
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from pytest_lessons.catalog import BUILTIN_LESSONS_DIR
from pytest_lessons.checks.alembic_revision_id_length import (
    AlembicRevisionIdLength,
    AlembicRevisionIdLengthFacts,
    AlembicRevisionIdLengthOptions,
    is_ignored_width_keyword,
)
from pytest_lessons.findings import Finding
from pytest_lessons.source import AnalysisError, FileKind, SourceFile
from pytest_lessons.testing import check_example_tree, expected_marks, judge_files
from pytest_lessons.testing import make_check as build_check

LESSON_ID = "alembic-revision-id-length"
LESSONS_DIR = BUILTIN_LESSONS_DIR
EXAMPLES_DIR = LESSONS_DIR / LESSON_ID
SPEC = build_check(LESSON_ID).spec
INCIDENT_ID = "003_make_users_hashed_password_nullable"
MIGRATION = "alembic/versions/003.py"
CONSEQUENCE = (
    "recording it in alembic_version fails, and in a transactional migration everything "
    "applied before it is rolled back; use an id that fits (alembic revision --rev-id ...), or "
    "widen the column in the database yourself and set the lesson option version-table-width"
)


def make_check(**overrides: Any) -> AlembicRevisionIdLength:
    """The check with the TOML's default options, overridden by keyword (snake_case)."""
    check = build_check(LESSON_ID, **overrides)
    assert isinstance(check, AlembicRevisionIdLength)
    return check


def run_files(files: dict[str, str], **overrides: Any) -> list[Finding]:
    return judge_files(make_check(**overrides), files)


def run(code: str, rel: str = MIGRATION, **overrides: Any) -> list[Finding]:
    return run_files({rel: code}, **overrides)


def flagged(code: str, rel: str = MIGRATION, **overrides: Any) -> list[int]:
    return [finding.line for finding in run(code, rel, **overrides)]


def migration(revision: str, down: str = "None", annotated: bool = False) -> str:
    if annotated:
        return f"revision: str = {revision}\ndown_revision: Union[str, None] = {down}\n"
    return f"revision = {revision}\ndown_revision = {down}\n"


# -- what is flagged ----------------------------------------------------------------------------


def test_the_incident_id_is_flagged_at_the_string_with_the_whole_message() -> None:
    code = f'"""Revision ID: {INCIDENT_ID}"""\nrevision = "{INCIDENT_ID}"\ndown_revision = "002"\n'
    (finding,) = run(code)
    assert (finding.path, finding.line, finding.column) == (MIGRATION, 2, 12)
    assert (finding.end_line, finding.end_column) == (2, 12 + len(INCIDENT_ID) + 2)
    assert finding.message == (
        f"revision id '{INCIDENT_ID}' is 39 characters but alembic_version.version_num is "
        f"VARCHAR(32): {CONSEQUENCE}"
    )


@pytest.mark.parametrize(
    "code",
    [
        migration(f'"{INCIDENT_ID}"'),
        migration(f"'{INCIDENT_ID}'"),
        migration(f'"{INCIDENT_ID}"', annotated=True),
        migration('"003_make_users_" "hashed_password_nullable"'),
        migration(f'r"{INCIDENT_ID}"'),
        f'down_revision = "002"\nrevision = "{INCIDENT_ID}"\n',
        f'revision = "short"\ndown_revision = "002"\nrevision = "{INCIDENT_ID}"\n',
        f'revision = down_revision_of_next = "{INCIDENT_ID}"\ndown_revision = None\n',
    ],
    ids=["double", "single", "annotated", "concatenated", "raw", "order", "last-wins", "chain"],
)
def test_shapes_of_the_revision_assignment(code: str) -> None:
    findings = run(code)
    assert len(findings) == 1
    assert f"'{INCIDENT_ID}' is 39 characters" in findings[0].message


def test_the_annotated_template_reports_the_string_column() -> None:
    (finding,) = run(migration(f'"{INCIDENT_ID}"', annotated=True))
    assert (finding.line, finding.column) == (1, 17)


@pytest.mark.parametrize(
    ("revision", "expected"),
    [
        ("a" * 32, []),
        ("a" * 33, [1]),
        ("3f2a9c1b7d4e", []),
        ("é" * 32, []),  # characters, not bytes: VARCHAR(32) holds 32 of them
        ("é" * 33, [1]),
    ],
)
def test_the_boundary_is_32_characters(revision: str, expected: list[int]) -> None:
    assert flagged(migration(repr(revision))) == expected


@pytest.mark.parametrize(
    "code",
    [
        # the id only in the header docstring, a comment, or a string elsewhere
        f'"""Revision ID: {INCIDENT_ID}\nRevises: 002\n"""\n' + migration('"a1b2"'),
        f'# revision = "{INCIDENT_ID}"\nrevision = "a1b2"\ndown_revision = None\n',
        f'revision = "a1b2"\ndown_revision = None\nMESSAGE = "{INCIDENT_ID}"\n',
        # a long down_revision: its own file reports it
        f'revision = "a1b2"\ndown_revision = "{INCIDENT_ID}"\n',
        f'revision = "a1b2"\ndown_revision = ("{INCIDENT_ID}", "b3c4")\n',
        # not a migration: no module-level down_revision
        f'revision = "{INCIDENT_ID}"\n# down_revision comes later\n',
        f'revision = "{INCIDENT_ID}"\ndef f():\n    down_revision = None\n',
        # not module level
        f'def f():\n    revision = "{INCIDENT_ID}"\n    down_revision = None\n',
        f'class M:\n    revision = "{INCIDENT_ID}"\n    down_revision = None\n',
        f'if True:\n    revision = "{INCIDENT_ID}"\n    down_revision = None\n',
        # not readable statically: skipped, never guessed
        "revision = Path(__file__).stem\ndown_revision = None\n",
        f'revision = f"{INCIDENT_ID}"\ndown_revision = None\n',
        f'revision = b"{INCIDENT_ID}"\ndown_revision = None\n',
        f'revision, down_revision = "{INCIDENT_ID}", None\n',
        f'revision: str\nrevision_id = "{INCIDENT_ID}"\ndown_revision = None\n',
    ],
)
def test_what_is_not_the_revision_assignment(code: str) -> None:
    assert flagged(code) == []


def test_file_name_length_does_not_matter() -> None:
    rel = f"alembic/versions/{INCIDENT_ID}_and_backfill_every_legacy_row.py"
    assert flagged(migration('"003_users_pw_nullable"'), rel) == []
    assert flagged(migration(f'"{INCIDENT_ID}"'), "alembic/versions/3.py") == [1]


def test_a_chain_of_long_ids_is_reported_once_per_revision() -> None:
    findings = run_files(
        {
            "alembic/versions/003.py": migration(f'"{INCIDENT_ID}"', '"002"'),
            "alembic/versions/004.py": migration(
                '"004_add_receipt_line_item_price_cents"', f'"{INCIDENT_ID}"'
            ),
            "alembic/versions/005.py": migration(
                '"005"', '"004_add_receipt_line_item_price_cents"'
            ),
        }
    )
    assert [(f.path, f.line) for f in findings] == [
        ("alembic/versions/003.py", 1),
        ("alembic/versions/004.py", 1),
    ]


# -- the version-table-width option -------------------------------------------------------------


def test_only_the_option_silences_it() -> None:
    code = migration(f'"{INCIDENT_ID}"')
    assert flagged(code, version_table_width=38) == [1]
    assert flagged(code, version_table_width=39) == []
    long_id = "x" * 128
    assert flagged(migration(repr(long_id)), version_table_width=128) == []
    assert flagged(migration(repr(long_id + "x")), version_table_width=128) == [1]
    message = run(migration(repr(long_id + "x")), version_table_width=128)[0].message
    assert message.startswith(f"revision id '{long_id}x' is 129 characters but ")
    assert "is VARCHAR(128): " in message


def test_the_option_is_validated_and_has_its_default_in_the_toml() -> None:
    assert SPEC.options == {"version-table-width": 32}
    with pytest.raises(ValidationError, match="version-table-width"):
        AlembicRevisionIdLengthOptions.model_validate({})
    with pytest.raises(ValidationError, match="greater than or equal to 1"):
        AlembicRevisionIdLengthOptions.model_validate({"version-table-width": 0})
    with pytest.raises(ValidationError, match="extra"):
        AlembicRevisionIdLengthOptions.model_validate({**SPEC.options, "width": 128})


# -- env.py: width keywords alembic ignores -----------------------------------------------------

ENV_WITH_WIDTH = """\
    from alembic import context

    def run_migrations_online():
        with engine.connect() as connection:
            context.configure(
                connection=connection,
                version_table_column_width=128,
            )
"""


def test_an_ignored_width_keyword_is_named_in_the_finding() -> None:
    (finding,) = run_files(
        {"alembic/env.py": ENV_WITH_WIDTH, MIGRATION: migration(f'"{INCIDENT_ID}"')}
    )
    assert finding.path == MIGRATION
    assert finding.message == (
        f"revision id '{INCIDENT_ID}' is 39 characters but alembic_version.version_num is "
        f"VARCHAR(32): {CONSEQUENCE}; version_table_column_width=128 in context.configure "
        "(alembic/env.py:7) does not widen it: alembic has no such option and ignores keywords "
        "it does not know"
    )


def test_an_ignored_keyword_alone_is_no_finding_and_does_not_widen() -> None:
    assert run_files({"alembic/env.py": ENV_WITH_WIDTH}) == []
    assert run_files({"alembic/env.py": ENV_WITH_WIDTH, MIGRATION: migration('"a1b2"')}) == []
    findings = run_files(
        {"alembic/env.py": ENV_WITH_WIDTH, MIGRATION: migration(f'"{INCIDENT_ID}"')},
        version_table_width=128,
    )
    assert findings == []


@pytest.mark.parametrize(
    ("keyword", "ignored"),
    [
        ("version_table_column_width", True),
        ("version_table_column_length", True),
        ("version_num_length", True),
        ("version_column_size", True),
        ("version_table_column_type", True),
        ("VersionWidth", True),
        ("version_table", False),
        ("version_table_schema", False),
        ("version_table_pk", False),
        ("on_version_apply", False),
        ("column_width", False),
        ("target_metadata", False),
    ],
)
def test_which_keywords_are_named(keyword: str, ignored: bool) -> None:
    assert is_ignored_width_keyword(keyword) is ignored


def test_the_nearest_env_file_above_the_migration_is_the_one_named() -> None:
    files = {
        "api/alembic/env.py": ENV_WITH_WIDTH,
        "api/alembic/versions/003.py": migration(f'"{INCIDENT_ID}"'),
        "common/alembic/env.py": "context.configure(connection=c, version_table_size=64)\n",
        "common/alembic/versions/004.py": migration(f'"{INCIDENT_ID}_x"'),
        "elsewhere/versions/005.py": migration(f'"{INCIDENT_ID}_y"'),
    }
    messages = {f.path: f.message for f in run_files(files)}
    assert "(api/alembic/env.py:7)" in messages["api/alembic/versions/003.py"]
    assert "common/alembic" not in messages["api/alembic/versions/003.py"]
    assert (
        "version_table_size=64 in context.configure (common/alembic/env.py:1)"
        in (messages["common/alembic/versions/004.py"])
    )
    assert "api/alembic/env.py" not in messages["common/alembic/versions/004.py"]
    # no env file above: every env file's ignored keywords are named
    assert (
        "(api/alembic/env.py:7) and version_table_size=64" in messages["elsewhere/versions/005.py"]
    )


@pytest.mark.parametrize(
    "call",
    [
        "context.configure(connection=c, version_table_column_width=128)",
        "alembic.context.configure(connection=c, version_table_column_width=128)",
    ],
)
def test_env_receivers(call: str) -> None:
    (finding,) = run_files({"env.py": call + "\n", MIGRATION: migration(f'"{INCIDENT_ID}"')})
    assert "version_table_column_width=128 in context.configure (env.py:1)" in finding.message


def test_an_env_with_real_options_adds_nothing() -> None:
    env = 'context.configure(connection=c, version_table="v", version_table_schema="s")\n'
    (finding,) = run_files({"alembic/env.py": env, MIGRATION: migration(f'"{INCIDENT_ID}"')})
    assert finding.message.endswith(CONSEQUENCE)


# -- widening inside the migrations --------------------------------------------------------------

WIDEN_64 = "\n" + textwrap.dedent(
    """\
    def upgrade():
        op.alter_column("alembic_version", "version_num", existing_type=sa.String(32),
                        type_=sa.String(64))
"""
)


def test_a_migration_that_widens_first_may_have_a_long_id_and_so_may_its_descendants() -> None:
    files = {
        "v/1.py": migration('"0001"'),
        "v/2.py": migration('"0002_widen_version_num_and_add_regions"', '"0001"') + WIDEN_64,
        "v/3.py": migration(
            '"0003_backfill_store_regions_from_postcodes"',
            '"0002_widen_version_num_and_add_regions"',
        ),
        "v/4.py": migration(
            repr("0004_" + "x" * 60), '"0003_backfill_store_regions_from_postcodes"'
        ),
    }
    findings = run_files(files)
    assert [f.path for f in findings] == ["v/4.py"]
    assert (
        "is 65 characters but alembic_version.version_num is VARCHAR(64), as widened at v/2.py:5"
        in (findings[0].message)
    )


def test_a_widening_after_the_long_id_does_not_help_it() -> None:
    files = {
        "v/1.py": migration('"0001_add_store_loyalty_program_columns"'),
        "v/2.py": migration('"0002"', '"0001_add_store_loyalty_program_columns"') + WIDEN_64,
        "v/other_branch.py": migration(
            '"0003_a_branch_that_does_not_follow_the_widening"',
            '"0001_add_store_loyalty_program_columns"',
        ),
    }
    assert [f.path for f in run_files(files)] == ["v/1.py", "v/other_branch.py"]


@pytest.mark.parametrize(
    ("body", "widened"),
    [
        ('op.alter_column("alembic_version", "version_num", type_=sa.String(length=128))', True),
        ('op.alter_column("alembic_version", "version_num", type_=String(128))', True),
        ('op.alter_column("alembic_version", "version_num", type_=postgresql.VARCHAR(255))', True),
        ('op.alter_column("alembic_version", "version_num", type_=sa.Text())', True),
        ('op.alter_column("alembic_version", "version_num", type_=sa.Text)', True),
        (
            'op.alter_column(table_name="alembic_version", column_name="version_num", '
            "type_=sa.String(64))",
            True,
        ),
        (
            'op.execute("ALTER TABLE alembic_version ALTER COLUMN version_num TYPE VARCHAR(255)")',
            True,
        ),
        (
            "op.execute(sa.text('alter table public.alembic_version alter column version_num "
            "type character varying(64)'))",
            True,
        ),
        (
            'op.execute("ALTER TABLE alembic_version MODIFY version_num VARCHAR(128) NOT NULL")',
            True,
        ),
        ('op.alter_column("alembic_version", "version_num", type_=sa.String(16))', False),
        ('op.alter_column("alembic_version", "version_num", type_=sa.String(N))', False),
        ('op.alter_column("alembic_version", "version_num", nullable=False)', False),
        ('op.alter_column("users", "name", type_=sa.String(128))', False),
        ('op.execute("ALTER TABLE users ALTER COLUMN name TYPE VARCHAR(255)")', False),
        ('"""ALTER TABLE alembic_version ALTER COLUMN version_num TYPE VARCHAR(255)"""', False),
    ],
)
def test_widening_shapes(body: str, widened: bool) -> None:
    code = migration(f'"{INCIDENT_ID}"') + f"\ndef upgrade():\n    {body}\n"
    assert flagged(code) == ([] if widened else [1])


def test_a_widening_in_downgrade_does_not_count() -> None:
    code = migration(f'"{INCIDENT_ID}"') + (
        "\ndef downgrade():\n"
        '    op.alter_column("alembic_version", "version_num", type_=sa.String(128))\n'
    )
    assert flagged(code) == [1]


def test_widening_to_less_than_the_option_keeps_the_option() -> None:
    code = migration(repr("x" * 100)) + WIDEN_64
    assert flagged(code, version_table_width=128) == []


# -- the check's declaration, facts and lesson data ---------------------------------------------


def test_declaration() -> None:
    assert AlembicRevisionIdLength.prefilter == (b"down_revision", b"context.configure")
    assert AlembicRevisionIdLength.file_kinds == frozenset({FileKind.PYTHON})
    check = make_check()
    assert not check.applies_to(SourceFile.from_text("app/models.py", 'revision = "x"\n'))
    assert check.applies_to(SourceFile.from_text("env.py", "context.configure()\n"))
    assert not check.applies_to(SourceFile.from_text("web/index.ts", "down_revision"))


def test_facts_are_serializable() -> None:
    files = {
        "env.py": ENV_WITH_WIDTH,
        "v/2.py": migration(f'"{INCIDENT_ID}"', '("a", "b")') + WIDEN_64,
    }
    check = make_check()
    for rel, code in files.items():
        facts = check.extract(SourceFile.from_text(rel, textwrap.dedent(code)))
        assert AlembicRevisionIdLengthFacts.model_validate_json(facts.model_dump_json()) == facts
    facts = check.extract(SourceFile.from_text("v/2.py", files["v/2.py"]))
    assert facts.migration is not None
    assert facts.migration.down_revisions == ["a", "b"]
    assert [(w.line, w.width) for w in facts.widenings] == [(5, 64)]


def test_files_mentioning_the_names_only_in_text_are_not_parsed() -> None:
    source = SourceFile.from_text("notes.py", "# see down_revision\ndef (:\n")
    assert make_check().extract(source) == AlembicRevisionIdLengthFacts()


def test_syntax_errors_become_analysis_errors() -> None:
    source = SourceFile.from_text("v/1.py", 'revision = "a"\ndown_revision = (\n')
    with pytest.raises(AnalysisError):
        make_check().extract(source)


def test_lesson_toml() -> None:
    assert SPEC.id == LESSON_ID
    assert SPEC.check == (
        "pytest_lessons.checks.alembic_revision_id_length:AlembicRevisionIdLength"
    )
    assert "--rev-id" in SPEC.fix
    assert "version-table-width" in SPEC.fix
    assert INCIDENT_ID in SPEC.source.summary
    assert flagged(SPEC.examples.bad) == [1]
    assert flagged(SPEC.examples.good) == []


# -- the example trees ---------------------------------------------------------------------------


@pytest.mark.parametrize("use_prefilter", [True, False], ids=["prefilter", "no-prefilter"])
@pytest.mark.parametrize("tree", ["bad", "good"])
def test_example_tree_matches_its_annotations(tree: str, use_prefilter: bool) -> None:
    check_example_tree(EXAMPLES_DIR / tree, LESSON_ID, use_prefilter=use_prefilter)


def test_example_trees_hold_the_incident_shape_and_no_test_modules() -> None:
    bad = expected_marks(EXAMPLES_DIR / "bad", LESSON_ID)
    assert ("api/alembic/versions/003_make_users_hashed_password_nullable.py", 13, LESSON_ID) in bad
    assert ("api/alembic/versions/004_receipts.py", 17, LESSON_ID) in bad
    assert expected_marks(EXAMPLES_DIR / "good", LESSON_ID) == set()
    env = (EXAMPLES_DIR / "bad" / "api" / "alembic" / "env.py").read_text()
    assert "version_table_column_width=128" in env
    for path in EXAMPLES_DIR.rglob("*.py"):
        assert not path.name.startswith("test_"), path
        assert path.name != "conftest.py", path


# -- properties ---------------------------------------------------------------------------------


@given(revision=st.text(max_size=80), width=st.integers(min_value=1, max_value=64))
def test_flagged_iff_longer_than_the_width(revision: str, width: int) -> None:
    findings = run(migration(repr(revision), '"parent"'), version_table_width=width)
    assert bool(findings) is (len(revision) > width)
    if findings:
        assert f" is {len(revision)} characters but " in findings[0].message


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    text=st.text(max_size=200),
    prefix=st.sampled_from(["down_revision = ", "context.configure(", 'revision = "x"\n']),
)
def test_extract_never_raises_but_analysis_error_on_any_text(text: str, prefix: str) -> None:
    check = make_check()
    source = SourceFile.from_text("v/1.py", prefix + text + "\ndown_revision = None\n")
    try:
        facts = check.extract(source)
    except AnalysisError:
        return
    list(check.judge({"v/1.py": facts}))
