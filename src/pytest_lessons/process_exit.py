"""Let a lessons-only session end, and its interpreter exit, without tracing the heap it leaves.

After the analysis the pytest process holds a few hundred thousand objects that live until the
process ends: pytest's items, the lessons' checks and their pydantic record classes, the modules
of the parsers, the outcome. Two things still trace all of them:

- pytest runs the cyclic collector over the whole heap as the session ends (its unraisable-
  exception plugin, to surface `__del__` errors of the tests' garbage), and the items' own
  allocations set off collections that reach the older generations: on a 4,000-file TypeScript
  repository each full collection takes 0.046 s, against 0.007 s with the heap frozen;
- when Python exits it clears every module and runs the collector over what that leaves,
  several passes: a quarter of a second after the last line of output on the same repository.

None of it finds anything of ours to free. So in a lessons-only session (`--lessons-only`,
`pytest-lessons check`), where none of the project's code runs in the process:

- once collection is over (the analysis is done and the items made), the heap is frozen
  (`gc.freeze`): the collector skips it and traces only what the items make. The freeze is
  undone by a cleanup registered when the session is configured, before pytest's own plugins
  register theirs: cleanups run in the reverse order of their registration, so it runs after
  them, and a later session in the same process (pytester, in process) starts with nothing
  frozen. A heap someone else froze is
  left to them. Cyclic garbage the analysis left is then not finalised before pytest looks for
  exceptions raised in `__del__`: none of the project's objects are among it;
- an exit handler freezes the heap again when Python exits. What that changes is only what
  Python leaves unpromised: `__del__` of objects still alive in reference cycles at exit (the
  language reference does not guarantee it runs). Objects outside cycles are still finalised by
  reference counting as modules are cleared, and every other exit handler still runs: those
  registered later (multiprocessing's, which stops its children) run before this one, those
  registered earlier (coverage's, logging's) after it, as usual.

A session that also ran the project's own tests (`--lessons`) ends and exits as it always did:
their objects are not ours to leave unfinalised.
"""

from __future__ import annotations

import atexit
import gc

import pytest

__all__ = ["FrozenAfterCollection", "freeze_heap_at_exit"]

_registered = False


def freeze_heap_at_exit() -> None:
    """Register the handler, once per process however many sessions analyse in it."""
    global _registered
    if not _registered:
        atexit.register(gc.freeze)
        _registered = True


class FrozenAfterCollection:
    """Registered for a lessons-only session when it is configured: freezes the heap once the
    items are collected, and undoes it when the session's cleanups have run."""

    def __init__(self, config: pytest.Config) -> None:
        self._froze = False
        config.add_cleanup(self._thaw)

    @pytest.hookimpl(trylast=True)
    def pytest_collection_finish(self, session: pytest.Session) -> None:
        if gc.get_freeze_count() == 0:  # nothing frozen by anyone else: ours to undo
            gc.freeze()
            self._froze = True

    def _thaw(self) -> None:
        if self._froze:
            gc.unfreeze()
            self._froze = False
