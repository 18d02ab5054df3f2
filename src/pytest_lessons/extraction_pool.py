"""Run per-file work where a crash or a hang costs that file, never the run.

Extraction parses code the plugin did not write, with native parsers (libcst's, tree-sitter's):
a file nested deep enough overflows their stack, a quadratic input takes minutes. So each task
runs with a time limit, and with more than one job in worker processes of our own:

- a worker that dies (a segfault, the OOM killer) loses the task it was running, which is
  reported as `crashed`, with the step it had reached; the tasks queued behind it go to a fresh
  worker. `concurrent.futures.ProcessPoolExecutor` cannot do this: one dead worker breaks the
  whole executor and every pending future with it.
- a task that overruns its time limit gets its worker killed and is reported as `timeout`.
- tasks travel in small batches (a per-task round trip costs ~0.1 ms; a library pool that times
  each task alone pays it per file), yet every task has its own deadline: workers publish which
  task and which step they are on in shared memory, so no message is needed to start a clock.
  Answers go back together too, one message per batch (or per 20 ms): each message woke the
  parent, whose wake-ups took CPU the workers need. An answer held back when its worker dies
  is not lost: its task is run again by another worker (only the running task is blamed).
- workers are forked from the main thread (on Linux; macOS and Windows use forkserver and
  spawn), ignore Ctrl-C (the parent handles it and kills them), and run the work on a thread with
  a large stack, so deep recursion in a parser ends as a `RecursionError`, not a segfault.

With one job nothing is forked: tasks run on one such big-stack thread of this process, and the
time limit interrupts Python code (not a native call) by raising into that thread. That guards
against deep nesting and slow Python, not against a crash inside a native parser: only a worker
process can, which is why a run with more than one CPU uses them.
"""

from __future__ import annotations

import ctypes
import faulthandler
import gc
import multiprocessing
import multiprocessing.connection
import os
import pickle
import signal
import sys
import threading
import time
import warnings
from collections import deque
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.context import BaseContext
from multiprocessing.process import BaseProcess
from typing import Any, Generic, Literal, Protocol, TypeVar

TaskT = TypeVar("TaskT")
ResultT = TypeVar("ResultT")
TaskT_contra = TypeVar("TaskT_contra", contravariant=True)
ResultT_co = TypeVar("ResultT_co", covariant=True)

WORKER_STACK = 512 * 1024 * 1024
"""Stack of the thread that runs tasks. Only touched pages are committed, so this costs address
space, not memory; 8 MiB (the main thread's usual size) is what a 5,000-deep parenthesis in a
Python file overflows inside libcst's native parser."""

START_METHOD_ENV = "PYTEST_LESSONS_START_METHOD"
"""Diagnostics and benchmarks: force `fork`, `forkserver` or `spawn`."""

_MAX_BATCH = 16
_IDLE_POLL = 1.0
_STARTUP_FAILURES = 3
_LANDING_WAIT = 0.2
_ANSWER_POLL = 0.05
_ANSWER_DELAY = 0.02
"""A worker holds its answers back at most this long (or to the end of its batch): each
message woke the parent, which spent ~100 us of the CPU the workers need per wake-up."""


class Job(Protocol[TaskT_contra, ResultT_co]):
    """The work: one task in, one result out. `step(n)` says which step it is on (a lesson's
    index), so a task that dies or overruns can be blamed on the step that was running."""

    def __call__(self, task: TaskT_contra, step: Callable[[int], None]) -> ResultT_co: ...


@dataclass(frozen=True)
class TaskLost:
    """A task that produced no result: its worker died, or it overran its time limit."""

    reason: Literal["crashed", "timeout"]
    step: int
    """The step that was running (-1: before the first)."""
    detail: str


class _PoolBroken(Exception):
    """Worker processes cannot be started or keep dying before their first task."""


class JobRaised(Exception):
    """The job itself raised (it is expected to catch its own errors); carries the text."""


def available_cpus() -> int:
    """The CPUs this process may run on (its affinity mask, where the OS has one)."""
    affinity = getattr(os, "sched_getaffinity", None)
    if affinity is not None:
        try:
            return max(1, len(affinity(0)))
        except OSError:  # pragma: no cover - no permission to ask
            pass
    return max(1, os.cpu_count() or 1)


def start_method() -> str:
    """fork where it is safe (Linux and the BSDs), else forkserver, else spawn.

    macOS may crash in a forked child of a process that used system frameworks; Windows has
    only spawn. Forking copies the parent's loaded checks for free; the other two methods send
    the job to each worker by pickle.
    """
    forced = os.environ.get(START_METHOD_ENV)
    methods = multiprocessing.get_all_start_methods()
    if forced:
        if forced not in methods:
            raise ValueError(f"{START_METHOD_ENV}={forced!r}: this platform offers {methods}")
        return forced
    if "fork" in methods and sys.platform != "darwin":
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


def run_tasks(
    tasks: Sequence[TaskT],
    job: Job[TaskT, ResultT],
    *,
    jobs: int,
    time_limit: float,
    method: str | None = None,
    on_fallback: Callable[[str], None] | None = None,
    read_ahead: bool = True,
    isolated: bool = False,
) -> Generator[tuple[int, ResultT | TaskLost], None, None]:
    """Yield `(index, result)` for every task, in completion order (callers sort by index).

    With `jobs` > 1 (and more than one task) in worker processes, else on a guarded thread of
    this process. Each result is the job's, or a `TaskLost`. Closing the iterator early (or a
    KeyboardInterrupt while it waits) stops the workers. When worker processes cannot be
    started, the tasks left run in-process and `on_fallback` is told why.

    `read_ahead=False` hands a worker its next task only when it is idle: for a few long tasks
    of uneven length, sorted longest first, where a task queued behind a long one would wait
    while another worker has nothing to do (many short tasks want the read-ahead instead).
    `isolated` runs even a single task in a worker process (with `jobs` > 1): it is known to
    have taken a process down once.
    """
    if not tasks:
        return _nothing()
    if jobs > 1 and (len(tasks) > 1 or isolated):
        pool = _ProcessPool(
            tasks, job, min(jobs, len(tasks)), time_limit, method, on_fallback, read_ahead
        )
        return pool.results()
    return _ThreadRunner(tasks, job, time_limit).results()


def open_tasks(
    tasks: Sequence[TaskT],
    job: Job[TaskT, ResultT],
    *,
    jobs: int,
    time_limit: float,
    method: str | None = None,
    on_fallback: Callable[[str], None] | None = None,
) -> TaskRun[TaskT, ResultT]:
    """`run_tasks`, but the worker processes stay up after the last answer, each for one more
    task that only it can run (`TaskRun.finale`): what it kept in memory from the tasks it ran
    is still there. `TaskRun.close()` stops them."""
    if jobs > 1 and len(tasks) > 1:
        pool = _ProcessPool(
            tasks, job, min(jobs, len(tasks)), time_limit, method, on_fallback, keep_open=True
        )
        return TaskRun(pool.results(), pool)
    return TaskRun(run_tasks(tasks, job, jobs=1, time_limit=time_limit), None)


class TaskRun(Generic[TaskT, ResultT]):
    """The answers of `open_tasks`, then a last task per worker process, then the end."""

    def __init__(
        self,
        answers: Generator[tuple[int, ResultT | TaskLost], None, None],
        pool: _ProcessPool[TaskT, ResultT] | None,
    ) -> None:
        self._answers = answers
        self._pool = pool

    def results(self) -> Generator[tuple[int, ResultT | TaskLost], None, None]:
        """`(index, result)` for every task, in completion order, as `run_tasks` gives them."""
        return self._answers

    def slots(self) -> list[int]:
        """The slots of the worker processes up now (none: the tasks ran in this process)."""
        return self._pool.slots() if self._pool is not None else []

    def finale(
        self, task_for: Callable[[int], TaskT | None], time_limit: float
    ) -> Iterator[tuple[int, ResultT | TaskLost]]:
        """Once every answer is in: send the worker in each slot `task_for(slot)` (None:
        nothing), at once, and give `(slot, result)` as they end. Each task is made just
        before it is sent and let go after, so that only one is held at a time (they may be
        large). A worker that dies loses its task (`TaskLost`); nothing is run again, and a
        slot with no worker up is not answered (the caller does that work itself). The
        workers stop when the answers are all in."""
        if self._pool is None:
            return iter(())
        return self._pool.finale(task_for, time_limit)

    def close(self) -> None:
        """Stop every worker still up (an unfinished `results` or `finale` included)."""
        self._answers.close()
        if self._pool is not None:
            self._pool.stop()


def _nothing() -> Generator[tuple[int, Any], None, None]:
    yield from ()


# --- worker processes ---------------------------------------------------------------------


class _Progress:
    """Per worker slot: the task it is on, its step, and since when (shared memory, no locks).

    Writes are single aligned 8-byte stores, so a reader sees old or new values, never a mix;
    the reader re-reads the task after the start time to tell a task switch mid-read.
    """

    def __init__(self, context: BaseContext, slots: int) -> None:
        self.tasks: Any = context.RawArray("q", [-1] * slots)
        self.steps: Any = context.RawArray("q", [-1] * slots)
        self.since: Any = context.RawArray("d", [0.0] * slots)

    def start(self, slot: int, task: int) -> None:
        self.steps[slot] = -1
        self.since[slot] = time.monotonic()
        self.tasks[slot] = task

    def idle(self, slot: int) -> None:
        self.tasks[slot] = -1

    def read(self, slot: int) -> tuple[int, int, float]:
        while True:
            task = self.tasks[slot]
            since = self.since[slot]
            step = self.steps[slot]
            if self.tasks[slot] == task:
                return task, step, since


def _worker_main(
    job: Job[Any, Any],
    connection: multiprocessing.connection.Connection,
    progress: _Progress,
    slot: int,
) -> None:
    run_as_worker(lambda: _serve(job, connection, progress, slot))


def run_as_worker(body: Callable[[], None]) -> None:
    """The body of a forked worker process (this pool's, `judging_ahead`'s): the parent handles
    Ctrl-C (and kills workers), so SIGINT is ignored; a native crash is reported by the parent
    with the file and lesson, so the traceback dump pytest's faulthandler would print is turned
    off; and `body` runs on a thread with a large stack."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    faulthandler.disable()
    # What the worker inherited lives as long as it does: out of the collector's way (and its
    # pages stay shared with the parent instead of being written by every collection).
    gc.freeze()
    with collector_spaced():
        _on_big_stack(body)


@contextmanager
def collector_spaced() -> Iterator[None]:
    """Extraction allocates a parse tree per file (hundreds of thousands of nodes in a large
    module) that lives until the file's facts are made and is then freed by reference counting:
    no cycle. With the default thresholds the collector runs every 700 allocations, promotes
    the tree being read to the oldest generation and then rescans that generation again and
    again: a fifth of extraction's CPU on polar. Young collections are spaced out for the
    extraction; cycles made meanwhile are still collected, only later."""
    previous = gc.get_threshold()
    gc.set_threshold(EXTRACTION_THRESHOLD, *previous[1:])
    try:
        yield
    finally:
        gc.set_threshold(*previous)


EXTRACTION_THRESHOLD = 50_000


_slot: int | None = None


def worker_slot() -> int | None:
    """The slot of the pool worker this code runs in; None outside a pool's worker process
    (the pytest process, the worker judging ahead). A job that keeps something in memory for
    its slot's `finale` asks."""
    return _slot


def _serve(
    job: Job[Any, Any],
    connection: multiprocessing.connection.Connection,
    progress: _Progress,
    slot: int,
) -> None:
    global _slot
    _slot = slot

    def step(number: int) -> None:
        progress.steps[slot] = number

    held: list[tuple[int, Any]] = []
    held_since = 0.0
    while True:
        try:
            batch: list[tuple[int, Any]] | None = connection.recv()
        except (EOFError, OSError):
            return
        if batch is None:
            return
        for index, task in batch:
            progress.start(slot, index)
            result: Any
            try:
                result = job(task, step)
            except BaseException as error:  # the job is meant to catch; say what escaped it
                result = JobRaised(f"{type(error).__name__}: {error}")
            progress.idle(slot)
            if not held:
                held_since = time.monotonic()
            held.append((index, result))
            # Answers leave together, in one message, so that the parent wakes once for them:
            # at the end of the batch, or when the first has waited long enough. One held
            # when the worker dies is not lost: its task goes to another worker (only the
            # running task is blamed).
            if time.monotonic() - held_since >= _ANSWER_DELAY:
                if not _send_answers(connection, held):
                    return
                held = []
        if held and not _send_answers(connection, held):
            return
        held = []


def _send_answers(
    connection: multiprocessing.connection.Connection, answers: list[tuple[int, Any]]
) -> bool:
    """Send the answers in one message (False: the parent is gone). Each is pickled on its own,
    so one that cannot be pickled, or read back, is that task's problem alone."""
    message: list[tuple[int, bytes]] = []
    for index, result in answers:
        try:
            data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as error:  # an unpicklable result is the job's bug, not a crash
            data = pickle.dumps(JobRaised(f"result cannot be sent back: {error}"))
        message.append((index, data))
    try:
        connection.send(message)
    except (BrokenPipeError, OSError):
        return False
    return True


def _on_big_stack(body: Callable[[], None]) -> None:
    previous = threading.stack_size(WORKER_STACK)
    try:
        thread = threading.Thread(target=body, name="pytest-lessons-worker", daemon=True)
        thread.start()
    finally:
        threading.stack_size(previous)
    thread.join()


@dataclass
class _Worker:
    process: BaseProcess
    connection: multiprocessing.connection.Connection
    slot: int
    assigned: deque[int]
    """Tasks sent to this worker and not answered yet, in the order it runs them."""
    answered: int = 0


class _ProcessPool(Generic[TaskT, ResultT]):
    def __init__(
        self,
        tasks: Sequence[TaskT],
        job: Job[TaskT, ResultT],
        jobs: int,
        time_limit: float,
        method: str | None,
        on_fallback: Callable[[str], None] | None,
        read_ahead: bool = True,
        keep_open: bool = False,
    ) -> None:
        self._tasks = tasks
        self._read_ahead = read_ahead
        self._keep_open = keep_open
        self._in_finale = False
        self._on_fallback = on_fallback
        self._job = job
        self._jobs = jobs
        self._time_limit = time_limit
        self._context = multiprocessing.get_context(method or start_method())
        self._progress = _Progress(self._context, jobs)
        self._pending: deque[int] = deque(range(len(tasks)))
        self._workers: list[_Worker] = []
        self._free_slots = list(range(jobs - 1, -1, -1))
        self._startup_failures = 0

    def results(self) -> Generator[tuple[int, ResultT | TaskLost], None, None]:
        answered: set[int] = set()
        try:
            try:
                for _ in range(self._jobs):
                    self._spawn()
                while len(answered) < len(self._tasks):
                    self._feed()
                    for index, result in self._wait():
                        answered.add(index)
                        yield index, result
            finally:
                done = len(answered) == len(self._tasks)
                if not (done and self._keep_open):
                    self._shutdown(clean=done)
        except _PoolBroken as broken:
            # Workers cannot start here (a job that cannot be pickled for spawn, a sandbox
            # that forbids fork, ...): finish in-process rather than lose the run.
            if self._on_fallback is not None:
                self._on_fallback(str(broken))
            left = [index for index in range(len(self._tasks)) if index not in answered]
            runner = _ThreadRunner([self._tasks[i] for i in left], self._job, self._time_limit)
            for position, result in runner.results():
                yield left[position], result

    def slots(self) -> list[int]:
        return sorted(worker.slot for worker in self._workers)

    def finale(
        self, task_for: Callable[[int], TaskT | None], time_limit: float
    ) -> Iterator[tuple[int, ResultT | TaskLost]]:
        """Send each slot's task now; the answers as they come (see `TaskRun.finale`)."""
        self._in_finale = True
        self._time_limit = time_limit
        base = len(self._tasks)
        waiting: set[int] = set()
        for worker in list(self._workers):
            task = task_for(worker.slot)
            if task is None:
                continue
            index = base + worker.slot
            worker.assigned.append(index)
            waiting.add(index)
            try:
                worker.connection.send([(index, task)])
            except (BrokenPipeError, OSError):
                pass  # it died: `_wait` sees its sentinel
            del task
        return self._finale_answers(waiting, base)

    def _finale_answers(
        self, waiting: set[int], base: int
    ) -> Generator[tuple[int, ResultT | TaskLost], None, None]:
        try:
            while waiting:
                for index, result in self._wait():
                    if index in waiting:
                        waiting.discard(index)
                        yield index - base, result
        finally:
            self._shutdown(clean=not waiting)

    def stop(self) -> None:
        self._shutdown(clean=False)

    def _spawn(self) -> None:
        if not self._free_slots:
            return
        slot = self._free_slots.pop()
        parent_end, child_end = self._context.Pipe()
        process = self._context.Process(  # type: ignore[attr-defined]
            target=_worker_main,
            args=(self._job, child_end, self._progress, slot),
            name=f"pytest-lessons-{slot}",
            daemon=True,
        )
        try:
            with warnings.catch_warnings():
                # Python 3.12+ warns when a process with threads forks (a lock held by another
                # thread stays held in the child). The child only runs the job; the locks it
                # takes (imports, logging, malloc) are reset after fork by CPython and libc.
                warnings.simplefilter("ignore", DeprecationWarning)
                process.start()
        except Exception as error:
            parent_end.close()
            child_end.close()
            self._free_slots.append(slot)
            raise _PoolBroken(f"cannot start a worker process ({error})") from None
        child_end.close()
        self._workers.append(_Worker(process, parent_end, slot, deque()))

    def _feed(self) -> None:
        """Keep every worker a batch ahead, so it never waits for the parent. Batches shrink
        as the queue empties, so no worker sits on a backlog while another is idle."""
        if not self._workers and self._pending:
            self._spawn()
        for worker in self._workers:
            while self._pending:
                size = max(1, min(_MAX_BATCH, len(self._pending) // (self._jobs * 4)))
                if len(worker.assigned) >= (2 * size if self._read_ahead else 1):
                    break
                batch = [self._pending.popleft() for _ in range(min(size, len(self._pending)))]
                worker.assigned.extend(batch)
                try:
                    worker.connection.send([(index, self._tasks[index]) for index in batch])
                except (BrokenPipeError, OSError):
                    break  # it died; `_wait` sees its sentinel and requeues the batch

    def _wait(self) -> Iterator[tuple[int, ResultT | TaskLost]]:
        waitables: list[Any] = []
        for worker in self._workers:
            waitables += [worker.connection, worker.process.sentinel]
        ready = set(multiprocessing.connection.wait(waitables, timeout=self._poll_interval()))
        for worker in list(self._workers):
            if worker.connection in ready or worker.process.sentinel in ready:
                yield from self._drain(worker)
            if not worker.process.is_alive() or worker.process.sentinel in ready:
                task, step, _ = self._progress.read(worker.slot)
                yield from self._lost(worker, task, step, "crashed", _death(worker.process))
                continue
            task, step, since = self._progress.read(worker.slot)
            if task in worker.assigned and time.monotonic() - since > self._time_limit:
                worker.process.kill()
                worker.process.join()
                yield from self._drain(worker)  # it may have answered just before the kill
                yield from self._lost(
                    worker, task, step, "timeout", f"took longer than {self._time_limit:g} s"
                )

    def _poll_interval(self) -> float:
        now = time.monotonic()
        soonest = _IDLE_POLL
        for worker in self._workers:
            task, _, since = self._progress.read(worker.slot)
            if task >= 0:
                soonest = min(soonest, since + self._time_limit - now)
        return max(0.01, soonest)

    def _drain(self, worker: _Worker) -> Iterator[tuple[int, ResultT | TaskLost]]:
        while True:
            try:
                if not worker.connection.poll():
                    return
                message: list[tuple[int, bytes]] = worker.connection.recv()
            except (EOFError, OSError):
                return
            for index, data in message:
                try:
                    result = pickle.loads(data)
                except Exception as error:  # a result that cannot be read: the job's bug
                    result = JobRaised(f"result unreadable: {error}")
                if index in worker.assigned:
                    worker.assigned.remove(index)
                    worker.answered += 1
                    if isinstance(result, JobRaised):
                        yield index, TaskLost("crashed", -1, str(result))
                    else:
                        yield index, result

    def _lost(
        self,
        worker: _Worker,
        task: int,
        step: int,
        reason: Literal["crashed", "timeout"],
        detail: str,
    ) -> Iterator[tuple[int, ResultT | TaskLost]]:
        """Retire a dead or killed worker: blame the task it was running, requeue the rest."""
        self._progress.idle(worker.slot)
        self._workers.remove(worker)
        self._free_slots.append(worker.slot)
        worker.connection.close()
        worker.process.join()
        if self._in_finale:  # what it was asked last, only it could do: nothing is run again
            for index in worker.assigned:
                yield index, TaskLost(reason, step if index == task else -1, detail)
            return
        if task >= 0 and task in worker.assigned:
            worker.assigned.remove(task)
            yield task, TaskLost(reason, step, detail)
        elif worker.answered == 0 and worker.assigned:
            self._startup_failures += 1
            if self._startup_failures >= _STARTUP_FAILURES:
                raise _PoolBroken(f"extraction workers die on start ({detail})")
        self._pending.extendleft(reversed(worker.assigned))
        if self._pending:
            self._spawn()

    def _shutdown(self, *, clean: bool) -> None:
        for worker in self._workers:
            if clean:
                try:
                    worker.connection.send(None)
                except (BrokenPipeError, OSError):
                    pass
            else:
                worker.process.kill()
        deadline = time.monotonic() + 5
        for worker in self._workers:
            worker.process.join(max(0.0, deadline - time.monotonic()))
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.connection.close()
        self._workers.clear()


def _death(process: BaseProcess) -> str:
    process.join(1)
    code = process.exitcode
    if code is None:
        return "the worker stopped answering"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        hint = " (out of memory?)" if -code == getattr(signal, "SIGKILL", 9) else ""
        return f"the worker process died of {name}{hint}"
    return f"the worker process exited with code {code}"


# --- one job: a guarded thread of this process ---------------------------------------------


class _Interrupt(BaseException):
    """Raised into the task thread: the time limit passed, or the run is being abandoned.

    A BaseException, so a check's `except Exception` cannot swallow it.
    """


def _raise_in(thread: threading.Thread) -> bool:
    """Ask CPython to raise `_Interrupt` in `thread` at its next bytecode; False if unsupported."""
    if sys.implementation.name != "cpython" or thread.ident is None:
        return False
    set_async = ctypes.pythonapi.PyThreadState_SetAsyncExc
    set_async.argtypes = [ctypes.c_ulong, ctypes.py_object]
    return bool(set_async(thread.ident, _Interrupt) == 1)


class _ThreadRunner(Generic[TaskT, ResultT]):
    """Tasks in order on one big-stack thread, with a soft per-task time limit.

    The limit raises into the thread, which stops Python code at its next bytecode; a native
    call that never returns cannot be stopped in-process, and is then waited for.
    """

    def __init__(self, tasks: Sequence[TaskT], job: Job[TaskT, ResultT], time_limit: float):
        self._tasks = tasks
        self._job = job
        self._time_limit = time_limit
        self._lock = threading.Lock()
        self._current = -1
        self._since = 0.0
        self._step = -1
        self._fired_for = -1
        self._landed = False
        self._stop = False
        # Answers are collected, not handed over one by one: waking the waiting thread for
        # each task costs a GIL hand-off (about a millisecond) per file.
        self._answers: deque[tuple[int, ResultT | TaskLost]] = deque()
        self._finished = threading.Event()
        self._thread: threading.Thread | None = None

    def results(self) -> Generator[tuple[int, ResultT | TaskLost], None, None]:
        previous = threading.stack_size(WORKER_STACK)
        try:
            self._thread = threading.Thread(
                target=self._run, name="pytest-lessons-extract", daemon=True
            )
            self._thread.start()
        finally:
            threading.stack_size(previous)
        remaining = len(self._tasks)
        try:
            while remaining:
                self._finished.wait(timeout=self._wait_time())
                self._enforce_limit()
                while self._answers:
                    remaining -= 1
                    yield self._answers.popleft()
        finally:
            if remaining:
                self._abandon()

    def _wait_time(self) -> float:
        with self._lock:
            if self._current < 0 or self._fired_for == self._current:
                return _ANSWER_POLL
            deadline = self._since + self._time_limit - time.monotonic()
            return max(0.01, min(_ANSWER_POLL, deadline))

    def _enforce_limit(self) -> None:
        with self._lock:
            overdue = (
                self._current >= 0
                and self._fired_for != self._current
                and time.monotonic() - self._since > self._time_limit
            )
            if overdue and self._thread is not None and _raise_in(self._thread):
                self._fired_for = self._current

    def _abandon(self) -> None:
        """Ctrl-C or an early close: stop the thread at its next bytecode and leave it."""
        self._stop = True
        with self._lock:
            if self._current >= 0 and self._thread is not None:
                _raise_in(self._thread)
                self._fired_for = self._current

    def _run(self) -> None:
        with collector_spaced():
            self._run_tasks()

    def _run_tasks(self) -> None:
        try:
            for index, task in enumerate(self._tasks):
                if self._stop:
                    return
                try:
                    result = self._one(index, task)
                except _Interrupt:  # landed just after the job returned: it did overrun
                    result = TaskLost("timeout", self._step, self._limit_text())
                if self._stop:
                    return
                self._answers.append((index, result))
        except _Interrupt:  # abandoned (Ctrl-C) while between tasks
            return
        finally:
            self._finished.set()

    def _one(self, index: int, task: TaskT) -> ResultT | TaskLost:
        def step(number: int) -> None:
            self._step = number

        with self._lock:
            self._current, self._since, self._step = index, time.monotonic(), -1
            self._landed = False
        result: ResultT | TaskLost
        try:
            result = self._job(task, step)
        except _Interrupt:
            self._landed = True
            result = TaskLost("timeout", self._step, self._limit_text())
        except BaseException as error:  # the job is meant to catch; say what escaped it
            result = TaskLost("crashed", self._step, f"{type(error).__name__}: {error}")
        with self._lock:
            fired = self._fired_for == index
            self._current = -1
        if fired and not self._landed:
            # Raised for this task but not delivered yet: let it land here, where it harms
            # nothing, rather than in the next task. (Bounded: a job that swallowed it with
            # `except BaseException` has had it already.)
            deadline = time.monotonic() + _LANDING_WAIT
            try:
                while time.monotonic() < deadline:
                    time.sleep(0.001)
            except _Interrupt:
                pass
        return result

    def _limit_text(self) -> str:
        return f"took longer than {self._time_limit:g} s"
