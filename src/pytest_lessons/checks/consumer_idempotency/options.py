"""The options of `consumer-idempotency`, shared by its halves (defaults in the lesson's TOML)."""

from __future__ import annotations

from pytest_lessons.options import LessonOptions

__all__ = ["HELPER_DEPTH", "ConsumerIdempotencyOptions"]

HELPER_DEPTH = 3
"""How many calls deep a handler is followed into the helpers it calls (same file; a Go package)."""


class ConsumerIdempotencyOptions(LessonOptions):
    dedupe_calls: tuple[str, ...]
    """Calls that claim or look up a processed-message key (`store.ClaimMessage`,
    `inbox.mark_seen`): the dotted name, or its last parts, as written at the call."""
    side_effect_calls: tuple[str, ...]
    """Calls that act outside the service besides the known HTTP, mail, SMS and payment clients
    (`notifier.Send`, `mailer.deliver`)."""
    consumer_wrappers: tuple[str, ...]
    """A team's own functions that wrap a handler as a queue consumer, like QStash's
    `verifySignatureAppRouter(handler)` (`withQstash`): their first argument is the handler."""
