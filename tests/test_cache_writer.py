"""The cache written by a forked child while the session goes on: the same file as written in
place, complete when the session ends, and a failed write costs the cache, never the run."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pytest_lessons import analysis, cache_writer
from pytest_lessons.analysis import RunStats, run_analysis
from pytest_lessons.cache_writer import CacheWriter
from pytest_lessons.fact_cache import CACHE_FILE, FactCache
from pytest_lessons.settings import CommandLine, Settings, resolve_settings

FIXTURES = Path(__file__).parent / "fixtures" / "lessons"

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="writes in place without fork")


def configure(root: Path) -> Settings:
    """The fixture lesson, copied into the repository (a run from the command line finds it
    through `lesson-paths`)."""
    shutil.copytree(FIXTURES / "no-todo-marker", root / "lessons" / "no-todo-marker")
    (root / "pyproject.toml").write_text(
        '[tool.pytest-lessons]\nselect = ["no-todo-marker"]\nlesson-paths = ["lessons"]\n'
    )
    return resolve_settings(CommandLine(root=root))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    repo = tmp_path / "repo"
    repo.mkdir()
    for name in "abc":
        (repo / f"{name}.py").write_text(f"{name} = 1  # TODO-NOW\n")
    return configure(repo)


@pytest.fixture
def forking(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test process runs threads of its own (xdist's): fork as a single-threaded
    session would. Files written a moment ago count as settled (not racily clean), so that a
    second run has nothing new to write."""
    monkeypatch.setattr(cache_writer, "_may_fork", lambda: True)
    monkeypatch.setattr(analysis, "RACY_SECONDS", -5)


def analysed(settings: Settings, directory: Path) -> FactCache:
    directory.mkdir(exist_ok=True)  # as pytest's cache provider makes it
    cache = FactCache(directory, settings)
    run_analysis(settings, cache=cache)
    return cache


def test_the_child_writes_what_writing_in_place_writes(
    settings: Settings, tmp_path: Path, forking: None
) -> None:
    in_place, forked = tmp_path / "in-place", tmp_path / "forked"
    analysed(settings, in_place).save()
    writer = CacheWriter()
    writer.start(analysed(settings, forked))
    writer.finish()
    assert (forked / CACHE_FILE).exists()
    # Same records and judgements: a run on each cache reuses everything, with the same outcome.
    outcomes = []
    for directory in (in_place, forked):
        stats = RunStats()
        outcomes.append(run_analysis(settings, cache=FactCache(directory, settings), stats=stats))
        assert stats.files_read == 0 or stats.extracted == {}
        assert stats.judged == [] and stats.reused == ["no-todo-marker"]
    assert outcomes[0] == outcomes[1]


def test_the_session_goes_on_while_the_child_writes(
    settings: Settings, tmp_path: Path, forking: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`start` returns before the write is done; `finish` waits for it."""
    read, write = os.pipe()
    original = FactCache.save

    def slow_save(self: FactCache, *, complete: bool = True) -> None:
        os.read(read, 1)  # until the parent says so: only after `start` returned
        original(self, complete=complete)

    monkeypatch.setattr(FactCache, "save", slow_save)
    writer = CacheWriter()
    writer.start(analysed(settings, tmp_path / "cache"))
    assert not (tmp_path / "cache" / CACHE_FILE).exists()
    os.write(write, b"x")
    writer.finish()
    assert (tmp_path / "cache" / CACHE_FILE).exists()
    os.close(read)
    os.close(write)


def test_a_write_that_fails_in_the_child_keeps_the_old_cache(
    settings: Settings, tmp_path: Path, forking: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = tmp_path / "cache"
    analysed(settings, directory).save()
    before = (directory / CACHE_FILE).read_bytes()
    (settings.root / "d.py").write_text("d = 1  # TODO-NOW\n")

    def broken(self: FactCache, *, complete: bool = True) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(FactCache, "save", broken)
    writer = CacheWriter()
    writer.start(analysed(settings, directory))
    writer.finish()
    assert (directory / CACHE_FILE).read_bytes() == before


def test_nothing_new_forks_nothing(
    settings: Settings, tmp_path: Path, forking: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = tmp_path / "cache"
    analysed(settings, directory).save()

    def no_fork() -> int:
        raise AssertionError("a warm run has nothing to write")

    monkeypatch.setattr(os, "fork", no_fork)
    writer = CacheWriter()
    writer.start(analysed(settings, directory))
    writer.finish()


def test_without_fork_the_cache_is_written_in_place(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache_writer, "start_method", lambda: "spawn")
    writer = CacheWriter()
    writer.start(analysed(settings, tmp_path / "cache"))
    assert (tmp_path / "cache" / CACHE_FILE).exists()  # before `finish`
    writer.finish()


def test_a_session_ends_with_its_cache_written(settings: Settings, tmp_path: Path) -> None:
    """End to end, in a single-threaded pytest process (as a user's run): the next run finds
    every judgement in the cache."""
    command = [
        sys.executable,
        "-m",
        "pytest",
        "--lessons-only",
        "-p",
        "no:xdist",
        "--rootdir",
        str(settings.root),
        "--lessons-root",
        str(settings.root),
        "-o",
        f"cache_dir={tmp_path / 'pytest-cache'}",
        "--lessons-jobs=1",
        "-q",
        "-rA",
    ]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_XDIST")}
    env["PYTEST_LESSONS_CACHE_KEY"] = "test-key"
    first = subprocess.run(command, cwd=settings.root, env=env, capture_output=True, text=True)
    assert first.returncode == 1, first.stdout + first.stderr  # three findings
    cache_file = tmp_path / "pytest-cache" / "d" / "pytest-lessons" / CACHE_FILE
    assert cache_file.exists()
    second = subprocess.run(command, cwd=settings.root, env=env, capture_output=True, text=True)
    assert second.stdout.count("FAILED") == first.stdout.count("FAILED") == 3
