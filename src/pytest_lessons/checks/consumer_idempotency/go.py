"""The Go half of `consumer-idempotency`: NATS and JetStream handlers, over ast-grep's Go grammar.

Consumers: the handler of `Subscribe(subj, h)`, `QueueSubscribe(subj, queue, h)` (core NATS and
the legacy JetStream context alike) and `Consume(h)` (the `jetstream` package), written inline as
a func literal or named (`w.handle`, `handleOrder`); and the body of a loop that pulls messages
(`for msg := range batch.Messages()`, `it.Next()` over `cons.Messages()`, `sub.NextMsg(...)`,
ranging over what `sub.Fetch(n)` returned). Only files importing a nats-io package register
consumers, but every Go file is read: a handler's helpers live anywhere in its package (a Go
package is a directory) or in a package of the same repository it imports.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence

from ast_grep_py import SgNode
from pydantic import Field

from pytest_lessons.checks.base import Half
from pytest_lessons.checks.consumer_idempotency.flow import (
    Body,
    Consumer,
    Step,
    is_dedupe_name,
    matches_call,
    unguarded_findings,
)
from pytest_lessons.checks.consumer_idempotency.options import ConsumerIdempotencyOptions
from pytest_lessons.findings import Finding
from pytest_lessons.lang.common.records import Record
from pytest_lessons.source import FileKind, SourceFile

__all__ = ["GoFacts", "GoHalf"]

_HANDLER_ARGUMENT = {"Subscribe": 1, "QueueSubscribe": 2, "Consume": 0}
"""Where each registration takes its handler (`Consume(h, opts...)` of jetstream)."""

_STRIPE_PACKAGES = frozenset({"refund", "charge", "paymentintent", "transfer", "payout"})
_STRIPE_ACTIONS = frozenset({"New", "Confirm", "Capture"})
_MAIL = re.compile(r"^(Send(E)?Mail|SendEmail|SendSMS|SendSms|SendText)$")
_HTTP_CLIENT = re.compile(r"client|http", re.IGNORECASE)
_SQL_DEDUPE = re.compile(
    r"ON\s+CONFLICT\b.*\bDO\s+NOTHING|INSERT\s+(OR\s+)?IGNORE|\bSETNX\b|\bSET\b.*\bNX\b",
    re.IGNORECASE | re.DOTALL,
)
_DEDUPE_CONFIG = ("Nats-Msg-Id", "MsgId(", "WithMsgID(", "Duplicates:")
"""JetStream's own deduplication: a message id on publish, or a stream's dedupe window."""


class GoFunction(Record):
    name: str
    body: Body


class GoFacts(Record):
    imports: dict[str, str] = Field(default_factory=dict)
    """Local package name -> import path (`notify` -> `example.com/shop/notify`)."""
    functions: list[GoFunction] = Field(default_factory=list)
    consumers: list[Consumer] = Field(default_factory=list)
    dedupe_config: bool = False


class GoHalf(Half[ConsumerIdempotencyOptions, GoFacts]):
    name = "go"
    facts_model = GoFacts
    file_kinds = frozenset({FileKind.GO})

    def project_prefilter(self) -> tuple[bytes, ...]:
        return (b"nats-io/",)

    def extract(self, file: SourceFile) -> GoFacts:
        root: SgNode = file.tree("ast-grep:go").root()
        imports = _imports(root)
        reader = _BodyReader(self.options, imports)
        functions = [
            GoFunction(name=_name_of(node), body=reader.body(body))
            for node in root.find_all(
                any=[{"kind": "function_declaration"}, {"kind": "method_declaration"}]
            )
            if (body := node.field("body")) is not None
        ]
        consumers: list[Consumer] = []
        if any("nats-io/" in path for path in imports.values()):
            consumers = list(_consumers(root, reader))
        return GoFacts(
            imports=imports,
            functions=functions,
            consumers=consumers,
            dedupe_config=any(marker in file.text for marker in _DEDUPE_CONFIG),
        )

    def is_subject(self, facts: GoFacts) -> bool:
        return bool(facts.consumers)

    def judge(self, facts: Mapping[str, GoFacts]) -> Iterator[Finding]:
        packages: dict[str, list[tuple[str, GoFacts]]] = {}
        for rel, file_facts in facts.items():
            packages.setdefault(_directory(rel), []).append((rel, file_facts))
        for rel in sorted(facts):
            here = _directory(rel)
            if not facts[rel].consumers or any(f.dedupe_config for _, f in packages[here]):
                continue

            def resolve(step: Step, here: str = here) -> Sequence[Body]:
                return [body for _, body in _resolve(step, here, packages)]

            def handler_body(
                consumer: Consumer, rel: str = rel, here: str = here
            ) -> tuple[str, Body] | None:
                if consumer.body is not None:
                    return rel, consumer.body
                if consumer.handler is None:
                    return None
                named = Step(
                    kind="call",
                    name=consumer.handler,
                    line=0,
                    column=0,
                    target="#" + consumer.handler,
                )
                return next(iter(_resolve(named, here, packages)), None)

            consumers = [(rel, consumer) for consumer in facts[rel].consumers]
            yield from unguarded_findings(self, consumers, handler_body, resolve)


def _directory(rel: str) -> str:
    return rel.rpartition("/")[0]


def _resolve(
    step: Step, here: str, packages: Mapping[str, list[tuple[str, GoFacts]]]
) -> list[tuple[str, Body]]:
    """The bodies a call may run: functions and methods of that name in the caller's package, or
    in the package of this repository its import path ends with."""
    if step.target is None:
        return []
    path, _, name = step.target.partition("#")
    directories = [here]
    if path:
        directories = _imported_directories(path, packages)
    return [
        (rel, function.body)
        for directory in directories
        for rel, file_facts in packages.get(directory, [])
        for function in file_facts.functions
        if function.name == name
    ]


def _imported_directories(path: str, directories: Iterable[str]) -> list[str]:
    """The directories of this repository an import path may name: those sharing the most
    trailing segments with it (`example.com/shop/notify` is `notify/` or `go/notify/`), since
    the module path in go.mod is not read."""
    wanted = path.split("/")
    scored: dict[str, int] = {}
    for directory in directories:
        segments = directory.split("/") if directory else []
        common = 0
        while (
            common < min(len(segments), len(wanted))
            and segments[-1 - common] == wanted[-1 - common]
        ):
            common += 1
        if common:
            scored[directory] = common
    best = max(scored.values(), default=0)
    return [directory for directory, score in scored.items() if score == best]


def _name_of(declaration: SgNode) -> str:
    name = declaration.field("name")
    return name.text() if name is not None else ""


def _imports(root: SgNode) -> dict[str, str]:
    imports: dict[str, str] = {}
    for spec in root.find_all(kind="import_spec"):
        path_node = spec.field("path")
        if path_node is None:
            continue
        path = path_node.text().strip('"`')
        alias = spec.field("name")
        local = alias.text() if alias is not None else path.rsplit("/", 1)[-1]
        if re.fullmatch(r"v\d+", local) and "/" in path:  # stripe-go/v79 is package stripe
            local = path.rsplit("/", 2)[-2].removesuffix("-go")
        local = local.removesuffix(".go").replace("-", "_")
        if local not in ("_", "."):
            imports[local] = path
    return imports


class _BodyReader:
    """Turns a Go block into its steps: calls classified, SQL/Redis dedupe found in strings."""

    def __init__(self, options: ConsumerIdempotencyOptions, imports: Mapping[str, str]) -> None:
        self.options = options
        self.imports = imports

    def body(self, node: SgNode) -> Body:
        steps: list[Step] = []
        for found in node.find_all(
            any=[
                {"kind": "call_expression"},
                {"kind": "interpreted_string_literal"},
                {"kind": "raw_string_literal"},
            ]
        ):
            step = self._step(found)
            if step is not None:
                steps.append(step)
        steps.sort(key=lambda s: (s.line, s.column))
        return Body(steps=steps)

    def _step(self, node: SgNode) -> Step | None:
        start = node.range().start
        line, column = start.line + 1, start.column + 1
        if node.kind() != "call_expression":
            if _SQL_DEDUPE.search(node.text()):
                return Step(
                    kind="dedupe", name=" ".join(node.text().split())[:40], line=line, column=column
                )
            return None
        function = node.field("function")
        if function is None:
            return None
        name = " ".join(function.text().split())
        kind = self._kind(name, node)
        if kind is not None:
            return Step(kind=kind, name=name, line=line, column=column)
        last = name.rsplit(".", 1)[-1]
        base = name.rpartition(".")[0]
        target = f"{self.imports[base]}#{last}" if base in self.imports else f"#{last}"
        return Step(kind="call", name=name, line=line, column=column, target=target)

    def _kind(self, name: str, call: SgNode) -> str | None:
        last = name.rsplit(".", 1)[-1]
        base = name.rpartition(".")[0]
        if (
            last in ("SetNX", "SetNx", "HSetNX", "SetNxArgs")
            or is_dedupe_name(last)
            or matches_call(name, self.options.dedupe_calls)
        ):
            return "dedupe"
        if matches_call(name, self.options.side_effect_calls):
            return "effect"
        if last in ("Post", "PostForm") and (base == "http" or _HTTP_CLIENT.search(base)):
            return "effect"
        if _MAIL.match(last):
            return "effect"
        if last == "Do" and _HTTP_CLIENT.search(base) and _argument_count(call) == 1:
            return "effect"
        package = self.imports.get(base, "")
        if base in _STRIPE_PACKAGES and last in _STRIPE_ACTIONS and "stripe" in package:
            return "effect"
        return None


def _argument_count(call: SgNode) -> int:
    arguments = call.field("arguments")
    return 0 if arguments is None else len([c for c in arguments.children() if c.is_named()])


def _arguments(call: SgNode) -> list[SgNode]:
    arguments = call.field("arguments")
    if arguments is None:
        return []
    return [c for c in arguments.children() if c.is_named() and c.kind() != "comment"]


def _consumers(root: SgNode, reader: _BodyReader) -> Iterator[Consumer]:
    for call in root.find_all(kind="call_expression"):
        function = call.field("function")
        if function is None or function.kind() != "selector_expression":
            continue
        field = function.field("field")
        method = field.text() if field is not None else ""
        if method not in _HANDLER_ARGUMENT:
            continue
        arguments = _arguments(call)
        index = _HANDLER_ARGUMENT[method]
        if index >= len(arguments):
            continue
        handler = arguments[index]
        label = _label(method, arguments)
        start = call.range().start
        if handler.kind() == "func_literal" and (block := handler.field("body")) is not None:
            yield Consumer(
                label=label, line=start.line + 1, column=start.column + 1, body=reader.body(block)
            )
        elif handler.kind() in ("identifier", "selector_expression"):
            name = handler.text().rsplit(".", 1)[-1]
            yield Consumer(label=label, line=start.line + 1, column=start.column + 1, handler=name)
    yield from _pull_loops(root, reader)


def _label(method: str, arguments: Sequence[SgNode]) -> str:
    if method == "Consume":
        return "the JetStream Consume handler"
    subject = arguments[0].text() if arguments else ""
    if arguments and arguments[0].kind() == "interpreted_string_literal":
        return f"the NATS handler of {subject}"
    return f"the NATS handler of {subject or 'its subject'}"


_PULL_SOURCES = re.compile(r"\.(Messages|Fetch|FetchBatch|FetchNoWait)\(")


def _pull_loops(root: SgNode, reader: _BodyReader) -> Iterator[Consumer]:
    """Loops that pull messages one by one: each iteration is one delivery."""
    seen: set[int] = set()
    for function in root.find_all(
        any=[
            {"kind": "function_declaration"},
            {"kind": "method_declaration"},
            {"kind": "func_literal"},
        ]
    ):
        body = function.field("body")
        if body is None:
            continue
        pulled = _pulled_names(body)
        for loop in body.find_all(kind="for_statement"):
            where = loop.range().start.index
            if where in seen or not _pulls(loop, pulled):
                continue
            seen.add(where)
            loop_body = loop.field("body")
            if loop_body is None:
                continue
            start = loop.range().start
            yield Consumer(
                label="the NATS pull loop",
                line=start.line + 1,
                column=start.column + 1,
                body=reader.body(loop_body),
            )


def _pulled_names(body: SgNode) -> set[str]:
    """Variables assigned from `X.Messages()` / `X.Fetch(...)` in this function."""
    names: set[str] = set()
    for assignment in body.find_all(
        any=[{"kind": "short_var_declaration"}, {"kind": "assignment_statement"}]
    ):
        right = assignment.field("right")
        left = assignment.field("left")
        if right is None or left is None or not _PULL_SOURCES.search(right.text()):
            continue
        first = next((c for c in left.children() if c.kind() == "identifier"), None)
        if first is not None:
            names.add(first.text())
    return names


def _pulls(loop: SgNode, pulled: set[str]) -> bool:
    clause = next((c for c in loop.children() if c.kind() == "range_clause"), None)
    if clause is not None:
        right = clause.field("right")
        text = right.text() if right is not None else ""
        return bool(_PULL_SOURCES.search(text)) or text.split(".", 1)[0] in pulled
    body = loop.field("body")
    if body is None or clause is not None:
        return False
    for call in body.find_all(kind="call_expression"):
        function = call.field("function")
        text = function.text() if function is not None else ""
        base, _, last = text.rpartition(".")
        if last == "NextMsg" or (last == "Next" and base in pulled):
            return True
    return False
