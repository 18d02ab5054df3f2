"""The Python records of `worker-failure-event`: per-item `except` clauses that only log,
dropped `asyncio.gather(..., return_exceptions=True)` results, background-job functions, and the
local calls that tie a worker to its helpers. `python_ast` reads them, and `python_syntax` (with
libcst) where the running interpreter cannot parse the module."""

from __future__ import annotations

from pydantic import Field

from pytest_lessons.lang.common.records import Record, Spanned

__all__ = [
    "ERROR_LEVELS",
    "SCHEDULE_CALLS",
    "PyCall",
    "PyIgnored",
    "PySwallow",
    "PyUnit",
    "WorkerItems",
]


class PyUnit(Record):
    """A top-level function or method (`run`, `Digest.send`) and its decorators."""

    name: str
    line: int
    decorators: list[str] = Field(default_factory=list)
    scheduled: bool = False
    """Handed to a scheduler in this file (`scheduler.add_job(run, ...)`)."""


class PyCall(Spanned):
    callee: str
    unit: str | None = None
    per_item: bool = False


class PySwallow(Spanned):
    """An `except` that only logs; `guards` as in the TypeScript record."""

    unit: str | None = None
    per_item: bool = False
    guards: list[tuple[int, int]] = Field(default_factory=list)
    logs: list[str] = Field(default_factory=list)
    error_logs: bool = False
    """Some log call is at ERROR level or above (sentry-sdk turns those into events)."""


class PyIgnored(Spanned):
    unit: str | None = None


class WorkerItems(Record):
    units: list[PyUnit] = Field(default_factory=list)
    calls: list[PyCall] = Field(default_factory=list)
    swallows: list[PySwallow] = Field(default_factory=list)
    ignored: list[PyIgnored] = Field(default_factory=list)


ERROR_LEVELS = frozenset({"error", "exception", "critical", "fatal"})
SCHEDULE_CALLS = frozenset({"add_job", "schedule", "enqueue", "apply_async", "delay"})
