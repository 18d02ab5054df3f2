"""The TypeScript half of `consumer-idempotency`: QStash and Inngest handlers.

Consumers: the handler wrapped by QStash's `verifySignatureAppRouter(handler)` (and
`verifySignature`, `verifySignatureEdge`), and the handler of Inngest's
`inngest.createFunction(config, trigger, handler)` (or `(config, handler)`). Both deliver at least
once: QStash retries until it gets a 2xx, and Inngest runs a function again for the same event sent
twice. An Inngest function whose config sets `idempotency` is deduplicated by Inngest itself. A
handler is written inline or named (a function or a `const` of this file); helpers of the same
file are followed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ast_grep_py import SgNode
from pydantic import Field

from pytest_lessons.checks.base import Half
from pytest_lessons.checks.consumer_idempotency.flow import (
    Body,
    Consumer,
    Step,
    file_local_findings,
    is_dedupe_name,
    matches_call,
)
from pytest_lessons.checks.consumer_idempotency.options import ConsumerIdempotencyOptions
from pytest_lessons.findings import Finding
from pytest_lessons.lang.common.records import Record
from pytest_lessons.lang.typescript.effects import outside_effect
from pytest_lessons.lang.typescript.syntax import (
    call_arguments,
    callee_name,
    object_properties,
    root_of,
    string_value,
)
from pytest_lessons.source import FileKind, SourceFile

__all__ = ["TypeScriptFacts", "TypeScriptHalf"]

_QSTASH_WRAPPERS = frozenset({"verifySignatureAppRouter", "verifySignature", "verifySignatureEdge"})
_FUNCTION_KINDS = frozenset({"arrow_function", "function_expression", "function"})
_SQL_DEDUPE = re.compile(
    r"ON\s+CONFLICT\b.*\bDO\s+NOTHING|INSERT\s+(OR\s+)?IGNORE|\bSETNX\b",
    re.IGNORECASE | re.DOTALL,
)


class TypeScriptFacts(Record):
    functions: dict[str, Body] = Field(default_factory=dict)
    consumers: list[Consumer] = Field(default_factory=list)


class TypeScriptHalf(Half[ConsumerIdempotencyOptions, TypeScriptFacts]):
    name = "typescript"
    facts_model = TypeScriptFacts
    file_kinds = frozenset({FileKind.TYPESCRIPT})
    prefilter = (b"verifySignature", b"createFunction")
    _local: frozenset[str] | set[str] = frozenset()
    """The functions this file defines (set per extraction)."""

    def applies_to(self, file: SourceFile, *, use_prefilter: bool = True) -> bool:
        """The configured wrappers' names are prefilters too."""
        if not self.reads(file):
            return False
        markers = (*self.prefilter, *(n.encode() for n in self.options.consumer_wrappers))
        return not use_prefilter or file.contains_any(markers)

    def extract(self, file: SourceFile) -> TypeScriptFacts:
        root = root_of(file)
        self._local = {name for name, _ in _named_functions(root)}
        functions: dict[str, Body] = {}
        for name, node in _named_functions(root):
            body = node.field("body")
            if body is not None:
                functions.setdefault(name, self._body(body))
        consumers: list[Consumer] = []
        for call in root.find_all(kind="call_expression"):
            consumer = self._consumer(call)
            if consumer is not None:
                consumers.append(consumer)
        return TypeScriptFacts(functions=functions, consumers=consumers)

    def is_subject(self, facts: TypeScriptFacts) -> bool:
        return bool(facts.consumers)

    def judge_file(self, path: str, facts: TypeScriptFacts) -> Iterator[Finding]:
        yield from file_local_findings(self, path, facts.functions, facts.consumers)

    def _consumer(self, call: SgNode) -> Consumer | None:
        name = callee_name(call) or ""
        last = name.rsplit(".", 1)[-1]
        arguments = call_arguments(call)
        start = call.range().start
        where = {"line": start.line + 1, "column": start.column + 1}
        if (name in _QSTASH_WRAPPERS or name in self.options.consumer_wrappers) and arguments:
            label = f"the handler wrapped by {name}"
            handler, guarded = arguments[0], False
        elif last == "createFunction" and "." in name and len(arguments) >= 2:
            handler = arguments[-1]
            config = arguments[0]
            guarded = config.kind() == "object" and any(
                key in ("idempotency",) for key, _ in object_properties(config)
            )
            label = f"the Inngest function {_function_id(config)}"
        else:
            return None
        if handler.kind() in _FUNCTION_KINDS:
            body = handler.field("body")
            if body is None:
                return None
            return Consumer(label=label, **where, body=self._body(body), guarded=guarded)
        if handler.kind() == "identifier":
            return Consumer(label=label, **where, handler=handler.text(), guarded=guarded)
        return None

    def _body(self, node: SgNode) -> Body:
        steps: list[Step] = []
        for found in node.find_all(
            any=[{"kind": "call_expression"}, {"kind": "string"}, {"kind": "template_string"}]
        ):
            step = self._step(found)
            if step is not None:
                steps.append(step)
        return Body(steps=sorted(steps, key=lambda s: (s.line, s.column)))

    def _step(self, node: SgNode) -> Step | None:
        start = node.range().start
        where = {"line": start.line + 1, "column": start.column + 1}
        if node.kind() != "call_expression":
            if _SQL_DEDUPE.search(node.text()):
                return Step(kind="dedupe", name=" ".join(node.text().split())[:40], **where)
            return None
        name = callee_name(node)
        function = node.field("function")
        if name is None and function is not None and function.kind() == "member_expression":
            prop = function.field("property")  # a chain: `db.insert(t).onConflictDoNothing()`
            name = None if prop is None else "(...)." + prop.text()
        if name is None:
            return None
        if name in self._local and not is_dedupe_name(name):
            # this file's own `sendEmail` is followed, not guessed from its name
            return Step(kind="call", name=name, target=name, **where)
        kind = self._kind(name, node)
        if kind is not None:
            return Step(kind=kind, name=name, **where)
        if "." not in name:
            return Step(kind="call", name=name, target=name, **where)
        return None

    def _kind(self, name: str, call: SgNode) -> str | None:
        parts = name.split(".")
        last = parts[-1]
        arguments = call_arguments(call)
        if (
            last.lower() in ("setnx", "onconflictdonothing")
            or (last == "set" and any(_has_true(a, "nx") for a in arguments))
            or is_dedupe_name(last)
            or matches_call(name, self.options.dedupe_calls)
        ):
            return "dedupe"
        if matches_call(name, self.options.side_effect_calls):
            return "effect"
        if outside_effect(name, call):
            return "effect"
        return None


def _named_functions(root: SgNode) -> Iterator[tuple[str, SgNode]]:
    for node in root.find_all(kind="function_declaration"):
        name = node.field("name")
        if name is not None:
            yield name.text(), node
    for declarator in root.find_all(kind="variable_declarator"):
        name = declarator.field("name")
        value = declarator.field("value")
        if name is not None and value is not None and value.kind() in _FUNCTION_KINDS:
            yield name.text(), value


def _has_true(node: SgNode, key: str) -> bool:
    if node.kind() != "object":
        return False
    return any(k == key and v.text() == "true" for k, v in object_properties(node))


def _function_id(config: SgNode) -> str:
    if config.kind() == "object":
        for key, value in object_properties(config):
            if key == "id":
                found = string_value(value)
                if found is not None:
                    return f'"{found}"'
    return "handler"
