"""alembic-revision-id-length: the `ast` reader must give the libcst reader's facts.

The judge reports the revision string at its exact span and names widenings and ignored
keywords by line and text, so the two readers are compared on the shapes where their trees
differ (folded string literals, byte vs character columns, keyword and starred arguments,
calls inside calls, downgrade scopes), on every lesson example tree, and on this project's own
source as a corpus of real modules.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from pytest_lessons.checks.alembic_revision_id_length import (
    _WORTH_PARSING,
    AlembicRevisionIdLengthFacts,
)
from pytest_lessons.checks.alembic_revision_id_length.read_ast import extract_ast
from pytest_lessons.checks.alembic_revision_id_length.read_cst import extract_cst
from pytest_lessons.errors import AnalysisError
from pytest_lessons.lang.python.ast_source import ast_module
from pytest_lessons.source import SourceFile
from tests.ast_support import require_ast_syntax
from tests.modern_syntax_samples import MODERN_MIGRATION
from tests.python_corpus import python_files

ROOT = Path(__file__).resolve().parents[3]

SNIPPETS = {
    "a migration that widens in every way": """
        \"\"\"widen\"\"\"
        import sqlalchemy as sa
        from alembic import op

        revision: str = ("2024_05_01_add_a_much_longer_identifier"  # ids fold
                         "_than_fits")
        down_revision = ("aaaa", "bbbb", *more, f"{x}")
        branch_labels = None

        def upgrade() -> None:
            op.alter_column("alembic_version", "version_num", type_=sa.String(length=64))
            op.alter_column(
                table_name="alembic_version",
                column_name="version_num",
                type_=sa.VARCHAR(128, collation="C"),
            )
            op.alter_column("alembic_version", "version_num", *rest, type_=sa.Text())
            op.alter_column("alembic_version", "version_num", type_=sa.UnicodeText)
            op.alter_column("alembic_version", "version_num", type_=sa.String(width))
            op.execute(sqltext="ALTER TABLE alembic_version ALTER version_num TYPE VARCHAR(80)")
            op.execute(sa.text("alter table alembic_version modify version_num varchar(90)"))
            helper(op.execute(*["ALTER TABLE alembic_version ALTER version_num TYPE TEXT"]))

        async def downgrade() -> None:
            op.alter_column("alembic_version", "version_num", type_=sa.String(32))
            def inner():
                op.execute("ALTER TABLE alembic_version ALTER COLUMN version_num TYPE VARCHAR(16)")
    """,
    "characters before the id are not bytes": """
        révision_note = "é"; revision = "ééé_this_id_is_long_enough_to_matter_for_sure"
        down_revision = None
    """,
    "an env file with ignored keywords": """
        from alembic import context
        import alembic

        def run_migrations_online():
            context.configure(
                connection=connection,
                target_metadata=target_metadata,
                version_table="alembic_version",
                version_table_column_width=(
                    128  # a note
                ),
                version_num_length=sa.String(
                    255,
                ),
                **extra,
            )
            alembic.context.configure(version_table_size=64, version_table_schema="s")
    """,
    "the last binding wins": """
        revision = "first"
        revision = "second_and_last_assignment_of_the_revision_id"
        down_revision: str | None = "base"
        if condition:
            revision = "inside_an_if_is_not_read"
    """,
    "a migration in Python 3.12 and 3.14 syntax": MODERN_MIGRATION,
}


def _source(text: str) -> SourceFile:
    return SourceFile.from_text("migrations/versions/0001_x.py", textwrap.dedent(text).lstrip())


def _readers(
    source: SourceFile,
) -> tuple[AlembicRevisionIdLengthFacts, AlembicRevisionIdLengthFacts]:
    return extract_ast(ast_module(source)), extract_cst(source)


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_the_ast_reader_gives_the_libcst_facts(name: str) -> None:
    source = _source(SNIPPETS[name])
    require_ast_syntax(source.text)
    fast, reference = _readers(source)
    assert reference.migration is not None or reference.configures  # the snippet is read
    assert fast == reference


def test_the_snippets_exercise_what_they_name() -> None:
    """The comparison above means something only if the reference finds these facts."""
    widening = extract_cst(_source(SNIPPETS["a migration that widens in every way"]))
    assert widening.migration is not None
    assert widening.migration.revision.endswith("_than_fits")
    assert (widening.migration.line, widening.migration.end_line) == (5, 6)
    assert widening.migration.down_revisions == ["aaaa", "bbbb"]
    assert [(w.line, w.width) for w in widening.widenings] == [
        (11, 64),
        (12, 128),
        (17, None),
        (18, None),
        (20, 80),
        (21, 90),
    ]  # not String(width), not the starred list
    unicode = extract_cst(_source(SNIPPETS["characters before the id are not bytes"]))
    assert unicode.migration is not None and unicode.migration.column == 33  # characters
    env = extract_cst(_source(SNIPPETS["an env file with ignored keywords"]))
    assert [(o.keyword, o.value, o.line) for o in env.ignored_options] == [
        ("version_table_column_width", "( 128 # a note )", 9),
        ("version_num_length", "sa.String( 255, )", 12),
        ("version_table_size", "64", 17),
    ]
    last = extract_cst(_source(SNIPPETS["the last binding wins"]))
    assert last.migration is not None and last.migration.line == 2


CORPUS = ("lessons", "examples")
"""Every lesson example tree (the alembic lessons' trees hold real-shaped migrations and env
files) and demo, as far as the lesson reads them. Real repositories are compared by their
reports."""


@pytest.mark.parametrize("folder", CORPUS)
def test_the_readers_agree_on_a_corpus_of_modules(folder: str) -> None:
    differing: list[str] = []
    read = 0
    for path in python_files(ROOT / folder):
        source = SourceFile.from_text("app/mod.py", path.read_text(encoding="utf-8"))
        if _WORTH_PARSING.search(source.text) is None:
            continue  # the lesson reads it with neither
        try:
            fast, reference = _readers(source)
        except (AnalysisError, SyntaxError):
            continue  # a parse problem of the file's own, read by neither
        if reference != AlembicRevisionIdLengthFacts():
            read += 1
        if fast != reference:
            differing.append(str(path.relative_to(ROOT)))
    assert differing == []
    if folder == "lessons":
        assert read >= 10  # the alembic example trees were really compared
