"""Run the analysis once per pytest session, whatever xdist does, and never twice.

The controller analyses (with its own extraction workers) and hands the outcome to each xdist
worker through `workerinput`; xdist workers never analyse. (Running in `pytest_runtestloop`, as
pytest-mypy once did, silently never runs under xdist, whose controller does not run that loop;
running in each worker repeats the work and can race on the cache.)

Ctrl-C during the analysis ends it: the facts extracted so far are kept in the cache (the next
run starts from them), no outcome exists, so no item runs and no JSON report is written, and
nothing asks for the analysis again (it used to restart when the report was written).

The cache is written while the items run (`cache_writer`), and the session waits for it when
it ends.
"""

from __future__ import annotations

from typing import Any

import pytest

from pytest_lessons.analysis import Progress, run_analysis
from pytest_lessons.cache_writer import CacheWriter
from pytest_lessons.fact_cache import FactCache
from pytest_lessons.lessons_only import is_lessons_only
from pytest_lessons.outcome import Outcome
from pytest_lessons.process_exit import freeze_heap_at_exit
from pytest_lessons.settings import Settings

WORKERINPUT_KEY = "pytest_lessons_outcome"


def is_xdist_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


class OutcomeOnce:
    def __init__(
        self, config: pytest.Config, settings: Settings, progress: Progress | None = None
    ) -> None:
        self._config = config
        self._settings = settings
        self._progress = progress
        self._outcome: Outcome | None = None
        self._interrupted = False
        self._writer = CacheWriter()
        config.add_cleanup(self._writer.finish)  # the session ends with the cache written

    def __call__(self) -> Outcome:
        if self._interrupted:
            raise KeyboardInterrupt  # the user stopped the analysis: never start it again
        if self._outcome is None:
            self._compute()
        assert self._outcome is not None
        return self._outcome

    @property
    def interrupted(self) -> bool:
        return self._interrupted

    @property
    def computed(self) -> Outcome | None:
        return self._outcome

    def _compute(self) -> None:
        if is_xdist_worker(self._config):
            workerinput: dict[str, Any] = self._config.workerinput  # type: ignore[attr-defined]
            self._outcome = Outcome.model_validate(workerinput[WORKERINPUT_KEY])
            return
        cache: FactCache | None = None
        if is_lessons_only(self._config):
            freeze_heap_at_exit()  # nothing of the user's ran here: see `process_exit`
        try:
            cache = FactCache.for_config(self._config, self._settings)
            self._outcome = run_analysis(self._settings, cache=cache, progress=self._progress)
        except KeyboardInterrupt:
            self._interrupted = True
            if cache is not None:
                try:
                    cache.save(complete=False)
                except KeyboardInterrupt:
                    pass  # a second Ctrl-C: the old cache stays whole (writes are atomic)
            raise
        if cache is not None:
            # after the outcome is kept: a Ctrl-C here cannot cause a second run
            self._writer.start(cache)

    def to_workerinput(self) -> dict[str, Any]:
        return self().model_dump(mode="json")
