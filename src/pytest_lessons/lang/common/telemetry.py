"""What an analytics call is, in either language: its event, and what surrounds the call.

`lang.python.telemetry` and `lang.typescript.telemetry` each find the calls in their own syntax;
both describe an event the same way (`EventRef`) and the context that decides whether a failure
of the call escapes the function it sits in (`TelemetrySite`, `CatchEffect`), so the lessons
judge a FastAPI handler and a Next.js route with the same words.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pytest_lessons.lang.common.records import Repeated, Spanned

__all__ = ["DYNAMIC", "CatchEffect", "EventRef", "TelemetrySite", "event_ref"]

CatchEffect = Literal["none", "swallows", "rethrows", "responds"]
"""What the handler of the nearest enclosing try that can catch a telemetry failure does with
it: swallows it (logs and carries on), rethrows it, or responds with an error status (which a
webhook sender retries, so it is no isolation either)."""


class EventRef(Repeated):
    """An event name as written: a literal value, a dotted name to resolve later, or dynamic."""

    kind: Literal["literal", "name", "dynamic"]
    value: str | None = None


DYNAMIC = EventRef(kind="dynamic")


@lru_cache(maxsize=8192)
def event_ref(kind: Literal["literal", "name", "dynamic"], value: str | None = None) -> EventRef:
    """One shared, frozen `EventRef` per (kind, value): a file holds one per call argument, and
    building a record costs some twenty times a look-up here."""
    return EventRef(kind=kind, value=value)


class TelemetrySite(Spanned):
    """Where a telemetry call (or a call that may reach one) sits, and what surrounds it."""

    in_function: str | None = None
    """The enclosing top-level function (`track`), method or object member (`Orders.create`)."""
    awaited: bool = False
    catch_effect: CatchEffect = "none"
    deferred: bool = False
    """Run outside the caller's await chain (`after()`, `waitUntil()`, `create_task`,
    `BackgroundTasks.add_task`): its failure cannot fail the request."""
