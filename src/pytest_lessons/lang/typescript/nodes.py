"""One traversal per JS/TS file for the node kinds the layers ask about, and per-node answers.

The telemetry, runtime, url-id and telemetry-isolation layers each used to search the whole tree
for the kinds they need (`root.find_all(kind="call_expression")`, declarators, assignments...),
and then ask the same small questions of the same nodes (what is this call's callee?). On a
large front end that was 110,000 whole-tree searches. `file_nodes(file)` gathers the common
kinds in a single ast-grep search (one rule matching any of them, run in Rust, results in
document order) and answers the shared per-node questions once, for every layer of the run.
Kinds outside the common set are searched once each, on first request.
"""

from __future__ import annotations

from collections.abc import Sequence

from ast_grep_py import SgNode

from pytest_lessons.lang.typescript.syntax import callee_name, root_of
from pytest_lessons.source import SourceFile

__all__ = ["COMMON_KINDS", "FUNCTION_KINDS", "FileNodes", "file_nodes"]

COMMON_KINDS = (
    "call_expression",
    "new_expression",
    "variable_declarator",
    "assignment_expression",
    "public_field_definition",
    "return_statement",
)
"""Kinds every file a telemetry layer reads is asked about: gathered in one search."""

FUNCTION_KINDS = frozenset(
    {
        "function_declaration",
        "generator_function_declaration",
        "function_expression",
        "function",
        "generator_function",
        "arrow_function",
        "method_definition",
    }
)


class FileNodes:
    """The nodes of one file by kind (document order) and answers cached per node."""

    def __init__(self, root: SgNode) -> None:
        self.root = root
        self._by_kind: dict[str, list[SgNode]] = {}
        self._callee: dict[SgNode, str | None] = {}
        self._function: dict[SgNode, SgNode | None] = {}
        self._returns: dict[SgNode, list[SgNode]] | None = None
        self._by_text: dict[str, dict[str, list[SgNode]]] = {}

    def of(self, kind: str) -> Sequence[SgNode]:
        """Every node of `kind` in the file, in document order."""
        found = self._by_kind.get(kind)
        if found is not None:
            return found
        if kind in COMMON_KINDS:
            groups: dict[str, list[SgNode]] = {name: [] for name in COMMON_KINDS}
            matched = self.root.find_all(any=[{"kind": name} for name in COMMON_KINDS])
            for node in matched:
                groups[node.kind()].append(node)
            self._by_kind.update(groups)
            return groups[kind]
        self._by_kind[kind] = found = self.root.find_all(kind=kind)
        return found

    def by_text(self, kind: str) -> dict[str, list[SgNode]]:
        """The nodes of `kind` grouped by their text (identifiers by name), document order."""
        found = self._by_text.get(kind)
        if found is None:
            found = self._by_text[kind] = {}
            for node in self.of(kind):
                found.setdefault(node.text(), []).append(node)
        return found

    def callee(self, call: SgNode) -> str | None:
        """The dotted callee of a call (`a.b` of `a.b(x)`), asked by several layers."""
        if call in self._callee:
            return self._callee[call]
        name = self._callee[call] = callee_name(call)
        return name

    def enclosing_function(self, node: SgNode) -> SgNode | None:
        """The nearest function (declaration, expression, arrow or method) around `node`."""
        if node in self._function:
            return self._function[node]
        found = next((a for a in node.ancestors() if a.kind() in FUNCTION_KINDS), None)
        self._function[node] = found
        return found

    def returns_of(self, function: SgNode) -> list[SgNode]:
        """The `return` statements of `function` itself (not of functions nested in it)."""
        if self._returns is None:
            self._returns = {}
            for statement in self.of("return_statement"):
                owner = self.enclosing_function(statement)
                if owner is not None:
                    self._returns.setdefault(owner, []).append(statement)
        return self._returns.get(function, [])


def file_nodes(file: SourceFile) -> FileNodes:
    """The node index of a JS/TS file, built once per run and shared by every layer."""
    return file.derived("js-nodes", lambda f: FileNodes(root_of(f)))
