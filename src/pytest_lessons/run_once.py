"""Run the analysis once per pytest session, whatever xdist does.

The controller analyses and hands the outcome to each worker through `workerinput`; workers
never analyse. (Running in `pytest_runtestloop`, as pytest-mypy once did, silently never runs
under xdist, whose controller does not run that loop; running in each worker repeats the work
and can race on the cache.)
"""

from __future__ import annotations

from typing import Any

import pytest

from pytest_lessons.analysis import run_analysis
from pytest_lessons.fact_cache import FactCache
from pytest_lessons.outcome import Outcome
from pytest_lessons.settings import Settings

WORKERINPUT_KEY = "pytest_lessons_outcome"


def is_xdist_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


class OutcomeOnce:
    def __init__(self, config: pytest.Config, settings: Settings) -> None:
        self._config = config
        self._settings = settings
        self._outcome: Outcome | None = None

    def __call__(self) -> Outcome:
        if self._outcome is None:
            self._outcome = self._compute()
        return self._outcome

    @property
    def computed(self) -> Outcome | None:
        return self._outcome

    def _compute(self) -> Outcome:
        if is_xdist_worker(self._config):
            workerinput: dict[str, Any] = self._config.workerinput  # type: ignore[attr-defined]
            return Outcome.model_validate(workerinput[WORKERINPUT_KEY])
        cache = FactCache.for_config(self._config, self._settings)
        outcome = run_analysis(self._settings, cache=cache)
        if cache is not None:
            cache.save()
        return outcome

    def to_workerinput(self) -> dict[str, Any]:
        return self().model_dump(mode="json")
