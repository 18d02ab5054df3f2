"""The worker that unpickles the largest unit's cached facts during the survey changes nothing
but the time: the same outcome as a run without cache, whether it judges, is stopped, dies or
cannot read a pickle back."""

from __future__ import annotations

import os
import pickle
import shutil
import time
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from pytest_lessons import analysis, judging_ahead
from pytest_lessons.analysis import RunStats, run_analysis
from pytest_lessons.fact_cache import FactCache
from pytest_lessons.judging_ahead import FactRef, JudgingAhead
from pytest_lessons.outcome import Outcome
from pytest_lessons.report_json import report_document
from pytest_lessons.settings import CommandLine, resolve_settings
from tests.synthetic_monorepo import make_monorepo

TELEMETRY = ("single-emission-source", "telemetry-isolation", "worker-failure-event")
EDITED = "apps/web0/lib/analytics.ts"
NEW_EMISSION = '\nexport function trackSaved() {\n  posthog.capture("item_0_saved");\n}\n'
"""A client capture of an event a route of the same app already sends from the server."""

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="workers are forked")


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("monorepo")
    make_monorepo(root, 120, "tiny")
    return root


@pytest.fixture
def repo(pristine: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the monorepo whose files count as settled (known by `stat` next time), with a
    cache primed with two jobs; any unit is worth a worker. The priming run's extraction
    workers judge the units they hold: the facts they pickle for the cache must be the bytes
    any other run makes, or an edit that moves no fact would judge again."""
    monkeypatch.setattr(analysis, "RACY_SECONDS", -5)
    monkeypatch.setattr(analysis, "_AHEAD_MIN_FILES", 1)
    monkeypatch.setattr(analysis, "_HOLD_MIN_FILES", 1)
    root = tmp_path / "repo"
    shutil.copytree(pristine, root)
    (tmp_path / "cache").mkdir()
    analyse(root, jobs=2, cache=True)
    return root


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, ...]]:
    """The units judging ahead was started for, in this test."""
    units: list[tuple[str, ...]] = []
    original = judging_ahead.JudgingAhead.start

    def spy(lessons: tuple[str, ...], *args: Any) -> Any:
        units.append(lessons)
        return original(lessons, *args)

    monkeypatch.setattr(judging_ahead.JudgingAhead, "start", staticmethod(spy))
    return units


def analyse(root: Path, *, jobs: int, cache: bool) -> tuple[Outcome, RunStats]:
    settings = resolve_settings(CommandLine(root=root, jobs=jobs))
    stats = RunStats()
    facts = FactCache(root.parent / "cache", settings) if cache else None
    outcome = run_analysis(settings, cache=facts, stats=stats)
    if facts is not None:
        facts.save()
    return outcome, stats


def edit(root: Path, text: str) -> None:
    path = root / EDITED
    path.write_text(path.read_text() + text)


def same_as_without_cache(root: Path, outcome: Outcome) -> None:
    fresh, _ = analyse(root, jobs=1, cache=False)
    assert outcome == fresh
    assert report_document(outcome) == report_document(fresh)


def test_after_an_edit_that_moves_a_fact_the_unit_judges_ahead(repo: Path) -> None:
    edit(repo, NEW_EMISSION)
    outcome, stats = analyse(repo, jobs=2, cache=True)
    assert set(stats.judged_ahead) == set(TELEMETRY)
    assert set(TELEMETRY) <= set(stats.judged)
    assert any(f.lesson == "single-emission-source" for f in outcome.findings)
    same_as_without_cache(repo, outcome)
    # and the run after it reuses what the worker judged
    _, warm = analyse(repo, jobs=2, cache=True)
    assert set(TELEMETRY) <= set(warm.reused) and not warm.judged_ahead


def test_an_edit_that_moves_no_fact_stops_the_worker(repo: Path) -> None:
    edit(repo, "\n// a comment\n")
    outcome, stats = analyse(repo, jobs=2, cache=True)
    assert not stats.judged_ahead
    assert set(TELEMETRY) <= set(stats.reused)
    same_as_without_cache(repo, outcome)


def _dies(*args: Any) -> None:
    os._exit(3)


@pytest.mark.parametrize(
    ("name", "replacement"),
    [
        ("_serve", _dies),  # the worker dies
        ("_facts", lambda message, held: None),  # it cannot read a cached pickle back
    ],
)
def test_a_worker_that_fails_costs_nothing_but_time(
    repo: Path, monkeypatch: pytest.MonkeyPatch, name: str, replacement: Any
) -> None:
    """The unit then judges the usual way, with the same outcome."""
    monkeypatch.setattr(judging_ahead, name, replacement)
    edit(repo, NEW_EMISSION)
    outcome, stats = analyse(repo, jobs=2, cache=True)
    assert not stats.judged_ahead
    assert set(TELEMETRY) <= set(stats.judged)
    same_as_without_cache(repo, outcome)


def test_a_crash_in_a_lesson_judged_ahead_is_its_own(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pytest_lessons.checks.telemetry_isolation import TelemetryIsolation

    def broken(self: object, facts: object) -> None:
        raise RuntimeError("judge bug")

    monkeypatch.setattr(TelemetryIsolation, "judge", broken)
    edit(repo, NEW_EMISSION)
    outcome, stats = analyse(repo, jobs=2, cache=True)
    assert set(stats.judged_ahead) == set(TELEMETRY)
    crashed = [p for p in outcome.problems if p.kind.value == "check-crashed"]
    assert [p.lesson for p in crashed] == ["telemetry-isolation"]
    fresh, _ = analyse(repo, jobs=1, cache=False)
    others = [f for f in fresh.findings if f.lesson != "telemetry-isolation"]
    assert others and [f for f in outcome.findings if f.lesson != "telemetry-isolation"] == others


@pytest.mark.parametrize("jobs", [1, 2])
def test_no_worker_without_a_changed_content_or_with_one_job(
    repo: Path, jobs: int, started: list[tuple[str, ...]]
) -> None:
    analyse(repo, jobs=jobs, cache=True)  # nothing changed
    for path in repo.rglob("*"):  # a checkout: every file read again, the same content
        if path.is_file():
            os.utime(path)
    analyse(repo, jobs=jobs, cache=True)
    assert started == []
    edit(repo, NEW_EMISSION)
    analyse(repo, jobs=jobs, cache=True)
    assert started == ([TELEMETRY] if jobs == 2 else [])


def test_a_touched_file_starts_the_worker_early_and_judges_nothing_ahead(
    repo: Path, started: list[tuple[str, ...]]
) -> None:
    """A few files unknown by `stat` look like an edit: the worker starts before the survey;
    the survey then finds the content unchanged, every judgement stands, and it is stopped."""
    os.utime(repo / EDITED)
    outcome, stats = analyse(repo, jobs=2, cache=True)
    assert started == [TELEMETRY]
    assert not stats.judged_ahead and set(TELEMETRY) <= set(stats.reused)
    same_as_without_cache(repo, outcome)


def test_an_empty_tree_with_a_fresh_cache_builds_no_check(tmp_path: Path) -> None:
    """Nothing was read, so nothing changed: no lesson's profile is asked (asking a profile the
    cache does not hold yet builds the check, and imports its parsers)."""
    root = tmp_path / "empty"
    root.mkdir()
    (tmp_path / "cache").mkdir()
    settings = resolve_settings(CommandLine(root=root, jobs=2))
    run_analysis(settings, cache=FactCache(tmp_path / "cache", settings))
    assert settings.checks.built() == []  # type: ignore[attr-defined]


class _Note(BaseModel):
    text: str


class _NothingCached:
    """A cache that kept no facts: every file reaches the worker as a new pickle."""

    def cached_facts(self, lessons: tuple[str, ...]) -> dict[str, dict[str, Any]]:
        return {lesson: {} for lesson in lessons}


def test_the_hand_over_is_taken_while_the_worker_still_unpickles(tmp_path: Path) -> None:
    """A hand-over larger than a pipe holds (hundreds of kilobytes on a large repository) is
    read as it comes: the parent's `send` returns while the worker is still preparing, and
    the parent goes on judging the other units. Here the worker prepares until the parent,
    past its send, says so; a send that waited for the worker would instead wait for the
    worker's deadline, and the worker would report that it never heard from the parent."""
    released = tmp_path / "released"
    heard: list[bool] = []  # in the worker

    def prepare() -> object:
        deadline = time.monotonic() + 20
        while not released.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        heard.append(released.exists())
        return None

    def judge(unit: tuple[str, ...], facts: dict[str, dict[str, BaseModel]], _: float) -> Any:
        return {lesson: (len(facts[lesson]), heard == [True]) for lesson in unit}

    ahead = JudgingAhead.start(("notes",), _NothingCached(), prepare, judge)  # type: ignore[arg-type]
    assert ahead is not None
    refs: list[tuple[str, FactRef]] = [
        (f"file{n}.ts", pickle.dumps({"notes": _Note(text=f"{n}" * 250)}))  # a pickle each
        for n in range(4000)
    ]
    assert ahead.hand_over({"notes": refs}) == ("notes",)
    released.touch()
    assert ahead.verdicts() == {"notes": (4000, True)}
