"""Where an event name is fixed, and on which side that code runs: what both halves produce."""

from __future__ import annotations

from dataclasses import dataclass

from pytest_lessons.lang.typescript.runtime import Side

__all__ = ["Site"]


@dataclass(frozen=True, eq=False)
class Site:
    rel: str
    line: int
    column: int
    end_line: int
    end_column: int
    sides: frozenset[Side]
    """client and/or server; empty when unknown. Both for a helper called from both sides."""
    why: str

    @property
    def shared(self) -> bool:
        return len(self.sides) > 1
