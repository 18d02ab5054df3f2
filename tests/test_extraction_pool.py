"""The extraction pool: every task answered once, and a crash or a hang costs one task."""

from __future__ import annotations

import ctypes
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pytest_lessons import extraction_pool
from pytest_lessons.extraction_pool import TaskLost, available_cpus, run_tasks, start_method
from pytest_lessons.spill_files import Spilled, SpillTarget, SpillWriter, WorkerFiles, blob_digest

Task = tuple[str, int]


class Hostile:
    """Answers `value * 2`, unless the task says to crash, exit, hang, spin or raise."""

    def __call__(self, task: Task, step: Callable[[int], None]) -> int:
        kind, value = task
        step(0)
        if kind != "ok":
            step(1)
        if kind == "segv":
            ctypes.string_at(0)  # a native crash, as a parser stack overflow would be
        elif kind == "exit":
            os._exit(3)
        elif kind == "hang":
            time.sleep(120)
        elif kind == "spin":
            while True:
                pass
        elif kind == "raise":
            raise ValueError("boom")
        elif kind == "unpicklable":
            return lambda: value  # type: ignore[return-value]
        elif kind == "deep":
            import libcst

            # No gate in front: libcst's native parser overflows an 8 MiB stack on this.
            libcst.parse_module("x = " + "(" * 2500 + "1" + ")" * 2500 + "\n")
        return value * 2


def run(tasks: list[Task], jobs: int, time_limit: float = 30.0, **kwargs: object) -> dict:  # type: ignore[type-arg]
    answers = list(run_tasks(tasks, Hostile(), jobs=jobs, time_limit=time_limit, **kwargs))  # type: ignore[arg-type]
    indices = [index for index, _ in answers]
    assert sorted(indices) == list(range(len(tasks))), "every task answered exactly once"
    return dict(answers)


@pytest.mark.parametrize("jobs", [1, 2, 3])
def test_every_task_is_answered_once(jobs: int) -> None:
    tasks = [("ok", n) for n in range(200)]
    assert run(tasks, jobs) == {n: n * 2 for n in range(200)}


@pytest.mark.parametrize("kind", ["segv", "exit"])
def test_a_dead_worker_costs_its_task_only(kind: str) -> None:
    tasks = [("ok", n) for n in range(60)]
    tasks[7] = (kind, 7)
    tasks[41] = (kind, 41)
    answers = run(tasks, jobs=2)
    for index in (7, 41):
        lost = answers.pop(index)
        assert isinstance(lost, TaskLost) and lost.reason == "crashed" and lost.step == 1
        expected = "SIGSEGV" if kind == "segv" else "exited with code 3"
        assert expected in lost.detail
    assert answers == {n: n * 2 for n in range(60) if n not in (7, 41)}


class Spilling:
    """Writes each task's payload to the worker's own spill file, then answers where it is and
    which process wrote it; an "exit" task notes its process and dies."""

    def __init__(self, target: SpillTarget, deaths: Path) -> None:
        self._writer = SpillWriter(target)
        self._deaths = deaths

    def __call__(self, task: Task, step: Callable[[int], None]) -> tuple[int, Spilled | None]:
        kind, value = task
        if kind == "exit":
            (self._deaths / str(os.getpid())).touch()
            os._exit(3)
        return os.getpid(), self._writer.write(_payload(value))


def _payload(value: int) -> bytes:
    return f"facts of task {value};".encode() * (value + 1)


def test_what_a_worker_spilled_before_it_died_stays_readable(tmp_path: Path) -> None:
    """A blob is written before the answer naming it is sent: a worker that dies later loses
    the task it was on, not what it answered. Its file goes with the directory once the pool
    is done; the parent reads what it adopted from the open files."""
    deaths = tmp_path / "deaths"
    deaths.mkdir()
    place = tmp_path / "spill"
    place.mkdir()
    files = WorkerFiles(place)
    target = files.target(b"secret")
    assert target is not None
    tasks = [("ok", n) for n in range(60)]
    tasks[30] = ("exit", 30)
    answers = dict(run_tasks(tasks, Spilling(target, deaths), jobs=2, time_limit=30.0))  # type: ignore[arg-type]
    lost = answers.pop(30)
    assert isinstance(lost, TaskLost) and lost.reason == "crashed"
    (died,) = (int(path.name) for path in deaths.iterdir())
    file_of: dict[int, set[str]] = {}
    for pid, spilled in answers.values():
        assert isinstance(spilled, Spilled) and spilled.file
        files.adopt(spilled)
        file_of.setdefault(pid, set()).add(spilled.file)
    assert died in file_of, "the worker that died had answered tasks before"
    assert all(len(names) == 1 for names in file_of.values()), "one file per worker"
    assert len(set().union(*file_of.values())) == len(file_of) >= 2
    files.writing_done()
    assert list(place.iterdir()) == []  # the names are gone; the adopted files are open
    for index, (_, spilled) in answers.items():
        data = files.read(spilled)
        assert data == _payload(index)
        assert spilled.digest == blob_digest(b"secret", data)
    files.close()
    with pytest.raises(OSError, match="is not open"):
        files.read(answers[0][1])  # type: ignore[arg-type]


def test_a_hung_task_times_out_and_the_rest_finish() -> None:
    tasks = [("ok", n) for n in range(30)]
    tasks[3] = ("hang", 3)
    started = time.monotonic()
    answers = run(tasks, jobs=2, time_limit=1.0)
    assert time.monotonic() - started < 20
    lost = answers.pop(3)
    assert isinstance(lost, TaskLost) and lost.reason == "timeout" and lost.step == 1
    assert "longer than 1 s" in lost.detail
    assert answers == {n: n * 2 for n in range(30) if n != 3}


def test_in_process_a_spinning_task_times_out_and_the_rest_finish() -> None:
    tasks = [("ok", 0), ("spin", 1), ("ok", 2), ("ok", 3)]
    answers = run(tasks, jobs=1, time_limit=0.5)
    lost = answers.pop(1)
    assert isinstance(lost, TaskLost) and lost.reason == "timeout" and lost.step == 1
    assert answers == {0: 0, 2: 4, 3: 6}


@pytest.mark.parametrize("jobs", [1, 2])
def test_tasks_run_on_a_stack_deep_enough_for_native_parsers(jobs: int) -> None:
    """On the main thread's 8 MiB stack this parse is a segfault; on the task thread, it works."""
    answers = run([("deep", 1), ("ok", 2)], jobs=jobs, time_limit=120)
    assert answers == {0: 2, 1: 4}


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_job_that_raises_is_a_crash_of_its_task(jobs: int) -> None:
    answers = run([("ok", 0), ("raise", 1), ("ok", 2)], jobs=jobs)
    lost = answers[1]
    assert isinstance(lost, TaskLost) and lost.reason == "crashed"
    assert "ValueError: boom" in lost.detail
    assert answers[0] == 0 and answers[2] == 4


def test_answers_leave_a_worker_together_yet_each_stands_alone(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A worker sends its answers in one message per batch (the parent wakes once for them);
    one that cannot be pickled is its task's problem only, not its batch-mates'."""
    send = extraction_pool._send_answers

    def counted(connection: Any, answers: list[tuple[int, Any]]) -> bool:
        with open(log, "a") as handle:
            handle.write(f"{len(answers)}\n")
        return send(connection, answers)

    log = tmp_path / "messages"
    monkeypatch.setattr(extraction_pool, "_ANSWER_DELAY", 60.0)
    monkeypatch.setattr(extraction_pool, "_send_answers", counted)
    tasks: list[Task] = [("ok", n) for n in range(200)]
    tasks[50] = ("unpicklable", 50)
    answers = run(tasks, jobs=2)
    lost = answers.pop(50)
    assert isinstance(lost, TaskLost) and lost.reason == "crashed"
    assert "cannot be sent back" in lost.detail
    assert answers == {n: n * 2 for n in range(200) if n != 50}
    messages = [int(line) for line in log.read_text().split()]
    assert sum(messages) == 200 and len(messages) < 200 / 4


@pytest.mark.parametrize("method", ["fork", "forkserver", "spawn"])
def test_every_start_method_isolates(method: str) -> None:
    import multiprocessing

    if method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"{method} is not available here")
    tasks = [("ok", n) for n in range(20)]
    tasks[5] = ("segv", 5)
    answers = run(tasks, jobs=2, method=method)
    assert isinstance(answers.pop(5), TaskLost)
    assert answers == {n: n * 2 for n in range(20) if n != 5}


class Unpicklable(Hostile):
    def __init__(self) -> None:
        self.hook = lambda: None  # a lambda cannot be pickled for a spawned worker


def test_workers_that_cannot_start_fall_back_to_this_process() -> None:
    reasons: list[str] = []
    tasks = [("ok", n) for n in range(10)]
    answers = dict(
        run_tasks(
            tasks, Unpicklable(), jobs=2, time_limit=30, method="spawn", on_fallback=reasons.append
        )
    )
    assert answers == {n: n * 2 for n in range(10)}
    assert reasons and "cannot start a worker process" in reasons[0]


def test_defaults_describe_this_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    assert available_cpus() >= 1
    if hasattr(os, "sched_getaffinity"):
        assert available_cpus() == len(os.sched_getaffinity(0))
    monkeypatch.setenv("PYTEST_LESSONS_START_METHOD", "spawn")
    assert start_method() == "spawn"
    monkeypatch.setenv("PYTEST_LESSONS_START_METHOD", "teleport")
    with pytest.raises(ValueError, match="teleport"):
        start_method()


class SeesThreshold:
    """Answers the collector's first threshold as the task sees it."""

    def __call__(self, task: int, step: Callable[[int], None]) -> int:
        import gc

        return gc.get_threshold()[0]


@pytest.mark.parametrize("jobs", [1, 2])
def test_tasks_run_with_young_collections_spaced_and_the_thresholds_come_back(
    jobs: int,
) -> None:
    import gc

    before = gc.get_threshold()
    answers = dict(run_tasks(list(range(4)), SeesThreshold(), jobs=jobs, time_limit=30.0))
    assert set(answers.values()) == {extraction_pool.EXTRACTION_THRESHOLD}
    assert before[0] < extraction_pool.EXTRACTION_THRESHOLD
    assert gc.get_threshold() == before


def test_an_analysis_spaces_young_collections_while_it_runs_and_restores_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    from pytest_lessons import analysis
    from pytest_lessons.analysis import run_analysis
    from pytest_lessons.settings import CommandLine, resolve_settings

    (tmp_path / "models.py").write_text("class Order:\n    pass\n")
    seen: list[int] = []
    original = analysis._plan

    def spy(*args: Any) -> Any:
        seen.append(gc.get_threshold()[0])
        return original(*args)

    monkeypatch.setattr(analysis, "_plan", spy)
    before = gc.get_threshold()
    run_analysis(resolve_settings(CommandLine(root=tmp_path, jobs=1)))
    assert seen == [extraction_pool.EXTRACTION_THRESHOLD]
    assert gc.get_threshold() == before


_KEPT: list[int] = []
"""What `Keeping` kept, in the process it ran in."""


class Keeping:
    """Remembers the values of the tasks it ran in its process; a `("finale", n)` task answers
    what it kept (and `("finale-exit", n)` takes its worker down)."""

    def __call__(self, task: Task, step: Callable[[int], None]) -> Any:
        kind, value = task
        if kind == "finale":
            return (extraction_pool.worker_slot(), os.getpid(), sorted(_KEPT))
        if kind == "finale-exit":
            os._exit(5)
        _KEPT.append(value)
        return (extraction_pool.worker_slot(), os.getpid())


def test_workers_kept_open_run_a_finale_over_what_they_kept() -> None:
    """Every task is answered as by `run_tasks`; then each slot's worker, the same process,
    still holds the values of exactly the tasks it ran."""
    tasks = [("ok", n) for n in range(60)]
    run = extraction_pool.open_tasks(tasks, Keeping(), jobs=2, time_limit=30.0)
    try:
        answers = dict(run.results())
        assert sorted(answers) == list(range(60))
        ran: dict[int, list[int]] = {}
        pids: dict[int, int] = {}
        for index, (slot, pid) in answers.items():
            ran.setdefault(slot, []).append(index)
            pids[slot] = pid
        assert sorted(ran) == run.slots() == [0, 1]
        assert _KEPT == [], "nothing is kept in this process"
        finale = dict(run.finale(lambda slot: ("finale", 0), time_limit=30.0))
    finally:
        run.close()
    assert finale == {slot: (slot, pids[slot], sorted(ran[slot])) for slot in ran}


def test_a_worker_that_dies_in_the_finale_loses_its_task_only() -> None:
    tasks = [("ok", n) for n in range(20)]
    run = extraction_pool.open_tasks(tasks, Keeping(), jobs=2, time_limit=30.0)
    try:
        assert len(dict(run.results())) == 20
        finale = dict(
            run.finale(lambda slot: ("finale-exit" if slot == 0 else "finale", 0), time_limit=30.0)
        )
    finally:
        run.close()
    assert isinstance(finale[0], TaskLost) and finale[0].reason == "crashed"
    assert "exited with code 5" in finale[0].detail
    assert finale[1][0] == 1


def test_a_slot_given_no_finale_is_not_answered_and_close_stops_every_worker() -> None:
    tasks = [("ok", n) for n in range(20)]
    run = extraction_pool.open_tasks(tasks, Keeping(), jobs=2, time_limit=30.0)
    pids = {pid for _, (_, pid) in run.results()}
    given = dict(run.finale(lambda slot: ("finale", 0) if slot == 1 else None, time_limit=30.0))
    assert given.keys() == {1}
    run.close()
    for pid in pids:  # reaped: no such process any more
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_closing_before_the_finale_stops_the_workers() -> None:
    tasks = [("ok", n) for n in range(20)]
    run = extraction_pool.open_tasks(tasks, Keeping(), jobs=2, time_limit=30.0)
    pids = {pid for _, (_, pid) in run.results()}
    run.close()
    assert run.slots() == []
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_in_process_tasks_have_no_finale() -> None:
    run = extraction_pool.open_tasks([("ok", 1), ("ok", 2)], Hostile(), jobs=1, time_limit=30.0)
    assert dict(run.results()) == {0: 2, 1: 4}
    assert run.slots() == [] and list(run.finale(lambda slot: ("ok", 3), time_limit=30.0)) == []
    run.close()


def test_an_isolated_single_task_runs_in_a_worker() -> None:
    answers = dict(run_tasks([("exit", 0)], Hostile(), jobs=2, time_limit=30.0, isolated=True))
    assert isinstance(answers[0], TaskLost) and answers[0].reason == "crashed"
