"""The `ast` reader of `python_evidence`, the fast path: the same events as `evidence_cst`.

libcst with position metadata costs tens of milliseconds a module; the stdlib parser builds the
same tree, positions included, many times faster. The events must not depend on which parser
read them, so this reader mirrors what libcst's visitor sees:

- events keep source order (a unit's `calls` is a list): `ast` visits some fields out of source
  order (a dict's keys before its values, `ast.arguments`' defaults last), so every event carries
  its position and each unit's lists are sorted by it at the end, ties kept in visiting order;
- libcst also has a `Name` node for what `ast` keeps as plain strings (a `def`'s or a parameter's
  name, a keyword argument's keyword, an imported name, an `except ... as` name), and each of
  those may say 401/403 (`class NotAuthenticated`); they are read here as names too;
- a unit is entered before its decorators, parameters and bases, as libcst's visitor is: what
  a decorator calls is credited to the function it decorates;
- texts are the source slices libcst's `code_for_node` gives (`AstSource`).

`ast` only parses the running interpreter's grammar: a module it rejects raises SyntaxError
here, and `python_evidence` falls back to `evidence_cst`.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from pytest_lessons.checks.worker_route_auth.evidence import CHECK_IN_TRY
from pytest_lessons.checks.worker_route_auth.evidence_scan import (
    COMPARE_CALLS,
    LOOKUP_CALLS,
    REJECT_401,
    REJECT_403,
    Scan,
    Site,
    Test,
    redirects_to_login,
)
from pytest_lessons.lang.python.ast_source import AstSource, Parsed, parsed
from pytest_lessons.lang.python.routes.ast_syntax import ast_dotted, call_arguments
from pytest_lessons.lang.python.routes.dependencies_ast import (
    ast_annotated_dependencies,
    ast_call_dependency,
)
from pytest_lessons.lang.python.routes.facts import Dependency

__all__ = ["AstModuleScan", "ast_scan"]

_Unit = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
_TRY_KINDS: tuple[type[ast.Try], ...] = (ast.Try, getattr(ast, "TryStar", ast.Try))
"""`try` and, from Python 3.11, `try`/`except*` (same fields)."""
_At = tuple[int, int, int]


def _is_literal(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant):
        value = node.value
        return value is None or isinstance(value, (str, bytes, int, float))
    return False


def _presence_names(test: ast.AST) -> frozenset[str] | None:
    """The names a test only checks for presence (`not x`, `x is None`, `x == ""`), else None."""
    if isinstance(test, ast.Name):
        return frozenset({test.id})
    if isinstance(test, ast.Constant) and (test.value is None or isinstance(test.value, bool)):
        return frozenset({repr(test.value)})  # libcst reads `None`, `True` as names
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return _presence_names(test.operand)
    if isinstance(test, ast.BoolOp):
        names: frozenset[str] = frozenset()
        for value in test.values:
            found = _presence_names(value)
            if found is None:
                return None
            names |= found
        return names
    if (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and len(test.ops) == 1
        and _is_literal(test.comparators[0])
        and isinstance(test.ops[0], (ast.Is, ast.IsNot, ast.Eq, ast.NotEq))
    ):
        return frozenset({test.left.id})
    return None


def _and_operands(test: ast.expr) -> list[ast.expr]:
    """`a and b and c`, `(a and b) and c`: the operands, flattened."""
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        return [operand for value in test.values for operand in _and_operands(value)]
    return [test]


def _one_value(test: ast.expr) -> bool:
    """A truthiness test of one value: `SECRET`, `settings.SECRET`, `config["SECRET"]`,
    `os.getenv("SECRET")` (whether it names a secret is decided later, by its text)."""
    if isinstance(test, (ast.Name, ast.Attribute, ast.Subscript)):
        return True
    if not isinstance(test, ast.Call) or test.keywords or len(test.args) != 1:
        return False
    name = ast_dotted(test.func)
    argument = test.args[0]
    return (
        name is not None
        and name.rsplit(".", 1)[-1] in ("getenv", "get")
        and isinstance(argument, ast.Constant)
        and isinstance(argument.value, str)
    )


def _always_leaves(body: list[ast.stmt]) -> bool:
    """The block ends by returning or raising: an unset secret takes the code after it."""
    return bool(body) and isinstance(body[-1], (ast.Return, ast.Raise))


def _when_set(node: ast.If) -> tuple[list[ast.expr], list[ast.expr]]:
    """The one-value tests that the rest of `node`'s test runs under, and those its body runs
    under (see `Site.when`): `if SECRET:` guards a body that falls through to the work,
    `if SECRET and token != SECRET:` guards its second operand and its body."""
    operands = _and_operands(node.test)
    if len(operands) == 1:
        alone = _one_value(node.test) and not _always_leaves(node.body)
        return [], [node.test] if alone else []
    found = [operand for operand in operands[:-1] if _one_value(operand)]
    return found, found


def _checks_only_when_set(checks: list[ast.stmt]) -> list[ast.expr]:
    """The tests under which every check of a `try` runs (`if SECRET: construct_event(...)`):
    an `except` answering 401 for that check stops nobody while the secret is unset, so its
    events run under those tests too (none when some check runs unconditionally)."""
    found: list[ast.expr] = []
    for check in checks:
        body_when = _when_set(check)[1] if isinstance(check, ast.If) else []
        if not body_when:
            return []
        found.extend(body_when)
    return found


@dataclass
class _Frame:
    name: str
    scan: Scan
    is_class: bool
    qualified: str
    order: dict[str, list[_At]] = field(default_factory=dict)
    """Positions of the events in each of the scan's lists, to sort them by at the end."""


class AstModuleScan:
    """One walk over the module; every event is credited to each enclosing function/class."""

    def __init__(self, source: AstSource) -> None:
        self.source = source
        self.scans: dict[str, Scan] = {}
        self.lines: dict[int, str] = {}
        self._orders: dict[str, dict[str, list[_At]]] = {}
        self._stack: list[_Frame] = []
        self._tests: list[Test] = []
        self._when: list[str] = []
        """Texts of the one-value tests the events being read run under (`Site.when`)."""
        self._statement: ast.stmt | None = None
        """The statement being read: its first line is where an event without a position of
        its own is, and libcst leaves its indentation out of the text of an expression's
        continuation lines."""
        self._seq = 0

    # -- bookkeeping ------------------------------------------------------------------------------

    def _at(self, node: ast.AST) -> _At:
        self._seq += 1
        return (getattr(node, "lineno", 0), getattr(node, "col_offset", 0), self._seq)

    def _site(self, node: ast.AST) -> Site:
        """Where an event is, as libcst positions it: an attribute's name is on its last line."""
        if isinstance(node, ast.Attribute):
            line = node.end_lineno or node.lineno
        else:
            statement = self._statement
            line = getattr(node, "lineno", None) or (statement.lineno if statement else 0)
        return Site(line, self._stack[-1].qualified if self._stack else "", tuple(self._when))

    def _frames(self, *, classes: bool = True) -> Iterator[_Frame]:
        return (frame for frame in self._stack if classes or not frame.is_class)

    def _add(self, frame: _Frame, key: str, at: _At, item: object) -> None:
        getattr(frame.scan, key).append(item)
        frame.order.setdefault(key, []).append(at)

    def finish(self) -> None:
        """Sort every unit's event lists into source order."""
        for name, scan in self.scans.items():
            order = self._orders.get(name, {})
            for key, positions in order.items():
                items = getattr(scan, key)
                if len(items) != len(positions):
                    continue
                pairs = sorted(zip(positions, items, strict=True), key=lambda pair: pair[0])
                setattr(scan, key, [item for _at, item in pairs])

    def _text(self, node: ast.AST) -> str:
        """The node's text as libcst gives it (`AstSource.libcst_text`)."""
        source = self.source
        text = source.one_line_text(node)
        if text is not None:
            return text
        statement = self._statement
        return source.libcst_text(node, source.indent(statement) if statement else "")

    # -- the walk ---------------------------------------------------------------------------------

    def visit(self, node: ast.AST) -> None:
        if isinstance(node, ast.stmt):
            outer, self._statement = self._statement, node
            self._visit(node)
            self._statement = outer
        else:
            self._visit(node)

    def _visit(self, node: ast.AST) -> None:
        kind = type(node)
        if kind in _UNIT_KINDS:
            self._unit(node)  # type: ignore[arg-type]
            return
        if kind is ast.If:
            self._if(node)  # type: ignore[arg-type]
            return
        if kind in _TRY_KINDS:
            self._try(node)  # type: ignore[arg-type]
            return
        if self._stack:
            event = _EVENTS.get(kind)
            if event is not None:
                event(self, node)
        elif kind not in _HOLDS_STATEMENTS:
            return  # outside every unit an expression credits nothing and holds no unit
        children: list[Any] = []
        for name in _child_fields(kind):
            value = getattr(node, name, None)
            if type(value) is list:
                children.extend(value)
            elif value is not None:
                children.append(value)
        visit = self.visit
        in_unit = bool(self._stack)
        for child in children:
            kind = type(child)
            # names and literals, half the nodes of a module, are read here: no children, and
            # at most a 401/403 to note (`_name`, `_constant`)
            if kind is ast.Name:
                if in_unit:
                    code = _named_code(child.id)
                    if code:
                        self._reject(code, child)
            elif kind is ast.Constant:
                if in_unit:
                    self._constant(child)
            elif kind is ast.Attribute:
                if in_unit:
                    self._attribute_chain(child)
            elif kind not in _LEAVES and isinstance(child, ast.AST):
                visit(child)

    def _attribute_chain(self, node: ast.Attribute) -> None:
        """`request.state.user`: each attribute's events (`_attribute`) from the outermost in,
        as the walk would make them, then what the chain starts from."""
        start: ast.expr = node
        while type(start) is ast.Attribute:
            self._attribute(start)
            start = start.value
        if type(start) is ast.Name:
            self._name(start)
        else:
            self.visit(start)

    def _unit(self, node: _Unit) -> None:
        qualified = ".".join([*(frame.name for frame in self._stack), node.name])
        scan = self.scans.setdefault(qualified, Scan())
        order = self._orders.setdefault(qualified, {})
        frame = _Frame(node.name, scan, isinstance(node, ast.ClassDef), qualified, order)
        scan.is_class = frame.is_class
        self._stack.append(frame)
        self._named(node.name, node)
        children: list[ast.AST] = list(node.decorator_list)
        if isinstance(node, ast.ClassDef):
            scan.bases = [name for name in (ast_dotted(b) for b in node.bases) if name]
            scan.depends.extend(self._class_attribute_dependencies(node))
            heads: list[ast.AST] = [*node.bases, *node.keywords]
            heads.sort(key=lambda n: (getattr(n, "lineno", 0), getattr(n, "col_offset", 0)))
            children.extend(heads)
        else:
            self.lines.setdefault(node.lineno, qualified)
            children.append(node.args)
            if node.returns is not None:
                children.append(node.returns)
        children.extend(node.body)
        for child in children:
            self.visit(child)
        self._stack.pop()

    def _if(self, node: ast.If) -> None:
        self._tests.append((_presence_names(node.test), self._text(node.test)))
        self._event(node)
        test_when, body_when = _when_set(node)
        self._guarded([node.test], [self._text(t) for t in test_when])
        self._guarded(node.body, [self._text(t) for t in body_when])
        for statement in node.orelse:
            self.visit(statement)
        self._tests.pop()

    def _guarded(self, nodes: Sequence[ast.AST], when: list[str]) -> None:
        self._when.extend(when)
        for child in nodes:
            self.visit(child)
        del self._when[len(self._when) - len(when) :]

    def _try(self, node: ast.Try) -> None:
        """The success path only: `except` handlers count when the `try` runs a check
        (`CHECK_IN_TRY`), a `finally` never does."""
        self._event(node)
        for statement in node.body:
            self.visit(statement)
        checks = [s for s in node.body if CHECK_IN_TRY.search(self.source.text(s))]
        if checks:
            when = [self._text(t) for t in _checks_only_when_set(checks)]
            self._guarded(node.handlers, when)
        for statement in node.orelse:
            self.visit(statement)

    def _class_attribute_dependencies(self, node: ast.ClassDef) -> list[Dependency]:
        """cbv-style class attributes: `user: User = Depends(get_user)` (not in a one-line
        class body, which libcst keeps apart)."""
        found: list[Dependency] = []
        if node.body and node.body[0].lineno == _header_end(node):
            return found
        for statement in node.body:
            if isinstance(statement, ast.AnnAssign):
                annotation = statement.annotation
                dependency = ast_call_dependency(
                    statement.value, "class", self._text, annotation=annotation
                )
                if dependency is not None:
                    found.append(dependency)
                found.extend(
                    d.model_copy(update={"where": "class"})
                    for d in ast_annotated_dependencies(annotation, self._text)
                )
            elif isinstance(statement, ast.Assign):
                dependency = ast_call_dependency(statement.value, "class", self._text)
                if dependency is not None:
                    found.append(dependency)
        return found

    # -- events -----------------------------------------------------------------------------------

    def _event(self, node: ast.AST) -> None:
        """The events `node` itself makes (its children are visited apart)."""
        if not self._stack:
            return
        event = _EVENTS.get(type(node))
        if event is not None:
            event(self, node)

    def _assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self._assigned(target, node.value)

    def _ann_assign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self._assigned(node.target, node.value)

    def _constant(self, node: ast.Constant) -> None:
        value = node.value
        if type(value) is int and value in (401, 403) and self._decimal(node):
            self._reject(value, node)

    def _name(self, node: ast.Name) -> None:
        self._named(node.id, node)

    def _attribute(self, node: ast.Attribute) -> None:
        self._named(node.attr, node)  # libcst sees the attribute, then its `Name`
        self._named(node.attr, node)

    def _keyword(self, node: ast.keyword) -> None:
        if node.arg is not None:
            self._named(node.arg, node)

    def _alias(self, node: ast.alias) -> None:
        for part in node.name.split("."):
            self._named(part, node)
        if node.asname is not None:
            self._named(node.asname, node)

    def _import_from(self, node: ast.ImportFrom) -> None:
        for part in (node.module or "").split("."):
            if part:
                self._named(part, node)

    def _except_handler(self, node: ast.ExceptHandler) -> None:
        if node.name is not None:
            self._named(node.name, node)

    def _declared(self, node: ast.Global | ast.Nonlocal) -> None:
        for name in node.names:
            self._named(name, node)

    def _raise_event(self, node: ast.Raise) -> None:
        if node.exc is not None:
            self._raise(node, node.exc)

    def _raise(self, node: ast.Raise, exc: ast.expr) -> None:
        if redirects_to_login(self._text(node)):
            self._reject(401, node)
        raised = ast_dotted(exc.func if isinstance(exc, ast.Call) else exc)
        if raised is not None:
            event = (raised, list(self._tests), self._site(node))
            at = self._at(node)
            for frame in self._frames():
                self._add(frame, "raises", at, event)

    def _decimal(self, node: ast.Constant) -> bool:
        """libcst reads only decimal integers (`0x191` is not a 401)."""
        return self._text(node).strip("() \t\r\n\\").replace("_", "").isdigit()

    def _arguments(self, node: ast.arguments) -> None:
        positional = [*node.posonlyargs, *node.args]
        defaults: list[ast.expr | None] = [None] * (len(positional) - len(node.defaults))
        defaults.extend(node.defaults)
        params: list[tuple[ast.arg, ast.expr | None]] = list(zip(positional, defaults, strict=True))
        if node.vararg is not None:
            params.append((node.vararg, None))
        params.extend(zip(node.kwonlyargs, node.kw_defaults, strict=True))
        if node.kwarg is not None:
            params.append((node.kwarg, None))
        for arg, default in params:
            self._param(arg, default)

    def _param(self, arg: ast.arg, default: ast.expr | None) -> None:
        self._named(arg.arg, arg)
        annotation = arg.annotation
        texts = [self._text(n) for n in (default, annotation) if n is not None]
        depends: list[Dependency] = []
        found = ast_call_dependency(default, "param", self._text, annotation=annotation)
        if found is not None:
            depends.append(found)
        depends.extend(ast_annotated_dependencies(annotation, self._text))
        name = ast_dotted(annotation)
        at = self._at(arg)
        # a class's own dependencies are its attributes; its methods' parameters are theirs
        for frame in self._frames(classes=False):
            self._add(frame, "params", at, (arg.arg, texts))
            for dependency in depends:
                self._add(frame, "depends", at, dependency)
            if name is not None and name not in frame.scan.annotations:
                self._add(frame, "annotations", at, name)

    def _assigned(self, target: ast.AST, value: ast.AST) -> None:
        if isinstance(target, ast.Name):
            pair = (target.id, self._text(value))
            at = self._at(target)
            for frame in self._frames():
                self._add(frame, "assignments", at, pair)

    def _reject(self, code: int, node: ast.AST) -> None:
        event = (code, list(self._tests), self._site(node))
        at = self._at(node)
        for frame in self._frames():
            self._add(frame, "rejects", at, event)

    def _named(self, name: str, node: ast.AST) -> None:
        if not self._stack:
            return
        code = _named_code(name)
        if code:
            self._reject(code, node)

    def _comparison(self, node: ast.Compare) -> None:
        left: ast.AST = node.left
        at = self._at(node)
        for operator, right in zip(node.ops, node.comparators, strict=True):
            if isinstance(operator, (ast.Eq, ast.NotEq, ast.In, ast.NotIn)) and not (
                _is_literal(left) or _is_literal(right)
            ):
                pair = (self._text(left), self._text(right), self._site(node))
                for frame in self._frames():
                    self._add(frame, "comparisons", at, pair)
            left = right

    def _argument_text(self, call: ast.Call, value: ast.expr) -> str:
        """`any(x for x in xs)`: `ast` spans the call's own parentheses around a lone generator
        argument, libcst does not."""
        text = self._text(value)
        func = call.func
        if (
            isinstance(value, ast.GeneratorExp)
            and (value.lineno, value.col_offset) == (func.end_lineno, func.end_col_offset)
            and text.startswith("(")
            and text.endswith(")")
        ):
            return text[1:-1].strip()
        return text

    def _own_method(self, name: str) -> str:
        """`self._prepare` inside class `View` is `View._prepare`, which the judge can find."""
        head, _dot, attribute = name.partition(".")
        if head not in ("self", "cls") or not attribute or "." in attribute:
            return name
        names = [frame.name for frame in self._stack]
        for index in range(len(self._stack) - 1, -1, -1):
            if self._stack[index].is_class:
                return ".".join([*names[: index + 1], attribute])
        return name

    def _lookup(self, node: ast.Call) -> None:
        if _called(node) not in LOOKUP_CALLS:
            return
        for argument in node.keywords:
            if argument.arg is not None and not _is_literal(argument.value):
                value = self._text(argument.value)
                event = (argument.arg, value, self._text(node.func), self._site(node))
                at = self._at(argument)
                for frame in self._frames():
                    self._add(frame, "lookups", at, event)

    def _call(self, node: ast.Call) -> None:
        inner = node.func
        if isinstance(inner, ast.Call):
            arguments = call_arguments(inner)
            first = arguments[0][2] if arguments else None
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                # `get_action("member_create")(context, data)`: an action looked up by name
                # runs with its own check, judged (if at all) where it is defined
                for frame in self._frames():
                    frame.scan.dispatches = True
        self._lookup(node)
        name = ast_dotted(node.func)
        if name is None:
            if isinstance(node.func, ast.Attribute):  # `Order.objects.filter(...).delete()`
                at = self._at(node)
                for frame in self._frames():
                    self._add(frame, "opaque_calls", at, node.func.attr)
            return
        event = (
            self._own_method(name),
            [self._argument_text(node, value) for _k, _s, value in call_arguments(node)],
            self._site(node),
        )
        compare = name.rsplit(".", 1)[-1] in COMPARE_CALLS
        at = self._at(node)
        for frame in self._frames():
            self._add(frame, "calls", at, event)
            frame.scan.compares = frame.scan.compares or compare


_EVENTS: dict[type[ast.AST], Callable[[AstModuleScan, Any], None]] = {
    ast.arguments: AstModuleScan._arguments,
    ast.Assign: AstModuleScan._assign,
    ast.AnnAssign: AstModuleScan._ann_assign,
    ast.Constant: AstModuleScan._constant,
    ast.Name: AstModuleScan._name,
    ast.Attribute: AstModuleScan._attribute,
    ast.keyword: AstModuleScan._keyword,
    ast.alias: AstModuleScan._alias,
    ast.ImportFrom: AstModuleScan._import_from,
    ast.ExceptHandler: AstModuleScan._except_handler,
    ast.Global: AstModuleScan._declared,
    ast.Nonlocal: AstModuleScan._declared,
    ast.Compare: AstModuleScan._comparison,
    ast.Call: AstModuleScan._call,
    ast.Raise: AstModuleScan._raise_event,
}
"""The events each node type makes, by exact type (`ast` has no subclasses of these): one
look-up a node instead of a chain of `isinstance` tests, on the walk every module goes through."""
_UNIT_KINDS: frozenset[type[ast.AST]] = frozenset(
    {ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef}
)
_HOLDS_STATEMENTS: frozenset[type[ast.AST]] = frozenset(
    {*ast.stmt.__subclasses__(), ast.ExceptHandler, ast.match_case}
)
"""What may hold a function or class: outside every unit, only these are walked into."""
_LEAVES: frozenset[type[ast.AST]] = frozenset(
    kind
    for family in (ast.expr_context, ast.operator, ast.boolop, ast.unaryop, ast.cmpop)
    for kind in family.__subclasses__()
)
"""Operators and load/store markers: no event, no children."""
_CHILD_FIELDS: dict[type[ast.AST], tuple[str, ...]] = {}


def _child_fields(kind: type[ast.AST]) -> tuple[str, ...]:
    """The fields of a node type that may hold nodes, in `ast.iter_child_nodes`' order."""
    fields = _CHILD_FIELDS.get(kind)
    if fields is None:
        fields = _CHILD_FIELDS[kind] = tuple(
            name for name in kind._fields if name not in ("ctx", "op", "ops")
        )
    return fields


@functools.lru_cache(maxsize=8192)
def _named_code(name: str) -> int:
    """401 or 403 when a name says so (`HTTP_401_UNAUTHORIZED`, `Forbidden`), else 0: names
    repeat across a module (`self`, `request`), so each is matched once."""
    if REJECT_401.search(name):
        return 401
    if REJECT_403.search(name):
        return 403
    return 0


def _called(node: ast.Call) -> str | None:
    """The called function's own name: `filter_by` of `session.query(M).filter_by(...)`."""
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else None


def _header_end(node: ast.ClassDef) -> int:
    """The line a class header ends on (its bases may span lines)."""
    ends = [getattr(n, "end_lineno", None) or node.lineno for n in (*node.bases, *node.keywords)]
    return max([node.lineno, *ends])


def ast_scan(text: Parsed) -> AstModuleScan:
    """Scan a module; raises SyntaxError (or ValueError) for the libcst fallback."""
    tree, source = parsed(text)
    scan = AstModuleScan(source)
    for statement in tree.body:
        scan.visit(statement)
    scan.finish()
    return scan
