"""Facts an extraction worker keeps in memory for the unit of lessons it will judge itself.

With more than one job, every file's facts used to cross two process boundaries: pickled by
the extraction worker that made them, unpickled by the judging worker forked afterwards. On a
10,000-file monorepo that was 4 to 5 s of CPU at two jobs (the telemetry lessons' facts alone:
1.2 s to pickle, 1.0 s to unpickle) and the whole judge phase was the telemetry unit unpickling
on one core, while one job paid none of it (its facts stay objects).

So before extraction starts, the largest units of lessons judging together
(`Check.shares_facts`) are each given to one worker slot (`Holding`). The worker in that slot
keeps the unit's facts of the files it extracts as objects (`HELD`) and, without a cache to
store them in, does not pickle them at all. Once every file is extracted, the pool's `finale`
sends it a `JudgeHeld`: where the pickles of the unit's facts the other workers made are (their
spill files keep their names until then, and the worker reads them itself), and the names of
the files it holds. It judges there, unpickling only the other workers' share, and sends the
verdicts back. The parent neither holds the facts nor reads their bytes, as before.

A worker that died during extraction takes the facts it held with it; the worker started in its
slot does not have them, and extracts those files again for the unit when it judges. A worker
that dies while judging loses the unit's verdicts: they are judged the usual way in the parent's
judging workers, which extract the held files again (`Parked.load` cannot read a `Held` blob).
Only where workers fork: the job and what it holds never travel by pickle.
"""

from __future__ import annotations

import gc
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydantic import BaseModel

from pytest_lessons.extraction_pool import worker_slot
from pytest_lessons.spill_files import Spilled

if TYPE_CHECKING:
    from pytest_lessons.fact_cache import Stored

__all__ = ["HELD", "HELD_GONE", "Held", "Holding", "JudgeHeld", "hold", "take_held"]

HELD: dict[str, dict[str, BaseModel]] = {}
"""In an extraction worker: per file it extracted, the facts of its slot's held lessons."""


@dataclass(frozen=True)
class Held:
    """The blob of facts an extraction worker kept in memory and never pickled: unreadable
    anywhere else (`Parked.load` gives None, and the file is extracted again there)."""


HELD_GONE = Held()
"""The one such blob: where a held file's facts are is `_Assembled.held_by`."""


@dataclass(frozen=True)
class Holding:
    """Which lessons' facts the worker of each slot keeps, and whether it pickles them too
    (a cache is kept: the next run reads them from it)."""

    lessons_by_slot: Mapping[int, tuple[str, ...]]
    pickle_too: bool


@dataclass(frozen=True)
class JudgeHeld:
    """The finale's task for a slot's worker: judge `lessons` over `files` (per lesson, its
    files in order, each with the index of the blob its facts are in: in another worker's
    spill file, which it opens by name, in the cache file it inherited, or a pickle). A file
    at index -1 is held by this worker, or extracted again if it is not (the slot's worker
    that held it died since)."""

    lessons: tuple[str, ...]
    files: dict[str, tuple[tuple[str, int], ...]]
    blobs: list[Spilled | Stored | bytes]


def hold(holding: Holding | None, rel: str, facts: dict[str, BaseModel]) -> tuple[str, ...]:
    """Keep the facts this worker's slot holds (in a pool worker only); the lessons kept."""
    if holding is None:
        return ()
    slot = worker_slot()
    lessons = holding.lessons_by_slot.get(slot, ()) if slot is not None else ()
    kept = {lesson_id: facts[lesson_id] for lesson_id in lessons if lesson_id in facts}
    if kept:
        if not HELD:
            _spare_the_oldest_generation()
        HELD[rel] = kept
    return tuple(kept)


HELD_OLDEST_THRESHOLD = 1000
"""Young collections between two of the oldest generation's, in a worker holding facts."""


def _spare_the_oldest_generation() -> None:
    """What a worker holds only grows until it judges: a full collection, started each time
    the long-lived objects grew by a quarter, traced them all again (1.7 s of
    the workers' CPU on a 10,000-file monorepo, more than not pickling them saved). Cycles
    die young, in the collections that still run; full ones are spaced out for the rest of
    the worker's life, which ends once it has judged."""
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, HELD_OLDEST_THRESHOLD)


def take_held() -> dict[str, dict[str, BaseModel]]:
    """What this process holds, handed over once (the judge lets each lesson's facts go as
    it is done with them)."""
    taken = dict(HELD)
    HELD.clear()
    return taken
