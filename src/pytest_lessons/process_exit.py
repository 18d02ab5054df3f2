"""Let the interpreter exit without tracing the heap a run leaves behind.

After a run the pytest process holds a few hundred thousand objects: pytest's items and
reports, the lessons' checks and their pydantic record classes, the modules of the parsers.
When Python exits it clears every module and runs the cyclic collector over what that leaves,
several passes over the whole heap: on a 4,000-file TypeScript repository a quarter of a
second after the last line of output, as long as judging the lessons an edit concerns. None
of it is needed: the memory goes back to the system with the process.

So once a lessons-only session (`--lessons-only`, `pytest-lessons check`) analysed, an exit
handler freezes the heap (`gc.freeze`): the collector skips what is frozen, and the exit takes
a few milliseconds. What it changes is only what Python leaves unpromised: `__del__` of
objects still alive in reference cycles when the interpreter exits (the language reference
does not guarantee it runs). Objects outside cycles are still finalised by reference counting
as modules are cleared, and every other exit handler still runs: those registered later
(multiprocessing's, which stops its children) run before this one, those registered earlier
(coverage's, logging's) after it, as usual. A session that also ran the project's own tests
(`--lessons`) exits as it always did: their objects are not ours to leave unfinalised.
"""

from __future__ import annotations

import atexit
import gc

__all__ = ["freeze_heap_at_exit"]

_registered = False


def freeze_heap_at_exit() -> None:
    """Register the handler, once per process however many sessions analyse in it."""
    global _registered
    if not _registered:
        atexit.register(gc.freeze)
        _registered = True
