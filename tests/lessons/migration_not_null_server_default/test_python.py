"""migration-not-null-server-default: snippets with exact verdicts, revisions joined, properties.

Each rule of the lesson has a snippet that is flagged and one that is not, so a change that
loosens or tightens one rule shows up as the test of that rule failing, not as a shifted example.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_lessons.checks.migration_not_null_server_default import (
    MigrationNotNullServerDefault,
    MigrationNotNullServerDefaultFacts,
    MigrationNotNullServerDefaultOptions,
)
from pytest_lessons.findings import Finding
from pytest_lessons.source import AnalysisError, SourceFile
from pytest_lessons.testing import found_marks, judge_files, run_lessons
from pytest_lessons.testing import make_check as build_check

LESSON_ID = "migration-not-null-server-default"
SPEC = build_check(LESSON_ID).spec
HEADER = "import sqlalchemy as sa\nfrom alembic import op\n\n\ndef upgrade():\n"
"""Two lines of imports, two blank lines, then the upgrade: its body starts on line 6."""
CONSEQUENCE = (
    "and inserts from code that does not set the column (another service, raw SQL) are "
    "rejected; give it a server_default or add it nullable, backfill, then set NOT NULL"
)


def make_check(**overrides: Any) -> MigrationNotNullServerDefault:
    check = build_check(LESSON_ID, **overrides)
    assert isinstance(check, MigrationNotNullServerDefault)
    return check


def run(body: str, **overrides: Any) -> list[Finding]:
    """Findings for a migration whose `upgrade()` body is `body`."""
    code = HEADER + textwrap.indent(textwrap.dedent(body), "    ")
    return judge_files(make_check(**overrides), {"alembic/versions/0001_x.py": code})


def flagged(body: str, **overrides: Any) -> list[int]:
    return [finding.line for finding in run(body, **overrides)]


def only_message(body: str, **overrides: Any) -> str:
    findings = run(body, **overrides)
    assert len(findings) == 1, [finding.message for finding in findings]
    return findings[0].message


# -- add_column ---------------------------------------------------------------------------------


def test_the_incident_shape_is_flagged_with_table_column_and_why() -> None:
    body = """\
    op.add_column(
        "users",
        sa.Column("email_inbound_token", sa.String(32), nullable=False, default=make_token),
    )
    """
    findings = run(body)
    assert [(f.line, f.column, f.end_line) for f in findings] == [(6, 5, 9)]
    assert findings[0].message == (
        "add_column adds NOT NULL column users.email_inbound_token without a server_default; "
        "default= is applied by SQLAlchemy only, never by the database: the migration fails on "
        f"a table that already has rows, {CONSEQUENCE}"
    )


@pytest.mark.parametrize(
    "call",
    [
        'op.add_column("t", sa.Column("c", sa.String(), nullable=False))',
        'op.add_column(table_name="t", column=sa.Column("c", sa.String(), nullable=False))',
        'op.add_column("t", sa.Column("c", sa.String(), nullable=False), schema="s")',
        'op.add_column("t", sa.Column("c", sa.String(), nullable=False, server_default=None))',
        'op.add_column("t", Column("c", String(), nullable=False))',
        'op.add_column("t", sa.Column(name="c", type_=sa.String(), nullable=False))',
        'op.add_column("t", sa.Column("c", sqlmodel.sql.sqltypes.AutoString(), nullable=False))',
        'op.add_column("t", sa.Column("c", sa.Integer(), sa.ForeignKey("u.id"), nullable=False))',
        'alembic_op.add_column("t", sa.Column("c", sa.String(), nullable=False))',
    ],
)
def test_add_column_spellings_are_flagged(call: str) -> None:
    message = only_message(call)
    assert message.startswith("add_column adds NOT NULL column t.c without a server_default: ")


def test_a_column_held_in_a_variable_is_read() -> None:
    body = """\
    token = sa.Column("token", sa.String(), nullable=False)
    op.add_column("users", token)
    """
    assert flagged(body) == [7]


def test_batch_add_column_takes_the_table_from_the_with() -> None:
    body = """\
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("tier", sa.String(8), nullable=False))
        batch_op.add_column(sa.Column("tag", sa.String(8), nullable=False), insert_before="id")
    """
    findings = run(body)
    assert [f.line for f in findings] == [7, 8]
    assert "customers.tier" in findings[0].message


def test_a_table_name_that_is_not_a_literal_is_shown_as_code() -> None:
    body = """\
    for table in ("invoices", "credit_notes"):
        op.add_column(table, sa.Column("issuer", sa.String(), nullable=False))
    """
    assert "<table>.issuer" in only_message(body)


def test_primary_keys_are_not_null_unless_the_database_numbers_them() -> None:
    body = """\
    op.add_column("events", sa.Column("id", postgresql.UUID(), primary_key=True))
    op.add_column("notes", sa.Column("id", sa.Integer(), primary_key=True))
    op.add_column("logs", sa.Column("id", sa.BigInteger, primary_key=True, nullable=False))
    op.add_column("tags", sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False))
    """
    findings = run(body)
    assert [f.line for f in findings] == [6, 9]
    assert findings[0].message.startswith(
        "add_column adds primary key events.id without a server_default: "
    )


@pytest.mark.parametrize(
    "column",
    [
        'sa.Column("c", sa.String(), nullable=False, server_default="x")',
        'sa.Column("c", sa.Integer(), nullable=False, server_default="0")',
        'sa.Column("c", sa.DateTime(), nullable=False, server_default=sa.text("now()"))',
        'sa.Column("c", sa.DateTime(), nullable=False, server_default=func.now())',
        'sa.Column("c", sa.String(), nullable=False, server_default=sa.FetchedValue())',
        'sa.Column("c", sa.BigInteger(), sa.Identity(), nullable=False)',
        'sa.Column("c", sa.Integer(), sa.Computed("a + b"), nullable=False)',
        'sa.Column("c", sa.String(), nullable=True)',
        'sa.Column("c", sa.String())',
        'sa.Column("c", sa.String(), nullable=is_nullable)',
        'sa.Column("c", sa.String(), default="x")',
    ],
)
def test_columns_the_database_can_fill_or_leave_null_pass(column: str) -> None:
    assert flagged(f'op.add_column("t", {column})') == []


def test_a_column_the_check_cannot_see_is_not_guessed() -> None:
    assert flagged('op.add_column("t", make_column("c"))') == []


def test_a_table_created_in_the_same_revision_is_empty() -> None:
    body = """\
    op.create_table("chains", sa.Column("id", sa.Integer(), primary_key=True))
    op.add_column("chains", sa.Column("name", sa.String(), nullable=False))
    op.alter_column("chains", "id", nullable=False)
    op.add_column("stores", sa.Column("name", sa.String(), nullable=False))
    """
    assert flagged(body) == [9]


def test_backfill_does_not_save_an_add_column() -> None:
    body = """\
    op.add_column("t", sa.Column("c", sa.String(), nullable=False))
    op.execute("UPDATE t SET c = 'x'")
    """
    assert flagged(body) == [6]


# -- alter_column -------------------------------------------------------------------------------


def test_alter_to_not_null_without_backfill_is_flagged() -> None:
    body = """\
    op.alter_column("receipts", "store_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("receipts") as batch_op:
        batch_op.alter_column("currency", nullable=False)
    op.alter_column(table_name="receipts", column_name="note", nullable=False)
    """
    findings = run(body)
    assert [f.line for f in findings] == [6, 8, 9]
    assert findings[0].message == (
        "alter_column makes receipts.store_id NOT NULL with no backfill and no server_default "
        f"in this migration: rows that hold NULL make it fail, {CONSEQUENCE}"
    )
    assert "receipts.currency" in findings[1].message


@pytest.mark.parametrize(
    "backfill",
    [
        'op.execute("UPDATE receipts SET store_id = 1 WHERE store_id IS NULL")',
        "op.execute(sa.text('UPDATE public.\"receipts\" SET store_id = 1'))",
        'op.get_bind().execute(sa.text("update receipts set store_id = 1"))',
        'op.execute("DELETE FROM receipts WHERE store_id IS NULL")',
        'op.execute(f"UPDATE {table} SET store_id = 1")',
        'op.execute("UPDATE %s SET store_id = 1" % table)',
        'op.execute("UPDATE {} SET store_id = 1".format(table))',
        "conn.execute(sa.update(sa.table('receipts')).values(store_id=1))",
        "conn.execute(receipts_table.update().values(store_id=1))",
        "connection.execute(statement)",
        "session.query(Receipt).filter(Receipt.store_id.is_(None)).update({'store_id': 1})",
        "session.bulk_update_mappings(Receipt, rows)",
        "for receipt in session.query(Receipt):\n    receipt.store_id = 1",
    ],
)
def test_a_backfill_of_the_table_lets_the_alter_pass(backfill: str) -> None:
    body = f'{backfill}\nop.alter_column("receipts", "store_id", nullable=False)\n'
    assert flagged(body) == []


@pytest.mark.parametrize(
    "other",
    [
        "op.execute(\"UPDATE stores SET name = 'x'\")",
        'op.execute("INSERT INTO receipts (id) VALUES (1)")',
        'op.execute("SELECT count(*) FROM receipts")',
        "conn.execute(sa.select(receipts_table))",
        "conn.execute(sa.update(sa.table('stores')).values(name='x'))",
        'op.execute("CREATE INDEX ix_receipts_store ON receipts (store_id)")',
    ],
)
def test_statements_that_do_not_rewrite_the_table_do_not_count(other: str) -> None:
    body = f'{other}\nop.alter_column("receipts", "store_id", nullable=False)\n'
    assert flagged(body) == [7]


def test_a_named_table_object_is_resolved() -> None:
    code = (
        HEADER.replace("def upgrade():\n", "")
        + "stores = sa.table('stores', sa.column('name'))\n\n\ndef upgrade():\n"
        + "    op.get_bind().execute(sa.update(stores).values(name='x'))\n"
        + '    op.alter_column("receipts", "store_id", nullable=False)\n'
    )
    assert [f.line for f in judge_files(make_check(), {"v/1.py": code})] == [10]


def test_a_backfill_in_a_helper_called_from_upgrade_counts() -> None:
    code = (
        HEADER
        + "    _fill()\n"
        + '    op.alter_column("receipts", "store_id", nullable=False)\n\n\n'
        + "def _fill():\n"
        + '    op.execute("UPDATE receipts SET store_id = 1")\n'
    )
    assert list(judge_files(make_check(), {"v/1.py": code})) == []


def test_a_server_default_in_the_same_migration_lets_the_alter_pass() -> None:
    body = """\
    op.alter_column("orders", "status", nullable=False, server_default="new")
    op.alter_column("orders", "kind", server_default="a")
    op.alter_column("orders", "kind", nullable=False)
    op.alter_column("orders", "state", nullable=False, existing_server_default=sa.text("'x'"))
    op.add_column("orders", sa.Column("tier", sa.String(), nullable=True, server_default="b"))
    op.alter_column("orders", "tier", nullable=False)
    op.execute("ALTER TABLE orders ALTER COLUMN flag SET DEFAULT false")
    op.alter_column("orders", "flag", nullable=False)
    op.alter_column("orders", "other", nullable=False, server_default=None)
    """
    assert flagged(body) == [14]


@pytest.mark.parametrize(
    "call",
    [
        'op.alter_column("t", "c", nullable=True)',
        'op.alter_column("t", "c", existing_type=sa.String(), type_=sa.Text())',
        'op.alter_column("t", "c", new_column_name="d")',
        'op.alter_column("t", "c", existing_nullable=False, type_=sa.Text())',
    ],
)
def test_alters_that_do_not_tighten_nulls_pass(call: str) -> None:
    assert flagged(call) == []


# -- scope --------------------------------------------------------------------------------------


def test_only_the_upgrade_path_is_read() -> None:
    code = (
        "import sqlalchemy as sa\nfrom alembic import op\n\n\n"
        "def upgrade():\n    pass\n\n\n"
        "def downgrade():\n"
        '    op.add_column("users", sa.Column("legacy", sa.String(), nullable=False))\n'
        '    op.alter_column("users", "name", nullable=False)\n\n\n'
        "def upgrade_reports():\n"
        '    op.add_column("reports", sa.Column("owner", sa.String(), nullable=False))\n'
    )
    assert [f.line for f in judge_files(make_check(), {"v/1.py": code})] == [15]


def test_a_file_without_upgrade_is_not_a_migration() -> None:
    code = (
        'import sqlalchemy as sa\nop.add_column("t", sa.Column("c", sa.String(), nullable=False))\n'
    )
    check = make_check()
    assert check.extract(SourceFile.from_text("util.py", code)) == (
        MigrationNotNullServerDefaultFacts()
    )


def test_prefilter_wants_migration_calls_or_a_revision() -> None:
    check = make_check()
    assert not check.applies_to(SourceFile.from_text("a.py", "def upgrade():\n    pass\n"))
    assert check.applies_to(SourceFile.from_text("a.py", 'down_revision = "x"\n'))


def _revision(revision: str, down: str | None, body: str) -> str:
    down_text = "None" if down is None else f'"{down}"'
    return (
        f'import sqlalchemy as sa\nfrom alembic import op\n\nrevision = "{revision}"\n'
        f"down_revision = {down_text}\n\n\ndef upgrade():\n"
        + textwrap.indent(textwrap.dedent(body), "    ")
    )


def test_a_backfill_in_the_parent_revision_counts_one_step_back(tmp_path: Path) -> None:
    versions = tmp_path / "alembic" / "versions"
    versions.mkdir(parents=True)
    files = {
        "a.py": _revision("a", None, 'op.execute("UPDATE receipts SET total = 0")\n'),
        "b.py": _revision("b", "a", 'op.alter_column("receipts", "total", nullable=False)\n'),
        "c.py": _revision("c", "b", 'op.alter_column("receipts", "tax", nullable=False)\n'),
        "d.py": _revision("d", ("x"), 'op.alter_column("receipts", "fee", nullable=False)\n'),
    }
    for name, text in files.items():
        (versions / name).write_text(text)
    outcome = run_lessons(tmp_path, [LESSON_ID])
    assert found_marks(outcome) == {
        ("alembic/versions/c.py", 9, LESSON_ID),
        ("alembic/versions/d.py", 9, LESSON_ID),
    }
    assert outcome.problems == []


def test_merge_revisions_look_at_every_parent() -> None:
    check = make_check()
    parent = check.extract(
        SourceFile.from_text("p.py", _revision("p", None, 'op.execute("UPDATE t SET c = 1")\n'))
    )
    merge = check.extract(
        SourceFile.from_text(
            "m.py",
            _revision("m", None, 'op.alter_column("t", "c", nullable=False)\n').replace(
                "down_revision = None", 'down_revision = ("q", "p")'
            ),
        )
    )
    assert merge.down_revisions == ["q", "p"]
    assert list(check.judge({"p.py": parent, "m.py": merge})) == []


# -- options ------------------------------------------------------------------------------------


def test_ignore_tables_matches_names_and_schema_qualified_names() -> None:
    body = """\
    op.add_column("audit_log", sa.Column("c", sa.String(), nullable=False))
    op.add_column("daily", sa.Column("c", sa.String(), nullable=False), schema="reporting")
    op.alter_column("Audit_Log", "d", nullable=False)
    op.add_column("users", sa.Column("c", sa.String(), nullable=False))
    """
    assert flagged(body) == [6, 7, 8, 9]
    assert flagged(body, ignore_tables=["audit_log", "reporting.daily"]) == [9]


def test_backfill_helpers_count_as_backfills_of_every_table() -> None:
    body = """\
    backfill_column("receipts", "store_id", 1)
    op.alter_column("receipts", "store_id", nullable=False)
    """
    assert flagged(body) == [7]
    assert flagged(body, backfill_helpers=["migrations.helpers.backfill_column"]) == []


def test_options_have_their_defaults_in_the_toml_only() -> None:
    assert SPEC.options == {"ignore-tables": [], "backfill-helpers": []}
    for field in MigrationNotNullServerDefaultOptions.model_fields.values():
        assert field.is_required()


# -- properties ---------------------------------------------------------------------------------


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(text=st.text(max_size=200))
def test_extract_never_raises_but_analysis_error_on_any_text(text: str) -> None:
    check = make_check()
    source = SourceFile.from_text("versions/x.py", "def upgrade():\n    op.add_column(" + text)
    try:
        facts = check.extract(source)
    except AnalysisError:
        return
    list(check.judge({"versions/x.py": facts}))


_PIECES = st.sampled_from(
    [
        'op.add_column("t", sa.Column("c", sa.String(), nullable=False))\n',
        'op.alter_column("t", "c", nullable=False)\n',
        'op.create_table("t")\n',
        'op.execute("UPDATE t SET c = 1")\n',
        "with op.batch_alter_table(t) as b:\n    b.add_column(sa.Column(nullable=False))\n",
        "for r in q:\n    r.x = 1\n",
        "conn.execute(stmt)\n",
        "x = (\n",
        ")\n",
        "    pass\n",
        "def helper():\n    pass\n",
    ]
)


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(pieces=st.lists(_PIECES, max_size=8))
def test_extract_never_raises_on_migration_shaped_text(pieces: list[str]) -> None:
    check = make_check()
    body = textwrap.indent("".join(pieces) or "pass\n", "    ")
    source = SourceFile.from_text("versions/x.py", HEADER + body)
    try:
        facts = check.extract(source)
    except AnalysisError:
        return
    MigrationNotNullServerDefaultFacts.model_validate_json(facts.model_dump_json())
    list(check.judge({"versions/x.py": facts}))
