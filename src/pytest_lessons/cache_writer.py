"""Write the fact cache in a forked child while the session goes on.

Writing the cache copies every file's facts into a new file and pickles the records: about
0.3 s on a 4,000-file repository, after every run that learnt something (a changed file, a
first run). Nothing in the session needs the new file: the items run and the summary prints
from the outcome already computed. So where fork is safe (as for the extraction workers), a
child process writes it on the other core while this one runs the items, and the session
waits for the child when it ends (`finish`, from pytest's cleanup): the next run always finds
the cache complete, exactly as if it had been written in place.

It is written in place instead when nothing is new (then nothing is written at all), where
fork is not the start method (macOS, Windows), and while other threads run in this process
(pytest-xdist's controller talks to its workers on threads, and a child forked then could
inherit a lock one of them holds).
"""

from __future__ import annotations

import os
import signal
import threading
import warnings
from collections.abc import Callable

from pytest_lessons.extraction_pool import start_method
from pytest_lessons.fact_cache import FactCache

__all__ = ["CacheWriter"]


class CacheWriter:
    """The cache being written: `start` after the analysis, `finish` when the session ends."""

    def __init__(self) -> None:
        self._child: int | None = None

    def start(self, cache: FactCache, *, complete: bool = True) -> None:
        if not cache.has_news(complete=complete) or not _may_fork():
            cache.save(complete=complete)
            return
        child = _fork()
        if child is None:  # no process could be made: write it here
            cache.save(complete=complete)
            return
        if child == 0:  # pragma: no cover - the child (its coverage is not collected)
            _write_and_exit(lambda: cache.save(complete=complete))
        self._child = child
        cache.close()  # the child has its own copies of the files it reads

    def finish(self) -> None:
        """Wait for the child (if one is writing): the cache is complete when this returns."""
        child, self._child = self._child, None
        if child is None:
            return
        while True:
            try:
                os.waitpid(child, 0)
                return
            except InterruptedError:  # pragma: no cover - retried by Python itself since 3.5
                continue
            except ChildProcessError:  # already reaped (a handler of the host's)
                return


def _may_fork() -> bool:
    return start_method() == "fork" and threading.active_count() == 1


def _fork() -> int | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # 3.12+: forking with threads
            return os.fork()
    except OSError:
        return None


def _write_and_exit(write: Callable[[], None]) -> None:  # pragma: no cover - in the child
    """The child: write, then leave without running anything of the parent's (no atexit
    handler, no buffered output flushed twice). Ctrl-C is for the parent: the child finishes
    its write (atomic, and short), so a session stopped while its items run keeps its cache,
    as it did when the cache was written before them."""
    code = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        write()
        code = 0
    except BaseException:
        pass  # the old cache stays whole; the run is not the child's to fail
    finally:
        os._exit(code)
