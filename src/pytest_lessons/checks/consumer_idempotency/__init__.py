"""`consumer-idempotency`: a queue consumer whose side effect runs again on every redelivery.

Postmortem 004 (PulseCart's phase 1 retro) learned that idempotency must exist on both sides of
a queue: the orders service refused a repeated `Idempotency-Key`, but NATS delivers at least once,
so the worker that turns `orders.created.v1` into a notification must also remember which
messages it already handled. A consumer that calls out (HTTP, mail, SMS, a charge) with no
claim of a processed-message key before the call repeats the call on every redelivery.

A code lesson, not a pattern, because the question spans more than one node: the handler is often
named (`nc.Subscribe(subj, w.handle)`, `cb=handler`, `self.on_message`) and the side effect sits in
a helper it calls, in Go often in another file of the package; the order matters (a claim after
the call protects nothing); and a team's own store calls are an option. Each half turns its
language into the same records (`flow.py`); one walk judges them all.

Evidence that a handler deduplicates, when it comes before the side effect: Redis `SetNX` /
`set(..., nx=True)` / `{ nx: true }`, an insert that ignores conflicts (`ON CONFLICT DO NOTHING`,
`INSERT IGNORE`, `on_conflict_do_nothing()`, `get_or_create`), a callee whose name says it
(`dedupe`, `idempotent`, `is_processed`, `mark_seen`, `claim_message`), the `dedupe-calls` option;
JetStream's own deduplication in the consumer's Go package (`Nats-Msg-Id`, `nats.MsgId`,
`jetstream.WithMsgID`, a stream's `Duplicates` window); an Inngest `idempotency` key.

A heuristic: severity `warning` (see the lesson's TOML for the measured precision).
"""

from __future__ import annotations

from pytest_lessons.checks.base import ByHalf, Check
from pytest_lessons.checks.consumer_idempotency.go import GoHalf
from pytest_lessons.checks.consumer_idempotency.options import ConsumerIdempotencyOptions
from pytest_lessons.checks.consumer_idempotency.python import PythonHalf
from pytest_lessons.checks.consumer_idempotency.typescript import TypeScriptHalf

__all__ = ["ConsumerIdempotency", "ConsumerIdempotencyOptions"]


class ConsumerIdempotency(Check[ConsumerIdempotencyOptions, ByHalf]):
    options_model = ConsumerIdempotencyOptions
    halves = (GoHalf, PythonHalf, TypeScriptHalf)
