"""Extraction in worker processes changes nothing but the time: the same outcome (findings and
their order, problems, items, the JSON report) for every number of jobs, cache on or off."""

from __future__ import annotations

import gc
import hashlib
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from pytest_lessons import analysis, extraction_pool
from pytest_lessons.analysis import RunStats, run_analysis
from pytest_lessons.checks.base import Check
from pytest_lessons.extraction_pool import TaskLost
from pytest_lessons.fact_cache import FactCache, Parked, Stored
from pytest_lessons.file_facts import FileExtractor, FileResult, FileTask, gc_paused, shared_groups
from pytest_lessons.outcome import Outcome
from pytest_lessons.report_json import report_document
from pytest_lessons.settings import CommandLine, resolve_settings
from pytest_lessons.spill_files import Spilled
from pytest_lessons.testing import example_trees
from tests.synthetic_monorepo import make_monorepo
from tests.team_lessons import configure, write_marker_lesson


@pytest.fixture(scope="module")
def examples_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every lesson's bad and good trees side by side: one repository where every lesson has
    files to read, findings to make and suppressions to honour."""
    root = tmp_path_factory.mktemp("examples")
    for tree in example_trees():
        shutil.copytree(tree.path, root / tree.lesson / tree.verdict)
    return root


@pytest.fixture(scope="module")
def synthetic_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Many short files (a section of code each): many tasks for little extraction."""
    root = tmp_path_factory.mktemp("monorepo")
    make_monorepo(root, 240, "tiny")
    return root


@pytest.fixture(scope="module")
def synthetic_corpora_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Fewer files, as long as a real repository's (up to six sections of code each)."""
    root = tmp_path_factory.mktemp("monorepo-corpora")
    make_monorepo(root, 100)
    return root


def analyse(root: Path, jobs: int, cache_dir: Path | None = None) -> tuple[Outcome, RunStats]:
    settings = resolve_settings(CommandLine(root=root, jobs=jobs))
    stats = RunStats()
    cache = FactCache(cache_dir, settings) if cache_dir is not None else None
    outcome = run_analysis(settings, cache=cache, stats=stats)
    if cache is not None:
        cache.save()
    return outcome, stats


@pytest.mark.parametrize("repo", ["examples_repo", "synthetic_repo", "synthetic_corpora_repo"])
def test_the_outcome_is_the_same_for_every_number_of_jobs_and_with_the_cache(
    repo: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    root: Path = request.getfixturevalue(repo)
    serial, serial_stats = analyse(root, jobs=1)
    assert serial.findings, "the repository must give the judges something to do"
    assert serial_stats.start_method == "in-process"
    for jobs in (2, 3):
        parallel, stats = analyse(root, jobs=jobs)
        assert stats.jobs == jobs and stats.start_method != "in-process"
        assert parallel == serial, f"jobs={jobs}"
        # every lesson read back what the workers extracted (nothing paid for twice)
        assert not stats.extracted_again, f"jobs={jobs}"
        assert report_document(parallel) == report_document(serial)
    cold, cold_stats = analyse(root, jobs=2, cache_dir=tmp_path)
    warm, warm_stats = analyse(root, jobs=2, cache_dir=tmp_path)
    assert cold == warm == serial
    assert not cold_stats.extracted_again
    assert warm_stats.tasks == 0 and not warm_stats.judged
    assert sorted(warm_stats.reused) == sorted(cold_stats.judged)


@pytest.mark.parametrize("held", [False, True])
@pytest.mark.parametrize("repo", ["examples_repo", "synthetic_corpora_repo"])
def test_a_files_facts_pickle_the_same_for_every_number_of_jobs(
    repo: str,
    request: pytest.FixtureRequest,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    held: bool,
) -> None:
    """The cache keys a lesson's judgement by the digests of its files' pickled facts, so
    equal facts must pickle to equal bytes wherever they were made: one job extracts every
    file in the pytest process, two jobs in workers that each made other files' facts
    before (and may still hold them, to judge them: `held_facts`), and an edit extracts one
    file alone. Facts that differed only in which equal strings were one object made the
    next run judge again for nothing."""
    monkeypatch.setattr(analysis, "_HOLD_MIN_FILES", 1 if held else 10**9)
    root: Path = request.getfixturevalue(repo)
    settings = resolve_settings(CommandLine(root=root, jobs=1))
    digests: list[dict[str, dict[str, bytes]]] = []
    for jobs in (1, 2):
        cache_dir = tmp_path / f"jobs{jobs}"
        cache_dir.mkdir()
        analyse(root, jobs=jobs, cache_dir=cache_dir)
        cache = FactCache(cache_dir, settings)
        try:
            digests.append(
                {
                    path.relative_to(root).as_posix(): cache.facts_digests(
                        path.relative_to(root).as_posix(),
                        hashlib.sha256(path.read_bytes()).hexdigest(),
                        settings.checks,
                    )
                    for path in sorted(root.rglob("*"))
                    if path.is_file()
                }
            )
        finally:
            cache.close()  # the cache file it read
    serial, parallel = digests
    assert sum(len(found) for found in serial.values()) > len(serial) / 2
    assert serial == parallel


@pytest.mark.parametrize("crash", [False, True])
def test_files_surveyed_in_workers_give_the_same_outcome(
    synthetic_repo: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, crash: bool
) -> None:
    """Many files to read: workers read and survey them, a chunk per task, and what is kept is
    decided in file order here, as with one job. A chunk whose worker dies is surveyed here. A
    file read again with its content unchanged asks no prefilter, in a worker too."""
    serial, _ = analyse(synthetic_repo, jobs=1)
    monkeypatch.setattr(analysis, "_SURVEY_IN_WORKERS", 1)
    monkeypatch.setattr(analysis, "_SURVEY_CHUNK", 7)
    events = tmp_path / "events"
    parent = os.getpid()
    surveyed = analysis._surveyed
    victim = sorted(synthetic_repo.rglob("*.py"))[3].relative_to(synthetic_repo).as_posix()

    def logged(read: Any, *args: Any) -> Any:
        if crash and read.rel == victim and os.getpid() != parent:
            os._exit(3)
        _log(events, "survey", read.rel)
        return surveyed(read, *args)

    monkeypatch.setattr(analysis, "_surveyed", logged)
    parallel, stats = analyse(synthetic_repo, jobs=2)
    assert parallel == serial
    assert report_document(parallel) == report_document(serial)
    lines = [line.split() for line in events.read_text().splitlines()]
    rels = [rel for _, _, rel in lines]
    assert len(set(rels)) == stats.files_listed
    by_parent = {rel for pid, _, rel in lines if pid == str(parent)}
    if crash:  # its chunk, surveyed again here
        assert victim in by_parent and len(by_parent) <= 7 and len(rels) - len(set(rels)) < 7
    else:  # each file once, in a worker
        assert not by_parent and len(rels) == len(set(rels))
    cache_dir = tmp_path / "cache"
    cache_dir.mkdir()
    assert analyse(synthetic_repo, jobs=2, cache_dir=cache_dir)[0] == serial
    events.unlink()
    for path in synthetic_repo.rglob("*"):
        os.utime(path)  # a checkout or a touch: read again, the same content
    touched, stats = analyse(synthetic_repo, jobs=2, cache_dir=cache_dir)
    assert touched == serial and stats.stat_hits == 0
    assert not events.exists(), "a prefilter was asked of unchanged content"


def _log(path: Path, *words: str) -> None:
    """One line per event, from whichever process it happens in (judging runs in workers)."""
    with path.open("a") as handle:
        handle.write(" ".join([str(os.getpid()), *words]) + "\n")


def test_each_lesson_unpickles_its_own_facts_just_before_it_judges(
    synthetic_repo: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Workers' facts stay pickled until the lesson they are for judges, and a lesson's facts
    (with those of the lessons it shares a layer with, judged in the same task) are all it
    unpickles. With two jobs the lessons judge in forked workers, so the pytest process
    unpickles no facts at all."""
    serial, _ = analyse(synthetic_repo, jobs=1)
    events = tmp_path / "events"
    load, judge = Parked.load, analysis._judge

    def logged_load(self: Parked, decoded: dict[int, object] | None = None) -> BaseModel | None:
        _log(events, "load", self.lesson)
        return load(self, decoded)

    def logged_judge(check: Check[Any, Any], facts: Mapping[str, BaseModel]) -> Any:
        _log(events, "judge", check.lesson_id)
        return judge(check, facts)

    monkeypatch.setattr(Parked, "load", logged_load)
    monkeypatch.setattr(analysis, "_judge", logged_judge)
    parallel, stats = analyse(synthetic_repo, jobs=2)
    assert parallel == serial
    by_process: dict[str, list[tuple[str, str]]] = {}
    for line in events.read_text().splitlines():
        pid, event, lesson = line.split()
        by_process.setdefault(pid, []).append((event, lesson))
    assert str(os.getpid()) not in by_process, "the pytest process unpickled facts"
    judged = [lesson for log in by_process.values() for event, lesson in log if event == "judge"]
    assert sorted(judged) == sorted(stats.judged) and len(judged) > 1
    # The lessons of a unit (one lesson, or those sharing a layer: `shares_facts`) judge one
    # after the other right after their facts are loaded together, and nothing else is.
    units = shared_groups(
        stats.judged, resolve_settings(CommandLine(root=synthetic_repo)).checks.__getitem__
    )
    assert any(len(unit) > 1 for unit in units), "the repository must hold a shared layer"
    for log in by_process.values():
        blocks: list[tuple[set[str], list[str]]] = []
        for event, lesson in log:
            if event == "load":
                if not blocks or blocks[-1][1]:
                    blocks.append((set(), []))  # a new task's facts
                blocks[-1][0].add(lesson)
            else:
                blocks[-1][1].append(lesson)
        for loaded, judged_here in blocks:
            assert tuple(judged_here) in units, f"{judged_here} judged in one task"
            assert loaded == set(judged_here), f"{judged_here} judged after loading {loaded}"


@pytest.mark.parametrize("jobs", [1, 2])
def test_facts_that_cannot_be_read_back_are_extracted_again(
    synthetic_repo: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, jobs: int
) -> None:
    """A parked blob that does not unpickle (a spill file gone, a cache blob refused) is never
    trusted nor silently dropped: the file is extracted again for that lesson."""
    serial, _ = analyse(synthetic_repo, jobs=1)
    events = tmp_path / "events"
    load = Parked.load

    def flaky(self: Parked, decoded: dict[int, object] | None = None) -> BaseModel | None:
        if isinstance(self.blob, Spilled | Stored) and self.blob.offset % 3 == 0:
            _log(events, "refused", self.lesson)
            return None
        return load(self, decoded)

    monkeypatch.setattr(Parked, "load", flaky)
    if jobs > 1:
        parallel, parallel_stats = analyse(synthetic_repo, jobs=jobs)
        assert events.exists() and parallel == serial
        assert parallel_stats.extracted_again
    cache = tmp_path / "cache"
    cold, _ = analyse(synthetic_repo, jobs=jobs, cache_dir=cache)
    changed = sorted(synthetic_repo.rglob("*.py"))[0]
    original = changed.read_bytes()
    try:
        changed.write_bytes(original + b"\n# one change\n")
        events.unlink(missing_ok=True)
        warm, stats = analyse(synthetic_repo, jobs=jobs, cache_dir=cache)
        assert events.exists() and stats.judged and stats.extracted_again
        assert warm == analyse(synthetic_repo, jobs=1)[0]
    finally:
        changed.write_bytes(original)
    assert cold == serial


@pytest.fixture
def hostile_repo(tmp_path: Path) -> Path:
    """A lesson that crashes natively on SEGV-HERE and spins on SPIN-HERE, and three files."""
    write_marker_lesson(
        tmp_path / "lessons",
        "hostile-fixture",
        """
        if b"SEGV-HERE" in file.data:
            ctypes.string_at(0)
        if b"SPIN-HERE" in file.data:
            while True:
                pass
        file.python_module()
        """,
    )
    root = tmp_path / "repo"
    root.mkdir()
    configure(root, tmp_path / "lessons", "hostile-fixture", "file-time-limit = 1\n")
    (root / "a.py").write_text("a = 1  # TODO-NOW\n")
    (root / "spin.py").write_text("s = 1  # SPIN-HERE TODO-NOW\n")
    (root / "z.py").write_text("z = 1  # TODO-NOW\n")
    return root


def _problems(outcome: Outcome) -> dict[str, tuple[str, str]]:
    return {p.path: (p.kind.value, p.message) for p in outcome.problems}


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_hung_file_is_a_timeout_and_the_run_goes_on(hostile_repo: Path, jobs: int) -> None:
    outcome, stats = analyse(hostile_repo, jobs=jobs)
    assert [(f.path, f.line) for f in outcome.findings] == [("a.py", 1), ("z.py", 1)]
    kind, message = _problems(outcome)["spin.py"]
    assert kind == "timeout"
    assert "longer than 1 s while hostile-fixture was extracting" in message
    assert "file-time-limit" in message
    assert "spin.py" in outcome.files_by_lesson["hostile-fixture"]  # an item shows why
    assert stats.lost == 1


def test_a_native_crash_in_a_worker_costs_that_file_only(hostile_repo: Path) -> None:
    (hostile_repo / "crash.py").write_text("c = 1  # SEGV-HERE TODO-NOW\n")
    outcome, _ = analyse(hostile_repo, jobs=2)
    assert [(f.path, f.line) for f in outcome.findings] == [("a.py", 1), ("z.py", 1)]
    kind, message = _problems(outcome)["crash.py"]
    assert kind == "check-crashed"
    assert "SIGSEGV" in message and "while hostile-fixture was extracting" in message


def test_a_crashed_file_keeps_its_suppressions(hostile_repo: Path, tmp_path: Path) -> None:
    """Its other lessons' findings are still suppressed by its comments (read without the
    parsers, in the parent)."""
    (hostile_repo / "crash.py").write_text(
        "c = 1  # SEGV-HERE\n# lessons: ignore[hostile-fixture] -- never mind\n"
    )
    outcome, _ = analyse(hostile_repo, jobs=2)
    assert not any(f.path == "crash.py" for f in outcome.findings if "unused" not in f.message)


def test_facts_a_dead_worker_spilled_before_it_died_are_judged(
    hostile_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Workers write their facts to files of their own before answering: when one dies on a
    file, what it extracted before is read back from its file, not extracted again."""
    (hostile_repo / "spin.py").unlink()
    for n in range(24):  # larger than the crashing file, so extracted before it
        (hostile_repo / f"m{n:02d}.py").write_text(f"m = {n}  # TODO-NOW {'#' * 200}\n")
    (hostile_repo / "crash.py").write_text("c = 1  # SEGV-HERE TODO-NOW\n")
    read: list[tuple[str, bool]] = []
    load = Parked.load

    def logged(self: Parked, decoded: dict[int, object] | None = None) -> BaseModel | None:
        facts = load(self, decoded)
        assert isinstance(self.blob, Spilled)
        read.append((self.blob.file, facts is not None))
        return facts

    monkeypatch.setattr(Parked, "load", logged)
    outcome, stats = analyse(hostile_repo, jobs=2)
    assert stats.lost == 1 and _problems(outcome)["crash.py"][0] == "check-crashed"
    assert len({f.path for f in outcome.findings}) == 26  # every other file
    assert len(read) == 26 and all(ok for _, ok in read), "facts extracted again"
    assert len({file for file, _ in read}) >= 2  # the dead worker's among them


def _spill_places(place: Path) -> list[str]:
    return sorted(path.name for path in place.iterdir() if path.name.startswith(".spill"))


@pytest.mark.parametrize("held", [False, True])
@pytest.mark.parametrize("cache", [False, True])
def test_workers_spill_their_facts_and_no_spill_file_outlives_the_run(
    synthetic_repo: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, cache: bool, held: bool
) -> None:
    """The parent gets where each blob is, never its bytes; the workers' directory is gone
    once extraction ends (judging reads the files it opened), or, where extraction workers
    judge what they held, once they are done reading each other's files by name; nothing is
    left after."""
    monkeypatch.setattr(analysis, "_HOLD_MIN_FILES", 1 if held else 10**9)
    serial, _ = analyse(synthetic_repo, jobs=1)
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    cache_dir = tmp_path / "cache" if cache else None
    if cache_dir is not None:
        cache_dir.mkdir()
    place = cache_dir if cache_dir is not None else temporary
    received, judge_lessons = analysis._received, analysis._judge_lessons
    sent: list[object] = []
    during_judging: list[list[str]] = []

    def receiving(task: Any, index: int, result: Any, *args: Any) -> None:
        if not isinstance(result, TaskLost):
            sent.extend(result.blobs.values())
        received(task, index, result, *args)

    def judging(*args: Any, **kwargs: Any) -> Any:
        during_judging.append(_spill_places(place))
        return judge_lessons(*args, **kwargs)

    monkeypatch.setattr(analysis, "_received", receiving)
    monkeypatch.setattr(analysis, "_judge_lessons", judging)
    outcome, stats = analyse(synthetic_repo, jobs=2, cache_dir=cache_dir)
    assert outcome == serial and bool(stats.judged_held) is held
    assert sent and all(isinstance(blob, Spilled) and blob.file for blob in sent)
    assert all((blob.digest is not None) == cache for blob in sent)  # type: ignore[attr-defined]
    assert [len(places) for places in during_judging] == [1 if held else 0]
    assert _spill_places(place) == [] and list(temporary.iterdir()) == []
    if cache_dir is not None:
        assert analyse(synthetic_repo, jobs=2, cache_dir=cache_dir)[0] == serial


@pytest.mark.parametrize("stop", [KeyboardInterrupt, RuntimeError])
def test_spill_files_are_removed_when_extraction_stops_early(
    synthetic_repo: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, stop: type
) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    received = analysis._received
    count = [0]

    def stopping(*args: Any) -> None:
        count[0] += 1
        if count[0] == 20:
            raise stop("stopped")
        received(*args)

    monkeypatch.setattr(analysis, "_received", stopping)
    with pytest.raises(stop):
        analyse(synthetic_repo, jobs=2)
    assert count[0] == 20 and list(temporary.iterdir()) == []
    cache_dir = tmp_path / "cache"
    cache_dir.mkdir()
    count[0] = 0
    with pytest.raises(stop):
        analyse(synthetic_repo, jobs=2, cache_dir=cache_dir)
    assert count[0] == 20 and _spill_places(cache_dir) == []


@pytest.mark.parametrize("refused", ["mkdtemp", "mkstemp"])
def test_workers_that_cannot_spill_send_their_facts(
    synthetic_repo: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, refused: str
) -> None:
    """No directory for the workers' files (the parent's), or no file in it (a worker's): the
    pickles come back the old way, and the outcome is the same."""
    serial, _ = analyse(synthetic_repo, jobs=1)

    def refusing(*args: object, **kwargs: object) -> None:
        raise PermissionError("read-only directory")

    monkeypatch.setattr(tempfile, refused, refusing)
    received = analysis._received
    sent: list[object] = []

    def receiving(task: Any, index: int, result: Any, *args: Any) -> None:
        if not isinstance(result, TaskLost):
            sent.extend(result.blobs.values())
        received(task, index, result, *args)

    monkeypatch.setattr(analysis, "_received", receiving)
    assert analyse(synthetic_repo, jobs=2)[0] == serial
    assert sent and all(isinstance(blob, bytes) for blob in sent)
    assert analyse(synthetic_repo, jobs=2, cache_dir=tmp_path / "cache")[0] == serial


@pytest.mark.parametrize("method", ["forkserver", "spawn"])
def test_workers_started_without_fork_rebuild_the_checks(
    method: str, hostile_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """macOS and Windows cannot fork: their workers unpickle the checks, a team's own included
    (found again by their module names), and the built-in ones with their per-half facts."""
    import multiprocessing

    if method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"{method} is not available here")
    (hostile_repo / "spin.py").unlink()
    (hostile_repo / "routes.py").write_text(
        "from fastapi import APIRouter\nrouter = APIRouter()\n\n"
        "@router.post('/internal/run')\ndef run() -> None:\n    pass\n"
    )
    pyproject = hostile_repo / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text().replace(
            'select = ["hostile-fixture"]', 'select = ["hostile-fixture", "worker-route-auth"]'
        )
    )
    forked, _ = analyse(hostile_repo, jobs=2)
    monkeypatch.setenv("PYTEST_LESSONS_START_METHOD", method)
    started, stats = analyse(hostile_repo, jobs=2)
    assert stats.start_method == method and stats.fallback is None
    assert started == forked
    assert {f.lesson for f in started.findings} == {"hostile-fixture", "worker-route-auth"}


SHARING = ("single-emission-source", "telemetry-isolation", "worker-failure-event")
ROUTES = ("url-id-lookup", "worker-route-auth")


def _sharing_classes() -> list[type[Check[Any, Any]]]:
    checks = resolve_settings(CommandLine(root=Path("."))).checks
    return [type(checks[lesson_id]) for lesson_id in SHARING]


def test_shared_groups_keep_the_order_and_gather_at_the_first() -> None:
    checks = resolve_settings(CommandLine(root=Path("."))).checks
    order = [ROUTES[0], SHARING[1], "pagination-tiebreaker", ROUTES[1], SHARING[0], SHARING[2]]
    assert shared_groups(order, checks.__getitem__) == [
        ROUTES,
        (SHARING[1], SHARING[0], SHARING[2]),
        ("pagination-tiebreaker",),
    ]


@pytest.fixture(scope="module")
def examples_serial(examples_repo: Path) -> Outcome:
    return analyse(examples_repo, jobs=1)[0]


def test_lessons_sharing_a_layer_judge_as_each_would_alone(
    examples_repo: Path, examples_serial: Outcome, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Differential: facts pickled, unpickled and judged together (one `JsProject` for the
    three, its answers memoised across them) give what each lesson alone gives, cache on or
    off."""
    together, stats = analyse(examples_repo, jobs=2, cache_dir=tmp_path)
    assert {f.lesson for f in together.findings} == {f.lesson for f in examples_serial.findings}
    assert set(SHARING) <= set(stats.judged) and together == examples_serial
    checks = resolve_settings(CommandLine(root=examples_repo)).checks
    assert {f.lesson for f in together.findings} >= {*SHARING[:2], *ROUTES}
    for lesson_id in (*SHARING, *ROUTES):
        monkeypatch.setattr(type(checks[lesson_id]), "shares_facts", "")
    alone, _ = analyse(examples_repo, jobs=2)
    assert alone == together
    assert report_document(alone) == report_document(together)


@pytest.mark.parametrize(
    ("jobs", "how", "held"), [(1, "raises", False), (2, "dies", False), (2, "dies", True)]
)
def test_a_crash_in_one_lesson_of_a_shared_task_is_that_lessons_own(
    examples_repo: Path,
    examples_serial: Outcome,
    monkeypatch: pytest.MonkeyPatch,
    jobs: int,
    how: str,
    held: bool,
) -> None:
    """The others of its task still judge, with the findings they give when nothing crashes;
    a judge that takes its worker down is found out by judging the task's lessons one each.
    So too when it is the extraction worker holding the unit's facts that it takes down: the
    unit is judged again the usual way, its held files extracted again."""
    serial = examples_serial
    broken = _sharing_classes()[1]
    monkeypatch.setattr(analysis, "_HOLD_MIN_FILES", 1 if held else 10**9)

    def crashing(self: Check[Any, Any], facts: Any) -> Any:
        if how == "dies":
            os._exit(3)
        raise RuntimeError("judge bug")

    monkeypatch.setattr(broken, "judge", crashing)
    outcome, stats = analyse(examples_repo, jobs=jobs)
    lesson = SHARING[1]
    crashed = [p for p in outcome.problems if p.kind.value == "check-crashed"]
    assert [(p.path, p.lesson) for p in crashed] == [(".", lesson)]
    assert ("judge bug" if how == "raises" else "judging crashed") in crashed[0].message
    kept = [f for f in serial.findings if f.lesson != lesson]
    assert {f.lesson for f in kept} & {SHARING[0], SHARING[2]}, "nothing to compare"
    assert [f for f in outcome.findings if f.lesson != lesson] == kept
    assert set(SHARING) <= set(stats.judged)
    if held:
        assert not set(SHARING) & set(stats.judged_held), "its holder died: judged again"
        assert set(ROUTES) <= set(stats.judged_held)
        assert set(stats.extracted_again) == set(SHARING) - {lesson}


def test_files_read_again_with_their_content_unchanged_build_no_check(
    synthetic_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a checkout (or a restored cache: new inodes, same content) every file is read
    again, in survey workers; no prefilter is asked of an unchanged file, so no check is built
    before forking them, and none after: every judgement is reused."""
    monkeypatch.setattr(analysis, "_SURVEY_IN_WORKERS", 10)
    root = tmp_path / "repo"
    shutil.copytree(synthetic_repo, root)
    cache_dir = tmp_path / "cache"
    cache_dir.mkdir()
    primed, _ = analyse(root, jobs=2, cache_dir=cache_dir)
    for path in root.rglob("*"):
        if path.is_file():
            os.utime(path)  # a new stat signature, the same content
    settings = resolve_settings(CommandLine(root=root, jobs=2))
    stats = RunStats()
    again = run_analysis(settings, cache=FactCache(cache_dir, settings), stats=stats)
    assert stats.files_read == stats.files_listed and stats.stat_hits == 0
    assert settings.checks.built() == []  # type: ignore[attr-defined]
    assert stats.judged == [] and not stats.judged_ahead
    assert again == primed


def test_facts_loaded_with_the_collector_paused_are_frozen_before_it_runs_again() -> None:
    """Frozen only after the collector is back on, the first allocation would find every
    object just loaded in its youngest generation and trace them all: freezing comes first."""
    collections: list[str] = []

    def record(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collections.append(phase)

    enabled = gc.isenabled()
    gc.enable()
    gc.callbacks.append(record)
    try:
        with gc_paused(freeze=True):
            loaded = [[number] for number in range(50_000)]  # far over the threshold
        after = [[number] for number in range(100)]  # allocations just after: no collection
        assert collections == []
        assert gc.get_freeze_count() >= len(loaded)
        assert gc.isenabled() and after
    finally:
        gc.callbacks.remove(record)
        gc.unfreeze()
        if not enabled:
            gc.disable()


@pytest.mark.parametrize("cache", [False, True])
@pytest.mark.parametrize("jobs", [2, 3])
def test_extraction_workers_judge_the_units_whose_facts_they_hold(
    synthetic_repo: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, jobs: int, cache: bool
) -> None:
    """The largest units, one per worker, are judged by the extraction worker that kept their
    facts: the same outcome, nothing extracted twice; without a cache, the facts it held were
    never pickled, and with one they were (the next run reads them from it)."""
    serial, _ = analyse(synthetic_repo, jobs=1)
    held: list[tuple[int, tuple[str, ...], set[str]]] = []  # slot, lessons held, blobs
    received = analysis._received

    def receiving(task: Any, index: int, result: Any, *args: Any) -> None:
        if isinstance(result, FileResult) and result.held:
            held.append((result.held_slot, result.held, set(result.blobs)))
        received(task, index, result, *args)

    monkeypatch.setattr(analysis, "_received", receiving)
    outcome, stats = analyse(synthetic_repo, jobs=jobs, cache_dir=tmp_path if cache else None)
    assert outcome == serial and not stats.extracted_again
    assert set(SHARING) | set(ROUTES) <= set(stats.judged_held)
    assert {slot for slot, _, _ in held} == set(range(jobs))
    for _, lessons, blobs in held:
        assert all((lesson_id in blobs) is cache for lesson_id in lessons)
    if cache:
        warm, warm_stats = analyse(synthetic_repo, jobs=jobs, cache_dir=tmp_path)
        assert warm == serial and warm_stats.tasks == 0 and not warm_stats.extracted_again


def test_files_a_dead_worker_held_are_extracted_again_by_the_worker_after_it(
    synthetic_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker holding facts dies on one file: that file is its crash alone, and the facts
    it held of the files before are extracted again by the worker started in its slot, which
    judges the unit as if nothing had happened."""
    # half-way through (largest files first): the worker has held files before it, and files
    # are left for the worker started in its place (with none left, none is started, and the
    # unit is judged the usual way: right too, but not what this test is about)
    code = sorted(
        (path for path in synthetic_repo.rglob("*") if path.suffix in (".py", ".ts", ".tsx")),
        key=lambda path: (path.stat().st_size, path.as_posix()),
    )
    victim = code[len(code) // 2]
    victim_rel = victim.relative_to(synthetic_repo).as_posix()
    extract = FileExtractor.__call__

    def dying(self: FileExtractor, task: FileTask, step: Any) -> FileResult:
        if task.candidate.rel == victim_rel and extraction_pool.worker_slot() is not None:
            os._exit(9)
        return extract(self, task, step)

    monkeypatch.setattr(FileExtractor, "__call__", dying)
    monkeypatch.setattr(analysis, "_HOLD_MIN_FILES", 10**9)
    usual, usual_stats = analyse(synthetic_repo, jobs=2)
    assert not usual_stats.judged_held
    monkeypatch.setattr(analysis, "_HOLD_MIN_FILES", 1)
    outcome, stats = analyse(synthetic_repo, jobs=2)
    assert [(p.path, p.kind.value) for p in outcome.problems if p.path == victim_rel]
    assert outcome == usual
    assert stats.extracted_again and set(stats.judged_held) >= set(ROUTES) | set(SHARING)
