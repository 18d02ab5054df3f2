"""Emitter wrappers in either language: what calling a function of the project sends.

A wrapper is a function whose body sends an event or calls another wrapper. Each language layer
walks its own facts (which emissions and calls a function holds, which parameter an event
reference reads, what a call passes for a parameter, which string a constant holds) and hands
them to `summarize`, so `trackOrder(name) -> track(name) -> capture(name)` resolves the same way
in Python and TypeScript.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Generic, TypeVar

from pytest_lessons.lang.common.telemetry import EventRef

__all__ = ["ParamKey", "WrapperIndex", "WrapperSummary", "passed_event_names", "summarize"]

FunctionT = TypeVar("FunctionT")
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

    def take(event: EventRef) -> None:
        """A parameter of this function, or else an event it fixes (when the name resolves)."""
        found = param_of(event)
        value = event_name(event) if found is None else None
        if found is not None:
            params.add(found)
        elif value is not None:
            fixed.add(value)

    emits = False
    swallows = True
    for event, swallowed in sends:
        emits = True
        swallows = swallows and swallowed
        take(event)
    for inner, argument, swallowed in calls:
        emits = True
        swallows = swallows and (swallowed or inner.swallows)
        fixed |= inner.fixed
        for position, key in inner.params:
            take(argument(position, key))
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


WrapperCall = tuple[WrapperSummary, Callable[[int, str | None], EventRef], bool]
"""A call of another wrapper: its summary, what the call passes for a parameter, whether the
call is caught (see `summarize`)."""


class WrapperIndex(ABC, Generic[FunctionT]):
    """Memoised wrapper summaries over a project's functions; each language supplies the parts.

    A recursive call adds nothing (the cycle guard is in place while a summary is computed).
    """

    def __init__(self) -> None:
        self._summaries: dict[tuple[str, str], WrapperSummary | None] = {}

    def summary(self, rel: str, name: str) -> WrapperSummary | None:
        """What calling `name` of `rel` sends, or None when it sends nothing (not a wrapper)."""
        key = (rel, name)
        if key in self._summaries:
            return self._summaries[key]
        self._summaries[key] = None  # cycle guard
        function = self.function(rel, name)
        if function is None:
            return None
        result = summarize(
            self.sends(rel, name),
            self.wrapper_calls(rel, name),
            partial(self.param_of, function),
            partial(self.event_name, rel),
        )
        self._summaries[key] = result
        return result

    def named_event(self, rel: str, event: EventRef, in_function: str | None) -> str | None:
        """The event a send fixes where it stands; None when it reads a parameter of its
        function (it is named at each call of the wrapper instead) or does not resolve."""
        function = self.function(rel, in_function or "")
        if function is not None and self.param_of(function, event) is not None:
            return None
        return self.event_name(rel, event)

    def names_passed(
        self,
        rel: str,
        summary: WrapperSummary,
        argument: Callable[[int, str | None], EventRef],
        in_function: str | None,
    ) -> set[str]:
        """The events a call of a wrapper names through its arguments (`passed_event_names`),
        from a call in function `in_function` of file `rel`."""
        caller = self.function(rel, in_function or "")

        def forwarded(arg: EventRef) -> bool:
            return caller is not None and self.param_of(caller, arg) is not None

        return passed_event_names(summary, argument, forwarded, partial(self.event_name, rel))

    @abstractmethod
    def function(self, rel: str, name: str) -> FunctionT | None:
        """The function `name` of file `rel`, if the facts know it."""

    @abstractmethod
    def sends(self, rel: str, name: str) -> Iterable[tuple[EventRef, bool]]:
        """The events the function's own body sends, each with whether it is caught there."""

    @abstractmethod
    def wrapper_calls(self, rel: str, name: str) -> Iterable[WrapperCall]:
        """The function's calls of other wrappers (see `summarize`)."""

    @abstractmethod
    def param_of(self, function: FunctionT, event: EventRef) -> ParamKey | None:
        """The parameter of `function` an event reference reads, if any."""

    @abstractmethod
    def event_name(self, rel: str, event: EventRef) -> str | None:
        """The event name a reference holds, as seen from file `rel`."""
