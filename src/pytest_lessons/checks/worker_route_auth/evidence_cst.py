"""The libcst reader of `python_evidence`: one traversal per module, events credited to every
enclosing function and class (see `python_evidence` for what the events mean)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import libcst as cst
from libcst.metadata import PositionProvider

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
from pytest_lessons.lang.python.routes import Dependency
from pytest_lessons.lang.python.routes.ast_syntax import last_part
from pytest_lessons.lang.python.routes.dependencies import (
    annotated_dependencies,
    call_dependency,
)
from pytest_lessons.lang.python.syntax import (
    callee_name,
    dotted_name,
    integer_value,
    node_text,
    string_value,
)

__all__ = ["ModuleScan"]


def _is_literal(node: cst.BaseExpression) -> bool:
    return isinstance(node, (cst.SimpleString, cst.ConcatenatedString, cst.Integer, cst.Float)) or (
        isinstance(node, cst.Name) and node.value in ("None", "True", "False")
    )


def _presence_names(test: cst.BaseExpression) -> frozenset[str] | None:
    """The names a test only checks for presence (`not x`, `x is None`, `x == ""`), else None."""
    if isinstance(test, cst.Name):
        return frozenset({test.value})
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        return _presence_names(test.expression)
    if isinstance(test, cst.BooleanOperation):
        left, right = _presence_names(test.left), _presence_names(test.right)
        return None if left is None or right is None else left | right
    if (
        isinstance(test, cst.Comparison)
        and isinstance(test.left, cst.Name)
        and len(test.comparisons) == 1
        and _is_literal(test.comparisons[0].comparator)
        and isinstance(test.comparisons[0].operator, (cst.Is, cst.IsNot, cst.Equal, cst.NotEqual))
    ):
        return frozenset({test.left.value})
    return None


def _and_operands(test: cst.BaseExpression) -> list[cst.BaseExpression]:
    """`a and b and c`, `(a and b) and c`: the operands, flattened."""
    if isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.And):
        return [*_and_operands(test.left), *_and_operands(test.right)]
    return [test]


def _one_value(test: cst.BaseExpression) -> bool:
    """A truthiness test of one value: `SECRET`, `settings.SECRET`, `config["SECRET"]`,
    `os.getenv("SECRET")` (whether it names a secret is decided later, by its text)."""
    if isinstance(test, (cst.Name, cst.Attribute, cst.Subscript)):
        return True
    if not isinstance(test, cst.Call) or len(test.args) != 1:
        return False
    argument = test.args[0]
    name = callee_name(test)
    return (
        name is not None
        and last_part(name) in ("getenv", "get")
        and argument.keyword is None
        and not argument.star
        and isinstance(argument.value, cst.SimpleString)
    )


def _always_leaves(body: cst.BaseSuite) -> bool:
    """The block ends by returning or raising: an unset secret takes the code after it."""
    statements = list(body.body)
    last: object = statements[-1] if statements else None
    if isinstance(last, cst.SimpleStatementLine):
        last = last.body[-1] if last.body else None
    return isinstance(last, (cst.Return, cst.Raise))


def _checks_only_when_set(
    checks: Sequence[cst.BaseStatement | cst.BaseSmallStatement],
) -> list[cst.BaseExpression]:
    """The tests under which every check of a `try` runs (see the `ast` reader's twin)."""
    found: list[cst.BaseExpression] = []
    for check in checks:
        body_when = _when_set(check)[1] if isinstance(check, cst.If) else []
        if not body_when:
            return []
        found.extend(body_when)
    return found


def _when_set(node: cst.If) -> tuple[list[cst.BaseExpression], list[cst.BaseExpression]]:
    """The one-value tests that the rest of `node`'s test runs under, and those its body runs
    under (see `Site.when`)."""
    operands = _and_operands(node.test)
    if len(operands) == 1:
        alone = _one_value(node.test) and not _always_leaves(node.body)
        return [], [node.test] if alone else []
    found = [operand for operand in operands[:-1] if _one_value(operand)]
    return found, found


def _class_attribute_dependencies(cls: cst.ClassDef) -> list[Dependency]:
    """cbv-style class attributes: `user: User = Depends(get_user)`."""
    found: list[Dependency] = []
    body = cls.body.body if isinstance(cls.body, cst.IndentedBlock) else []
    for statement in body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if isinstance(small, cst.AnnAssign):
                annotation = small.annotation.annotation
                dependency = call_dependency(small.value, "class", annotation=annotation)
                if dependency is not None:
                    found.append(dependency)
                found.extend(
                    d.model_copy(update={"where": "class"})
                    for d in annotated_dependencies(annotation)
                )
            elif isinstance(small, cst.Assign):
                dependency = call_dependency(small.value, "class")
                if dependency is not None:
                    found.append(dependency)
    return found


class ModuleScan(cst.CSTVisitor):
    """One traversal of the module; every event is credited to each enclosing function/class."""

    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self) -> None:
        super().__init__()
        self.scans: dict[str, Scan] = {}
        self.lines: dict[int, str] = {}
        self._stack: list[tuple[str, Scan, bool]] = []
        """(name, scan, is a class) of the enclosing functions and classes, outermost first."""
        self._tests: list[Test] = []
        self._when: list[str] = []
        """Texts of the one-value tests the events being read run under (`Site.when`)."""
        self._when_of: dict[int, list[str]] = {}
        """The texts to push on entering a node (an `if`'s test or body), by the node's id."""
        self._checked_tries: list[bool] = []
        """Per enclosing `try`: whether its body runs a check (then its handlers count)."""

    # -- units ------------------------------------------------------------------------------------

    def _enter(self, node: cst.FunctionDef | cst.ClassDef) -> None:
        qualified = ".".join([*(name for name, _s, _c in self._stack), node.name.value])
        scan = self.scans.setdefault(qualified, Scan())
        self._stack.append((node.name.value, scan, isinstance(node, cst.ClassDef)))
        if isinstance(node, cst.FunctionDef):
            self.lines.setdefault(self.get_metadata(PositionProvider, node).start.line, qualified)
        else:
            scan.is_class = True
            scan.bases = [name for name in (dotted_name(b.value) for b in node.bases) if name]
            scan.depends.extend(_class_attribute_dependencies(node))

    def _leave(self) -> None:
        self._stack.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._enter(node)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._leave()

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._enter(node)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self._leave()

    def on_visit(self, node: cst.CSTNode) -> bool:
        when = self._when_of.get(id(node))
        if when:
            self._when.extend(when)
        return super().on_visit(node)

    def on_leave(self, original_node: cst.CSTNode) -> None:
        super().on_leave(original_node)
        when = self._when_of.pop(id(original_node), None)
        if when:
            del self._when[len(self._when) - len(when) :]

    def _site(self, node: cst.CSTNode) -> Site:
        line = self.get_metadata(PositionProvider, node).start.line
        unit = ".".join(name for name, _s, _c in self._stack)
        return Site(line, unit, tuple(self._when))

    def _scans(self, *, classes: bool = True) -> Iterable[Scan]:
        return (scan for _name, scan, is_class in self._stack if classes or not is_class)

    # -- events -----------------------------------------------------------------------------------

    def visit_Param(self, node: cst.Param) -> None:
        if not self._stack:
            return
        annotation = None if node.annotation is None else node.annotation.annotation
        texts = [node_text(n) for n in (node.default, annotation) if n is not None]
        depends: list[Dependency] = []
        found = call_dependency(node.default, "param", annotation=annotation)
        if found is not None:
            depends.append(found)
        depends.extend(annotated_dependencies(annotation))
        name = dotted_name(annotation)
        # a class's own dependencies are its attributes; its methods' parameters are theirs
        for scan in self._scans(classes=False):
            scan.params.append((node.name.value, texts))
            scan.depends.extend(depends)
            if name is not None and name not in scan.annotations:
                scan.annotations.append(name)

    def _assigned(self, target: cst.BaseExpression, value: cst.BaseExpression) -> None:
        if self._stack and isinstance(target, cst.Name):
            pair = (target.value, node_text(value))
            for scan in self._scans():
                scan.assignments.append(pair)

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._assigned(target.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._assigned(node.target, node.value)

    def visit_Try(self, node: cst.Try) -> None:
        self._checked_tries.append(bool(CHECK_IN_TRY.search(node_text(node.body))))
        checks = [s for s in node.body.body if CHECK_IN_TRY.search(node_text(s))]
        when = [node_text(t) for t in _checks_only_when_set(checks)]
        if when:
            for handler in node.handlers:
                self._when_of[id(handler)] = when

    def leave_Try(self, original_node: cst.Try) -> None:
        self._checked_tries.pop()

    def visit_TryStar(self, node: cst.TryStar) -> None:
        self._checked_tries.append(bool(CHECK_IN_TRY.search(node_text(node.body))))

    def leave_TryStar(self, original_node: cst.TryStar) -> None:
        self._checked_tries.pop()

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> bool:
        """The success path only: an `except` counts when its `try` runs a check
        (`CHECK_IN_TRY`)."""
        return self._checked_tries[-1]

    def visit_ExceptStarHandler(self, node: cst.ExceptStarHandler) -> bool:
        return self._checked_tries[-1]

    def visit_Finally(self, node: cst.Finally) -> bool:
        """A `finally` runs after the work, whatever happened: never evidence."""
        return False

    def visit_If(self, node: cst.If) -> None:
        self._tests.append((_presence_names(node.test), node_text(node.test)))
        test_when, body_when = _when_set(node)
        if test_when:
            self._when_of[id(node.test)] = [node_text(t) for t in test_when]
        if body_when:
            self._when_of[id(node.body)] = [node_text(t) for t in body_when]

    def leave_If(self, original_node: cst.If) -> None:
        self._tests.pop()

    def _reject(self, code: int, node: cst.CSTNode) -> None:
        if self._stack:
            event = (code, list(self._tests), self._site(node))
            for scan in self._scans():
                scan.rejects.append(event)

    def visit_Raise(self, node: cst.Raise) -> None:
        if node.exc is None:
            return
        if redirects_to_login(node_text(node)):
            self._reject(401, node)
        raised = node.exc.func if isinstance(node.exc, cst.Call) else node.exc
        name = dotted_name(raised)
        if self._stack and name is not None:
            event = (name, list(self._tests), self._site(node))
            for scan in self._scans():
                scan.raises.append(event)

    def visit_Integer(self, node: cst.Integer) -> None:
        value = integer_value(node)
        if value in (401, 403):
            self._reject(value, node)

    def _named(self, name: str, node: cst.CSTNode) -> None:
        if REJECT_401.search(name):
            self._reject(401, node)
        elif REJECT_403.search(name):
            self._reject(403, node)

    def visit_Name(self, node: cst.Name) -> None:
        self._named(node.value, node)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self._named(node.attr.value, node.attr)

    def visit_Comparison(self, node: cst.Comparison) -> None:
        if not self._stack:
            return
        left: cst.BaseExpression = node.left
        for target in node.comparisons:
            right = target.comparator
            if isinstance(target.operator, (cst.Equal, cst.NotEqual, cst.In, cst.NotIn)) and not (
                _is_literal(left) or _is_literal(right)
            ):
                pair = (node_text(left), node_text(right), self._site(node))
                for scan in self._scans():
                    scan.comparisons.append(pair)
            left = right

    def _own_method(self, name: str) -> str:
        """`self._prepare` inside class `View` is `View._prepare`, which the judge can find."""
        head, _dot, attribute = name.partition(".")
        if head not in ("self", "cls") or not attribute or "." in attribute:
            return name
        names = [short for short, _s, _c in self._stack]
        for index in range(len(self._stack) - 1, -1, -1):
            if self._stack[index][2]:
                return ".".join([*names[: index + 1], attribute])
        return name

    def _lookup(self, node: cst.Call) -> None:
        func = node.func
        called = func.attr.value if isinstance(func, cst.Attribute) else None
        if isinstance(func, cst.Name):
            called = func.value
        if called not in LOOKUP_CALLS:
            return
        for arg in node.args:
            if arg.keyword is not None and not _is_literal(arg.value):
                value = node_text(arg.value)
                event = (arg.keyword.value, value, node_text(node.func), self._site(node))
                for scan in self._scans():
                    scan.lookups.append(event)

    def visit_Call(self, node: cst.Call) -> None:
        if not self._stack:
            return
        if isinstance(node.func, cst.Call) and string_value(
            node.func.args[0].value if node.func.args else None
        ):
            # `get_action("member_create")(context, data)`: an action looked up by name runs
            # with its own check, which is judged (if at all) where it is defined
            for scan in self._scans():
                scan.dispatches = True
        self._lookup(node)
        name = callee_name(node)
        if name is None:
            if isinstance(node.func, cst.Attribute):  # `Order.objects.filter(...).delete()`
                for scan in self._scans():
                    scan.opaque_calls.append(node.func.attr.value)
            return
        event = (
            self._own_method(name),
            [node_text(arg.value) for arg in node.args],
            self._site(node),
        )
        compare = last_part(name) in COMPARE_CALLS
        for scan in self._scans():
            scan.calls.append(event)
            scan.compares = scan.compares or compare
