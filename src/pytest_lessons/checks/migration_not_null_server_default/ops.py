"""The schema changes an alembic `upgrade()` makes, read from its syntax without running it.

A migration file is code, and the same change is spelt many ways: `op.add_column("t", col)`,
keyword arguments, `batch_op` inside `with op.batch_alter_table("t")`, columns built in a
variable, backfills written as raw SQL, as `sa.update(...)`, or hidden in a helper function the
upgrade calls. This module flattens those spellings into plain records (columns added, columns
altered, tables created, server defaults set, rows rewritten) so a lesson can reason about the
change instead of the syntax. Only the upgrade path is read: `upgrade`, `upgrade_<engine>` (the
multi-database template) and the module's functions they call, never `downgrade`.

Anything that cannot be read with confidence is recorded as unknown, and the unknown always
leans towards "the database is taken care of": a lesson built on this should rather miss a
migration than cry wolf over one it did not understand.
"""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from pytest_lessons.checks.migration_not_null_server_default.shapes import (
    _DATABASE_FILLED,
    _DML,
    _DML_CALLS,
    _EXECUTE_METHODS,
    _FORMAT_FIELD,
    _INTEGER_TYPES,
    _PERCENT_FIELD,
    _PLACEHOLDER,
    _SET_DEFAULT,
    _TABLE_CALLS,
    _TEXT_CALLS,
    AddedColumn,
    AlteredColumn,
    Backfill,
    ColumnShape,
    NotNullReason,
    UpgradeOps,
    _Batch,
    _is_upgrade,
    table_key,
)
from pytest_lessons.lang.python.syntax import arguments_by_parameter, dotted_name, string_value

__all__ = ["read_upgrade"]


def read_upgrade(module: cst.Module, backfill_helpers: Sequence[str] = ()) -> UpgradeOps[cst.Call]:
    """The operations of the module's upgrade path (empty when it has no `upgrade` function)."""
    functions: dict[str, list[cst.FunctionDef]] = {}
    assignments: dict[str, list[cst.BaseExpression]] = {}
    _collect_definitions(module, functions, assignments)
    pending = [name for name in functions if _is_upgrade(name)]
    ops: UpgradeOps[cst.Call] = UpgradeOps(has_upgrade=bool(pending))
    revision = assignments.get("revision", [])
    ops.revision = string_value(revision[-1]) if revision else None
    down = assignments.get("down_revision", [])
    if down:
        value = down[-1]
        elements = value.elements if isinstance(value, (cst.Tuple, cst.List)) else ()
        parents = [string_value(e.value) for e in elements] if elements else [string_value(value)]
        ops.down_revisions = [parent for parent in parents if parent is not None]
    reader = _UpgradeReader(module, ops, assignments, tuple(backfill_helpers))
    seen: set[str] = set()
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        for function in functions[name]:
            function.visit(reader)
        pending.extend(
            callee
            for callee in reader.called_names
            if callee in functions and callee not in seen and not callee.startswith("downgrade")
        )
        reader.called_names.clear()
    return ops


def _collect_definitions(
    module: cst.Module,
    functions: dict[str, list[cst.FunctionDef]],
    assignments: dict[str, list[cst.BaseExpression]],
) -> None:
    """Top-level functions by name, and every `name = value` anywhere (for resolving names)."""
    for statement in module.body:
        if isinstance(statement, cst.FunctionDef):
            functions.setdefault(statement.name.value, []).append(statement)

    class _Assignments(cst.CSTVisitor):
        def visit_Assign(self, node: cst.Assign) -> None:
            for target in node.targets:
                if isinstance(target.target, cst.Name):
                    assignments.setdefault(target.target.value, []).append(node.value)

        def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
            if isinstance(node.target, cst.Name) and node.value is not None:
                assignments.setdefault(node.target.value, []).append(node.value)

    module.visit(_Assignments())


class _UpgradeReader(cst.CSTVisitor):
    def __init__(
        self,
        module: cst.Module,
        ops: UpgradeOps[cst.Call],
        assignments: dict[str, list[cst.BaseExpression]],
        backfill_helpers: tuple[str, ...],
    ) -> None:
        super().__init__()
        self.module = module
        self.ops = ops
        self.assignments = assignments
        self.backfill_helpers = backfill_helpers
        self.batches: dict[str, list[_Batch]] = {}
        self.called_names: set[str] = set()

    # -- `with op.batch_alter_table("t") as batch_op:` ---------------------------------------

    def visit_With(self, node: cst.With) -> None:
        for alias, batch in self._batch_items(node):
            self.batches.setdefault(alias, []).append(batch)

    def leave_With(self, original_node: cst.With) -> None:
        for alias, _ in self._batch_items(original_node):
            self.batches[alias].pop()

    def _batch_items(self, node: cst.With) -> list[tuple[str, _Batch]]:
        found: list[tuple[str, _Batch]] = []
        for item in node.items:
            call = item.item
            if not (isinstance(call, cst.Call) and _last_name(call.func) == "batch_alter_table"):
                continue
            if item.asname is None or not isinstance(item.asname.name, cst.Name):
                continue
            args = arguments_by_parameter(call, ("table_name", "schema"))
            table, literal = self._table(args.get("table_name"))
            found.append(
                (item.asname.name.value, _Batch(table, literal, string_value(args.get("schema"))))
            )
        return found

    def _batch_of(self, receiver: cst.BaseExpression) -> _Batch | None:
        if isinstance(receiver, cst.Name):
            stack = self.batches.get(receiver.value)
            if stack:
                return stack[-1]
        return None

    # -- rows rewritten through the ORM: `for row in session.query(M): row.x = ...` -------------

    def visit_For(self, node: cst.For) -> None:
        targets = _target_names(node.target)
        if not targets:
            return
        stack: list[cst.CSTNode] = [node.body]
        while stack:
            current = stack.pop()
            if isinstance(current, (cst.Assign, cst.AugAssign)):
                assigned = (
                    [t.target for t in current.targets]
                    if isinstance(current, cst.Assign)
                    else [current.target]
                )
                for target in assigned:
                    if isinstance(target, cst.Attribute) and _last_name(target.value) in targets:
                        self.ops.backfills.append(Backfill(node, None))
                        return
            stack.extend(current.children)

    # -- calls -------------------------------------------------------------------------------

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        name = _last_name(func)
        if isinstance(func, cst.Name):
            self.called_names.add(func.value)
        receiver = func.value if isinstance(func, cst.Attribute) else None
        if name == "create_table":
            table, _ = self._table(arguments_by_parameter(node, ("table_name",)).get("table_name"))
            self.ops.created_tables.append(table)
        elif name == "add_column":
            self._add_column(node, receiver)
        elif name == "alter_column":
            self._alter_column(node, receiver)
        elif name in _EXECUTE_METHODS:
            self._execute(node)
        elif name == "update" and receiver is not None and _calls_named(receiver, "query"):
            self.ops.backfills.append(Backfill(node, None))  # session.query(M)...update({...})
        elif name == "bulk_update_mappings" or self._is_backfill_helper(func):
            self.ops.backfills.append(Backfill(node, None))

    def _add_column(self, node: cst.Call, receiver: cst.BaseExpression | None) -> None:
        batch = self._batch_or_guess(node, receiver, positional_in_op_mode=2)
        if batch is not None:
            args = arguments_by_parameter(node, ("column",))
            table, literal, schema = batch.table, batch.table_is_literal, batch.schema
        else:
            args = arguments_by_parameter(node, ("table_name", "column"))
            table, literal = self._table(args.get("table_name"))
            schema = string_value(args.get("schema"))
        column = self._column(args.get("column"))
        if column is not None:
            self.ops.added.append(AddedColumn(node, table, literal, schema, column))

    def _alter_column(self, node: cst.Call, receiver: cst.BaseExpression | None) -> None:
        batch = self._batch_or_guess(node, receiver, positional_in_op_mode=2)
        if batch is not None:
            args = arguments_by_parameter(node, ("column_name",))
            table, literal, schema = batch.table, batch.table_is_literal, batch.schema
        else:
            args = arguments_by_parameter(node, ("table_name", "column_name"))
            table, literal = self._table(args.get("table_name"))
            schema = string_value(args.get("schema"))
        column = args.get("column_name")
        if column is None:
            return
        nullable = args.get("nullable")
        self.ops.altered.append(
            AlteredColumn(
                call=node,
                table=table,
                table_is_literal=literal,
                schema=schema,
                column=string_value(column) or self._snippet(column),
                new_name=string_value(args.get("new_column_name")),
                not_null=_is_false(nullable),
                sets_server_default=_names_a_default(args.get("server_default")),
                keeps_server_default=_names_a_default(args.get("existing_server_default")),
            )
        )

    def _batch_or_guess(
        self, node: cst.Call, receiver: cst.BaseExpression | None, positional_in_op_mode: int
    ) -> _Batch | None:
        """The batch context of a call, also for a `batch_op` handed to a helper as a parameter.

        `op.add_column` takes the table first; a batch operation does not. When the receiver is
        not a known batch alias, the shape of the arguments tells them apart.
        """
        if receiver is not None:
            batch = self._batch_of(receiver)
            if batch is not None:
                return batch
            if isinstance(receiver, cst.Name) and receiver.value == "op":
                return None
        keywords = {arg.keyword.value for arg in node.args if arg.keyword is not None}
        if "table_name" in keywords:
            return None
        positional = [arg for arg in node.args if arg.keyword is None and not arg.star]
        if any(arg.star for arg in node.args):
            return None
        if not positional:
            return None
        if _last_name(node.func) == "add_column":
            looks_batch = self._column(positional[0].value) is not None
        else:
            looks_batch = len(positional) < positional_in_op_mode
        if looks_batch:
            return _Batch("?", False, None)
        return None

    def _execute(self, node: cst.Call) -> None:
        statement = arguments_by_parameter(node, ("statement",)).get("statement")
        if statement is None:
            return
        text = self._sql_text(statement)
        if text is not None:
            self._sql(node, text)
            return
        if isinstance(statement, cst.Name):
            statement = self._resolve(statement) or statement
        dml = self._dml_targets(statement)
        if dml is not None:
            self.ops.backfills.extend(Backfill(node, table) for table in dml)
        elif not _calls_named(statement, "select"):
            # A statement built elsewhere (a variable, a helper's result) may well be the backfill.
            self.ops.backfills.append(Backfill(node, None))

    def _sql(self, node: cst.Call, text: str) -> None:
        for match in _DML.finditer(text):
            raw = match.group("table")
            self.ops.backfills.append(
                Backfill(node, None if _PLACEHOLDER in raw else table_key(raw))
            )
        for match in _SET_DEFAULT.finditer(text):
            raw = match.group("table")
            column = match.group("column")
            self.ops.raw_defaults.append(
                (
                    None if _PLACEHOLDER in raw else table_key(raw),
                    None if _PLACEHOLDER in column else column.strip('"`[]'),
                )
            )

    def _dml_targets(self, statement: cst.BaseExpression) -> list[str | None] | None:
        """Tables a non-literal statement writes (`sa.update(t)`, `t.update()`), None if none."""
        targets: list[str | None] = []
        stack: list[cst.CSTNode] = [statement]
        while stack:
            node = stack.pop()
            if isinstance(node, cst.Call) and _last_name(node.func) in _DML_CALLS:
                subject: cst.BaseExpression | None = None
                if isinstance(node.func, cst.Attribute) and _last_name(node.func.value) not in {
                    "sa",
                    "sqlalchemy",
                    "expression",
                    "sql",
                }:
                    subject = node.func.value
                elif node.args:
                    subject = node.args[0].value
                targets.append(self._table_object_name(subject))
            stack.extend(node.children)
        return targets or None

    def _table_object_name(self, node: cst.BaseExpression | None) -> str | None:
        """The name of a `sa.table("name", ...)` object, directly or through one variable."""
        if isinstance(node, cst.Name):
            node = self._resolve(node)
        if isinstance(node, cst.Call) and _last_name(node.func) in _TABLE_CALLS and node.args:
            name = string_value(node.args[0].value)
            return table_key(name) if name is not None else None
        return None

    def _is_backfill_helper(self, func: cst.BaseExpression) -> bool:
        dotted = _dotted(func)
        if not dotted or not self.backfill_helpers:
            return False
        for helper in self.backfill_helpers:
            if dotted == helper or dotted.endswith("." + helper) or helper.endswith("." + dotted):
                return True
        return False

    # -- values ------------------------------------------------------------------------------

    def _column(self, node: cst.BaseExpression | None) -> ColumnShape | None:
        if isinstance(node, cst.Name):
            node = self._resolve(node)
        if not (isinstance(node, cst.Call) and _last_name(node.func) == "Column"):
            return None
        positional = [arg.value for arg in node.args if arg.keyword is None and not arg.star]
        keywords = {arg.keyword.value: arg.value for arg in node.args if arg.keyword is not None}
        name = string_value(keywords.get("name"))
        if name is None and positional:
            name = string_value(positional[0])
        nullable = keywords.get("nullable")
        primary_key = _is_true(keywords.get("primary_key"))
        not_null: NotNullReason | None = None
        if _is_false(nullable):
            not_null = "nullable"
        elif nullable is None and primary_key:
            not_null = "primary-key"
        types = [*positional, *([keywords["type_"]] if "type_" in keywords else [])]
        serial = (
            primary_key
            and not _is_false(keywords.get("autoincrement"))
            and any(_last_name(_callee(value)) in _INTEGER_TYPES for value in types)
        )
        database_fills = serial or any(
            isinstance(value, cst.Call) and _last_name(value.func) in _DATABASE_FILLED
            for value in positional
        )
        return ColumnShape(
            name=name,
            not_null=not_null,
            server_default=_names_a_default(keywords.get("server_default")),
            database_fills=database_fills,
            orm_default="default" in keywords and not _is_none(keywords["default"]),
        )

    def _table(self, node: cst.BaseExpression | None) -> tuple[str, bool]:
        if node is None:
            return "?", False
        text = string_value(node)
        if text is None and isinstance(node, cst.Name):
            resolved = self._resolve(node)
            text = string_value(resolved) if resolved is not None else None
        if text is not None:
            return text, True
        return self._snippet(node), False

    def _resolve(self, name: cst.Name) -> cst.BaseExpression | None:
        """The value of a name assigned exactly once in the file; None when that is not so."""
        values = self.assignments.get(name.value, [])
        return values[0] if len(values) == 1 else None

    def _sql_text(self, node: cst.BaseExpression, depth: int = 0) -> str | None:
        """SQL text with unknown parts as placeholders; None when the statement is not text."""
        if depth > 8:
            return None
        literal = string_value(node)
        if literal is not None:
            return literal
        if isinstance(node, cst.FormattedString):
            return "".join(
                part.value if isinstance(part, cst.FormattedStringText) else _PLACEHOLDER
                for part in node.parts
            )
        if isinstance(node, cst.BinaryOperation) and isinstance(
            node.operator, (cst.Add, cst.Modulo)
        ):
            left = self._sql_text(node.left, depth + 1)
            if left is None:
                return None
            if isinstance(node.operator, cst.Modulo):
                return _PERCENT_FIELD.sub(_PLACEHOLDER, left)
            right = self._sql_text(node.right, depth + 1)
            return left + (right if right is not None else _PLACEHOLDER)
        if isinstance(node, cst.Call):
            name = _last_name(node.func)
            if name in _TEXT_CALLS and node.args:
                return self._sql_text(node.args[0].value, depth + 1)
            if name == "format" and isinstance(node.func, cst.Attribute):
                template = self._sql_text(node.func.value, depth + 1)
                return None if template is None else _FORMAT_FIELD.sub(_PLACEHOLDER, template)
            return None
        if isinstance(node, cst.Name):
            resolved = self._resolve(node)
            if resolved is not None:
                return self._sql_text(resolved, depth + 1)
        return None

    def _snippet(self, node: cst.CSTNode, limit: int = 40) -> str:
        try:
            code = " ".join(self.module.code_for_node(node).split())
        except RecursionError:
            code = "..."
        return code if len(code) <= limit else code[: limit - 3] + "..."


# -- small syntax helpers ------------------------------------------------------------------------


def _last_name(node: cst.CSTNode | None) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return node.attr.value
    return ""


def _target_names(target: cst.CSTNode) -> list[str]:
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, (cst.Tuple, cst.List)):
        return [name for element in target.elements for name in _target_names(element.value)]
    return []


def _callee(node: cst.BaseExpression) -> cst.BaseExpression:
    """`sa.Integer()` and `sa.Integer` name the same type."""
    return node.func if isinstance(node, cst.Call) else node


def _dotted(node: cst.CSTNode | None) -> str:
    return dotted_name(node) or ""


def _is_none(node: cst.CSTNode | None) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"


def _is_false(node: cst.CSTNode | None) -> bool:
    return isinstance(node, cst.Name) and node.value == "False"


def _is_true(node: cst.CSTNode | None) -> bool:
    return isinstance(node, cst.Name) and node.value == "True"


def _names_a_default(node: cst.CSTNode | None) -> bool:
    """`server_default=` with a value; None drops the default and False leaves it unchanged."""
    return node is not None and not _is_none(node) and not _is_false(node)


def _calls_named(node: cst.CSTNode, name: str) -> bool:
    stack: list[cst.CSTNode] = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Call) and _last_name(current.func) == name:
            return True
        stack.extend(current.children)
    return False
