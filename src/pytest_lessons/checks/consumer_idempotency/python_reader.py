"""The libcst reader of `consumer-idempotency`'s Python half: consumers and the steps of the
functions they run (see `python`)."""

from __future__ import annotations

import re
from collections.abc import Mapping

import libcst as cst
from libcst.metadata import CodeRange, PositionProvider

from pytest_lessons.checks.consumer_idempotency.flow import (
    Body,
    Consumer,
    Step,
    is_dedupe_name,
    matches_call,
)
from pytest_lessons.checks.consumer_idempotency.options import ConsumerIdempotencyOptions
from pytest_lessons.lang.python.syntax import dotted_name, literal_value, string_value
from pytest_lessons.source import SourceFile

__all__ = ["read_consumers"]

_HTTP_VERBS = frozenset({"post", "put", "patch", "delete"})
_HTTP_CLIENTS = re.compile(r"requests|httpx|aiohttp|session|client|http", re.IGNORECASE)
_UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_MAIL = frozenset(
    {"send_mail", "send_email", "send_mass_mail", "sendmail", "send_sms", "send_templated_mail"}
)
_STRIPE_OBJECTS = frozenset({"Refund", "Charge", "PaymentIntent", "Transfer", "Payout"})
_STRIPE_SERVICES = frozenset({"refunds", "charges", "payment_intents", "transfers", "payouts"})
_SQL_DEDUPE = re.compile(
    r"ON\s+CONFLICT\b.*\bDO\s+NOTHING|INSERT\s+(OR\s+)?IGNORE|\bSETNX\b",
    re.IGNORECASE | re.DOTALL,
)
_DEDUPE_CALLS = frozenset({"setnx", "on_conflict_do_nothing", "get_or_create", "set_if_absent"})


def read_consumers(
    file: SourceFile, options: ConsumerIdempotencyOptions
) -> tuple[dict[str, Body], list[Consumer]]:
    """The file's functions (their steps) and consumers, read with libcst."""
    wrapper = file.python_metadata()
    local = {
        statement.name.value
        for statement in wrapper.module.body
        if isinstance(statement, cst.FunctionDef)
    }
    reader = _Reader(options, wrapper.resolve(PositionProvider), local)
    wrapper.module.visit(reader)
    consumers = [
        consumer
        for consumer, library in reader.consumers
        if library is None or library in reader.imported
    ]
    return reader.functions, consumers


class _Reader(cst.CSTVisitor):
    """One pass: every function's steps, and every consumer registration or consuming loop."""

    def __init__(
        self,
        options: ConsumerIdempotencyOptions,
        positions: Mapping[cst.CSTNode, CodeRange],
        local: set[str],
    ) -> None:
        self.options = options
        self.local = local
        """The module's own functions: a call of one is followed, never guessed by its name."""
        self.positions = positions
        self.functions: dict[str, Body] = {}
        self.consumers: list[tuple[Consumer, str | None]] = []
        """Each consumer, with the library the file must import for it to be one (`aio_pika`:
        a Django queryset has an `.iterator()` too)."""
        self.imported: set[str] = set()
        self._classes: list[str] = []
        self._iterators: set[str] = set()
        """Names bound by `async with queue.iterator() as it`."""
        self._fetched: set[str] = set()
        """Names bound by `msgs = await sub.fetch(n)`."""

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            self.imported.add((dotted_name(alias.name) or "").split(".")[0])

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.module is not None and not node.relative:
            self.imported.add((dotted_name(node.module) or "").split(".")[0])

    # Scopes -----------------------------------------------------------------------------

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._classes.append(node.name.value)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self._classes.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        key = self._key(node.name.value)
        self.functions.setdefault(key, self._body(node.body))
        for decorator in node.decorators:
            if _is_late_ack_task(decorator.decorator):
                consumer = Consumer(
                    label=f"the Celery task {node.name.value} (acks_late=True)",
                    **self._where(node.name),
                    handler=key,
                )
                self.consumers.append((consumer, None))

    def _key(self, name: str) -> str:
        return f"{self._classes[-1]}.{name}" if self._classes else name

    # Registrations ------------------------------------------------------------------------

    def visit_Call(self, node: cst.Call) -> None:
        name = dotted_name(node.func) or ""
        last = name.rsplit(".", 1)[-1]
        handlers: list[tuple[str, cst.BaseExpression, str | None]] = []
        for arg in node.args:
            keyword = arg.keyword.value if arg.keyword is not None else None
            if keyword == "cb" and last in ("subscribe", "pull_subscribe_bind"):
                handlers.append((f"the NATS handler of {_subject(node)}", arg.value, None))
            elif keyword == "on_message_callback" and last == "basic_consume":
                handlers.append(("the pika consumer callback", arg.value, "pika"))
            elif keyword in ("callbacks", "on_message") and last == "Consumer":
                values = (
                    [e.value for e in arg.value.elements]
                    if isinstance(arg.value, (cst.List, cst.Tuple))
                    else [arg.value]
                )
                handlers.extend(("the kombu consumer callback", v, "kombu") for v in values)
        if last == "consume" and node.args and node.args[0].keyword is None:
            handlers.append(("the aio-pika consumer callback", node.args[0].value, "aio_pika"))
        if last == "register_callback" and node.args and node.args[0].keyword is None:
            handlers.append(("the kombu consumer callback", node.args[0].value, "kombu"))
        for label, handler, library in handlers:
            self._register(label, handler, node, library)

    def _register(
        self, label: str, handler: cst.BaseExpression, call: cst.Call, library: str | None
    ) -> None:
        where = self._where(call)
        if isinstance(handler, cst.Lambda):
            consumer = Consumer(label=label, **where, body=self._body(handler.body))
            self.consumers.append((consumer, library))
            return
        name = dotted_name(handler)
        if name is None:
            return
        if name.startswith("self.") and name.count(".") == 1 and self._classes:
            key = f"{self._classes[-1]}.{name[5:]}"
        elif "." not in name:
            key = name
        else:
            return
        self.consumers.append((Consumer(label=label, **where, handler=key), library))

    # Consuming loops ----------------------------------------------------------------------

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if _is_iterator_call(node.item) and node.asname is not None:
            target = node.asname.name
            if isinstance(target, cst.Name):
                self._iterators.add(target.value)

    def visit_Assign(self, node: cst.Assign) -> None:
        value = node.value.expression if isinstance(node.value, cst.Await) else node.value
        if _is_fetch_call(value):
            for target in node.targets:
                if isinstance(target.target, cst.Name):
                    self._fetched.add(target.target.value)

    def visit_For(self, node: cst.For) -> None:
        source = node.iter.expression if isinstance(node.iter, cst.Await) else node.iter
        library = None
        if node.asynchronous is not None and (
            _is_iterator_call(source)
            or (isinstance(source, cst.Name) and source.value in self._iterators)
        ):
            library = "aio_pika"
        elif (
            _is_fetch_call(source)
            or (isinstance(source, cst.Name) and source.value in self._fetched)
            or (
                isinstance(source, cst.Attribute)
                and source.attr.value == "messages"
                and node.asynchronous is not None
            )
        ):
            library = "nats"
        if library is not None:
            consumer = Consumer(
                label="the message loop", **self._where(node), body=self._body(node.body)
            )
            self.consumers.append((consumer, library))

    # Steps ----------------------------------------------------------------------------------

    def _where(self, node: cst.CSTNode) -> dict[str, int]:
        start = self.positions[node].start
        return {"line": start.line, "column": start.column + 1}

    def _body(self, node: cst.CSTNode) -> Body:
        collector = _StepCollector(self)
        node.visit(collector)
        return Body(steps=sorted(collector.steps, key=lambda s: (s.line, s.column)))

    def step_of_call(self, call: cst.Call) -> Step | None:
        name = dotted_name(call.func)
        if name is None and isinstance(call.func, cst.Attribute):
            name = "(...)." + call.func.attr.value  # a chain: `insert(t).on_conflict_do_nothing()`
        if name is None:
            return None
        followed = name in self.local and not is_dedupe_name(name)
        kind = None if followed else self._kind(name, call)
        where = self._where(call)
        if kind is not None:
            return Step(kind=kind, name=name, **where)
        if name.startswith("self.") and name.count(".") == 1 and self._classes:
            target = f"{self._classes[-1]}.{name[5:]}"
        elif "." not in name:
            target = name
        else:
            return None
        return Step(kind="call", name=name, target=target, **where)

    def _kind(self, name: str, call: cst.Call) -> str | None:
        parts = name.split(".")
        last = parts[-1]
        base = ".".join(parts[:-1])
        if (
            last in _DEDUPE_CALLS
            or (last == "set" and _keyword_true(call, "nx"))
            or is_dedupe_name(last)
            or matches_call(name, self.options.dedupe_calls)
        ):
            return "dedupe"
        if matches_call(name, self.options.side_effect_calls):
            return "effect"
        if last in _HTTP_VERBS and _HTTP_CLIENTS.search(base) and _sends_to_url(base, call, 0):
            return "effect"
        if last == "request" and _HTTP_CLIENTS.search(base) and _sends_to_url(base, call, 1):
            method = string_value(call.args[0].value)
            if method is not None and method.upper() in _UNSAFE_METHODS:
                return "effect"
        if last in _MAIL or name.endswith(("messages.create", "emails.send", "Emails.send")):
            return "effect"
        if (
            len(parts) >= 2
            and parts[-2] in _STRIPE_OBJECTS
            and last in ("create", "confirm", "capture")
        ):
            return "effect"
        if len(parts) >= 2 and parts[-2] in _STRIPE_SERVICES and last == "create":
            return "effect"
        return None


class _StepCollector(cst.CSTVisitor):
    """The steps of one body; a nested `def` is a function of its own, not part of this body."""

    def __init__(self, reader: _Reader) -> None:
        self.reader = reader
        self.steps: list[Step] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def visit_Call(self, node: cst.Call) -> None:
        step = self.reader.step_of_call(node)
        if step is not None:
            self.steps.append(step)

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        value = literal_value(node)
        if isinstance(value, str) and _SQL_DEDUPE.search(value):
            text = " ".join(value.split())[:40]
            self.steps.append(Step(kind="dedupe", name=text, **self.reader._where(node)))


_URLISH = re.compile(r"url|uri|endpoint|webhook|hook|api", re.IGNORECASE)


def _sends_to_url(base: str, call: cst.Call, position: int) -> bool:
    """An HTTP client call: the module itself (`requests.post`), or a URL as the argument (a
    SQLAlchemy `session.delete(order)` deletes a row, an aiohttp `session.delete(url)` calls)."""
    if base.split(".")[0] in ("requests", "httpx", "aiohttp"):
        return True
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == "url":
            return True
    if len(call.args) <= position or call.args[position].keyword is not None:
        return False
    value = call.args[position].value
    if isinstance(value, (cst.SimpleString, cst.FormattedString, cst.ConcatenatedString)):
        return True
    if isinstance(value, cst.BinaryOperation):
        return True
    name = dotted_name(value)
    return name is not None and bool(_URLISH.search(name.rsplit(".", 1)[-1]))


def _keyword_true(call: cst.Call, keyword: str) -> bool:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == keyword:
            return isinstance(arg.value, cst.Name) and arg.value.value == "True"
    return False


def _is_late_ack_task(decorator: cst.BaseExpression) -> bool:
    """`@app.task(acks_late=True)`, `@shared_task(bind=True, acks_late=True)`."""
    if not isinstance(decorator, cst.Call):
        return False
    name = dotted_name(decorator.func) or ""
    return name.rsplit(".", 1)[-1] in ("task", "shared_task") and _keyword_true(
        decorator, "acks_late"
    )


def _is_iterator_call(node: cst.BaseExpression) -> bool:
    """aio-pika's `queue.iterator()`."""
    return isinstance(node, cst.Call) and (dotted_name(node.func) or "").endswith(".iterator")


def _is_fetch_call(node: cst.BaseExpression) -> bool:
    """nats-py's pull subscription `await sub.fetch(n)`."""
    return isinstance(node, cst.Call) and (dotted_name(node.func) or "").endswith(".fetch")


def _subject(call: cst.Call) -> str:
    if call.args and call.args[0].keyword is None:
        value = string_value(call.args[0].value)
        if value is not None:
            return f'"{value}"'
    return "its subject"
