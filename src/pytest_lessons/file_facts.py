"""One file in, its facts out: the unit of work an extraction worker runs.

A task names a file (a path, not its bytes) and the lessons that want it; the worker reads the
file itself, so a task is a few hundred bytes and no process holds more than the file it is on.
What comes back is small and picklable: each lesson's facts (pickled by the worker, one pickle
per lesson, and written to the worker's own spill file: the parent gets where they are, never
the bytes, keeps them in the facts cache without pickling them again, and a lesson's facts are
unpickled only when that lesson judges), the problem of each lesson
that could not extract, which parsers each lesson used, the parse notes, and the file's
suppression comments with the lines they sit on.
"""

from __future__ import annotations

import gc
import hashlib
import io
import pickle
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from pytest_lessons.checks.base import Check
from pytest_lessons.directives import MARKER, Directive, parse_directives
from pytest_lessons.errors import too_deep_to_analyse
from pytest_lessons.extraction_pool import worker_slot
from pytest_lessons.findings import FileProblem, ProblemKind
from pytest_lessons.held_facts import Holding, hold
from pytest_lessons.source import AnalysisError, FileKind, SourceFile
from pytest_lessons.spill_files import Spilled, SpillTarget, SpillWriter
from pytest_lessons.workspace import Candidate, read_candidate


@contextmanager
def gc_paused(*, freeze: bool = False) -> Iterator[None]:
    """Unpickling facts allocates hundreds of thousands of objects and no garbage; with the
    cyclic collector running it takes four times longer (it rescans the growing heap). The
    caller pauses it around the whole load.

    `freeze` freezes what was loaded (`gc.freeze`, see `analysis`) before the collector is
    on again: frozen afterwards, the first allocation in between would find every object
    loaded in the youngest generation, far over its threshold, and trace them all once (a
    third of a second for the facts of a 10,000-file repository)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
        if freeze:
            gc.freeze()
    finally:
        if enabled:
            gc.enable()


def unpickle(data: bytes, unpickler: type[pickle.Unpickler] = pickle.Unpickler) -> Any:
    return unpickler(io.BytesIO(data)).load()


@dataclass(frozen=True)
class Problem:
    """Why one lesson got no facts from a file: an `AnalysisError` or a crash, as plain data
    (an exception does not survive pickling reliably, and the cache must hold it too)."""

    kind: ProblemKind
    message: str
    line: int | None = None
    column: int | None = None

    @classmethod
    def of(cls, error: AnalysisError) -> Problem:
        return cls(error.kind, error.message, error.line, error.column)

    def for_file(self, path: str, lesson: str | None) -> FileProblem:
        return FileProblem(
            path=path,
            lesson=lesson,
            kind=self.kind,
            message=self.message,
            line=self.line,
            column=self.column,
        )


def crash_problem(error: BaseException) -> Problem:
    """A check that raised: a bug in the lesson, reported with where it happened."""
    frame = traceback.extract_tb(error.__traceback__)[-1] if error.__traceback__ else None
    where = f" at {frame.filename}:{frame.lineno}" if frame else ""
    return Problem(
        ProblemKind.CHECK_CRASHED,
        f"the check crashed ({type(error).__name__}: {error}{where}); this is a bug in the "
        "lesson, please report it with this file",
    )


@dataclass(frozen=True)
class FileTask:
    candidate: Candidate
    lessons: tuple[str, ...]
    """The lessons to extract, in catalog order (a task's steps, for blame on a crash)."""
    directives: bool
    """Whether to read the file's `lessons:` comments (it holds the marker)."""


@dataclass
class FileResult:
    content_hash: str | None = None
    """Of the bytes the worker read (a file may change between the survey and now)."""
    unreadable: FileProblem | None = None
    facts: dict[str, BaseModel] = field(default_factory=dict)
    """In-process runs: the facts themselves."""
    blobs: dict[str, bytes | Spilled] = field(default_factory=dict)
    """Worker runs: per lesson, `{lesson: facts}` pickled (the format of a cache blob), with
    the other lessons that share its facts (`Check.shares_facts`) in the same pickle, which
    each of them maps to (the same object): where the worker spilled it, or (when it could
    not) the bytes."""
    failed: dict[str, Problem] = field(default_factory=dict)
    subjects: frozenset[str] = frozenset()
    """Lessons for which the file is a subject (gets an item): `Check.is_subject`."""
    held: tuple[str, ...] = ()
    """Lessons whose facts the worker kept in memory to judge them itself (`held_facts`);
    without a cache they have no blob."""
    held_slot: int = -1
    """The slot of the worker that holds them."""
    engines: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Per lesson, the parsers it asked for (`SourceFile.tree`)."""
    notes: dict[str, tuple[Problem, ...]] = field(default_factory=dict)
    """Per parser, the non-fatal notes its parse produced (a recovered TypeScript parse)."""
    directives: tuple[Directive, ...] | None = None
    directive_lines: dict[int, str] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    """Per lesson, time spent extracting (shared layers are billed to the first that asks)."""


class _TracedSource(SourceFile):
    """A `SourceFile` that remembers which parsers were asked for, and the notes each left."""

    def __init__(self, source: SourceFile) -> None:
        super().__init__(source.path, source.rel, source.kind, source.data)
        self.asked: set[str] = set()
        self.notes_by_engine: dict[str, list[AnalysisError]] = {}

    def tree(self, engine: str) -> Any:
        self.asked.add(engine)
        before = len(self.notes)
        try:
            return super().tree(engine)
        finally:
            if len(self.notes) > before:
                self.notes_by_engine.setdefault(engine, []).extend(self.notes[before:])


class FileExtractor:
    """The job of an extraction worker: `FileTask` -> `FileResult`.

    Picklable for the spawn and forkserver start methods: a team's check module has a name that
    says where its lesson folder is (`pytest_lessons.team_code`), so unpickling a check imports
    it again in the worker with nothing set up, and a pattern lesson's check pickles as its spec.
    """

    def __init__(
        self,
        checks: Mapping[str, Check[Any, Any]],
        *,
        max_bytes: int,
        max_line_length: int = 0,
        pickle_facts: bool,
        spill_to: SpillTarget | None = None,
        holding: Holding | None = None,
    ) -> None:
        self._checks = dict(checks)
        self._max_bytes = max_bytes
        self._max_line_length = max_line_length
        self._pickle_facts = pickle_facts
        self._spill_to = spill_to
        self._writer = SpillWriter(spill_to) if spill_to is not None else None
        self._holding = holding

    def __reduce__(self) -> tuple[Any, ...]:
        if self._holding is not None:  # what a worker holds is judged in the same worker
            raise TypeError("an extractor holding facts runs in forked workers only")
        return (
            _rebuild_extractor,
            (
                pickle.dumps(self._checks),
                self._max_bytes,
                self._max_line_length,
                self._pickle_facts,
                self._spill_to,
            ),
        )

    def close_spill(self) -> None:
        """Close the spill file this process wrote (workers' close with their process)."""
        if self._writer is not None:
            self._writer.close()

    def __call__(self, task: FileTask, step: Callable[[int], None]) -> FileResult:
        read = read_candidate(
            task.candidate, max_bytes=self._max_bytes, max_line_length=self._max_line_length
        )
        if isinstance(read, FileProblem):
            return FileResult(unreadable=read)
        source = _TracedSource(read)
        result = FileResult(content_hash=hashlib.sha256(source.data).hexdigest())
        subjects: set[str] = set()
        for position, lesson_id in enumerate(task.lessons):
            step(position)
            check = self._checks[lesson_id]
            source.asked = set()
            started = time.perf_counter()
            try:
                facts = check.extract(source)
                if check.is_subject(facts):
                    subjects.add(lesson_id)
            except AnalysisError as error:
                result.failed[lesson_id] = Problem.of(error)
            except RecursionError:  # the file is too deep for the lesson, not a bug in it
                result.failed[lesson_id] = Problem.of(too_deep_to_analyse())
            except Exception as error:  # a bug in a check must not take the other lessons down
                result.failed[lesson_id] = crash_problem(error)
            else:
                result.facts[lesson_id] = facts
            result.seconds[lesson_id] = time.perf_counter() - started
            result.engines[lesson_id] = tuple(sorted(source.asked))
        step(len(task.lessons))
        result.subjects = frozenset(subjects)
        result.notes = {
            engine: tuple(Problem.of(note) for note in notes)
            for engine, notes in sorted(source.notes_by_engine.items())
        }
        if task.directives and MARKER in source.data:
            self._read_directives(source, result)
        if self._pickle_facts and result.facts:
            held = hold(self._holding, task.candidate.rel, result.facts)
            if held:
                slot = worker_slot()
                result.held, result.held_slot = held, -1 if slot is None else slot
                if self._holding is not None and not self._holding.pickle_too:
                    result.facts = {k: v for k, v in result.facts.items() if k not in held}
            self._pickle(result)
        return result

    def _read_directives(self, source: SourceFile, result: FileResult) -> None:
        try:
            found = parse_directives(
                source.text,
                frozenset({"ignore"}),
                python=source.kind is FileKind.PYTHON,
                lines=source.lines,
            )
        except AnalysisError:
            return  # undecodable: reported by every lesson that needed the file
        result.directives = tuple(found)
        result.directive_lines = {d.line: source.line_text(d.line) for d in found}

    def _pickle(self, result: FileResult) -> None:
        """Each lesson's facts in a pickle of their own, but for lessons that share a layer
        (`Check.shares_facts`): theirs go in one pickle, so the records they share are stored
        and unpickled once (they judge together). A lesson whose facts cannot be pickled
        becomes a crash; the others of its group are pickled without it."""
        for group in shared_groups(result.facts, lambda lesson_id: self._checks[lesson_id]):
            self._pickle_group(result, group)
        result.facts = {}

    def _pickle_group(self, result: FileResult, group: tuple[str, ...]) -> None:
        try:
            blob = pickle.dumps(
                {lesson_id: result.facts[lesson_id] for lesson_id in group},
                protocol=pickle.HIGHEST_PROTOCOL,
            )
        except Exception as error:
            if len(group) > 1:
                for lesson_id in group:
                    self._pickle_group(result, (lesson_id,))
                return
            result.subjects -= set(group)
            result.failed[group[0]] = Problem(
                ProblemKind.CHECK_CRASHED,
                f"the check's facts cannot be pickled ({type(error).__name__}: {error}); "
                "this is a bug in the lesson, please report it with this file",
            )
            return
        parked: bytes | Spilled = blob
        if self._writer is not None:
            parked = self._writer.write(blob) or blob
        for lesson_id in group:
            result.blobs[lesson_id] = parked


def shared_groups(
    lesson_ids: Iterable[str], check_of: Callable[[str], Check[Any, Any]]
) -> list[tuple[str, ...]]:
    """`lesson_ids` in their order, those that share a layer (`Check.shares_facts`) together,
    at the place of the first of them."""
    groups: list[list[str]] = []
    by_layer: dict[str, list[str]] = {}
    for lesson_id in lesson_ids:
        layer = check_of(lesson_id).shares_facts
        if not layer:
            groups.append([lesson_id])
        elif layer in by_layer:
            by_layer[layer].append(lesson_id)
        else:
            by_layer[layer] = [lesson_id]
            groups.append(by_layer[layer])
    return [tuple(group) for group in groups]


def _rebuild_extractor(
    checks: bytes,
    max_bytes: int,
    max_line_length: int,
    pickle_facts: bool,
    spill_to: SpillTarget | None,
) -> FileExtractor:
    return FileExtractor(
        pickle.loads(checks),
        max_bytes=max_bytes,
        max_line_length=max_line_length,
        pickle_facts=pickle_facts,
        spill_to=spill_to,
    )
