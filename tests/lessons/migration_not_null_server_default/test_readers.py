"""migration-not-null-server-default: the `ast` reader must give the libcst reader's facts.

Compared on the spellings `ops` flattens (batch contexts, columns built in variables, helpers
the upgrade calls, backfills as SQL text, statement builders and ORM loops), on every lesson
example tree and demo, and checked to hand an f-string in SQL position to libcst.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from pytest_lessons.checks.migration_not_null_server_default import (
    MigrationNotNullServerDefaultFacts,
    extract_ast,
    extract_cst,
)
from pytest_lessons.checks.migration_not_null_server_default.ops_ast import LibcstNeeded
from pytest_lessons.errors import AnalysisError
from pytest_lessons.lang.python.ast_source import ast_module
from pytest_lessons.source import SourceFile
from tests.ast_support import require_ast_syntax
from tests.modern_syntax_samples import MODERN_MIGRATION
from tests.python_corpus import python_files

ROOT = Path(__file__).resolve().parents[3]
HELPERS = ("migrations.util.backfill",)

SNIPPETS = {
    "every spelling of a change": """
        import sqlalchemy as sa
        from alembic import op

        revision = "b2"
        down_revision = ("a1", *others)
        TABLE = "accounts"
        email = sa.Column("email", sa.String(), nullable=False)
        users = sa.table("users", sa.column("plan"))
        reset = sa.update(users).values(plan="free")

        def _helper(batch_op):
            batch_op.add_column(sa.Column("flag", sa.Boolean(), nullable=False, default=False))
            batch_op.alter_column("plan", nullable=False)

        @decorated(op.execute("UPDATE audit SET seen = true"))
        def upgrade(extra=op.execute("DELETE FROM junk")):
            op.create_table("fresh", sa.Column("id", sa.Integer(), primary_key=True))
            op.add_column(TABLE, email)
            op.add_column("orders", sa.Column("total", sa.Numeric(), nullable=False,
                                              server_default="0"))
            op.add_column(table_name="orders", column=sa.Column(
                "id2", sa.BigInteger, primary_key=True))
            op.add_column("orders", sa.Column("uid", sa.UUID(), primary_key=True))
            op.add_column("orders", sa.Column("gen", sa.Integer(), sa.Identity(), nullable=False))
            async with op.batch_alter_table("teams", schema="app") as batch_op:
                batch_op.alter_column("name", new_column_name="title", nullable=False)
                _helper(batch_op)
            with op.batch_alter_table(TABLE) as b:
                b.alter_column("email", nullable=False, existing_server_default=sa.text("''"))
            op.alter_column("users", "plan", nullable=False, server_default=None)
            op.alter_column(f"{prefix}_x", "c", nullable=False)
            op.alter_column("users", *cols, nullable=False)
            op.execute(reset)
            op.execute(sa.text("UPDATE " + TABLE + " SET email = ''"))
            op.execute("ALTER TABLE users ALTER COLUMN plan SET DEFAULT 'free'")
            op.execute("UPDATE %s SET x = 1" % name)
            op.execute("UPDATE {} SET x = 1".format(name))
            op.execute(users.delete().where(users.c.plan == None))
            op.execute(sa.select(users))
            op.execute(statement=built_elsewhere())
            for row in session.query(User):
                row.plan = "free"
            session.query(User).filter(User.plan == None).update({"plan": "free"})
            session.bulk_update_mappings(User, rows)
            migrations.util.backfill(op)

        def downgrade():
            op.add_column("users", sa.Column("old", sa.Integer(), nullable=False))
    """,
    "the multi-database template": """
        revision: str = "c3"
        down_revision = "b2"

        def upgrade(engine_name):
            globals()["upgrade_%s" % engine_name]()

        def upgrade_main():
            op.add_column("t", sa.Column("c", sa.Text(), nullable=False))
            helper()

        def helper():
            for a, (b, *rest) in pairs:
                b.value += 1

        def downgrade_main():
            op.alter_column("t", "c", nullable=False)
    """,
    "a migration in Python 3.12 and 3.14 syntax": MODERN_MIGRATION,
}


def _source(text: str) -> SourceFile:
    return SourceFile.from_text("migrations/versions/b2_x.py", textwrap.dedent(text).lstrip())


Facts = MigrationNotNullServerDefaultFacts


def _readers(source: SourceFile) -> tuple[Facts, Facts]:
    return extract_ast(ast_module(source), HELPERS), extract_cst(source, HELPERS)


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_the_ast_reader_gives_the_libcst_facts(name: str) -> None:
    source = _source(SNIPPETS[name])
    require_ast_syntax(source.text)
    fast, reference = _readers(source)
    assert reference.changes  # the snippet is read
    assert fast == reference


def test_the_snippets_exercise_what_they_name() -> None:
    """The comparison above means something only if the reference reads these shapes."""
    facts = extract_cst(_source(SNIPPETS["every spelling of a change"]), HELPERS)
    assert facts.down_revisions == ["a1"]
    assert [(c.operation, c.table, c.column, c.line) for c in facts.changes] == [
        ("add_column", "?", "flag", 12),  # a batch_op handed to a helper the upgrade calls
        ("alter_column", "?", "plan", 13),
        ("add_column", "accounts", "email", 18),  # table and column through variables
        ("add_column", "orders", "uid", 23),  # a primary key the database does not number
        ("alter_column", "teams", "name", 26),
        ("alter_column", "users", "plan", 30),
        ("alter_column", 'f"{prefix}_x"', "c", 31),
    ]
    assert facts.created_tables == ["fresh"]
    # decorator and default, the statement variable, the concatenation, % and format, the
    # builder, the call built elsewhere, the loop, the query update, bulk mappings, the helper
    assert [b.table for b in facts.backfills] == [
        "audit", "junk", "users", "accounts", None, None, "users", None, None, None, None, None,
    ]  # fmt: skip
    assert [(d.table, d.column) for d in facts.server_defaults] == [
        ("users", "plan"),  # SET DEFAULT in raw SQL
        ("orders", "total"),
        ("orders", "id2"),  # a serial primary key
        ("orders", "gen"),  # an identity column
    ]
    template = extract_cst(_source(SNIPPETS["the multi-database template"]), HELPERS)
    assert [c.line for c in template.changes] == [8]  # upgrade_main, not downgrade_main
    assert [b.table for b in template.backfills] == [None]  # the loop in the helper


def test_an_f_string_in_sql_position_is_left_to_libcst() -> None:
    source = _source(
        """
        revision = "d4"
        down_revision = "c3"

        def upgrade():
            op.execute(f"UPDATE {table} SET x = 1")
            op.alter_column("t", "x", nullable=False)
        """
    )
    with pytest.raises(LibcstNeeded):
        extract_ast(ast_module(source), HELPERS)
    assert [b.table for b in extract_cst(source, HELPERS).backfills] == [None]


CORPUS = ("lessons", "examples")


@pytest.mark.parametrize("folder", CORPUS)
def test_the_readers_agree_on_a_corpus_of_modules(folder: str) -> None:
    differing: list[str] = []
    read = 0
    for path in python_files(ROOT / folder):
        text = path.read_text(encoding="utf-8")
        if not any(word in text for word in ("add_column", "alter_column", "down_revision")):
            continue  # the lesson reads it with neither
        source = SourceFile.from_text("migrations/versions/mod.py", text)
        try:
            fast, reference = _readers(source)
        except (AnalysisError, SyntaxError, LibcstNeeded):
            continue
        read += 1
        if fast != reference:
            differing.append(str(path.relative_to(ROOT)))
    assert differing == []
    if folder == "lessons":
        assert read >= 10
