"""Which statements of an alembic env.py leave a transaction open on alembic's connection.

Extraction walks each function of an env.py (a module that calls `context.configure` or
`context.run_migrations`) in source order and turns it into events on named connections: a
statement that opens a transaction, a commit or rollback, alembic taking the connection over, the
connection closing. A helper of the same module that receives the connection, or runs under
`run_sync`, is walked in place, so a commit or a `create_all` inside it counts where it is called.

`uncommitted_work(file, commit_helpers)` returns the statements whose transaction is still open
when it matters (alembic took the connection over, the commit came too late, the connection
closed), each with the reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import libcst as cst
from libcst.metadata import CodeRange, PositionProvider

from pytest_lessons.checks.alembic_create_all_commit.uncommitted import Reason, UncommittedWork
from pytest_lessons.lang.python.syntax import dotted_name
from pytest_lessons.source import SourceFile

__all__ = ["uncommitted_work"]


def uncommitted_work(file: SourceFile, commit_helpers: Sequence[str]) -> list[UncommittedWork]:
    """The uncommitted statements of an env.py (a module calling `context.configure` or
    `context.run_migrations`), in source order; nothing for any other module."""
    wrapper = file.python_metadata()
    module = wrapper.module
    names = _ModuleNames.of(module)
    if not names.is_env:
        return []
    positions = wrapper.resolve(PositionProvider)
    analysis = _EnvAnalysis(module, names, commit_helpers)
    found: dict[tuple[int, int], UncommittedWork] = {}
    for events in analysis.scopes():
        for work in _judge_events(events, positions):
            found.setdefault((work.line, work.column), work)
    return sorted(found.values(), key=lambda work: (work.line, work.column))


# -- env.py: which names are what ----------------------------------------------------------------

_ENGINE_FACTORIES = frozenset(
    {"create_engine", "engine_from_config", "async_engine_from_config", "create_async_engine"}
)
_OPENING_METHODS = frozenset({"execute", "exec_driver_sql", "scalar", "scalars"})
_DDL_METHODS = frozenset({"create_all", "drop_all", "create", "drop"})
_READ_METHODS = frozenset({"reflect"})
"""`metadata.reflect(connection)`: only SELECTs, which begin a transaction all the same."""
_NOT_WORK = frozenset({"configure", "begin_transaction", "get_context", "get_bind", "close"})
"""Methods of a `MigrationContext` or `Operations` that run nothing on the connection."""
_WRITE_SQL = frozenset(
    {"CREATE", "DROP", "ALTER", "TRUNCATE", "GRANT", "REVOKE", "COMMENT", "INSERT", "UPDATE"}
    | {"DELETE"}
)


def _unwrap(node: cst.BaseExpression) -> cst.BaseExpression:
    while isinstance(node, cst.Await):
        node = node.expression
    return node


def _method(call: cst.Call) -> tuple[cst.BaseExpression, str] | None:
    if isinstance(call.func, cst.Attribute):
        return call.func.value, call.func.attr.value
    return None


def _chain_calls(node: cst.BaseExpression) -> Iterator[str]:
    """Method names called along a receiver chain: `e.connect().execution_options(...)`."""
    node = _unwrap(node)
    while True:
        if isinstance(node, cst.Call):
            if isinstance(node.func, cst.Attribute):
                yield node.func.attr.value
                node = node.func.value
                continue
            if isinstance(node.func, cst.Name):
                yield node.func.value
            return
        if isinstance(node, cst.Attribute):
            node = node.value
            continue
        return


def _chain_root(node: cst.BaseExpression) -> str | None:
    """The name a receiver chain starts from: `engine` in `engine.connect().execution_options()`."""
    node = _unwrap(node)
    while isinstance(node, (cst.Call, cst.Attribute)):
        node = node.func if isinstance(node, cst.Call) else node.value
    return node.value if isinstance(node, cst.Name) else None


def _mentions_autocommit(module: cst.Module, node: cst.CSTNode) -> bool:
    return "AUTOCOMMIT" in module.code_for_node(node).upper()


def _keyword(call: cst.Call, name: str) -> cst.BaseExpression | None:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg.value
    return None


def _positional(call: cst.Call, index: int) -> cst.BaseExpression | None:
    positional = [arg.value for arg in call.args if arg.keyword is None and not arg.star]
    return positional[index] if index < len(positional) else None


@dataclass
class _ModuleNames:
    """What the module imports and defines that the walk needs to recognise."""

    context_names: set[str]
    functions: dict[str, cst.FunctionDef]
    imported: dict[str, str]
    """local name -> dotted origin, from `import` and `from ... import`."""
    is_env: bool = False

    @classmethod
    def of(cls, module: cst.Module) -> _ModuleNames:
        collector = _ModuleCollector()
        module.visit(collector)
        names = cls(collector.context_names, collector.functions, collector.imported)
        names.is_env = collector.alembic_calls(names.context_names)
        return names


class _ModuleCollector(cst.CSTVisitor):
    def __init__(self) -> None:
        self.context_names = {"context"}
        self.functions: dict[str, cst.FunctionDef] = {}
        self.imported: dict[str, str] = {}
        self.calls: list[str] = []

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.module is None or isinstance(node.names, cst.ImportStar):
            return
        origin = dotted_name(node.module)
        if origin is None:
            return
        for alias in node.names:
            name = dotted_name(alias.name)
            if name is None:
                continue
            local = name
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                local = alias.asname.name.value
            self.imported[local] = f"{origin}.{name}"
            if origin == "alembic" and name == "context":
                self.context_names.add(local)

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            name = dotted_name(alias.name)
            if name is None:
                continue
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                self.imported[alias.asname.name.value] = name
                if name == "alembic.context":
                    self.context_names.add(alias.asname.name.value)
            elif name.startswith("alembic"):
                self.context_names.add("alembic.context")

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.functions.setdefault(node.name.value, node)

    def visit_Call(self, node: cst.Call) -> None:
        name = dotted_name(node.func)
        if name is not None:
            self.calls.append(name)

    def alembic_calls(self, context_names: set[str]) -> bool:
        wanted = {f"{c}.{m}" for c in context_names for m in ("configure", "run_migrations")}
        return any(call in wanted for call in self.calls)


Kind = Literal["conn", "engine", "attr", "configured", "autocommit", "trans"]


class _KindCollector(cst.CSTVisitor):
    """Flow-insensitive kinds of the names of one function (nested functions excluded)."""

    def __init__(self, module: cst.Module, context_names: set[str]) -> None:
        self.module = module
        self.context_names = context_names
        self.kinds: dict[str, set[Kind]] = {}
        self.trans_of: dict[str, str] = {}
        self.ops_of: dict[str, str] = {}
        """`ctx = MigrationContext.configure(conn)`, `op = Operations(ctx)`: name -> `conn`."""
        self.depth = 0

    def add(self, name: str, kind: Kind) -> None:
        self.kinds.setdefault(name, set()).add(kind)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.depth += 1
        return self.depth == 1

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.depth -= 1

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def visit_Param(self, node: cst.Param) -> None:
        if node.annotation is None:
            return
        annotation = self.module.code_for_node(node.annotation.annotation)
        last = re.split(r"[.\[\]\s|,'\"]+", annotation.strip("'\" "))
        words = [word for word in last if word and word not in {"Optional", "None"}]
        if words and words[-1].endswith("Connection"):
            self.add(node.name.value, "conn")
        elif words and words[-1].endswith("Engine"):
            self.add(node.name.value, "engine")

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is None or not isinstance(node.asname.name, cst.Name):
            return
        self._bind(node.asname.name.value, node.item, in_with=True)

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            if isinstance(target.target, cst.Name):
                self._bind(target.target.value, node.value, in_with=False)
            elif isinstance(target.target, (cst.Subscript, cst.Attribute)):
                self._bind_stored_transaction(target.target, node.value)

    def _bind_stored_transaction(
        self, target: cst.BaseExpression, value: cst.BaseExpression
    ) -> None:
        """`rec["transaction"] = conn.begin()`: a transaction kept in a container or attribute
        (one per engine in multi-database env.py files) is committed through the same text,
        `rec["transaction"].commit()`, so it is tracked by the target's source text."""
        value = _unwrap(value)
        if not (isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute)):
            return
        receiver = dotted_name(value.func.value)
        if value.func.attr.value == "begin" and receiver is not None:
            self.trans_of[self.module.code_for_node(target).strip()] = receiver

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if isinstance(node.target, cst.Name) and node.value is not None:
            self._bind(node.target.value, node.value, in_with=False)

    def _bind(self, name: str, value: cst.BaseExpression, *, in_with: bool) -> None:
        value = _unwrap(value)
        over = _migration_context_connection(value, self.ops_of)
        if over is not None:
            self.ops_of[name] = over
            return
        chain = list(_chain_calls(value))
        if "connect" in chain:
            self.add(name, "conn")
            root = _chain_root(value)
            if _mentions_autocommit(self.module, value) or (
                root is not None and "autocommit" in self.kinds.get(root, set())
            ):
                self.add(name, "autocommit")  # every statement commits at the driver
            return
        if chain and chain[-1] in _ENGINE_FACTORIES:
            self.add(name, "engine")
            if _mentions_autocommit(self.module, value):
                self.add(name, "autocommit")
            return
        if isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute):
            receiver = dotted_name(value.func.value)
            method = value.func.attr.value
            if method == "begin" and receiver is not None:
                if in_with and not self._is_conn_like(receiver):
                    self.add(name, "conn")  # `with engine.begin() as conn:`
                else:
                    self.trans_of[name] = receiver
                    self.add(name, "trans")
                return
            if method == "execution_options" and receiver is not None:
                for kind in self.kinds.get(receiver, set()):
                    self.add(name, kind)
                if _mentions_autocommit(self.module, value):
                    self.add(name, "autocommit")
                return
            if method == "get" and receiver is not None and receiver.endswith(".attributes"):
                self.add(name, "attr")
                return
        if isinstance(value, cst.Subscript):
            receiver = dotted_name(value.value)
            if receiver is not None and receiver.endswith(".attributes"):
                self.add(name, "attr")

    def _is_conn_like(self, name: str) -> bool:
        kinds = self.kinds.get(name, set())
        return bool(kinds & {"conn", "attr", "configured"}) and "engine" not in kinds

    def visit_Call(self, node: cst.Call) -> None:
        name = dotted_name(node.func)
        if name is None or not name.endswith(".configure"):
            return
        if name[: -len(".configure")] not in self.context_names:
            return
        connection = _keyword(node, "connection")
        target = dotted_name(connection) if connection is not None else None
        if target is not None and "." not in target:
            self.add(target, "configured")


@dataclass
class _Scope:
    """The names of one walked function, as seen from where the walk started."""

    kinds: dict[str, set[Kind]]
    trans_of: dict[str, str]
    ops_of: dict[str, str]
    rename: dict[str, str]
    """Parameter -> the caller's connection name, for helpers walked in place."""
    prefix: str

    def key(self, name: str) -> str:
        if name in self.rename:
            return self.rename[name]
        return f"{self.prefix}{name}"

    def connection(self, node: cst.BaseExpression | None) -> str | None:
        """The connection `node` names, or None if it is not one (or is unknown)."""
        if node is None:
            return None
        name = dotted_name(_unwrap(node))
        if name is None or "." in name:
            return None
        if name in self.rename:
            return self.rename[name]
        kinds = self.kinds.get(name, set())
        if "autocommit" in kinds or not kinds & {"conn", "attr", "configured"}:
            return None
        if "engine" in kinds and "configured" not in kinds:
            return None  # e.g. `connectable = config.attributes.get(...) or engine_from_config()`
        return self.key(name)


EventKind = Literal["open", "commit", "rollback", "configure", "takeover", "close"]


@dataclass
class _Event:
    kind: EventKind
    connection: str | None
    node: cst.CSTNode | None = None
    ddl: bool = False
    nested: bool = False
    awaited: bool = False
    label: str = ""
    local_name: str = ""
    reads: bool = False


class _EnvAnalysis:
    """Turns each function (and the module body) of an env.py into an ordered event list."""

    MAX_DEPTH = 3

    def __init__(
        self, module: cst.Module, names: _ModuleNames, commit_helpers: Sequence[str]
    ) -> None:
        self.module = module
        self.names = names
        self.commit_helpers = tuple(commit_helpers)
        self.awaited: dict[cst.Call, cst.Await] = {}
        """Calls written under `await`: a finding starts at the `await`, the fix awaits too."""

    def scopes(self) -> Iterator[list[_Event]]:
        top = [
            statement
            for statement in self.module.body
            if not isinstance(statement, (cst.FunctionDef, cst.ClassDef))
        ]
        yield self._walk_body(top, self._scope_of(None, {}, ""), 0)
        for function in _all_functions(self.module):
            scope = self._scope_of(function, {}, "")
            yield self._walk_body(function.body.body, scope, 0)

    def _scope_of(
        self, function: cst.FunctionDef | None, rename: dict[str, str], prefix: str
    ) -> _Scope:
        collector = _KindCollector(self.module, self.names.context_names)
        if function is None:
            for statement in self.module.body:
                if not isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
                    statement.visit(collector)
        else:
            function.visit(collector)
        return _Scope(collector.kinds, collector.trans_of, collector.ops_of, rename, prefix)

    # -- walking statements in source order --

    def _walk_body(
        self,
        body: Sequence[cst.CSTNode],
        scope: _Scope,
        depth: int,
        safe: frozenset[str] = frozenset(),
    ) -> list[_Event]:
        events: list[_Event] = []
        for statement in body:
            self._walk(statement, scope, depth, safe, events)
        return events

    def _walk(
        self,
        node: cst.CSTNode,
        scope: _Scope,
        depth: int,
        safe: frozenset[str],
        events: list[_Event],
    ) -> None:
        if isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
            return
        if isinstance(node, cst.With):
            self._walk_with(node, scope, depth, safe, events)
            return
        if isinstance(node, cst.Await) and isinstance(node.expression, cst.Call):
            self.awaited[node.expression] = node
        if isinstance(node, cst.Call):
            self._call(node, scope, depth, safe, events)
        for child in node.children:
            self._walk(child, scope, depth, safe, events)

    def _walk_with(
        self,
        node: cst.With,
        scope: _Scope,
        depth: int,
        safe: frozenset[str],
        events: list[_Event],
    ) -> None:
        closing: list[str] = []
        committing: list[str] = []
        inner_safe = set(safe)
        for item in node.items:
            value = _unwrap(item.item)
            target = (
                item.asname.name.value
                if item.asname is not None and isinstance(item.asname.name, cst.Name)
                else None
            )
            method = _method(value) if isinstance(value, cst.Call) else None
            if method is not None and method[1] in {"begin", "begin_nested"}:
                receiver = scope.connection(method[0])
                if receiver is not None:
                    if method[1] == "begin_nested" and receiver not in safe:
                        events.append(
                            _Event(
                                "open",
                                receiver,
                                item.item,
                                nested=True,
                                label=self._text(item.item),
                                local_name=dotted_name(method[0]) or receiver,
                            )
                        )
                    inner_safe.add(receiver)  # what runs inside is one unit of work
                    continue
                if method[1] == "begin" and target is not None:
                    key = scope.key(target)  # `with engine.begin() as conn:` commits on exit
                    inner_safe.add(key)
                    committing.append(key)
                    closing.append(key)
                    continue
            self._walk(item.item, scope, depth, safe, events)
            if target is not None and "connect" in _chain_calls(value):
                closing.append(scope.key(target))
        for statement in (
            node.body.body if isinstance(node.body, cst.IndentedBlock) else [node.body]
        ):
            self._walk(statement, scope, depth, frozenset(inner_safe), events)
        events.extend(_Event("commit", key) for key in committing)
        events.extend(_Event("close", key) for key in reversed(closing))

    # -- one call --

    def _call(
        self,
        call: cst.Call,
        scope: _Scope,
        depth: int,
        safe: frozenset[str],
        events: list[_Event],
    ) -> None:
        name = dotted_name(call.func)
        if name is not None and self._alembic(name, "configure"):
            argument = _keyword(call, "connection")
            if argument is not None:
                events.append(_Event("configure", scope.connection(argument)))
            return
        if name is not None and (
            self._alembic(name, "begin_transaction") or self._alembic(name, "run_migrations")
        ):
            events.append(_Event("takeover", None))
            return
        method = _method(call)
        if method is not None:
            self._method_call(call, method[0], method[1], scope, depth, safe, events)
            return
        if isinstance(call.func, cst.Name):
            self._function_call(call, call.func.value, scope, depth, events)

    def _method_call(
        self,
        call: cst.Call,
        receiver_node: cst.BaseExpression,
        method: str,
        scope: _Scope,
        depth: int,
        safe: frozenset[str],
        events: list[_Event],
    ) -> None:
        receiver = scope.connection(receiver_node)
        receiver_name = dotted_name(receiver_node)
        if method in {"commit", "rollback"}:
            if receiver_name is None:
                receiver_name = self._text(receiver_node)  # `rec["transaction"].commit()`
            if receiver is None and receiver_name in scope.trans_of:
                receiver = scope.connection(cst.Name(scope.trans_of[receiver_name]))
            if receiver is not None:
                events.append(
                    _Event("commit" if method == "commit" else "rollback", receiver, call)
                )
            return
        if receiver is not None and method in _OPENING_METHODS:
            writes = _writes(call)
            self._open(call, receiver, receiver_name, safe, events, ddl=writes, reads=not writes)
            return
        if receiver is not None and method == "begin":
            self._open(call, receiver, receiver_name, safe, events, ddl=False)
            return
        if receiver is not None and method == "run_sync":
            self._run_sync(call, receiver, receiver_name, scope, depth, safe, events)
            return
        if self._other_work(call, receiver_node, method, scope, safe, events):
            return
        if method in _DDL_METHODS:
            bind = _keyword(call, "bind")
            if bind is None:
                bind = _positional(call, 0)
            target = scope.connection(bind)
            if target is not None:
                self._open(
                    call, target, dotted_name(bind) if bind else None, safe, events, ddl=True
                )

    def _other_work(
        self,
        call: cst.Call,
        receiver_node: cst.BaseExpression,
        method: str,
        scope: _Scope,
        safe: frozenset[str],
        events: list[_Event],
    ) -> bool:
        """Statements run on a connection through something else than the connection: an
        `Operations`/`MigrationContext` built over it (`op.alter_column(...)`,
        `ctx.get_current_revision()`), an inspector (`sa.inspect(conn).has_table(...)`), the
        dialect (`conn.dialect.has_table(conn, ...)`) or a reflection (`metadata.reflect(conn)`)."""
        over = _migration_context_connection(receiver_node, scope.ops_of)
        if over is not None and method not in _NOT_WORK:
            target = scope.connection(cst.Name(over))
            if target is not None:
                reads = method.startswith("get_")
                self._open(call, target, over, safe, events, ddl=not reads, reads=reads)
                return True
        receiver_name = dotted_name(receiver_node)
        inner = _unwrap(receiver_node)
        if isinstance(inner, cst.Call) and self._is_inspect(inner):
            # `sa.inspect(conn).has_table(...)`: reported as the whole statement
            target = scope.connection(_positional(inner, 0))
            if target is not None:
                local = dotted_name(_positional(inner, 0) or inner)
                self._open(call, target, local, safe, events, ddl=False, reads=True)
                return True
        arguments: list[cst.BaseExpression | None] = []
        if method == "inspect" and self._is_sqlalchemy(receiver_name):
            arguments = [_positional(call, 0)]
        elif receiver_name is not None and receiver_name.rsplit(".", 1)[-1] == "dialect":
            arguments = [arg.value for arg in call.args]
        elif method in _READ_METHODS:
            arguments = [_keyword(call, "bind"), _positional(call, 0)]
        for argument in arguments:
            target = scope.connection(argument)
            if target is not None:
                local = dotted_name(argument) if argument is not None else None
                self._open(call, target, local, safe, events, ddl=False, reads=True)
                return True
        return False

    def _is_inspect(self, call: cst.Call) -> bool:
        """`sqlalchemy.inspect(...)`, `sa.inspect(...)` or `inspect(...)` imported from it."""
        if isinstance(call.func, cst.Attribute):
            return call.func.attr.value == "inspect" and self._is_sqlalchemy(
                dotted_name(call.func.value)
            )
        if isinstance(call.func, cst.Name):
            return self.names.imported.get(call.func.value) == "sqlalchemy.inspect"
        return False

    def _is_sqlalchemy(self, name: str | None) -> bool:
        return name is not None and (
            name == "sqlalchemy" or self.names.imported.get(name) == "sqlalchemy"
        )

    def _function_call(
        self,
        call: cst.Call,
        name: str,
        scope: _Scope,
        depth: int,
        events: list[_Event],
    ) -> None:
        passed = {
            index: scope.connection(arg.value)
            for index, arg in enumerate(call.args)
            if arg.keyword is None and not arg.star
        }
        keywords = {
            arg.keyword.value: scope.connection(arg.value)
            for arg in call.args
            if arg.keyword is not None
        }
        connections = [c for c in (*passed.values(), *keywords.values()) if c is not None]
        if not connections:
            return
        if name == "inspect" and self.names.imported.get(name) == "sqlalchemy.inspect":
            self._open(call, connections[0], None, frozenset(), events, ddl=False, reads=True)
            return
        helper = self.names.functions.get(name)
        if helper is not None and depth < self.MAX_DEPTH:
            rename: dict[str, str] = {}
            params = [*helper.params.posonly_params, *helper.params.params]
            for index, param in enumerate(params):
                connection = passed.get(index)
                if connection is not None:
                    rename[param.name.value] = connection
            for param in [*params, *helper.params.kwonly_params]:
                connection = keywords.get(param.name.value)
                if connection is not None:
                    rename[param.name.value] = connection
            if rename:
                inner = self._scope_of(helper, rename, f"{name}#{depth + 1}.")
                events.extend(self._walk_body(helper.body.body, inner, depth + 1))
            return
        resolved = self.names.imported.get(name, name)
        if any(_helper_matches(resolved, helper_name) for helper_name in self.commit_helpers):
            events.extend(_Event("commit", connection, call) for connection in connections)
        elif "migrat" in name.lower():
            events.extend(_Event("configure", connection) for connection in connections)

    def _run_sync(
        self,
        call: cst.Call,
        receiver: str,
        receiver_name: str | None,
        scope: _Scope,
        depth: int,
        safe: frozenset[str],
        events: list[_Event],
    ) -> None:
        function = _positional(call, 0)
        if function is None:
            return
        if isinstance(function, cst.Attribute) and function.attr.value in _DDL_METHODS:
            self._open(call, receiver, receiver_name, safe, events, ddl=True)
            return
        if isinstance(function, cst.Lambda):
            params = function.params.params
            if params and depth < self.MAX_DEPTH:
                inner = _Scope({}, {}, {}, {params[0].name.value: receiver}, f"lambda#{depth + 1}.")
                self._walk(function.body, inner, depth + 1, safe, events)
            return
        name = dotted_name(function)
        if name is None:
            return
        helper = self.names.functions.get(name)
        if helper is not None and depth < self.MAX_DEPTH:
            params = [*helper.params.posonly_params, *helper.params.params]
            if params:
                inner = self._scope_of(helper, {params[0].name.value: receiver}, f"{name}#.")
                helper_events = self._walk_body(helper.body.body, inner, depth + 1)
                if receiver in safe:
                    helper_events = [e for e in helper_events if e.kind != "open"]
                events.extend(helper_events)
            return
        if "migrat" in name.lower():
            events.append(_Event("configure", receiver))

    def _open(
        self,
        call: cst.Call,
        connection: str,
        local_name: str | None,
        safe: frozenset[str],
        events: list[_Event],
        *,
        ddl: bool,
        reads: bool = False,
    ) -> None:
        if connection in safe:
            return
        anchor = self.awaited.get(call)
        events.append(
            _Event(
                "open",
                connection,
                anchor if anchor is not None else call,
                ddl=ddl,
                awaited=anchor is not None,
                label=self._text(call),
                local_name=local_name or connection,
                reads=reads,
            )
        )

    def _alembic(self, name: str, method: str) -> bool:
        head, _, tail = name.rpartition(".")
        return tail == method and head in self.names.context_names

    def _text(self, node: cst.CSTNode) -> str:
        text = " ".join(self.module.code_for_node(node).split())
        return text if len(text) <= 80 else text[:77] + "..."


def _migration_context_connection(
    node: cst.BaseExpression, ops_of: Mapping[str, str]
) -> str | None:
    """The connection name under `MigrationContext.configure(conn)`, `Operations(ctx)` or a
    name bound to one of them; None for anything else."""
    node = _unwrap(node)
    if isinstance(node, cst.Name):
        return ops_of.get(node.value)
    if not isinstance(node, cst.Call):
        return None
    callee = dotted_name(node.func) or ""
    if callee.endswith("MigrationContext.configure"):
        argument = _keyword(node, "connection") or _positional(node, 0)
        name = dotted_name(argument) if argument is not None else None
        return name if name is not None and "." not in name else None
    if callee.rsplit(".", 1)[-1] == "Operations":
        argument = _keyword(node, "migration_context") or _positional(node, 0)
        return _migration_context_connection(argument, ops_of) if argument is not None else None
    return None


def _all_functions(module: cst.Module) -> list[cst.FunctionDef]:
    functions: list[cst.FunctionDef] = []

    class _Collect(cst.CSTVisitor):
        def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
            functions.append(node)

    module.visit(_Collect())
    return functions


def _helper_matches(resolved: str, declared: str) -> bool:
    return (
        resolved == declared
        or resolved.endswith("." + declared)
        or ("." not in declared and resolved.rsplit(".", 1)[-1] == declared)
    )


def _writes(call: cst.Call) -> bool:
    """Whether the SQL text of an `execute` is a literal that changes the database."""
    for node in _strings_in(call):
        try:
            value = node.evaluated_value
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            continue
        if isinstance(value, bytes):
            value = value.decode("utf-8", "replace")
        words = value.split(None, 1) if isinstance(value, str) else []
        return bool(words) and words[0].upper() in _WRITE_SQL
    return False


def _strings_in(node: cst.CSTNode) -> Iterator[cst.SimpleString]:
    for child in node.children:
        if isinstance(child, cst.SimpleString):
            yield child
        elif not isinstance(child, (cst.Lambda, cst.FunctionDef)):
            yield from _strings_in(child)


def _judge_events(
    events: list[_Event], positions: Mapping[cst.CSTNode, CodeRange]
) -> Iterator[UncommittedWork]:
    configured: set[str | None] = set()
    for index, event in enumerate(events):
        if event.kind == "configure":
            configured.add(event.connection)
        elif event.kind == "close":
            configured.discard(event.connection)
        if event.kind != "open" or event.node is None or event.connection is None:
            continue
        if event.connection in configured:
            continue  # alembic owns the connection now; begin_transaction() commits this
        fate = _fate(event, events[index + 1 :])
        if fate is None:
            continue
        reason, late_commit = fate
        where = positions.get(event.node)
        if where is None:
            continue
        commit_where = (
            positions.get(late_commit.node)
            if late_commit is not None and late_commit.node is not None
            else None
        )
        yield UncommittedWork(
            line=where.start.line,
            column=where.start.column + 1,
            end_line=where.end.line,
            end_column=where.end.column + 1,
            statement=event.label,
            connection=event.local_name,
            reason="late-commit" if commit_where is not None else reason,
            commit_line=commit_where.start.line if commit_where is not None else None,
            nested=event.nested,
            awaited=event.awaited,
            reads_only=event.reads and not event.nested,
        )


def _fate(opened: _Event, later: list[_Event]) -> tuple[Reason, _Event | None] | None:
    """What becomes of the transaction `opened` begins: None when it ends in time, else why
    not, with the commit that came only after alembic had taken the connection (if any)."""
    connection = opened.connection
    configured: str | None = None
    for position, event in enumerate(later):
        if event.kind == "configure":
            configured = event.connection
        mine = event.connection == connection
        if event.kind == "commit" and mine:
            return None
        if event.kind == "rollback" and mine:
            return ("closed", None) if opened.ddl else None
        if event.kind == "close" and mine:
            return ("closed", None) if opened.ddl or opened.nested else None
        taken = (event.kind == "configure" and mine) or (
            event.kind == "takeover" and configured in (None, connection)
        )
        if taken:
            rest = later[position + 1 :]
            if _committed_after_migrations(connection, event.kind == "takeover", rest):
                return None
            return "takeover", _late_commit(connection, rest)
    return None


def _committed_after_migrations(connection: str | None, ran: bool, later: list[_Event]) -> bool:
    """The caller commits the open transaction once the migrations have run in it.

    Alembic leaves a transaction it found open to the caller; a commit after
    `run_migrations()` (the multi-database env.py pattern: `trans = conn.begin()` per engine,
    migrate, then `trans.commit()`) commits the migrations with it. Only a commit between
    `configure()` and the migrations comes too late: the migrations then autobegin a new
    transaction that nobody commits.
    """
    for event in later:
        if event.kind == "takeover":
            ran = True
            continue
        if event.connection != connection:
            continue
        if event.kind in {"close", "rollback"}:
            return False
        if event.kind == "commit":
            return ran
    return False


def _late_commit(connection: str | None, later: list[_Event]) -> _Event | None:
    for event in later:
        if event.connection != connection:
            continue
        if event.kind in {"close", "rollback"}:
            return None
        if event.kind == "commit":
            return event
    return None
