"""Emitter wrappers in either language: what calling a function of the project sends.

A wrapper is a function whose body sends an event or calls another wrapper. Each language layer
walks its own facts (which emissions and calls a function holds, which parameter an event
reference reads, what a call passes for a parameter, which string a constant holds) and hands
them to `summarize`, so `trackOrder(name) -> track(name) -> capture(name)` resolves the same way
in Python and TypeScript.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from pytest_lessons.lang.common.telemetry import EventRef

__all__ = ["ParamKey", "WrapperSummary", "passed_event_names", "summarize"]

ParamKey = tuple[int, str | None]
"""A parameter an event comes from: its position, and its name (Python) or the key of the
object it is destructured from (TypeScript `track({ event })`), if any."""


@dataclass(frozen=True)
class WrapperSummary:
    """What calling a wrapper sends."""

    fixed: frozenset[str]
    """Events it always sends, whatever its arguments."""
    params: frozenset[ParamKey]
    """Parameters whose argument becomes the event."""
    swallows: bool = True
    """Every telemetry failure inside it is caught there."""


def summarize(
    sends: Iterable[tuple[EventRef, bool]],
    calls: Iterable[tuple[WrapperSummary, Callable[[int, str | None], EventRef], bool]],
    param_of: Callable[[EventRef], ParamKey | None],
    event_name: Callable[[EventRef], str | None],
) -> WrapperSummary | None:
    """The summary of one function, or None when it sends nothing (it is no wrapper).

    `sends` are the events its own body sends, each with whether its failure is caught there;
    `calls` are its calls of other wrappers: the callee's summary, what the call passes for a
    parameter (position, name or key), and whether the call is caught. `param_of` says which
    parameter of this function an event reference reads; `event_name` resolves a literal or a
    constant. Both are consumed in order, so a caller's cycle guard holds while they run.
    """
    fixed: set[str] = set()
    params: set[ParamKey] = set()
    emits = False
    swallows = True
    for event, swallowed in sends:
        emits = True
        swallows = swallows and swallowed
        found = param_of(event)
        if found is not None:
            params.add(found)
            continue
        value = event_name(event)
        if value is not None:
            fixed.add(value)
    for inner, argument, swallowed in calls:
        emits = True
        swallows = swallows and (swallowed or inner.swallows)
        fixed |= inner.fixed
        for position, key in inner.params:
            arg = argument(position, key)
            forwarded = param_of(arg)
            if forwarded is not None:
                params.add(forwarded)
                continue
            value = event_name(arg)
            if value is not None:
                fixed.add(value)
    return WrapperSummary(frozenset(fixed), frozenset(params), swallows) if emits else None


def passed_event_names(
    summary: WrapperSummary,
    argument: Callable[[int, str | None], EventRef],
    forwarded: Callable[[EventRef], bool],
    event_name: Callable[[EventRef], str | None],
) -> set[str]:
    """The events one call of a wrapper names through its arguments. An argument that is a
    parameter of the calling function (`forwarded`) is left out: it is named where the caller
    is called."""
    names: set[str] = set()
    for position, key in summary.params:
        arg = argument(position, key)
        if forwarded(arg):
            continue
        value = event_name(arg)
        if value is not None:
            names.add(value)
    return names
