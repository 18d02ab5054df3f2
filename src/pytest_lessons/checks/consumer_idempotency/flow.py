"""What the three halves share: a consumer, the ordered steps of a function body, and the walk
that decides whether a side effect comes before any processed-message check.

Each half turns its language into the same records: a function body is the list of its steps in
source order (a side effect, a dedupe claim, or a call of a helper that may hold either), and a
consumer names the body that runs per message (inline, or a function to resolve). The walk
follows helper calls a few levels deep, so `handle(msg)` that claims the key before it notifies is
as good as doing both inline, and a notifier method two files away in the same Go package is seen.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from pytest_lessons.checks.consumer_idempotency.options import HELPER_DEPTH
from pytest_lessons.findings import Finding
from pytest_lessons.lang.common.records import Record

if TYPE_CHECKING:
    from pytest_lessons.checks.base import Half

__all__ = [
    "Body",
    "Consumer",
    "Step",
    "Unguarded",
    "file_local_findings",
    "first_unguarded_effect",
    "is_dedupe_name",
    "matches_call",
    "unguarded_findings",
]

StepKind = Literal["effect", "dedupe", "call"]


class Step(Record):
    """One thing a body does, in source order: `name` is the callee as written (`http.Post`,
    `self.notify`) or, for a dedupe found in text (`ON CONFLICT DO NOTHING`), what was found."""

    kind: StepKind
    name: str
    line: int
    column: int
    target: str | None = None
    """For a `call`: the key of the function it may reach, as the half resolves it."""


class Body(Record):
    steps: list[Step] = Field(default_factory=list)


class Consumer(Record):
    """A handler that runs once per delivered message (and again per redelivery)."""

    label: str
    """How the message names it: `NATS handler of "orders.created.v1"`, `Celery task charge`."""
    line: int
    column: int
    body: Body | None = None
    """The handler's own steps, when it is written inline (a func literal, a lambda)."""
    handler: str | None = None
    """Else the key of the function that handles the message, resolved at judge time."""
    guarded: bool = False
    """Deduplicated by configuration (an Inngest `idempotency` key, a JetStream dedupe window)."""


@dataclass(frozen=True)
class Unguarded:
    """The step of the handler that leads to a side effect, and the chain of names to it."""

    step: Step
    chain: tuple[str, ...]


Resolve = Callable[[Step], Sequence[Body]]
"""The bodies a `call` step may run (none when the callee is not in the project)."""


def first_unguarded_effect(body: Body, resolve: Resolve, depth: int) -> Unguarded | None:
    """The first side effect reached before any dedupe step, following calls `depth` deep."""
    outcome = _walk(body, resolve, depth, set())
    return outcome if isinstance(outcome, Unguarded) else None


def _walk(body: Body, resolve: Resolve, depth: int, seen: set[int]) -> Unguarded | bool:
    """Unguarded: an effect comes first; True: a dedupe comes first; False: neither."""
    if id(body) in seen:
        return False
    seen = seen | {id(body)}
    for step in body.steps:
        if step.kind == "dedupe":
            return True
        if step.kind == "effect":
            return Unguarded(step, (step.name,))
        if depth <= 0:
            continue
        outcomes = [_walk(callee, resolve, depth - 1, seen) for callee in resolve(step)]
        if any(outcome is True for outcome in outcomes):
            return True
        for outcome in outcomes:
            if isinstance(outcome, Unguarded):
                return Unguarded(step, (step.name, *outcome.chain))
    return False


_DEDUPE_WORDS = re.compile(
    r"dedup|idempot|already_?processed|is_?processed|mark_?processed|was_?processed|"
    r"processed_?before|seen_?before|mark_?seen|^claim",
    re.IGNORECASE,
)


def is_dedupe_name(name: str) -> bool:
    """A callee whose own name says it deduplicates or claims work (`dedupe.Claim`,
    `store.IsProcessed`, `mark_processed`, `claimPendingDigests`): teams name these helpers for
    what they do, and the lesson trusts it. `name` is the callee's last part."""
    return bool(_DEDUPE_WORDS.search(name))


def matches_call(name: str, configured: Iterable[str]) -> bool:
    """Whether the dotted callee `name` is one of `configured` (whole, or its last parts)."""
    return any(name == wanted or name.endswith("." + wanted) for wanted in configured)


HandlerBody = Callable[[Consumer], "tuple[str, Body] | None"]
"""Where a consumer's handler is written (its file) and its steps, or None when unresolved."""


def unguarded_findings(
    half: Half[Any, Any],
    consumers: Iterable[tuple[str, Consumer]],
    handler_body: HandlerBody,
    resolve: Resolve,
) -> Iterator[Finding]:
    """One finding per side effect a handler reaches before any dedupe, on the handler's line
    that leads to it; a line two consumers share (one handler, two subjects) is reported once."""
    reported: set[tuple[str, int, int]] = set()
    for _, consumer in consumers:
        if consumer.guarded:
            continue
        found = handler_body(consumer)
        if found is None:
            continue
        path, body = found
        unguarded = first_unguarded_effect(body, resolve, HELPER_DEPTH)
        if unguarded is None:
            continue
        step = unguarded.step
        if (path, step.line, step.column) not in reported:
            reported.add((path, step.line, step.column))
            yield half.finding(path, step.line, step.column, _message(consumer, unguarded))


def file_local_findings(
    half: Half[Any, Any], path: str, functions: Mapping[str, Body], consumers: list[Consumer]
) -> Iterator[Finding]:
    """The findings of a file whose handlers and helpers are resolved within it (Python, TS)."""

    def handler_body(consumer: Consumer) -> tuple[str, Body] | None:
        body = consumer.body
        if body is None and consumer.handler is not None:
            body = functions.get(consumer.handler)
        return None if body is None else (path, body)

    def resolve(step: Step) -> Sequence[Body]:
        found = functions.get(step.target or "")
        return [found] if found is not None else []

    yield from unguarded_findings(half, [(path, c) for c in consumers], handler_body, resolve)


def _message(consumer: Consumer, found: Unguarded) -> str:
    chain = " -> ".join(f"`{name}`" for name in found.chain)
    return (
        f"{consumer.label} performs a side effect ({chain}) with no processed-message check "
        "before it: a redelivered message repeats it"
    )
