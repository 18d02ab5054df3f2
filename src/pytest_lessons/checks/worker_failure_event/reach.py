"""Which helpers of a file a worker runs, and which of them it runs once per item.

Both halves follow plain calls from a worker's entry points into the functions of the same file,
a few calls deep: a helper called from a loop body or an iteration callback (or from a helper
that is) runs per item, so its catch is a per-item catch.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Protocol

__all__ = ["REACH_DEPTH", "Edge", "reach"]

REACH_DEPTH = 3
"""How many calls deep a worker's helpers in its own file are followed."""


class Edge(Protocol):
    """A call of a local function: made in `unit`, of `callee`, inside a loop or not."""

    @property
    def unit(self) -> str | None: ...
    @property
    def callee(self) -> str: ...
    @property
    def per_item(self) -> bool: ...


def reach(
    entries: Iterable[tuple[str, str]],
    calls: Collection[Edge],
    units: Collection[str],
    per_item: set[str],
) -> dict[str, str]:
    """The functions reached from `entries` ((function, worker label) pairs), each with the
    label of the worker that reaches it first; `per_item` gains those run once per item."""
    reached: dict[str, str] = {}
    frontier = list(entries)
    for _ in range(REACH_DEPTH + 1):
        step: list[tuple[str, str]] = []
        for name, label in frontier:
            if name in reached or name not in units:
                continue
            reached[name] = label
            for call in calls:
                if call.unit == name and call.callee in units:
                    step.append((call.callee, label))
                    if call.per_item or name in per_item:
                        per_item.add(call.callee)
        frontier = step
    return reached
