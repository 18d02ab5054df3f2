"""The lesson's facts read with libcst."""

from __future__ import annotations

import libcst as cst
from libcst.metadata import CodeRange, PositionProvider

from pytest_lessons.checks.alembic_revision_id_length.facts import (
    AlembicRevisionIdLengthFacts,
    IgnoredConfigureOption,
    Migration,
    VersionColumnWidening,
)
from pytest_lessons.checks.alembic_revision_id_length.shapes import (
    ALTER_SQL,
    BOUNDED_TYPES,
    UNBOUNDED_TYPES,
    is_ignored_width_keyword,
    shorten,
)
from pytest_lessons.lang.python.syntax import string_value
from pytest_lessons.source import SourceFile

__all__ = ["extract_cst"]


def extract_cst(file: SourceFile) -> AlembicRevisionIdLengthFacts:
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
            value=shorten(module.code_for_node(value)),
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
            for match in ALTER_SQL.finditer(sql):
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
        if name in UNBOUNDED_TYPES:
            return (None,)
        if name not in BOUNDED_TYPES:
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
    if _dotted_tail(new_type) in UNBOUNDED_TYPES:
        return (None,)
    return None
