"""`alembic-revision-id-length`: a revision id that does not fit `alembic_version.version_num`.

alembic creates its version table with `version_num VARCHAR(32)` and inserts each migration's
`revision` into it once the migration's `upgrade()` has run. An id of 33 characters or more
(`003_make_users_hashed_password_nullable` is 39) passes on SQLite, which ignores VARCHAR lengths,
and fails on PostgreSQL and MySQL; alembic runs the whole upgrade in one transaction there, so the
failed insert rolls back every table the run had created. `context.configure` has no option for
the column's width: it accepts unknown keywords and drops them, so `version_table_column_width=128`
in env.py changes nothing. Only a wider column in the database changes something.

The lesson is cross-file because three kinds of fact meet in `judge`:

* migration files (a module-level `revision` and `down_revision`): the id, where it is, and the
  ids it follows, so the revision graph can be rebuilt;
* widening steps inside migrations (`op.alter_column(..., "version_num", type_=sa.String(64))`
  or the equivalent `ALTER TABLE` SQL): they widen the column for the migration that runs them
  and every migration after it in the graph, which is the fix several real projects use;
* env files (`context.configure(...)`): keywords that look like a width option but are not one,
  mentioned in the finding so nobody believes they are the fix.

Only the `revision` assignment is reported: a `down_revision` naming a long id is the same id seen
from its child, and alembic never inserts it on the child's behalf. What cannot be read statically
(an id built at import time, `revision, down_revision = ...` unpacking, a width passed through
`**kwargs`, a version table created in env.py or by a custom `DefaultImpl`) is skipped, never
guessed; the `version-table-width` option covers a column widened outside the migrations.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from pydantic import Field

from pytest_lessons.checks.alembic_revision_id_length.facts import (
    AlembicRevisionIdLengthFacts,
    IgnoredConfigureOption,
    Migration,
    VersionColumnWidening,
)
from pytest_lessons.checks.alembic_revision_id_length.read_ast import extract_ast
from pytest_lessons.checks.alembic_revision_id_length.shapes import is_ignored_width_keyword
from pytest_lessons.checks.base import Check
from pytest_lessons.errors import too_deep_to_analyse
from pytest_lessons.findings import Finding
from pytest_lessons.lang.python.ast_source import ast_module
from pytest_lessons.options import LessonOptions
from pytest_lessons.source import FileKind, SourceFile

__all__ = [
    "AlembicRevisionIdLength",
    "AlembicRevisionIdLengthFacts",
    "AlembicRevisionIdLengthOptions",
    "IgnoredConfigureOption",
    "Migration",
    "VersionColumnWidening",
    "is_ignored_width_keyword",
]

_WORTH_PARSING = re.compile(
    r"^[^#\n]*(?:\bdown_revision\b\s*[:=]|\bcontext\.configure\b)", re.MULTILINE
)


class AlembicRevisionIdLengthOptions(LessonOptions):
    version_table_width: int = Field(ge=1)
    """How many characters `alembic_version.version_num` holds in every database the migrations
    run against: 32 as alembic creates it, more if the team widened the column themselves."""


class AlembicRevisionIdLength(Check[AlembicRevisionIdLengthOptions, AlembicRevisionIdLengthFacts]):
    options_model = AlembicRevisionIdLengthOptions
    facts_model = AlembicRevisionIdLengthFacts
    file_kinds = frozenset({FileKind.PYTHON})
    prefilter = (b"down_revision", b"context.configure")

    def extract(self, file: SourceFile) -> AlembicRevisionIdLengthFacts:
        text = file.text
        if _WORTH_PARSING.search(text) is None:  # the names only in comments: skip the parse
            return AlembicRevisionIdLengthFacts()
        try:
            return _read(file)
        except RecursionError:
            raise too_deep_to_analyse() from None

    def judge(self, facts: Mapping[str, AlembicRevisionIdLengthFacts]) -> Iterable[Finding]:
        migrations = {
            path: file_facts.migration
            for path, file_facts in facts.items()
            if file_facts.migration is not None
        }
        graph = _RevisionGraph(migrations.values())
        widened_at = {
            migration.revision: (path, file_facts.widenings)
            for path, file_facts in facts.items()
            if (migration := file_facts.migration) is not None and file_facts.widenings
        }
        env_files = {path: f for path, f in facts.items() if f.configures}
        for path in sorted(migrations):
            migration = migrations[path]
            width, widened_by = self._width_for(migration, graph, widened_at)
            if width is None or len(migration.revision) <= width:
                continue
            yield self.finding(
                path,
                migration.line,
                migration.column,
                _message(migration, width, widened_by, _ignored_options_for(path, env_files)),
                end_line=migration.end_line,
                end_column=migration.end_column,
            )

    def _width_for(
        self,
        migration: Migration,
        graph: _RevisionGraph,
        widened_at: Mapping[str, tuple[str, list[VersionColumnWidening]]],
    ) -> tuple[int | None, str | None]:
        """The column's width when `migration` is recorded, and where it was widened (if it was).

        A widening counts for the migration that runs it (alembic records the id after
        `upgrade()` returns, in the same transaction) and for every migration after it.
        """
        width: int | None = self.options.version_table_width
        widened_by: str | None = None
        for revision in graph.ancestors_and_self(migration.revision):
            if revision not in widened_at:
                continue
            path, widenings = widened_at[revision]
            for widening in widenings:
                if widening.width is None:
                    return None, f"{path}:{widening.line}"
                if width is not None and widening.width > width:
                    width, widened_by = widening.width, f"{path}:{widening.line}"
        return width, widened_by


def _read(file: SourceFile) -> AlembicRevisionIdLengthFacts:
    """The facts from the shared `ast` tree; from libcst where `ast` cannot parse the module
    (newer syntax than the interpreter's, or an error libcst reports with its position)."""
    try:
        module = ast_module(file)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        # the fallback, and libcst with it, imported only when a module needs it
        from pytest_lessons.checks.alembic_revision_id_length.read_cst import extract_cst

        return extract_cst(file)
    return extract_ast(module)


class _RevisionGraph:
    """Child -> parents, from every migration the lesson read (ids across envs rarely clash)."""

    def __init__(self, migrations: Iterable[Migration]) -> None:
        self._parents: dict[str, list[str]] = {}
        for migration in migrations:
            self._parents.setdefault(migration.revision, []).extend(migration.down_revisions)

    def ancestors_and_self(self, revision: str) -> list[str]:
        seen = {revision}
        order = [revision]
        stack = [revision]
        while stack:
            for parent in self._parents.get(stack.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    order.append(parent)
                    stack.append(parent)
        return order


def _ignored_options_for(
    migration_path: str, env_files: Mapping[str, AlembicRevisionIdLengthFacts]
) -> list[tuple[str, IgnoredConfigureOption]]:
    """The ignored width keywords of the env file that runs this migration.

    That is the env.py in the nearest directory above the migration (alembic's layout is
    `<script_location>/env.py` beside `<script_location>/versions/`). When no env file sits above
    it (migrations kept elsewhere via `version_locations`), every env file's keywords are named.
    """
    directory = migration_path.rsplit("/", 1)[0] if "/" in migration_path else ""
    best: tuple[int, str] | None = None
    for env_path in env_files:
        env_dir = env_path.rsplit("/", 1)[0] if "/" in env_path else ""
        above = env_dir == "" or directory == env_dir or directory.startswith(env_dir + "/")
        if above and (best is None or len(env_dir) > best[0]):
            best = (len(env_dir), env_path)
    chosen = [best[1]] if best is not None else sorted(env_files)
    return [(path, option) for path in chosen for option in env_files[path].ignored_options]


def _message(
    migration: Migration,
    width: int,
    widened_by: str | None,
    ignored: Sequence[tuple[str, IgnoredConfigureOption]],
) -> str:
    column = f"VARCHAR({width})" + (f", as widened at {widened_by}" if widened_by else "")
    message = (
        f"revision id '{migration.revision}' is {len(migration.revision)} characters but "
        f"alembic_version.version_num is {column}: recording it in alembic_version fails, and "
        "in a transactional migration everything applied before it is rolled back; use an id "
        "that fits (alembic revision --rev-id ...), or widen the column in the database yourself "
        "and set the lesson option version-table-width"
    )
    if ignored:
        named = " and ".join(
            f"{option.keyword}={option.value} in context.configure ({path}:{option.line})"
            for path, option in ignored
        )
        message += (
            f"; {named} does not widen it: alembic has no such option and ignores keywords "
            "it does not know"
        )
    return message
