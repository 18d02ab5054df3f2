"""The upgrade path's schema changes (see `ops`) read from the run's shared `ast` tree.

Every alembic revision file is read (`down_revision` brings in the data migrations the next
revision relies on), and they are among the longest modules of a repository; libcst with
positions cost tens of milliseconds each. This reader gives `ops.read_upgrade`'s records from
the `ast` tree the other Python layers parse anyway, in the same order, and a differential test
holds it to that. Where the two trees say different things it gives up rather than guess
(`LibcstNeeded`): an f-string's literal parts are raw source to libcst and evaluated text to
`ast`, and an f-string concatenated with a plain string is one node here but no text there.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Sequence

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
from pytest_lessons.lang.python.ast_source import AstModule, AstSource, children_in_source_order
from pytest_lessons.lang.python.routes.ast_syntax import (
    ast_arguments_by_parameter,
    ast_string,
    call_arguments,
)

__all__ = ["LibcstNeeded", "read_upgrade_ast"]

_Function = (ast.FunctionDef, ast.AsyncFunctionDef)
_With = (ast.With, ast.AsyncWith)
_For = (ast.For, ast.AsyncFor)


class LibcstNeeded(Exception):
    """The module holds a shape this reader does not read as libcst does: use `ops`."""


def read_upgrade_ast(
    module: AstModule, backfill_helpers: Sequence[str] = ()
) -> UpgradeOps[ast.Call]:
    """The operations of the module's upgrade path (empty when it has no `upgrade` function)."""
    tree, source = module
    functions: dict[str, list[ast.FunctionDef | ast.AsyncFunctionDef]] = {}
    for statement in tree.body:
        if isinstance(statement, _Function):
            functions.setdefault(statement.name, []).append(statement)
    assignments: dict[str, list[ast.expr]] = {}
    for node in _preorder(tree):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    assignments.setdefault(target.id, []).append(node.value)
        elif (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and node.value is not None
        ):
            assignments.setdefault(node.target.id, []).append(node.value)
    pending = [name for name in functions if _is_upgrade(name)]
    ops: UpgradeOps[ast.Call] = UpgradeOps(has_upgrade=bool(pending))
    revision = assignments.get("revision", [])
    ops.revision = ast_string(revision[-1]) if revision else None
    down = assignments.get("down_revision", [])
    if down:
        value = down[-1]
        elements = value.elts if isinstance(value, (ast.Tuple, ast.List)) else ()
        parents = (
            [ast_string(e.value if isinstance(e, ast.Starred) else e) for e in elements]
            if elements
            else [ast_string(value)]
        )
        ops.down_revisions = [parent for parent in parents if parent is not None]
    reader = _UpgradeReader(source, ops, assignments, tuple(backfill_helpers))
    seen: set[str] = set()
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        for function in functions[name]:
            reader.read(function)
        pending.extend(
            callee
            for callee in reader.called_names
            if callee in functions and callee not in seen and not callee.startswith("downgrade")
        )
        reader.called_names.clear()
    return ops


def _preorder(node: ast.AST) -> Iterator[ast.AST]:
    """Every node under `node`, parents first, in source order, without recursion."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(list(children_in_source_order(current))))


class _UpgradeReader:
    """`ops._UpgradeReader` over `ast`: the same questions at the same moments of the walk."""

    def __init__(
        self,
        source: AstSource,
        ops: UpgradeOps[ast.Call],
        assignments: dict[str, list[ast.expr]],
        backfill_helpers: tuple[str, ...],
    ) -> None:
        self.source = source
        self.ops = ops
        self.assignments = assignments
        self.backfill_helpers = backfill_helpers
        self.batches: dict[str, list[_Batch]] = {}
        self.called_names: set[str] = set()

    def read(self, function: ast.AST) -> None:
        """Walk `function` as libcst's visitor does: a `with` opens its batches for its body
        and closes them after, a `for` is looked at before what is inside it."""
        stack: list[tuple[ast.AST, bool]] = [(function, False)]
        while stack:
            node, leaving = stack.pop()
            if leaving:
                for alias, _ in self._batch_items(node):
                    self.batches[alias].pop()
                continue
            if isinstance(node, _With):
                for alias, batch in self._batch_items(node):
                    self.batches.setdefault(alias, []).append(batch)
                stack.append((node, True))
            elif isinstance(node, _For):
                self._for(node)
            elif isinstance(node, ast.Call):
                self._call(node)
            stack.extend((child, False) for child in reversed(list(children_in_source_order(node))))

    # -- `with op.batch_alter_table("t") as batch_op:` ---------------------------------------

    def _batch_items(self, node: ast.AST) -> list[tuple[str, _Batch]]:
        found: list[tuple[str, _Batch]] = []
        assert isinstance(node, _With)
        for item in node.items:
            call = item.context_expr
            if not (isinstance(call, ast.Call) and _last_name(call.func) == "batch_alter_table"):
                continue
            if not isinstance(item.optional_vars, ast.Name):
                continue
            args = ast_arguments_by_parameter(call, ("table_name", "schema"))
            table, literal = self._table(args.get("table_name"))
            batch = _Batch(table, literal, ast_string(args.get("schema")))
            found.append((item.optional_vars.id, batch))
        return found

    def _batch_of(self, receiver: ast.expr) -> _Batch | None:
        if isinstance(receiver, ast.Name):
            stack = self.batches.get(receiver.id)
            if stack:
                return stack[-1]
        return None

    # -- rows rewritten through the ORM: `for row in session.query(M): row.x = ...` -------------

    def _for(self, node: ast.For | ast.AsyncFor) -> None:
        targets = _target_names(node.target)
        if not targets:
            return
        for statement in node.body:
            for current in ast.walk(statement):
                if isinstance(current, ast.Assign):
                    assigned = current.targets
                elif isinstance(current, ast.AugAssign):
                    assigned = [current.target]
                else:
                    continue
                for target in assigned:
                    if isinstance(target, ast.Attribute) and _last_name(target.value) in targets:
                        self.ops.backfills.append(Backfill(node, None))
                        return

    # -- calls -------------------------------------------------------------------------------

    def _call(self, node: ast.Call) -> None:
        func = node.func
        name = _last_name(func)
        if isinstance(func, ast.Name):
            self.called_names.add(func.id)
        receiver = func.value if isinstance(func, ast.Attribute) else None
        if name == "create_table":
            table_name = ast_arguments_by_parameter(node, ("table_name",)).get("table_name")
            self.ops.created_tables.append(self._table(table_name)[0])
        elif name == "add_column":
            self._add_column(node, receiver)
        elif name == "alter_column":
            self._alter_column(node, receiver)
        elif name in _EXECUTE_METHODS:
            self._execute(node)
        elif (name == "update" and receiver is not None and _calls_named(receiver, "query")) or (
            name == "bulk_update_mappings" or self._is_backfill_helper(func)
        ):
            # session.query(M)...update({...}), bulk mappings, a team's backfill helper
            self.ops.backfills.append(Backfill(node, None))

    def _add_column(self, node: ast.Call, receiver: ast.expr | None) -> None:
        batch = self._batch_or_guess(node, receiver, positional_in_op_mode=2)
        if batch is not None:
            args = ast_arguments_by_parameter(node, ("column",))
            table, literal, schema = batch.table, batch.table_is_literal, batch.schema
        else:
            args = ast_arguments_by_parameter(node, ("table_name", "column"))
            table, literal = self._table(args.get("table_name"))
            schema = ast_string(args.get("schema"))
        column = self._column(args.get("column"))
        if column is not None:
            self.ops.added.append(AddedColumn(node, table, literal, schema, column))

    def _alter_column(self, node: ast.Call, receiver: ast.expr | None) -> None:
        batch = self._batch_or_guess(node, receiver, positional_in_op_mode=2)
        if batch is not None:
            args = ast_arguments_by_parameter(node, ("column_name",))
            table, literal, schema = batch.table, batch.table_is_literal, batch.schema
        else:
            args = ast_arguments_by_parameter(node, ("table_name", "column_name"))
            table, literal = self._table(args.get("table_name"))
            schema = ast_string(args.get("schema"))
        column = args.get("column_name")
        if column is None:
            return
        self.ops.altered.append(
            AlteredColumn(
                call=node,
                table=table,
                table_is_literal=literal,
                schema=schema,
                column=ast_string(column) or self._snippet(column),
                new_name=ast_string(args.get("new_column_name")),
                not_null=_is_constant(args.get("nullable"), False),
                sets_server_default=_names_a_default(args.get("server_default")),
                keeps_server_default=_names_a_default(args.get("existing_server_default")),
            )
        )

    def _batch_or_guess(
        self, node: ast.Call, receiver: ast.expr | None, positional_in_op_mode: int
    ) -> _Batch | None:
        if receiver is not None:
            batch = self._batch_of(receiver)
            if batch is not None:
                return batch
            if isinstance(receiver, ast.Name) and receiver.id == "op":
                return None
        if any(keyword.arg == "table_name" for keyword in node.keywords):
            return None
        positional = [arg for arg in node.args if not isinstance(arg, ast.Starred)]
        if len(positional) != len(node.args) or any(k.arg is None for k in node.keywords):
            return None  # a `*` or `**` argument
        if not positional:
            return None
        if _last_name(node.func) == "add_column":
            looks_batch = self._column(positional[0]) is not None
        else:
            looks_batch = len(positional) < positional_in_op_mode
        return _Batch("?", False, None) if looks_batch else None

    def _execute(self, node: ast.Call) -> None:
        statement = ast_arguments_by_parameter(node, ("statement",)).get("statement")
        if statement is None:
            return
        text = self._sql_text(statement)
        if text is not None:
            self._sql(node, text)
            return
        if isinstance(statement, ast.Name):
            statement = self._resolve(statement) or statement
        dml = self._dml_targets(statement)
        if dml is not None:
            self.ops.backfills.extend(Backfill(node, table) for table in dml)
        elif not _calls_named(statement, "select"):
            self.ops.backfills.append(Backfill(node, None))

    def _sql(self, node: ast.Call, text: str) -> None:
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

    def _dml_targets(self, statement: ast.expr) -> list[str | None] | None:
        """Tables a non-literal statement writes (`sa.update(t)`, `t.update()`), None if none;
        in the order `ops` finds them (last child first)."""
        targets: list[str | None] = []
        stack: list[ast.AST] = [statement]
        while stack:
            node = stack.pop()
            if isinstance(node, ast.Call) and _last_name(node.func) in _DML_CALLS:
                subject: ast.expr | None = None
                if isinstance(node.func, ast.Attribute) and _last_name(node.func.value) not in {
                    "sa",
                    "sqlalchemy",
                    "expression",
                    "sql",
                }:
                    subject = node.func.value
                else:
                    subject = _first_argument(node)
                targets.append(self._table_object_name(subject))
            stack.extend(children_in_source_order(node))
        return targets or None

    def _table_object_name(self, node: ast.expr | None) -> str | None:
        if isinstance(node, ast.Name):
            node = self._resolve(node)
        if isinstance(node, ast.Call) and _last_name(node.func) in _TABLE_CALLS:
            first = _first_argument(node)
            if first is None:
                return None
            name = ast_string(first)
            return table_key(name) if name is not None else None
        return None

    def _is_backfill_helper(self, func: ast.expr) -> bool:
        dotted = _dotted(func)
        if not dotted or not self.backfill_helpers:
            return False
        for helper in self.backfill_helpers:
            if dotted == helper or dotted.endswith("." + helper) or helper.endswith("." + dotted):
                return True
        return False

    # -- values ------------------------------------------------------------------------------

    def _column(self, node: ast.expr | None) -> ColumnShape | None:
        if isinstance(node, ast.Name):
            node = self._resolve(node)
        if not (isinstance(node, ast.Call) and _last_name(node.func) == "Column"):
            return None
        positional = [arg for arg in node.args if not isinstance(arg, ast.Starred)]
        keywords = {k.arg: k.value for k in node.keywords if k.arg is not None}
        name = ast_string(keywords.get("name"))
        if name is None and positional:
            name = ast_string(positional[0])
        nullable = keywords.get("nullable")
        primary_key = _is_constant(keywords.get("primary_key"), True)
        not_null: NotNullReason | None = None
        if _is_constant(nullable, False):
            not_null = "nullable"
        elif nullable is None and primary_key:
            not_null = "primary-key"
        types = [*positional, *([keywords["type_"]] if "type_" in keywords else [])]
        serial = (
            primary_key
            and not _is_constant(keywords.get("autoincrement"), False)
            and any(_last_name(_callee(value)) in _INTEGER_TYPES for value in types)
        )
        database_fills = serial or any(
            isinstance(value, ast.Call) and _last_name(value.func) in _DATABASE_FILLED
            for value in positional
        )
        return ColumnShape(
            name=name,
            not_null=not_null,
            server_default=_names_a_default(keywords.get("server_default")),
            database_fills=database_fills,
            orm_default="default" in keywords and not _is_constant(keywords["default"], None),
        )

    def _table(self, node: ast.expr | None) -> tuple[str, bool]:
        if node is None:
            return "?", False
        text = ast_string(node)
        if text is None and isinstance(node, ast.Name):
            resolved = self._resolve(node)
            text = ast_string(resolved) if resolved is not None else None
        if text is not None:
            return text, True
        return self._snippet(node), False

    def _resolve(self, name: ast.Name) -> ast.expr | None:
        """The value of a name assigned exactly once in the file; None when that is not so."""
        values = self.assignments.get(name.id, [])
        return values[0] if len(values) == 1 else None

    def _sql_text(self, node: ast.expr, depth: int = 0) -> str | None:
        """SQL text with unknown parts as placeholders; None when the statement is not text."""
        if depth > 8:
            return None
        literal = ast_string(node)
        if literal is not None:
            return literal
        if isinstance(node, ast.JoinedStr):
            raise LibcstNeeded  # see the module docstring
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
            left = self._sql_text(node.left, depth + 1)
            if left is None:
                return None
            if isinstance(node.op, ast.Mod):
                return _PERCENT_FIELD.sub(_PLACEHOLDER, left)
            right = self._sql_text(node.right, depth + 1)
            return left + (right if right is not None else _PLACEHOLDER)
        if isinstance(node, ast.Call):
            name = _last_name(node.func)
            first = _first_argument(node)
            if name in _TEXT_CALLS and first is not None:
                return self._sql_text(first, depth + 1)
            if name == "format" and isinstance(node.func, ast.Attribute):
                template = self._sql_text(node.func.value, depth + 1)
                return None if template is None else _FORMAT_FIELD.sub(_PLACEHOLDER, template)
            return None
        if isinstance(node, ast.Name):
            resolved = self._resolve(node)
            if resolved is not None:
                return self._sql_text(resolved, depth + 1)
        return None

    def _snippet(self, node: ast.expr, limit: int = 40) -> str:
        code = " ".join(self.source.text(node).split())
        return code if len(code) <= limit else code[: limit - 3] + "..."


# -- small syntax helpers ------------------------------------------------------------------------


def _first_argument(call: ast.Call) -> ast.expr | None:
    """The value of the call's first argument as written, whatever its kind (libcst's
    `call.args[0].value`)."""
    arguments = call_arguments(call)
    return arguments[0][2] if arguments else None


def _last_name(node: ast.AST | None) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _dotted(node: ast.AST | None) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return f"{base}.{node.attr}" if base else ""
    return ""


def _target_names(target: ast.AST) -> list[str]:
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, ast.Starred):
        return _target_names(target.value)
    if isinstance(target, (ast.Tuple, ast.List)):
        return [name for element in target.elts for name in _target_names(element)]
    return []


def _callee(node: ast.expr) -> ast.expr:
    return node.func if isinstance(node, ast.Call) else node


def _is_constant(node: ast.AST | None, value: object) -> bool:
    """`None`, `True` or `False` written as such (the names libcst compares)."""
    return isinstance(node, ast.Constant) and node.value is value


def _names_a_default(node: ast.AST | None) -> bool:
    """`server_default=` with a value; None drops the default and False leaves it unchanged."""
    return node is not None and not _is_constant(node, None) and not _is_constant(node, False)


def _calls_named(node: ast.AST, name: str) -> bool:
    return any(
        isinstance(current, ast.Call) and _last_name(current.func) == name
        for current in ast.walk(node)
    )
