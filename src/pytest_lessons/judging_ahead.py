"""Unpickle the largest judging unit's cached facts in a worker while this process plans.

After an edit, the lessons that read the changed file judge again over every file's facts,
nearly all of them cached: on a 4,000-file TypeScript repository the telemetry lessons' worker
spent half a second unpickling them before it judged. None of that depends on the edit, so it
need not wait for it. One worker is forked for the unit of lessons sharing facts
(`Check.shares_facts`) that reads changed files and has the most to unpickle: before the survey
when a few files are unknown by their `stat` signature (an edit; it builds the unit's checks
itself, beside the survey building them here), else after the survey when it found changed
contents (after a checkout most contents are unchanged; it inherits the checks the survey
built). It unpickles the unit's cached facts while this process surveys, plans, extracts the
changed files and judges the other units. At judging time
it is sent what this run knows (per lesson judging again: each file's facts, as the place of the
cached pickle it already holds or as the new pickle) and judges; when the plan reuses the unit's
judgements (an edit that moved no fact) it is killed, having written nothing.

A worker that dies, or a cached pickle it cannot read back, costs nothing but the time: the
unit then judges as it would have without it (`analysis._judge_lessons`, which isolates a crash
to its lesson). Only with more than one job and where fork is the start method, like the
extraction and judging workers.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import threading
import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from multiprocessing.process import BaseProcess
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from pytest_lessons.extraction_pool import run_as_worker
from pytest_lessons.fact_cache import FactCache, Parked, Stored, unpickle_facts
from pytest_lessons.file_facts import gc_paused

__all__ = ["FactRef", "JudgingAhead"]

VerdictT = TypeVar("VerdictT")

FactRef = int | bytes
"""A file's facts as the worker is told of them: the offset of the cached pickle (in the blob
region of the cache file both processes read), or a new pickle (a dict by lesson)."""

JudgeUnit = Callable[[tuple[str, ...], dict[str, dict[str, BaseModel]], float], dict[str, Any]]
"""(lessons, their facts by file, seconds spent unpickling) -> verdicts by lesson."""


class JudgingAhead(Generic[VerdictT]):
    """The worker holding one unit's cached facts, from its fork to its verdicts."""

    def __init__(
        self,
        lessons: tuple[str, ...],
        process: BaseProcess,
        connection: multiprocessing.connection.Connection,
    ) -> None:
        self.lessons = lessons
        self._process = process
        self._connection = connection
        self._handed: tuple[str, ...] = ()

    @classmethod
    def start(
        cls,
        lessons: tuple[str, ...],
        cache: FactCache,
        prepare: Callable[[], object],
        judge: JudgeUnit,
    ) -> JudgingAhead[VerdictT] | None:
        """Fork the worker; None when no process can be made (the run goes on without it).
        `prepare` builds the unit's checks in the worker (their records must be importable to
        be unpickled)."""
        context = multiprocessing.get_context("fork")
        parent_end, child_end = context.Pipe()
        process = context.Process(
            target=_worker_main,
            args=(child_end, lessons, cache, prepare, judge),
            name="pytest-lessons-ahead",
            daemon=True,
        )
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)  # 3.12+: fork with threads
                process.start()
        except Exception:
            parent_end.close()
            child_end.close()
            return None
        child_end.close()
        return cls(lessons, process, parent_end)

    def hand_over(self, refs: Mapping[str, Sequence[tuple[str, FactRef]]]) -> tuple[str, ...]:
        """Send the lessons of the unit that judge again, with their facts; the lessons handed
        over (none: the worker is stopped, or could not be told)."""
        if not refs:
            self.close()
            return ()
        try:
            self._connection.send({lesson: list(files) for lesson, files in refs.items()})
        except (OSError, ValueError):
            self.close()
            return ()
        self._handed = tuple(refs)
        return self._handed

    def verdicts(self) -> dict[str, VerdictT] | None:
        """The handed-over lessons' verdicts; None when the worker died or could not read a
        cached pickle back (they judge the usual way then)."""
        if not self._handed:
            return None
        try:
            ready = multiprocessing.connection.wait([self._connection, self._process.sentinel])
            answer = self._connection.recv() if self._connection in ready else None
        except (EOFError, OSError):
            answer = None
        finally:
            self.close()
        if not isinstance(answer, dict) or set(answer) != set(self._handed):
            return None
        return answer

    def close(self) -> None:
        """Stop the worker if it still runs, at once: it may be in the middle of unpickling,
        and it writes nothing anywhere, so nothing is lost (a run whose judgements all stand
        does not wait for it)."""
        if self._process.is_alive():
            self._process.kill()
        self._process.join()
        self._connection.close()


def _worker_main(
    connection: multiprocessing.connection.Connection,
    lessons: tuple[str, ...],
    cache: FactCache,
    prepare: Callable[[], object],
    judge: JudgeUnit,
) -> None:  # pragma: no cover - runs in the forked worker (its coverage is not collected)
    run_as_worker(lambda: _serve(connection, lessons, cache, prepare, judge))


def _serve(
    connection: multiprocessing.connection.Connection,
    lessons: tuple[str, ...],
    cache: FactCache,
    prepare: Callable[[], object],
    judge: JudgeUnit,
) -> None:
    started = time.perf_counter()
    handed = _Receiving(connection)
    prepare()
    held = _held(cache, lessons)
    preloading = time.perf_counter() - started
    message = handed.message()
    if not isinstance(message, dict):
        return
    started = time.perf_counter()
    facts = _facts(message, held)
    del held
    if facts is None:
        connection.send("cannot read a cached pickle back")
        return
    unpickling = preloading + time.perf_counter() - started
    connection.send(judge(tuple(message), facts, unpickling))


class _Receiving:
    """The parent's hand-over, read on a thread of its own from the moment the worker starts.

    It names every file's facts for each lesson judging again: hundreds of kilobytes on a
    4,000-file repository, more than a pipe holds. Read only once the cached facts were
    unpickled, the parent's `send` waited for that (a fifth of a second of its judging on
    dub); read as it comes, the parent goes on judging the other units at once."""

    def __init__(self, connection: multiprocessing.connection.Connection) -> None:
        self._connection = connection
        self._message: object = None
        self._thread = threading.Thread(target=self._receive, name="hand-over", daemon=True)
        self._thread.start()

    def _receive(self) -> None:
        try:
            self._message = self._connection.recv()
        except (EOFError, OSError):  # the parent stopped the run: nothing to judge
            self._message = None

    def message(self) -> object:
        self._thread.join()
        return self._message


_Held = dict[str, dict[str, tuple[int, BaseModel | None]]]
"""Per lesson, per file: the offset of its cached pickle and the facts in it (None: unreadable)."""


def _held(cache: FactCache, lessons: tuple[str, ...]) -> _Held:
    """The unit's cached facts, unpickled with the collector paused; a pickle the lessons share
    is unpickled once, so their records are the same objects (as `analysis._JudgeJob` has it)."""
    decoded: dict[int, object] = {}
    held: _Held = {}
    with gc_paused(freeze=True):
        for lesson, files in cache.cached_facts(lessons).items():
            held[lesson] = {
                rel: (parked.blob.offset, parked.load(decoded))
                for rel, parked in files.items()
                if isinstance(parked, Parked) and isinstance(parked.blob, Stored)
            }
    return held


def _facts(
    message: Mapping[str, Sequence[tuple[str, FactRef]]], held: _Held
) -> dict[str, dict[str, BaseModel]] | None:
    """Each lesson's facts in the order the parent gives its files; None when one is missing."""
    fresh: dict[int, object] = {}  # a new pickle shared by the unit: unpickled once
    out: dict[str, dict[str, BaseModel]] = {}
    with gc_paused(freeze=True):  # a worker's: what it holds lives as long as it does
        for lesson, files in message.items():
            mine = held.get(lesson, {})
            facts: dict[str, BaseModel] = {}
            for rel, ref in files:
                found: object
                if isinstance(ref, int):
                    offset, found = mine.get(rel, (-1, None))
                    if offset != ref:
                        return None
                else:
                    if id(ref) not in fresh:
                        try:
                            fresh[id(ref)] = unpickle_facts(ref)
                        except Exception:
                            return None
                    whole = fresh[id(ref)]
                    found = whole.get(lesson) if isinstance(whole, dict) else None
                if not isinstance(found, BaseModel):
                    return None
                facts[rel] = found
            out[lesson] = facts
    return out
