"""The facts the Python telemetry layer extracts per file, and how a capture names its event.

Records only (plus `capture_event`, which both readers apply to a call's arguments), so they can
be cached, pickled and shared by `from_ast` and `from_cst` without either knowing the other.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

from pydantic import Field

from pytest_lessons.lang.common.records import Record
from pytest_lessons.lang.common.telemetry import DYNAMIC, CatchEffect, EventRef, TelemetrySite

__all__ = [
    "OTHER_METHODS",
    "SEND_METHODS",
    "CallSite",
    "CaptureStyle",
    "Emission",
    "EmitterKind",
    "FunctionTelemetry",
    "Gather",
    "Site",
    "TelemetryFacts",
    "capture_event",
]

EmitterKind = Literal[
    "posthog", "segment", "rudderstack", "june", "mixpanel", "openpanel", "logsnag", "custom"
]
CaptureStyle = Literal["old", "new", "keyword", "segment", "positional", "custom", "none"]

_SEGMENT_OTHERS = frozenset({"flush", "shutdown", "join", "identify", "alias", "group", "page"})
SEND_METHODS: Mapping[EmitterKind, frozenset[str]] = {
    "posthog": frozenset({"capture"}),
    "segment": frozenset({"track"}),
    "rudderstack": frozenset({"track"}),
    "june": frozenset({"track"}),
    "mixpanel": frozenset({"track"}),
    "openpanel": frozenset({"track"}),
    "logsnag": frozenset({"track", "publish"}),
    "custom": frozenset(),
}
# Calls that send no named event but talk to the service and can fail when awaited.
OTHER_METHODS: Mapping[EmitterKind, frozenset[str]] = {
    "posthog": frozenset(
        {"flush", "shutdown", "join", "identify", "alias", "set", "set_once", "group_identify"}
    ),
    "segment": _SEGMENT_OTHERS,
    "rudderstack": _SEGMENT_OTHERS,
    "june": _SEGMENT_OTHERS,
    "mixpanel": frozenset({"alias", "people_set", "people_set_once", "import_data"}),
    "openpanel": frozenset({"identify", "increment", "decrement"}),
    "logsnag": frozenset({"identify", "insight"}),
    "custom": frozenset(),
}
# Where the other SDKs' send methods take the event: (keyword, position among the positionals,
# None when only the keyword names it). Segment's forks take `track(user_id, event, ...)`;
# Mixpanel `track(distinct_id, event_name, ...)`; OpenPanel `track(name, ...)`; LogSnag
# `track(channel, event, ...)`.
_EVENT_ARGUMENT: Mapping[EmitterKind, tuple[str, int | None]] = {
    "segment": ("event", 1),
    "rudderstack": ("event", 1),
    "june": ("event", 1),
    "mixpanel": ("event_name", 1),
    "openpanel": ("name", 0),
    "logsnag": ("event", 1),
}


class Site(TelemetrySite):
    """Where a call sits and what surrounds it (1-based columns, end exclusive).

    `catch_effect` is the nearest enclosing `try` (or `with suppress(...)`) able to catch a
    telemetry failure; `deferred` a call handed to `create_task`/`add_task`/...
    """

    nested: bool = False
    """Inside an inner def or lambda of `in_function`: not part of its await chain."""
    narrow: str | None = None
    """The text of an enclosing `except` too narrow to catch an outage (`except ValueError`)."""
    gather: int | None = None
    """Index in `TelemetryFacts.gathers` of the `asyncio.gather(...)` this is an argument of."""
    via: str | None = None
    """The runner the call was handed to (`asyncio.to_thread`), for messages."""

    @property
    def caught(self) -> bool:
        """A failure of this call stops in the function it sits in."""
        return self.catch_effect == "swallows"


class Emission(Site):
    emitter: EmitterKind
    method: str
    receiver: str
    event: EventRef
    capture_style: CaptureStyle = "none"
    ambiguous: bool = False
    """The receiver is an imported name that may be a project module (`from app import
    posthog`, or `import analytics` beside a local `analytics.py`): the index decides."""


class CallSite(Site):
    """A call of a function this file defines or imports; arguments as event references."""

    callee: str
    args: list[EventRef] = Field(default_factory=list)
    kwargs: dict[str, EventRef] = Field(default_factory=dict)


class FunctionTelemetry(Record):
    name: str
    line: int
    params: list[str] = Field(default_factory=list)
    """Parameter names; `self`/`cls` of a method left out, so indexes match a bound call."""
    is_async: bool = False


class Gather(Record):
    line: int
    column: int
    end_line: int
    end_column: int
    in_function: str | None = None
    return_exceptions: bool = False
    """`return_exceptions=` is passed and not literally False (a dynamic value is trusted)."""
    catch_effect: CatchEffect = "none"


class TelemetryFacts(Record):
    emissions: list[Emission] = Field(default_factory=list)
    calls: list[CallSite] = Field(default_factory=list)
    functions: dict[str, FunctionTelemetry] = Field(default_factory=dict)
    gathers: list[Gather] = Field(default_factory=list)
    clients: dict[str, EmitterKind] = Field(default_factory=dict)
    """Names and attributes this file assigns a client to (`ph`, `settings.posthog`)."""


def capture_event(
    emitter: EmitterKind, args: Sequence[EventRef], kwargs: Mapping[str, EventRef]
) -> tuple[EventRef, CaptureStyle]:
    """The event of a send call and how it was found (see the package docstring for the rule)."""
    if emitter == "custom":
        return kwargs.get("event", args[0] if args else DYNAMIC), "custom"
    if emitter in _EVENT_ARGUMENT:
        keyword, position = _EVENT_ARGUMENT[emitter]
        style: CaptureStyle = "segment" if keyword == "event" and position == 1 else "positional"
        if keyword in kwargs:
            return kwargs[keyword], style
        if position is not None and len(args) > position:
            return args[position], style
        return DYNAMIC, style
    if "event" in kwargs:
        return kwargs["event"], "keyword"
    if "distinct_id" in kwargs or len(args) == 1:
        return (args[0] if args else DYNAMIC), "new"
    if len(args) >= 2:
        return args[1], "old"
    return DYNAMIC, "none"


# --- extraction -----------------------------------------------------------------------------
