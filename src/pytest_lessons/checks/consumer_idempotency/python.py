"""The Python half of `consumer-idempotency`: nats-py, Celery, aio-pika and kombu consumers.

Consumers: the callback of `subscribe(subj, cb=handler)` (nats-py, core and JetStream), a Celery
task declared with `acks_late=True` (it is redelivered when the worker dies mid-task), the callback
of aio-pika's `queue.consume(handler)` and the body of `async for message in queue.iterator()`,
kombu's `Consumer(..., callbacks=[handler])` / `on_message=handler`, and pull loops over
`await sub.fetch(n)` or `sub.messages`. A callback is a lambda, a function of the same file, or
a method of the enclosing class (`self.on_message`); helpers are followed in the same file
(`python_reader`, with libcst).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pydantic import Field

from pytest_lessons.checks.base import Half
from pytest_lessons.checks.consumer_idempotency.flow import Body, Consumer, file_local_findings
from pytest_lessons.checks.consumer_idempotency.options import ConsumerIdempotencyOptions
from pytest_lessons.findings import Finding
from pytest_lessons.lang.common.records import Record
from pytest_lessons.source import FileKind, SourceFile

__all__ = ["PythonFacts", "PythonHalf"]

_CONSUMER_MARKERS = (b"acks_late", b"pika", b"kombu", b"nats")
"""What a file with a consumer names, unless it registers a NATS `subscribe(cb=...)`: a late-ack
Celery task, or the library it must import for its registration or loop to count (`pika`,
`aio_pika`, `kombu`, `nats`)."""
_CALLBACK_KEYWORD = re.compile(rb"\bcb\s*=")


class PythonFacts(Record):
    functions: dict[str, Body] = Field(default_factory=dict)
    """Function key (`handler`, `Worker.on_message`) -> its steps."""
    consumers: list[Consumer] = Field(default_factory=list)


class PythonHalf(Half[ConsumerIdempotencyOptions, PythonFacts]):
    name = "python"
    facts_model = PythonFacts
    file_kinds = frozenset({FileKind.PYTHON})
    prefilter = (
        b"acks_late",
        b"cb=",
        b"subscribe",
        b".consume(",
        b".iterator(",
        b"Consumer",
        b".fetch(",
        b".messages",
    )

    def applies_to(self, file: SourceFile, *, use_prefilter: bool = True) -> bool:
        """The prefilter, and a late-ack task, a `cb=` keyword or a consumer library named:
        without them no consumer can be found, and `subscribe`, `.fetch(` or `Consumer` alone
        (a billing subscription, an HTTP client, a dataclass) would have the file parsed for
        nothing."""
        if not super().applies_to(file, use_prefilter=use_prefilter):
            return False
        return (
            not use_prefilter
            or file.contains_any(_CONSUMER_MARKERS)
            or _CALLBACK_KEYWORD.search(file.data) is not None
        )

    def extract(self, file: SourceFile) -> PythonFacts:
        # libcst (a tenth of a second to import) only once a file passes the prefilter
        from pytest_lessons.checks.consumer_idempotency.python_reader import read_consumers

        functions, consumers = read_consumers(file, self.options)
        return PythonFacts(functions=functions, consumers=consumers)

    def is_subject(self, facts: PythonFacts) -> bool:
        return bool(facts.consumers)

    def judge_file(self, path: str, facts: PythonFacts) -> Iterator[Finding]:
        yield from file_local_findings(self, path, facts.functions, facts.consumers)
