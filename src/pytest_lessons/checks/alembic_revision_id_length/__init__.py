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

import libcst as cst
from libcst.metadata import CodeRange, PositionProvider
from pydantic import Field

from pytest_lessons.checks.base import Check
from pytest_lessons.errors import too_deep_to_analyse
from pytest_lessons.findings import Finding
from pytest_lessons.lang.common.records import Record
from pytest_lessons.lang.python.syntax import string_value
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

ALEMBIC_VERSION_OPTIONS = frozenset({"version_table", "version_table_schema", "version_table_pk"})
"""The `context.configure` keywords about the version table that alembic actually reads."""

_WIDTH_WORDS = ("length", "width", "size", "type")
_BOUNDED_TYPES = frozenset({"String", "VARCHAR", "Unicode", "NVARCHAR", "CHAR", "NCHAR"})
_UNBOUNDED_TYPES = frozenset({"Text", "TEXT", "UnicodeText", "CLOB"})
_WORTH_PARSING = re.compile(
    r"^[^#\n]*(?:\bdown_revision\b\s*[:=]|\bcontext\.configure\b)", re.MULTILINE
)
_ALTER_SQL = re.compile(
    r"\balter\s+table\s+[\w.\"`\[\]]*version\w*[\"`\]]?\s+"
    r"(?:alter|modify)\s+(?:column\s+)?[\"`\[]?version_num[\"`\]]?\s+"
    r"(?:(?:set\s+data\s+)?type\s+)?"
    r"(?:(?:varchar|character\s+varying|nvarchar|varchar2)\s*\(\s*(?P<width>\d+)\s*\)|(?P<text>text))",
    re.IGNORECASE,
)


class AlembicRevisionIdLengthOptions(LessonOptions):
    version_table_width: int = Field(ge=1)
    """How many characters `alembic_version.version_num` holds in every database the migrations
    run against: 32 as alembic creates it, more if the team widened the column themselves."""


class Migration(Record):
    """A migration file's own id (a string literal) and the ids it follows."""

    revision: str
    line: int
    column: int
    end_line: int
    end_column: int
    down_revisions: list[str] = Field(default_factory=list)
    """The parents' ids; empty for a first migration or when `down_revision` cannot be read."""


class VersionColumnWidening(Record):
    """A statement in a migration that widens `version_num`; `width` None means unbounded text."""

    line: int
    width: int | None


class IgnoredConfigureOption(Record):
    """A `context.configure` keyword that reads like a version-column width but is not one."""

    keyword: str
    value: str
    """The argument's source, shortened: `128`, `sa.String(128)`."""
    line: int


class AlembicRevisionIdLengthFacts(Record):
    migration: Migration | None = None
    widenings: list[VersionColumnWidening] = Field(default_factory=list)
    configures: bool = False
    """The file calls `context.configure`: it is an alembic env file."""
    ignored_options: list[IgnoredConfigureOption] = Field(default_factory=list)


def is_ignored_width_keyword(keyword: str) -> bool:
    """Whether a `context.configure` keyword looks like a version-column width yet is ignored.

    alembic passes unknown keywords on in a dict that nothing reads, so a width/length/size/type
    keyword about the version table is silently dropped; its real version options are excluded.
    """
    lowered = keyword.lower()
    return (
        "version" in lowered
        and any(word in lowered for word in _WIDTH_WORDS)
        and keyword not in ALEMBIC_VERSION_OPTIONS
    )


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
            return _extract(file)
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


# -- extraction ---------------------------------------------------------------------------------


def _extract(file: SourceFile) -> AlembicRevisionIdLengthFacts:
    wrapper = file.python_metadata()
    module = wrapper.module
    assigned = _module_assignments(module)
    is_migration = "revision" in assigned and "down_revision" in assigned
    collector = _CallCollector(collect_widenings=is_migration)
    module.visit(collector)
    if not is_migration and not collector.configures:
        return AlembicRevisionIdLengthFacts()
    positions = wrapper.resolve(PositionProvider)
    migration: Migration | None = None
    if is_migration:
        revision_node = assigned["revision"]
        revision = string_value(revision_node)
        if revision is not None:
            where: CodeRange = positions[revision_node]
            migration = Migration(
                revision=revision,
                line=where.start.line,
                column=where.start.column + 1,
                end_line=where.end.line,
                end_column=where.end.column + 1,
                down_revisions=_revision_ids(assigned["down_revision"]),
            )
    widenings = [
        VersionColumnWidening(line=positions[node].start.line, width=width)
        for node, width in collector.widenings
    ]
    ignored = [
        IgnoredConfigureOption(
            keyword=keyword,
            value=_shorten(module.code_for_node(value)),
            line=positions[arg].start.line,
        )
        for arg, keyword, value in collector.ignored
    ]
    return AlembicRevisionIdLengthFacts(
        migration=migration,
        widenings=widenings,
        configures=collector.configures,
        ignored_options=ignored,
    )


def _module_assignments(module: cst.Module) -> dict[str, cst.BaseExpression]:
    """The last value bound to each plain name by a module-level `=` or annotated assignment.

    The last one wins because that is the attribute alembic reads after importing the module.
    """
    values: dict[str, cst.BaseExpression] = {}
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if isinstance(small, cst.Assign):
                for target in small.targets:
                    if isinstance(target.target, cst.Name):
                        values[target.target.value] = small.value
            elif (
                isinstance(small, cst.AnnAssign)
                and isinstance(small.target, cst.Name)
                and small.value is not None
            ):
                values[small.target.value] = small.value
    return values


def _revision_ids(node: cst.BaseExpression) -> list[str]:
    """`down_revision` as a list: one id, a tuple/list of ids (a merge), or nothing."""
    single = string_value(node)
    if single is not None:
        return [single]
    if isinstance(node, (cst.Tuple, cst.List)):
        return [
            value
            for element in node.elements
            if isinstance(element, cst.Element)
            and (value := string_value(element.value)) is not None
        ]
    return []


def _dotted_tail(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return node.attr.value
    return None


def _is_context_configure(func: cst.BaseExpression) -> bool:
    """`context.configure` or `alembic.context.configure`: the env file's own call."""
    return (
        isinstance(func, cst.Attribute)
        and func.attr.value == "configure"
        and _dotted_tail(func.value) == "context"
    )


class _CallCollector(cst.CSTVisitor):
    """Every `context.configure` call and, in migrations, every widening of `version_num`.

    Widenings count only outside `downgrade()`: a downgrade that narrows the column again runs
    only when going back, never before a later migration is recorded.
    """

    def __init__(self, *, collect_widenings: bool) -> None:
        super().__init__()
        self.collect_widenings = collect_widenings
        self.configures = False
        self.ignored: list[tuple[cst.Arg, str, cst.BaseExpression]] = []
        self.widenings: list[tuple[cst.CSTNode, int | None]] = []
        self._downgrade_depth = 0

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if node.name.value.startswith("downgrade"):
            self._downgrade_depth += 1

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        if original_node.name.value.startswith("downgrade"):
            self._downgrade_depth -= 1

    def visit_Call(self, node: cst.Call) -> None:
        if _is_context_configure(node.func):
            self.configures = True
            for arg in node.args:
                if arg.keyword is not None and is_ignored_width_keyword(arg.keyword.value):
                    self.ignored.append((arg, arg.keyword.value, arg.value))
            return
        if not self.collect_widenings or self._downgrade_depth:
            return
        if _dotted_tail(node.func) == "alter_column":
            widening = _alter_column_width(node)
            if widening is not None:
                self.widenings.append((node, widening[0]))
            return
        for arg in node.args:  # op.execute("ALTER TABLE ...") or op.execute(sa.text("..."))
            sql = string_value(arg.value)
            if sql is None:
                continue
            for match in _ALTER_SQL.finditer(sql):
                width = match.group("width")
                self.widenings.append((node, int(width) if width is not None else None))


def _alter_column_width(call: cst.Call) -> tuple[int | None] | None:
    """For `op.alter_column(table, "version_num", type_=String(N))`: `(N,)`, `(None,)` for an
    unbounded text type; None when the call is not a widening the lesson can read."""
    positional = [arg.value for arg in call.args if arg.keyword is None and not arg.star]
    keywords = {arg.keyword.value: arg.value for arg in call.args if arg.keyword is not None}
    column = keywords.get("column_name", positional[1] if len(positional) > 1 else None)
    if column is None or string_value(column) != "version_num":
        return None
    new_type = keywords.get("type_")
    if new_type is None:
        return None
    if isinstance(new_type, cst.Call):
        name = _dotted_tail(new_type.func)
        if name in _UNBOUNDED_TYPES:
            return (None,)
        if name not in _BOUNDED_TYPES:
            return None
        length = next(
            (
                arg.value
                for arg in new_type.args
                if (arg.keyword is None and not arg.star)
                or (arg.keyword is not None and arg.keyword.value == "length")
            ),
            None,
        )
        if isinstance(length, cst.Integer):
            return (int(length.evaluated_value),)
        return None
    if _dotted_tail(new_type) in _UNBOUNDED_TYPES:
        return (None,)
    return None


def _shorten(code: str) -> str:
    flat = " ".join(code.split())
    return flat if len(flat) <= 40 else flat[:37] + "..."
