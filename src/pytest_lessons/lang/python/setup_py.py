"""The dependencies a `setup.py` declares: `setup(install_requires=[...], extras_require=...)`
read from its syntax tree (libcst), never executed."""

from __future__ import annotations

from collections.abc import Mapping

import libcst as cst
from libcst.metadata import CodeRange, PositionProvider

from pytest_lessons.lang.python.requirements import Declaration, _pep508
from pytest_lessons.lang.python.syntax import dotted_name
from pytest_lessons.source import SourceFile

__all__ = ["setup_py_declarations"]


def setup_py_declarations(file: SourceFile, names: frozenset[str]) -> list[Declaration]:
    """`setup(install_requires=[...], extras_require={...})` with literal lists, read from the
    syntax tree; a list built at run time (read from a file, computed) is not followed."""
    wrapper = file.python_metadata()
    module = wrapper.module
    positions = wrapper.resolve(PositionProvider)
    assigned = _module_lists(module)
    found: list[Declaration] = []
    for call in _setup_calls(module):
        for arg in call.args:
            keyword = arg.keyword.value if arg.keyword is not None else None
            if keyword == "install_requires":
                items = _literal_list(arg.value, assigned)
                found.extend(_declare(items, names, positions, optional=False))
            elif keyword == "extras_require" and isinstance(arg.value, cst.Dict):
                for element in arg.value.elements:
                    if isinstance(element, cst.DictElement):
                        items = _literal_list(element.value, assigned)
                        found.extend(_declare(items, names, positions, optional=True))
    return found


def _setup_calls(module: cst.Module) -> list[cst.Call]:
    calls: list[cst.Call] = []

    class _Collect(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            name = dotted_name(node.func)
            if name is not None and name.rsplit(".", 1)[-1] == "setup":
                calls.append(node)

    module.visit(_Collect())
    return calls


def _module_lists(module: cst.Module) -> dict[str, cst.BaseExpression]:
    """Module-level `NAME = [...]`, so `install_requires=REQUIRES` is followed one step."""
    found: dict[str, cst.BaseExpression] = {}
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if isinstance(small, cst.Assign) and len(small.targets) == 1:
                target = small.targets[0].target
                if isinstance(target, cst.Name):
                    found[target.value] = small.value
    return found


def _literal_list(
    node: cst.BaseExpression, assigned: Mapping[str, cst.BaseExpression]
) -> list[cst.BaseString]:
    if isinstance(node, cst.Name) and node.value in assigned:
        node = assigned[node.value]
    if not isinstance(node, (cst.List, cst.Tuple)):
        return []
    return [
        element.value
        for element in node.elements
        if isinstance(element, cst.Element) and isinstance(element.value, cst.BaseString)
    ]


def _declare(
    items: list[cst.BaseString],
    names: frozenset[str],
    positions: Mapping[cst.CSTNode, CodeRange],
    *,
    optional: bool,
) -> list[Declaration]:
    found: list[Declaration] = []
    for item in items:
        if not isinstance(item, (cst.SimpleString, cst.ConcatenatedString)):
            continue
        try:
            value = item.evaluated_value
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            continue
        if not isinstance(value, str):
            continue
        where = positions.get(item)
        line = where.start.line if where is not None else None
        found.extend(_pep508(value, names, optional=optional, line=line))
    return found
