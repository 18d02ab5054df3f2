"""The analysis: workspace -> survey -> facts per file (in workers) -> judge -> filter -> Outcome.

1. The survey reads each file once, hashes it and asks every lesson's prefilters whether it
   wants it (a file whose `stat` signature is unchanged since the cached survey is not even
   read), then lets the bytes go: memory holds facts, never the repository's text.
2. Facts come from the cache when the content and the lesson's salt are unchanged; the rest is
   extracted by `FileExtractor` tasks, in worker processes (`extraction_pool`), where a crash or
   a hang costs one file (`check-crashed`, `timeout`) and never the run. Results are assembled
   in file order, so the outcome is the same for any number of jobs. Facts from workers stay
   pickled, one pickle per file and lesson, in the spill file of the worker that extracted
   them (`spill_files`: this process gets where they are, never the bytes), and those from the
   cache in the cache file (`Parked`). What the walk, the survey and the cache need of a
   lesson's check comes from its profile, kept in the cache (`lesson_profiles`): a warm run
   builds no check.
3. Judging joins the facts of every file a lesson read, one lesson at a time: its facts are
   unpickled just before it judges and freed right after. Lessons that share a layer
   (`Check.shares_facts`) form one unit: their facts, pickled together per file, are unpickled
   once and judged one lesson after the other. With more than one job, units judge in forked
   workers (`_JudgeJob`) and this process unpickles no facts at all; with one, here, never
   holding more than one unit's parked facts as objects. The largest units, one per worker,
   are judged by the extraction workers themselves, which kept their facts of the files they
   extracted as objects and unpickle only the others' (`held_facts`). Verdicts are applied in
   catalog order. A lesson none of whose files changed gets its previous judgement back from
   the cache without loading any facts. When files changed, the largest unit's cached facts
   are unpickled by a worker forked before the survey (a few files unknown by `stat`: an
   edit) or after it (when it found changed contents), while this process surveys, plans and
   extracts; it then judges that unit (`judging_ahead`).
4. Suppressions and per-file-ignores are applied; the source lines findings quote are read back
   (or come from the cache) only for the files that have findings.

A check that fails on a file (bad syntax, or a bug in the check itself) becomes a problem
reported under that lesson, so one broken file can neither crash the run nor make a lesson pass
in silence.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import pickle
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from pydantic import BaseModel

from pytest_lessons.checks.base import Check
from pytest_lessons.directives import MARKER, Directive, parse_directives
from pytest_lessons.extraction_pool import (
    TaskLost,
    TaskRun,
    collector_spaced,
    open_tasks,
    run_tasks,
    start_method,
)
from pytest_lessons.fact_cache import (
    Blob,
    FactCache,
    Judgement,
    LessonRecord,
    Parked,
    Spill,
    StatSignature,
    Stored,
    Survey,
    forget_allowed_classes,
)
from pytest_lessons.file_facts import (
    FileExtractor,
    FileResult,
    FileTask,
    Problem,
    crash_problem,
    gc_paused,
    shared_groups,
)
from pytest_lessons.findings import FileProblem, Finding, ProblemKind, one_per_file
from pytest_lessons.held_facts import HELD_GONE, Holding, JudgeHeld, take_held
from pytest_lessons.judging_ahead import FactRef, JudgingAhead
from pytest_lessons.judging_together import together
from pytest_lessons.lesson_profiles import LessonProfile, LessonProfiles
from pytest_lessons.outcome import Outcome
from pytest_lessons.settings import Settings
from pytest_lessons.source import AnalysisError, FileKind, SourceFile
from pytest_lessons.spill_files import Spilled
from pytest_lessons.suppression import apply_suppressions
from pytest_lessons.workspace import Candidate, nothing_analysed, read_candidate, scan_workspace

RACY_SECONDS = 3
"""A file modified this close to its survey may change again within the same timestamp tick
(2 s on FAT, a jiffy on ext4): its `stat` signature is not trusted next time (git's "racily
clean" rule)."""


@dataclass
class RunStats:
    """What a run did, for benchmarks and profiling; nothing in the outcome depends on it."""

    files_listed: int = 0
    """Files of a kind some running lesson reads."""
    files_read: int = 0
    """Files opened and read (survey, workers, source lines of findings)."""
    stat_hits: int = 0
    """Files surveyed from the cache by their `stat` signature alone."""
    extracted: Counter[str] = field(default_factory=Counter)
    """Per lesson, files extracted this run (cache misses)."""
    parsed: Counter[str] = field(default_factory=Counter)
    """Per lesson, files it asked a parser for this run."""
    extract_seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    """Per lesson, extraction time summed over workers (a shared layer bills its first user)."""
    judged: list[str] = field(default_factory=list)
    judged_ahead: list[str] = field(default_factory=list)
    """Lessons judged by the worker that unpickled their cached facts during the survey."""
    judged_held: list[str] = field(default_factory=list)
    """Lessons judged by the extraction workers holding their facts (`held_facts`)."""
    reused: list[str] = field(default_factory=list)
    """Lessons whose previous judgement was reused (none of their files changed)."""
    judge_seconds: dict[str, float] = field(default_factory=dict)
    extracted_again: Counter[str] = field(default_factory=Counter)
    """Per lesson, files whose parked facts could not be read back when it judged, and were
    extracted again there: the outcome is right, but a run where this is not zero paid twice
    (a spill file gone, a record the restricted unpickler refuses)."""
    tasks: int = 0
    lost: int = 0
    jobs: int = 1
    start_method: str = ""
    fallback: str | None = None
    phases: dict[str, float] = field(default_factory=dict)
    phases_cpu: dict[str, float] = field(default_factory=dict)
    """Per phase, this process' CPU seconds: what a loaded machine's wall times hide (the
    serial part of a run with workers)."""
    slowest: list[tuple[float, str]] = field(default_factory=list)

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        started, cpu = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            self.phases[name] = self.phases.get(name, 0.0) + time.perf_counter() - started
            self.phases_cpu[name] = self.phases_cpu.get(name, 0.0) + time.process_time() - cpu


@dataclass
class _Planned:
    """One surveyed file: who wants it, what the cache holds, and its task if any."""

    candidate: Candidate
    survey: Survey
    wanted: tuple[str, ...]
    cached: dict[str, LessonRecord] = field(default_factory=dict)
    parked: dict[str, Parked] = field(default_factory=dict)
    """The cached facts of lessons that judge again, still pickled."""
    missing: list[str] = field(default_factory=list)
    directives_known: bool = False
    directives: tuple[Directive, ...] | None = None
    directive_lines: dict[int, str] = field(default_factory=dict)
    notes: dict[str, tuple[Problem, ...]] = field(default_factory=dict)
    """Cached parse notes, by parser (replayed for lessons whose facts come from the cache)."""
    cached_parts: dict[str, str] = field(default_factory=dict)
    """Per lesson with cached facts, this file's part of the lesson's digest: worked out once,
    by `_reusable_judgements`, and used again by `_assemble` for a file not extracted again
    (twice per file and lesson was a tenth of a warm run's analysis on dub)."""
    task: int | None = None


Progress = Callable[[str, int, int, str], None]
"""(stage, done, total, subject): stage "read" counts files, "judge" lessons."""


def run_analysis(
    settings: Settings,
    *,
    cache: FactCache | None = None,
    stats: RunStats | None = None,
    progress: Progress | None = None,
) -> Outcome:
    """Analyse the repository `settings` describe; `cache` (optional) makes it incremental.

    The facts of a large repository are hundreds of thousands of long-lived objects, and every
    full pass of Python's cyclic collector over them costs a second or more. Each lesson's are
    loaded with the collector paused and then frozen (`gc.freeze`), so the collector skips them
    while the lesson judges; freed when it is done, and the rest unfrozen when the analysis is
    over. (Left alone when the host process froze objects of its own.)
    """
    stats = stats if stats is not None else RunStats()
    forget_allowed_classes()  # the classes a pickle may name, found again for this run
    owns_freeze = gc.get_freeze_count() == 0
    enabled = gc.isenabled()
    spill = _LazySpill()
    try:
        # The analysis makes many long-lived objects and next to no cycles (the cache's records,
        # surveys, plans, facts): young collections are spaced out, as in the workers.
        with contextlib.ExitStack() as workers, collector_spaced():
            return _analyse(
                settings, cache, stats, owns_freeze, progress or _no_progress, spill, workers
            )
    finally:
        spill.close()
        if enabled:
            gc.enable()
        if owns_freeze:
            gc.unfreeze()


def _no_progress(stage: str, done: int, total: int, subject: str) -> None:
    return None


def _analyse(
    settings: Settings,
    cache: FactCache | None,
    stats: RunStats,
    owns_freeze: bool,
    report: Progress,
    spill: _LazySpill,
    workers: contextlib.ExitStack,
) -> Outcome:
    profiles = cache.profiles if cache is not None else LessonProfiles(settings.checks)
    read_kinds = _ReadKinds(profiles)
    with stats.phase("scan"):
        scan = scan_workspace(
            settings.root,
            exclude=settings.exclude,
            use_gitignore=settings.respect_gitignore,
            follow_external_symlinks=settings.follow_external_symlinks,
            kinds=read_kinds,
        )
    problems: list[FileProblem] = list(scan.problems)
    # a file no running lesson reads is never opened, so never "left out" either
    candidates = [c for c in scan.candidates if c.kind in read_kinds]
    stats.files_listed = len(candidates)
    markers = _project_markers(settings, profiles) if candidates else {}
    signatures = _signatures(candidates) if cache is not None else None
    # A few files changed since the last run (an edit): the worker judging ahead starts now,
    # importing its checks beside the survey's; after a checkout, only once the survey has
    # told which contents changed.
    early = _edited_kinds(candidates, signatures, cache)
    ahead = _start_judging_ahead(early, settings, profiles, cache) if early else None
    with stats.phase("survey"):
        surveyed = _survey(
            candidates, signatures, settings, profiles, markers, cache, stats, problems, report
        )
    if ahead is None and early is None and cache is not None:
        ahead = _start_judging_ahead(_changed_kinds(surveyed, cache), settings, profiles, cache)
    if ahead is not None:
        workers.callback(ahead.close)
    if not surveyed:
        silent = nothing_analysed(problems)
        if silent is not None:
            problems.append(silent)
    with stats.phase("plan"):
        plan = _plan(surveyed, settings, _gated(surveyed, markers), cache)
        reusable = _reusable_judgements(plan, settings, cache)
        _park_cached_facts(plan, settings, cache, reusable)
        tasks = _tasks(plan)
    with stats.phase("extract"):
        handed_ahead = ahead.lessons if ahead is not None else ()
        results, parked, held = _extract(tasks, settings, cache, stats, spill, handed_ahead)
        if held is not None:
            workers.callback(held.close)
    with stats.phase("assemble"):
        assembled = _assemble(plan, tasks, results, parked, settings, cache, problems)
        # From here on `assembled` holds the only references to the facts, so that a lesson's
        # facts are freed once it (and every lesson sharing them) has judged.
        del results, parked
        for planned in plan:
            planned.parked = {}
        if owns_freeze:
            gc.freeze()  # in-process facts (one job): live until judged, never garbage
        # A file that does not decode or parse is one problem, shown once by the workspace item
        # rather than by an item per lesson that tried to read it.
        problems = one_per_file(problems)
        for problem in problems:
            for lesson_id in problem.needed_by:
                if problem.path in assembled.files_by_lesson.get(lesson_id, ()):
                    assembled.files_by_lesson[lesson_id].remove(problem.path)
    findings: list[Finding] = []
    fresh: dict[str, list[Finding]] = {}
    requoted: dict[str, list[Finding]] = {}
    crashes: dict[str, FileProblem] = {}
    with stats.phase("judge"):
        # it read no file: nothing to judge (and its check need not be built)
        lessons = [
            lesson_id
            for lesson_id in settings.checks
            if lesson_id in assembled.facts or lesson_id in reusable
        ]
        # A file changed, but not what these lessons read of it: their facts are the same.
        unchanged = _unchanged_judgements(lessons, reusable, assembled, settings, cache)
        reusable = {**reusable, **unchanged}
        changed = {task.candidate.rel for task in tasks}
        judging = [lesson_id for lesson_id in lessons if lesson_id not in reusable]
        verdicts = _judge_lessons(
            judging, assembled, plan, settings, owns_freeze, report, ahead, stats, held
        )
        # in catalog order, whatever order the lessons finished in
        for lesson_id in lessons:
            reused = reusable.get(lesson_id)
            if reused is not None:
                stats.reused.append(lesson_id)
                if lesson_id in unchanged:  # the lines they quote may have changed
                    requoted[lesson_id] = _requoted(reused.findings, changed)
                else:
                    findings.extend(reused.findings)
                if reused.problem is not None:
                    problems.append(reused.problem)
                continue
            verdict = verdicts[lesson_id]
            problems.extend(verdict.problems)
            fresh[lesson_id] = verdict.findings
            stats.judge_seconds[lesson_id] = verdict.seconds
            if verdict.extracted_again:
                stats.extracted_again[lesson_id] += verdict.extracted_again
            stats.judged.append(lesson_id)
            if verdict.crash is not None:
                crashes[lesson_id] = verdict.crash
                problems.append(verdict.crash)
    with stats.phase("lines"):
        lines = _SourceLines(plan, assembled, cache, stats, settings)
        for lesson_id, judged in [*fresh.items(), *requoted.items()]:
            judged = [lines.attach(f) for f in judged]
            findings.extend(judged)
            if cache is not None:
                cache.store_judgement(
                    lesson_id,
                    Judgement(
                        salt=cache.salts[lesson_id],
                        digest=assembled.digest(lesson_id, _judged_as(cache, settings, lesson_id)),
                        findings=tuple(judged),
                        problem=(
                            unchanged[lesson_id].problem
                            if lesson_id in unchanged
                            else crashes.get(lesson_id)
                        ),
                    ),
                )
    with stats.phase("suppress"):
        findings, suppression_problems = apply_suppressions(
            findings,
            assembled.directives,
            running=settings.checks.keys(),
            known=settings.catalog.ids,
            ignored_by_file=assembled.ignored_by_file,
            require_reason=settings.require_suppression_reason,
            severity={lesson_id: settings.severity_of(lesson_id) for lesson_id in settings.checks},
        )
        findings = [lines.attach(f) for f in findings]
        findings.sort(key=lambda f: (f.lesson, f.path or "", f.line, f.column, f.message))
    return Outcome(
        root=str(settings.root),
        lessons=list(settings.checks),
        skipped=dict(settings.skipped),
        files_by_lesson={
            lesson: assembled.files_by_lesson.get(lesson, []) for lesson in settings.checks
        },
        findings=findings,
        problems=problems + suppression_problems,
        files_scanned=len(surveyed),
    )


class _ReadKinds:
    """The file kinds the running lessons read, asked of their profiles when the walk first
    meets a file of some kind: a walk that meets none (an empty directory) builds no check, and
    a warm run takes them from the cache."""

    def __init__(self, profiles: Mapping[str, LessonProfile]) -> None:
        self._profiles = profiles
        self._kinds: frozenset[FileKind] | None = None

    def __contains__(self, kind: object) -> bool:
        if self._kinds is None:
            profiles = self._profiles.values()
            self._kinds = frozenset(kind for profile in profiles for kind in profile.file_kinds)
        return kind in self._kinds


# --- survey ----------------------------------------------------------------------------------


def _project_markers(
    settings: Settings, profiles: Mapping[str, LessonProfile]
) -> dict[str, Mapping[FileKind, tuple[bytes, ...]]]:
    if not settings.use_prefilter:
        return {}
    return {lesson_id: profiles[lesson_id].project_prefilter for lesson_id in settings.checks}


def _survey(
    candidates: Sequence[Candidate],
    signatures: Sequence[StatSignature | None] | None,
    settings: Settings,
    profiles: Mapping[str, LessonProfile],
    markers: Mapping[str, Mapping[FileKind, tuple[bytes, ...]]],
    cache: FactCache | None,
    stats: RunStats,
    problems: list[FileProblem],
    report: Progress = _no_progress,
) -> list[tuple[Candidate, Survey]]:
    """Read each file once (unless its `stat` signature says it is unchanged) and drop it.

    With more than one job and many files to read, they are read and surveyed in forked
    workers, a chunk per task (`_SurveyJob`); what is kept of each, and in which order, is
    decided here, as with one job."""
    found: list[Survey | FileProblem | None] = [None] * len(candidates)
    to_read: list[int] = []
    for position, candidate in enumerate(candidates):
        signature = signatures[position] if signatures is not None else None
        if cache is not None and signature is not None:
            known = cache.survey(candidate.rel, signature) or cache.problem(
                candidate.rel, signature
            )
            if known is not None:
                stats.stat_hits += 1
                found[position] = known
                report("read", stats.stat_hits, len(candidates), candidate.rel)
                continue
        to_read.append(position)
    job = _SurveyJob(settings, profiles, markers, cache)
    done = stats.stat_hits
    for position, answer in _read_surveys(to_read, candidates, job, settings):
        found[position] = answer
        stats.files_read += 1
        done += 1
        report("read", done, len(candidates), candidates[position].rel)
    read_now = set(to_read)
    surveyed: list[tuple[Candidate, Survey]] = []
    for position, candidate in enumerate(candidates):
        survey = found[position]
        assert survey is not None
        keeper = cache if position in read_now else None  # what was read now is kept
        signature = signatures[position] if signatures is not None else None
        if isinstance(survey, FileProblem):
            if keeper is not None:
                keeper.remember_problem(candidate.rel, survey, signature)
            problems.append(survey)
        else:
            if keeper is not None:
                keeper.remember_survey(candidate.rel, survey, signature)
            surveyed.append((candidate, survey))
    return surveyed


_SURVEY_CHUNK = 64
_SURVEY_IN_WORKERS = 1000
"""Fewer files to read than this are surveyed here: not worth starting workers for."""


class _SurveyJob:
    """Read one file (or, as a worker's task, a chunk of them) and survey it: what the running
    lessons' prefilters say of it, or the survey it had when its content is unchanged (a
    checkout, a touch: no prefilter asked). Workers are forked, with the checks built and the
    cache loaded (only read there), so the job never travels by pickle."""

    def __init__(
        self,
        settings: Settings,
        profiles: Mapping[str, LessonProfile],
        markers: Mapping[str, Mapping[FileKind, tuple[bytes, ...]]],
        cache: FactCache | None,
    ) -> None:
        self._settings = settings
        self._profiles = profiles
        self._markers = markers
        self._cache = cache

    def __reduce__(self) -> tuple[Any, ...]:
        raise TypeError("files are surveyed in forked workers only")

    def __call__(
        self, task: Sequence[Candidate], step: Callable[[int], None]
    ) -> list[Survey | FileProblem]:
        surveys: list[Survey | FileProblem] = []
        for position, candidate in enumerate(task):
            step(position)
            surveys.append(self.one(candidate))
        return surveys

    def one(self, candidate: Candidate) -> Survey | FileProblem:
        settings = self._settings
        read = read_candidate(
            candidate,
            max_bytes=settings.max_file_size,
            max_line_length=settings.minified_line_length,
        )
        if isinstance(read, FileProblem):
            return read
        if self._cache is not None:
            known = self._cache.survey_of_content(candidate.rel, read.content_hash)
            if known is not None:
                return known
        return _surveyed(read, settings, self._profiles, self._markers)

    def prepare_for_workers(self, candidates: Iterable[Candidate]) -> None:
        """Build, before forking, the checks the workers will ask (those reading a kind of
        file among `candidates` the cache never surveyed) and the cache's salts, so each
        worker does not again. Files the cache surveyed before (read again after a checkout:
        their content is most likely the same) build none: a worker that meets a changed one
        builds what it asks then, and a run whose files are all unchanged imports no check."""
        cache = self._cache
        kinds = {c.kind for c in candidates if cache is None or not cache.has_survey(c.rel)}
        for lesson_id in self._settings.checks:
            if kinds & set(self._profiles[lesson_id].file_kinds):
                self._settings.checks.__getitem__(lesson_id)  # built once, here
        if self._cache is not None:
            _ = self._cache.survey_salt  # computed once, here


def _read_surveys(
    positions: Sequence[int],
    candidates: Sequence[Candidate],
    job: _SurveyJob,
    settings: Settings,
) -> Iterator[tuple[int, Survey | FileProblem]]:
    """`(position, survey or problem)` of each file to read, in workers when it pays."""
    if settings.jobs < 2 or len(positions) < _SURVEY_IN_WORKERS or start_method() != "fork":
        for position in positions:
            yield position, job.one(candidates[position])
        return
    chunks = [
        [candidates[position] for position in positions[start : start + _SURVEY_CHUNK]]
        for start in range(0, len(positions), _SURVEY_CHUNK)
    ]
    job.prepare_for_workers(candidates[position] for position in positions)
    answers = run_tasks(
        chunks,
        job,
        jobs=settings.jobs,
        time_limit=settings.file_time_limit * _SURVEY_CHUNK,
    )
    with contextlib.closing(answers):
        for index, answer in answers:
            start = index * _SURVEY_CHUNK
            if isinstance(answer, TaskLost):  # read here instead: the outcome is the same
                answer = [job.one(candidate) for candidate in chunks[index]]
            for offset, survey in enumerate(answer):
                yield positions[start + offset], survey


def _surveyed(
    read: SourceFile,
    settings: Settings,
    profiles: Mapping[str, LessonProfile],
    markers: Mapping[str, Mapping[FileKind, tuple[bytes, ...]]],
) -> Survey:
    """What the running lessons' prefilters say of a file just read."""
    return Survey(
        content_hash=read.content_hash,
        size=len(read.data),
        # a lesson that reads no file of this kind is not asked (nor its check built)
        applies=frozenset(
            lesson_id
            for lesson_id in settings.checks
            if read.kind in profiles[lesson_id].file_kinds
            and _applies(settings.checks[lesson_id], read, settings.use_prefilter)
        ),
        project_hits=frozenset(
            lesson_id
            for lesson_id, by_kind in markers.items()
            if read.contains_any(by_kind.get(read.kind, ()))
        ),
        has_marker=MARKER in read.data,
    )


def _signatures(candidates: Sequence[Candidate]) -> list[StatSignature | None]:
    """Each candidate's `stat` signature, taken once for the survey and for judging ahead."""
    cutoff = time.time_ns() - RACY_SECONDS * 1_000_000_000
    return [_signature(candidate.location, cutoff) for candidate in candidates]


def _signature(location: str, cutoff: int) -> StatSignature | None:
    try:
        info = os.stat(location)
    except OSError:
        return None
    if max(info.st_mtime_ns, info.st_ctime_ns) >= cutoff:
        return None  # racily clean: re-read next time
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def _applies(check: Check[Any, Any], source: SourceFile, use_prefilter: bool) -> bool:
    try:
        return check.applies_to(source, use_prefilter=use_prefilter)
    except Exception:  # let extraction meet the same error and report it for the file
        return source.kind in check.file_kinds


def _gated(
    surveyed: Sequence[tuple[Candidate, Survey]],
    markers: Mapping[str, Mapping[FileKind, tuple[bytes, ...]]],
) -> dict[str, frozenset[FileKind]]:
    """Per lesson, the file kinds its `project_prefilter` rules out for this whole project."""
    seen: dict[str, set[FileKind]] = defaultdict(set)
    for candidate, survey in surveyed:
        for lesson_id in survey.project_hits:
            seen[lesson_id].add(candidate.kind)
    gated: dict[str, frozenset[FileKind]] = {}
    for lesson_id, by_kind in markers.items():
        off = frozenset(kind for kind in by_kind if kind not in seen[lesson_id])
        if off:
            gated[lesson_id] = off
    return gated


# --- plan: what the cache answers, what is left to extract -----------------------------------


def _plan(
    surveyed: Sequence[tuple[Candidate, Survey]],
    settings: Settings,
    gated: Mapping[str, frozenset[FileKind]],
    cache: FactCache | None,
) -> list[_Planned]:
    plan: list[_Planned] = []
    order = list(settings.checks)
    for candidate, survey in surveyed:
        applies = survey.applies
        wanted = tuple(
            lesson_id
            for lesson_id in order
            if lesson_id in applies and candidate.kind not in gated.get(lesson_id, ())
        )
        planned = _Planned(candidate, survey, wanted)
        if cache is not None:
            planned.cached = cache.lessons(candidate.rel, survey.content_hash, wanted)
        planned.missing = [lesson_id for lesson_id in wanted if lesson_id not in planned.cached]
        if cache is not None and planned.cached:
            planned.notes = cache.notes(candidate.rel, survey.content_hash)
        if survey.has_marker and cache is not None:
            known, directives, lines = cache.directives(candidate.rel, survey.content_hash)
            planned.directives_known = known
            planned.directives, planned.directive_lines = directives, dict(lines)
        plan.append(planned)
    return plan


def _reusable_judgements(
    plan: Sequence[_Planned], settings: Settings, cache: FactCache | None
) -> dict[str, Judgement]:
    """Lessons all of whose files are cached, unchanged since their last judgement."""
    if cache is None:
        return {}
    # A lesson no file wants has nothing to reuse (and is not judged either).
    wanted = {lesson_id for planned in plan for lesson_id in planned.wanted}
    complete = {lesson_id: True for lesson_id in settings.checks if lesson_id in wanted}
    parts: dict[str, list[str]] = defaultdict(list)
    for planned in plan:
        for lesson_id in planned.missing:
            complete[lesson_id] = False
        rel, content_hash = planned.candidate.rel, planned.survey.content_hash
        with_facts = [lesson_id for lesson_id, e in planned.cached.items() if e.blob is not None]
        digests = cache.facts_digests(rel, content_hash, with_facts)
        for lesson_id in with_facts:
            part = _digest_part(rel, content_hash, digests.get(lesson_id))
            planned.cached_parts[lesson_id] = part
            parts[lesson_id].append(part)
    reusable: dict[str, Judgement] = {}
    for lesson_id, is_complete in complete.items():
        if not is_complete:
            continue
        judgement = cache.judgement(
            lesson_id, _lesson_digest(_judged_as(cache, settings, lesson_id), parts[lesson_id])
        )
        if judgement is not None:
            reusable[lesson_id] = judgement
    return reusable


def _unchanged_judgements(
    lessons: Sequence[str],
    reusable: Mapping[str, Judgement],
    assembled: _Assembled,
    settings: Settings,
    cache: FactCache | None,
) -> dict[str, Judgement]:
    """Lessons with a file extracted again whose facts came out as before (the judgement is
    keyed by the facts, not by the text): their last judgement stands."""
    if cache is None:
        return {}
    found: dict[str, Judgement] = {}
    for lesson_id in lessons:
        if lesson_id in reusable:
            continue
        digest = assembled.digest(lesson_id, _judged_as(cache, settings, lesson_id))
        judgement = cache.judgement(lesson_id, digest)
        if judgement is not None:
            found[lesson_id] = judgement
    return found


def _requoted(findings: Sequence[Finding], changed: set[str]) -> list[Finding]:
    """Findings of a reused judgement, the source line dropped where the file changed (it is
    quoted again from the file as it is now)."""
    return [
        f.model_copy(update={"source_line": ""}) if f.path in changed and f.source_line else f
        for f in findings
    ]


def _judged_as(cache: FactCache, settings: Settings, lesson_id: str) -> str:
    """What a judgement depends on besides the facts: the lesson's salt, and the severity its
    findings carry (the config's `severity` table changes it, not the facts)."""
    return f"{cache.salts[lesson_id]}:{settings.severity_of(lesson_id).value}"


def _park_cached_facts(
    plan: Sequence[_Planned],
    settings: Settings,
    cache: FactCache | None,
    reusable: Mapping[str, Judgement],
) -> None:
    """The cached facts of lessons that must judge again, left pickled until they judge; an
    entry whose blob is gone is extracted instead."""
    if cache is None:
        return
    position = {lesson_id: number for number, lesson_id in enumerate(settings.checks)}
    for planned in plan:
        for lesson_id, entry in list(planned.cached.items()):
            if lesson_id in reusable or entry.blob is None:
                continue
            parked = cache.parked(planned.candidate.rel, planned.survey.content_hash, lesson_id)
            if parked is None:
                del planned.cached[lesson_id]
                planned.missing.append(lesson_id)
            else:
                planned.parked[lesson_id] = parked
        planned.missing.sort(key=position.__getitem__)


def _tasks(plan: Sequence[_Planned]) -> list[FileTask]:
    """A task per file with something left to do, largest first (the pool balances better)."""
    wanting = [p for p in plan if p.missing or (p.survey.has_marker and not p.directives_known)]
    wanting.sort(key=lambda p: -p.survey.size)
    tasks: list[FileTask] = []
    for planned in wanting:
        planned.task = len(tasks)
        tasks.append(
            FileTask(
                candidate=planned.candidate,
                lessons=tuple(planned.missing),
                directives=planned.survey.has_marker and not planned.directives_known,
            )
        )
    return tasks


# --- extraction ------------------------------------------------------------------------------


class _LazySpill:
    """Without a cache, this run's own spill files for the facts workers make (made on first
    use, in the temporary directory; closed, and so deleted, when the analysis ends)."""

    def __init__(self) -> None:
        self._spill: Spill | None = None

    @property
    def spill(self) -> Spill:
        if self._spill is None:
            self._spill = Spill(Path(tempfile.gettempdir()))
        return self._spill

    def park(self, result: FileResult) -> dict[str, Parked]:
        spill = self.spill
        stored: dict[int, Blob] = {}  # a pickle lessons share (`Check.shares_facts`): once
        for blob in result.blobs.values():
            if id(blob) not in stored:
                stored[id(blob)] = spill.put(blob)
        parked = {
            lesson_id: Parked(spill, stored[id(blob)], lesson_id)
            for lesson_id, blob in result.blobs.items()
        }
        for lesson_id in result.held:  # kept by the worker, never pickled (`held_facts`)
            parked.setdefault(lesson_id, Parked(spill, HELD_GONE, lesson_id))
        return parked

    def close(self) -> None:
        if self._spill is not None:
            self._spill.close()


_ParkedByTask = dict[int, dict[str, Parked]]


@dataclass(frozen=True)
class _HeldRun:
    """Extraction workers that hold units' facts, kept up to judge them (`held_facts`)."""

    run: TaskRun[Any, Any]
    holding: Holding
    parking: Spill
    """Whose workers' files keep their names until the workers are done reading them."""

    def close(self) -> None:
        self.run.close()
        self.parking.writing_done()


def _extract(
    tasks: Sequence[FileTask],
    settings: Settings,
    cache: FactCache | None,
    stats: RunStats,
    spill: _LazySpill,
    handed_ahead: tuple[str, ...] = (),
) -> tuple[dict[int, FileResult | TaskLost], _ParkedByTask, _HeldRun | None]:
    jobs = settings.jobs
    in_workers = jobs > 1 and len(tasks) > 1
    stats.tasks = len(tasks)
    stats.jobs = min(jobs, len(tasks)) if in_workers else 1
    stats.start_method = start_method() if in_workers else "in-process"
    if not tasks:
        return {}, {}, None  # and no check is built for it
    # only the checks of lessons with a file to extract are built (imported)
    asked = {lesson_id for task in tasks for lesson_id in task.lessons}
    parking = cache.spill if cache is not None else spill.spill
    spill_to = None
    if in_workers:  # each worker writes its pickles to a file of its own
        spill_to = cache.spill_target() if cache is not None else parking.for_workers(b"")
    holding = _holding(tasks, settings, cache, handed_ahead) if in_workers else None
    extractor = FileExtractor(
        {
            lesson_id: settings.checks[lesson_id]
            for lesson_id in settings.checks
            if lesson_id in asked
        },
        max_bytes=settings.max_file_size,
        max_line_length=settings.minified_line_length,
        pickle_facts=in_workers,
        spill_to=spill_to,
        holding=holding,
    )

    def fell_back(reason: str) -> None:
        stats.fallback = reason

    def groups(lesson_ids: Iterable[str]) -> list[tuple[str, ...]]:
        return shared_groups(lesson_ids, settings.checks.__getitem__)

    results: dict[int, FileResult | TaskLost] = {}
    parked: _ParkedByTask = {}
    held: _HeldRun | None = None
    done = False
    if holding is not None:
        candidates = {task.candidate.rel: task.candidate for task in tasks}
        job = _ExtractOrJudge(extractor, candidates, settings, parking)
        parking.keep_worker_files_named()
        run = open_tasks(
            tasks, job, jobs=jobs, time_limit=settings.file_time_limit, on_fallback=fell_back
        )
        held = _HeldRun(run, holding, parking)
        # file tasks answer with files' results; verdicts come from the finale only
        answers = cast(Generator[tuple[int, FileResult | TaskLost], None, None], run.results())
    else:
        answers = run_tasks(
            tasks, extractor, jobs=jobs, time_limit=settings.file_time_limit, on_fallback=fell_back
        )
    try:
        # In-process extraction builds parse trees, which may hold cycles: the collector stays
        # on. From workers only small results arrive (their facts stay pickled, on disk).
        with gc_paused() if in_workers else contextlib.nullcontext(), contextlib.closing(answers):
            for index, result in answers:
                _received(tasks[index], index, result, results, parked, cache, stats, spill, groups)
        done = True
    finally:
        # every worker is gone (closing the answers stops them) or, holding facts, has
        # extracted its last file: what they spilled and sent is open here, what they left
        # unsent goes with their directory
        extractor.close_spill()
        if held is None:
            parking.writing_done()
        elif not done:  # else once the workers holding facts have judged
            held.close()
    stats.slowest = sorted(stats.slowest, reverse=True)[:10]
    return results, parked, held


_HOLD_MIN_FILES = 64
"""A unit extracted from fewer files is judged the usual way: what holding its facts saves
is less than the finale's round trip."""


def _holding(
    tasks: Sequence[FileTask],
    settings: Settings,
    cache: FactCache | None,
    handed_ahead: tuple[str, ...],
) -> Holding | None:
    """The units whose facts the extraction workers keep to judge themselves: the `jobs`
    units extracted from the most files, one per worker slot (see `held_facts`). None
    without fork (the extractor would travel by pickle) or when no unit is worth it; a unit
    the worker judging ahead has is left to it."""
    if start_method() != "fork":
        return None
    files = Counter(lesson_id for task in tasks for lesson_id in task.lessons)
    asked = [lesson_id for lesson_id in settings.checks if files[lesson_id]]
    units = [
        unit
        for unit in shared_groups(asked, settings.checks.__getitem__)
        if not set(unit) & set(handed_ahead)
        and max(files[lesson_id] for lesson_id in unit) >= _HOLD_MIN_FILES
    ]
    units.sort(key=lambda unit: -max(files[lesson_id] for lesson_id in unit))
    slots = min(settings.jobs, len(tasks))
    if not units:
        return None
    return Holding(dict(enumerate(units[:slots])), pickle_too=cache is not None)


class _ExtractOrJudge:
    """The extraction workers' job when they hold facts: a file's task is extracted
    (`FileExtractor`, which keeps the held unit's facts), and the finale's `JudgeHeld`
    judges the unit over them and the other workers' pickles."""

    def __init__(
        self,
        extractor: FileExtractor,
        candidates: Mapping[str, Candidate],
        settings: Settings,
        parking: Spill,
    ) -> None:
        self._extractor = extractor
        self._candidates = candidates
        self._settings = settings
        self._parking = parking

    def __reduce__(self) -> tuple[Any, ...]:
        raise TypeError("held facts are judged in the forked worker holding them only")

    def __call__(
        self, task: FileTask | JudgeHeld, step: Callable[[int], None]
    ) -> FileResult | dict[str, _Verdict]:
        if isinstance(task, FileTask):
            return self._extractor(task, step)
        started = time.perf_counter()
        held = take_held()
        parked: dict[str, Mapping[str, Facts]] = {}
        for lesson_id in task.lessons:
            found: dict[str, Facts] = {}
            for rel, ref in task.files[lesson_id]:
                kept = held.get(rel, {}).get(lesson_id) if ref < 0 else None
                if kept is not None:
                    found[rel] = kept
                else:  # another worker's pickle, or held by a worker that died: again
                    blob = task.blobs[ref] if ref >= 0 else HELD_GONE
                    found[rel] = Parked(self._parking, blob, lesson_id)
            parked[lesson_id] = found
        del held
        # a worker's last task: what it unpickles may be frozen, as it lives until judged
        return _unpark_and_judge(
            self._settings, task.lessons, parked, self._candidates, True, started, step
        )


def _received(
    task: FileTask,
    index: int,
    result: FileResult | TaskLost,
    results: dict[int, FileResult | TaskLost],
    parked: _ParkedByTask,
    cache: FactCache | None,
    stats: RunStats,
    spill: _LazySpill,
    groups: Callable[[Iterable[str]], list[tuple[str, ...]]],
) -> None:
    results[index] = result
    if isinstance(result, TaskLost):
        stats.lost += 1
        return
    stats.files_read += 1
    for lesson_id in task.lessons:
        stats.extracted[lesson_id] += 1
        if result.engines.get(lesson_id):
            stats.parsed[lesson_id] += 1
        stats.extract_seconds[lesson_id] += result.seconds.get(lesson_id, 0.0)
    stats.slowest.append((sum(result.seconds.values()), task.candidate.rel))
    if cache is not None:
        parked[index] = cache.store(task.candidate.rel, result, task.lessons, groups)
    elif result.blobs or result.held:
        parked[index] = spill.park(result)
    result.blobs = {}  # parked in a spill file (or kept in memory if none can be made)


# --- assembly, in file order -----------------------------------------------------------------


Facts = BaseModel | Parked
"""A file's facts for one lesson: objects (extracted in this process), or still pickled."""


@dataclass
class _Assembled:
    facts: dict[str, dict[str, Facts]] = field(default_factory=lambda: defaultdict(dict))
    digest_parts: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    files_by_lesson: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    directives: dict[str, list[Directive]] = field(default_factory=dict)
    directive_lines: dict[str, dict[int, str]] = field(default_factory=dict)
    ignored_by_file: dict[str, frozenset[str]] = field(default_factory=dict)
    hashes: dict[str, str] = field(default_factory=dict)
    held_by: dict[str, int] = field(default_factory=dict)
    """Per file extracted by a worker that kept its held unit's facts: that worker's slot."""

    def digest(self, lesson_id: str, salt: str) -> str:
        return _lesson_digest(salt, self.digest_parts.get(lesson_id, []))


def _assemble(
    plan: Sequence[_Planned],
    tasks: Sequence[FileTask],
    results: Mapping[int, FileResult | TaskLost],
    parked: _ParkedByTask,
    settings: Settings,
    cache: FactCache | None,
    problems: list[FileProblem],
) -> _Assembled:
    out = _Assembled()
    for planned in plan:
        rel = planned.candidate.rel
        result = results.get(planned.task) if planned.task is not None else None
        if isinstance(result, FileResult) and result.unreadable is not None:
            problems.append(result.unreadable)  # gone or changed since the survey
            continue
        survey = planned.survey
        content_hash = survey.content_hash
        if isinstance(result, FileResult) and result.content_hash is not None:
            content_hash = result.content_hash
        out.hashes[rel] = content_hash
        ignored = settings.ignored_here(rel)
        if ignored:
            out.ignored_by_file[rel] = ignored
        fresh: Mapping[str, Facts] = {}
        if isinstance(result, FileResult) and planned.task is not None:
            fresh = result.facts or parked.get(planned.task, {})
            if result.held:
                out.held_by[rel] = result.held_slot
        lost = None
        if isinstance(result, TaskLost) and planned.task is not None:
            lost = _lost_problem(result, tasks[planned.task])
        engines: set[str] = set()
        # a file not extracted again has its parts worked out already
        known_parts = planned.cached_parts if planned.task is None else {}
        digests: dict[str, bytes] | None = None
        for lesson_id in planned.wanted:
            entry = planned.cached.get(lesson_id)
            facts: Facts | None
            if entry is not None:
                facts, problem = planned.parked.get(lesson_id), entry.problem
                has_facts, subject = entry.blob is not None, entry.subject
                engines.update(entry.engines)
            elif isinstance(result, FileResult):
                facts, problem = fresh.get(lesson_id), result.failed.get(lesson_id)
                has_facts, subject = facts is not None, lesson_id in result.subjects
                engines.update(result.engines.get(lesson_id, ()))
            else:
                facts, problem, has_facts, subject = None, lost, False, True
            if problem is not None:
                problems.append(problem.for_file(rel, lesson_id))
            if has_facts:
                part = known_parts.get(lesson_id)
                if part is None:
                    if digests is None:
                        digests = (
                            cache.facts_digests(rel, content_hash, planned.wanted)
                            if cache is not None
                            else {}
                        )
                    part = _digest_part(rel, content_hash, digests.get(lesson_id))
                out.digest_parts[lesson_id].append(part)
                if facts is not None:
                    out.facts[lesson_id][rel] = facts
            # per-file-ignored files still contribute facts, but get no item; a file whose
            # extraction failed gets one, to show why
            if (problem is not None or subject) and lesson_id not in ignored:
                out.files_by_lesson[lesson_id].append(rel)
        notes = result.notes if isinstance(result, FileResult) else {}
        for engine in sorted(engines):
            for note in notes.get(engine) or planned.notes.get(engine, ()):
                problems.append(note.for_file(rel, None))
        _assemble_directives(out, planned, result, settings)
    return out


def _assemble_directives(
    out: _Assembled, planned: _Planned, result: FileResult | TaskLost | None, settings: Settings
) -> None:
    if not planned.survey.has_marker:
        return
    directives, lines = planned.directives, planned.directive_lines
    if isinstance(result, FileResult) and not planned.directives_known:
        directives, lines = result.directives, result.directive_lines
    elif isinstance(result, TaskLost) and not planned.directives_known:
        directives, lines = _directives_here(planned.candidate, settings)
    if directives is not None:
        out.directives[planned.candidate.rel] = list(directives)
        out.directive_lines[planned.candidate.rel] = dict(lines)


def _directives_here(
    candidate: Candidate, settings: Settings
) -> tuple[tuple[Directive, ...] | None, dict[int, str]]:
    """A file whose extraction was lost still has its suppressions read: its other lessons'
    findings must not lose them. (Tokenizing comments is pure Python: nothing native to crash.)"""
    read = read_candidate(
        candidate,
        max_bytes=settings.max_file_size,
        max_line_length=settings.minified_line_length,
    )
    if isinstance(read, FileProblem):
        return None, {}
    try:
        found = parse_directives(
            read.text,
            frozenset({"ignore"}),
            python=read.kind is FileKind.PYTHON,
            lines=read.lines,
        )
    except (AnalysisError, RecursionError):
        return None, {}
    return tuple(found), {d.line: read.line_text(d.line) for d in found}


def _lost_problem(lost: TaskLost, task: FileTask) -> Problem:
    if 0 <= lost.step < len(task.lessons):
        during = f" while {task.lessons[lost.step]} was extracting its facts"
    elif lost.step == len(task.lessons):
        during = " while its suppression comments were read"
    else:
        during = ""
    if lost.reason == "timeout":
        return Problem(
            ProblemKind.TIMEOUT,
            f"analysis of this file stopped: it {lost.detail}{during}. Raise `file-time-limit` "
            "in [tool.pytest-lessons] if the file is ordinary code, or exclude it if generated",
        )
    return Problem(
        ProblemKind.CHECK_CRASHED,
        f"analysis of this file crashed: {lost.detail}{during}; the rest of the run is "
        "unaffected. Please report it with this file, or exclude the file",
    )


def _digest_part(rel: str, content_hash: str, facts_digest: bytes | None) -> str:
    """What a lesson's judgement depends on of one file: the digest of its facts about it
    (`FactCache.facts_digests`), or, where there is none, the file's content."""
    if facts_digest is not None:
        return f"{rel}\0facts:{facts_digest.hex()}\n"
    return f"{rel}\0content:{content_hash}\n"


def _lesson_digest(salt: str, parts: Sequence[str]) -> str:
    digest = hashlib.sha256(salt.encode())
    for part in parts:
        digest.update(part.encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


# --- judging ahead ---------------------------------------------------------------------------

_AHEAD_MIN_FILES = 500
"""A unit with fewer files' facts cached unpickles in a blink: no worker is forked for it."""


_AHEAD_EARLY_FILES = 64
"""At most this many files unknown by `stat` is an edit: judging ahead starts before the
survey. More is a checkout or a restored cache, where contents are most often unchanged."""


def _edited_kinds(
    candidates: Sequence[Candidate],
    signatures: Sequence[StatSignature | None] | None,
    cache: FactCache | None,
) -> set[FileKind] | None:
    """The kinds of the files the cache does not know by `stat` when there are a few of them
    (an empty set: none); None when there are more (see `_AHEAD_EARLY_FILES`)."""
    if cache is None or signatures is None:
        return None
    kinds: set[FileKind] = set()
    unknown = 0
    for candidate, signature in zip(candidates, signatures, strict=True):
        if signature is None or not cache.known_by_stat(candidate.rel, signature):
            unknown += 1
            if unknown > _AHEAD_EARLY_FILES:
                return None
            kinds.add(candidate.kind)
    return kinds


def _changed_kinds(surveyed: Sequence[tuple[Candidate, Survey]], cache: FactCache) -> set[FileKind]:
    """The kinds of the files whose content the survey found changed (or new)."""
    return {
        candidate.kind
        for candidate, survey in surveyed
        if cache.new_content(candidate.rel, survey.content_hash)
    }


def _start_judging_ahead(
    changed: set[FileKind],
    settings: Settings,
    profiles: Mapping[str, LessonProfile],
    cache: FactCache | None,
) -> JudgingAhead[_Verdict] | None:
    """The worker for the unit of lessons sharing facts with the most to unpickle (the
    largest cached pickles) that reads a kind of file in `changed` (see `judging_ahead`);
    None when there is none worth one. Asks the profiles and the cache only: nothing is built
    or imported here."""
    if cache is None or not changed or settings.jobs < 2 or start_method() != "fork":
        return None  # nothing to judge again: no lesson's profile is even asked
    units: dict[str, list[str]] = {}
    for lesson_id in settings.checks:
        profile = profiles[lesson_id]
        if profile.shares_facts and profile.file_kinds & changed:
            units.setdefault(profile.shares_facts, []).append(lesson_id)
    best: tuple[str, ...] = ()
    most = 0
    for unit in units.values():
        cached = cache.cached_facts(unit)
        if max(len(files) for files in cached.values()) < _AHEAD_MIN_FILES:
            continue
        # the unpickling it saves: the size of the unit's pickles (each shared one once)
        blobs = {id(p.blob): p.blob for files in cached.values() for p in files.values()}
        size = sum(blob.length for blob in blobs.values() if isinstance(blob, Stored))
        if size > most:
            best, most = tuple(unit), size
    if not best:
        return None

    def prepare() -> object:
        return [settings.checks[lesson_id] for lesson_id in best]

    def judge(
        unit: tuple[str, ...], facts: dict[str, dict[str, BaseModel]], unpickling: float
    ) -> dict[str, _Verdict]:
        unparked = {lesson_id: _Unparked(dict(facts[lesson_id]), []) for lesson_id in unit}
        return _judge_unit(settings, unit, unparked, unpickling / len(unit), lambda step: None)

    return JudgingAhead.start(best, cache, prepare, judge)


# --- judge, source lines ---------------------------------------------------------------------


@dataclass
class _Unparked:
    facts: dict[str, BaseModel]
    problems: list[FileProblem]
    extracted_again: int = 0


def _unparked(
    lesson_id: str,
    facts: Mapping[str, Facts],
    candidates: Mapping[str, Candidate],
    settings: Settings,
    decoded: dict[int, object],
) -> _Unparked:
    """A lesson's facts as objects, in file order, unpickled with the collector paused (a blob
    the lessons of its task share is unpickled once for all of them: `decoded`). A blob
    that cannot be read back (a spill file that went away) is not trusted: that file is
    extracted again for the lesson, here."""
    with gc_paused():
        loaded = {
            rel: found.load(decoded) if isinstance(found, Parked) else found
            for rel, found in facts.items()
        }
    unreadable = [rel for rel, found in loaded.items() if found is None]
    out = _Unparked(
        {rel: found for rel, found in loaded.items() if found is not None}, [], len(unreadable)
    )
    if unreadable:
        tasks = [FileTask(candidates[rel], (lesson_id,), directives=False) for rel in unreadable]
        extractor = FileExtractor(
            {lesson_id: settings.checks[lesson_id]},
            max_bytes=settings.max_file_size,
            max_line_length=settings.minified_line_length,
            pickle_facts=False,
        )
        for index, result in run_tasks(
            tasks, extractor, jobs=1, time_limit=settings.file_time_limit
        ):
            rel = unreadable[index]
            again = result.facts.get(lesson_id) if isinstance(result, FileResult) else None
            if again is not None:
                out.facts[rel] = again
                continue
            problem = (
                result.failed.get(lesson_id) or result.unreadable
                if isinstance(result, FileResult)
                else _lost_problem(result, tasks[index])
            )
            if isinstance(problem, Problem):
                out.problems.append(problem.for_file(rel, lesson_id))
            elif problem is not None:
                out.problems.append(problem)
    if unreadable:  # in file order, as every other run gives them to the lesson
        out.facts = {rel: out.facts[rel] for rel in loaded if rel in out.facts}
    return out


@dataclass(frozen=True)
class _Verdict:
    findings: list[Finding]
    crash: FileProblem | None
    problems: list[FileProblem]
    """Files whose parked facts could not be read back and could not be extracted again."""
    seconds: float
    """Judging, plus an even share of unpickling the facts of the lessons it judged with."""
    extracted_again: int = 0
    """Files whose facts could not be read back and were extracted again (`RunStats`)."""


_Unit = tuple[str, ...]
"""Lessons that judge in one task: those sharing a layer (`Check.shares_facts`), else one."""


class _JudgeJob:
    """Judge the lessons of one unit: unpickle their parked facts, judge them, let them go.

    The lessons of a unit share most of their facts (the telemetry lessons: each file's
    module and telemetry records), pickled together per file: unpickled once, they are the
    same objects for each lesson, which then also share the indexes built over them
    (`judging_together`). A crash (an exception) in one lesson's judge is that lesson's
    `check-crashed`; the others still judge.

    With more than one job and more than one unit to judge, units judge in forked worker
    processes (`extraction_pool`, which blames a crash on the unit: its lessons are then judged
    again one per task, so a lesson that takes its worker down is the only one lost): a worker
    inherits the parked facts' places and the spill file they are in, unpickles one unit's
    facts, judges and sends back findings. This process then unpickles no facts at all: its
    memory stays flat as the repository grows, and judging uses every core. Without fork
    (macOS, Windows) the job cannot travel to a worker and units judge here, one after the
    other."""

    def __init__(
        self,
        facts: dict[str, dict[str, Facts]],
        plan: Sequence[_Planned],
        settings: Settings,
        owns_freeze: bool,
    ) -> None:
        self._facts = facts
        self._candidates = {planned.candidate.rel: planned.candidate for planned in plan}
        self._settings = settings
        self._owns_freeze = owns_freeze

    def __reduce__(self) -> tuple[Any, ...]:
        raise TypeError("lessons judge in forked workers only (their facts are this process')")

    def __call__(self, task: _Unit, step: Callable[[int], None]) -> dict[str, _Verdict]:
        started = time.perf_counter()
        parked: dict[str, Mapping[str, Facts]] = {
            lesson_id: self._facts.pop(lesson_id) for lesson_id in task
        }
        return _unpark_and_judge(
            self._settings, task, parked, self._candidates, self._owns_freeze, started, step
        )


def _unpark_and_judge(
    settings: Settings,
    task: _Unit,
    parked: dict[str, Mapping[str, Facts]],
    candidates: Mapping[str, Candidate],
    freeze: bool,
    started: float,
    step: Callable[[int], None],
) -> dict[str, _Verdict]:
    """Unpickle a unit's facts (a pickle its lessons share, once), then judge them; each
    lesson is billed an even share of the time since `started`."""
    decoded: dict[int, object] = {}
    # these lessons' facts, frozen (freed when they are done) before the collector is on
    with gc_paused(freeze=freeze):
        facts = {
            lesson_id: _unparked(lesson_id, parked.pop(lesson_id), candidates, settings, decoded)
            for lesson_id in task
        }
        del decoded
    share = (time.perf_counter() - started) / len(task)
    return _judge_unit(settings, task, facts, share, step)


def _judge_unit(
    settings: Settings,
    task: _Unit,
    facts: dict[str, _Unparked],
    share: float,
    step: Callable[[int], None],
) -> dict[str, _Verdict]:
    """Judge the lessons of a unit one after the other, each over its facts (let go as soon
    as it is done), sharing what they build alike (`judging_together`)."""
    verdicts: dict[str, _Verdict] = {}
    with together():
        for position, lesson_id in enumerate(task):
            step(position)
            begun = time.perf_counter()
            unparked = facts.pop(lesson_id)
            found, crash = _judge(settings.checks[lesson_id], unparked.facts)
            seconds = share + time.perf_counter() - begun
            verdicts[lesson_id] = _Verdict(
                found, crash, unparked.problems, seconds, unparked.extracted_again
            )
    return verdicts


def _judge_lessons(
    lessons: Sequence[str],
    assembled: _Assembled,
    plan: Sequence[_Planned],
    settings: Settings,
    owns_freeze: bool,
    report: Progress,
    ahead: JudgingAhead[_Verdict] | None = None,
    stats: RunStats | None = None,
    held: _HeldRun | None = None,
) -> dict[str, _Verdict]:
    """Every lesson's verdict: the units the extraction workers hold judged by them, and the
    unit judging ahead (if it judges again) in its worker, the others meanwhile here or in
    judging workers; then those units' verdicts, or, for a worker that failed, its unit
    judged the usual way."""
    handed: tuple[str, ...] = ()
    if ahead is not None:
        handed = ahead.hand_over(_ahead_refs(ahead.lessons, lessons, assembled) or {})
    holders, held_answers = _judge_held(held, lessons, assembled)
    by_holders = {lesson_id for unit in holders.values() for lesson_id in unit}
    jobs = max(1, settings.jobs - (1 if handed else 0))
    verdicts = _judge_here(
        [
            lesson_id
            for lesson_id in lessons
            if lesson_id not in handed and lesson_id not in by_holders
        ],
        assembled,
        plan,
        settings,
        owns_freeze,
        report,
        jobs,
    )
    for slot, answer in held_answers:
        unit = holders[slot]
        if isinstance(answer, dict) and set(answer) == set(unit):
            del holders[slot]
            verdicts.update(answer)
            if stats is not None:
                stats.judged_held.extend(unit)
            for lesson_id in unit:
                report("judge", len(verdicts), len(lessons), lesson_id)
    for unit in holders.values():  # its worker died: judged the usual way (held files again)
        verdicts.update(
            _judge_here(
                list(unit), assembled, plan, settings, owns_freeze, report, settings.jobs, True
            )
        )
    if ahead is not None and handed:
        judged = ahead.verdicts()
        if judged is None:  # reported as they judge, on every job (the worker is gone)
            judged = _judge_here(
                list(handed), assembled, plan, settings, owns_freeze, report, settings.jobs
            )
        else:
            if stats is not None:
                stats.judged_ahead.extend(handed)
            for number, lesson_id in enumerate(handed, start=len(verdicts) + 1):
                report("judge", number, len(lessons), lesson_id)
        verdicts.update({lesson_id: judged[lesson_id] for lesson_id in handed})
    return verdicts


def _judge_here(
    lessons: Sequence[str],
    assembled: _Assembled,
    plan: Sequence[_Planned],
    settings: Settings,
    owns_freeze: bool,
    report: Progress,
    jobs: int,
    isolated: bool = False,
) -> dict[str, _Verdict]:
    """The lessons' verdicts, their units judged in forked workers (more than one job and
    more than one unit, or one unit `isolated`: its judge already took a worker down) or
    here."""
    job = _JudgeJob(assembled.facts, plan, settings, owns_freeze)
    units = shared_groups(lessons, settings.checks.__getitem__)
    verdicts: dict[str, _Verdict] = {}
    in_workers = jobs > 1 and (len(units) > 1 or isolated) and start_method() == "fork"
    if not in_workers:
        for unit in units:
            for lesson_id, verdict in job(unit, lambda step: None).items():
                verdicts[lesson_id] = verdict
                report("judge", len(verdicts), len(lessons), lesson_id)
        return verdicts
    # Largest first (the pool balances better), by the number of files its lessons judge.
    order = sorted(units, key=lambda unit: -sum(len(assembled.facts[lesson]) for lesson in unit))
    lost: list[_Unit] = []
    while order:
        # one unit at a time: a short unit queued behind a long one would wait for it
        answers = run_tasks(
            order,
            job,
            jobs=jobs,
            time_limit=_JUDGE_TIME_LIMIT,
            read_ahead=False,
            isolated=isolated,
        )
        for index, answer in answers:
            unit = order[index]
            if isinstance(answer, TaskLost) and len(unit) > 1:
                lost.extend((lesson_id,) for lesson_id in unit)  # found out which, alone
                continue
            for lesson_id in unit:
                if isinstance(answer, TaskLost):
                    problem = Problem(
                        ProblemKind.CHECK_CRASHED,
                        f"judging crashed: {answer.detail}; this is a bug in the lesson, "
                        "please report it",
                    )
                    verdict = _Verdict([], problem.for_file(".", lesson_id), [], 0.0)
                else:
                    verdict = answer[lesson_id]
                verdicts[lesson_id] = verdict
                report("judge", len(verdicts), len(lessons), lesson_id)
        order, lost = lost, []
    return verdicts


def _judge_held(
    held: _HeldRun | None, judging: Sequence[str], assembled: _Assembled
) -> tuple[dict[int, tuple[str, ...]], Iterator[tuple[int, Any]]]:
    """Send each extraction worker holding facts its unit to judge (its lessons that judge
    again), now; the units sent by slot, and the answers to come. Without such workers, or
    when nothing they hold judges again, the workers are stopped."""
    if held is None:
        return {}, iter(())
    sent: dict[int, tuple[str, ...]] = {}

    def task_for(slot: int) -> JudgeHeld | None:
        unit = held.holding.lessons_by_slot.get(slot, ())
        lessons = tuple(lesson_id for lesson_id in unit if lesson_id in judging)
        task = _held_task(slot, lessons, assembled) if lessons else None
        if task is not None:
            sent[slot] = task.lessons
        return task

    answers = held.run.finale(task_for, _JUDGE_TIME_LIMIT)
    if not sent:
        held.run.close()
    return sent, answers


def _held_task(slot: int, lessons: tuple[str, ...], assembled: _Assembled) -> JudgeHeld | None:
    """What the worker in `slot` is told: per lesson its files in order, each as held (-1) or
    as the index of the blob its facts wait in (another worker's spill file, which it reads
    itself, or the cache file it inherited; else a pickle, `_facts_pickle`). None when a
    pickle cannot be had (the unit is judged the usual way)."""
    blobs: list[Spilled | Stored | bytes] = []
    index_of: dict[int | str, int] = {}
    files: dict[str, tuple[tuple[str, int], ...]] = {}
    try:
        for lesson_id in lessons:
            refs: list[tuple[str, int]] = []
            for rel, found in assembled.facts.get(lesson_id, {}).items():
                if assembled.held_by.get(rel) == slot:
                    refs.append((rel, -1))
                    continue
                key = id(found.blob) if isinstance(found, Parked) else rel
                if key not in index_of:
                    index_of[key] = len(blobs)
                    blob = found.blob if isinstance(found, Parked) else None
                    if isinstance(blob, Stored) or (isinstance(blob, Spilled) and blob.file):
                        blobs.append(blob)  # read where it is: the cache or a spill file
                    else:
                        blobs.append(_facts_pickle(found, rel, lessons, assembled))
                refs.append((rel, index_of[key]))
            files[lesson_id] = tuple(refs)
    except Exception:  # facts that cannot be pickled: judged here instead
        return None
    return JudgeHeld(lessons, files, blobs)


def _facts_pickle(found: Facts, rel: str, lessons: Sequence[str], assembled: _Assembled) -> bytes:
    """A file's facts as a pickle for another process: the bytes they wait in (which hold
    every lesson sharing them), or, for facts extracted here, those of the unit's `lessons`
    pickled now. Facts a worker holds cannot be had (ValueError)."""
    if not isinstance(found, Parked):
        here = {
            other: facts
            for other in lessons
            if isinstance(facts := assembled.facts.get(other, {}).get(rel), BaseModel)
        }
        return pickle.dumps(here, protocol=pickle.HIGHEST_PROTOCOL)
    blob = found.blob
    if isinstance(blob, Spilled):
        return found.spill.get(blob)
    if isinstance(blob, Stored):
        return found.spill.stored(blob)
    if isinstance(blob, bytes):
        return blob
    if isinstance(blob, dict):
        return pickle.dumps(blob, protocol=pickle.HIGHEST_PROTOCOL)
    raise ValueError(f"{rel}: its facts are held by an extraction worker")


def _ahead_refs(
    unit: tuple[str, ...], judging: Sequence[str], assembled: _Assembled
) -> dict[str, list[tuple[str, FactRef]]] | None:
    """What the worker judging ahead is told of the unit's lessons that judge again: per
    lesson, each file's facts in order, as the place of the cached pickle it holds already or
    as a new pickle (one per file for the whole unit, so that its lessons share the records).
    None when a pickle cannot be had (the unit then judges the usual way)."""
    lessons = [lesson_id for lesson_id in unit if lesson_id in judging]
    pickles: dict[int | str, bytes] = {}  # one per blob, or per file for facts made here
    out: dict[str, list[tuple[str, FactRef]]] = {}
    try:
        for lesson_id in lessons:
            refs: list[tuple[str, FactRef]] = []
            for rel, found in assembled.facts.get(lesson_id, {}).items():
                if isinstance(found, Parked) and isinstance(found.blob, Stored):
                    refs.append((rel, found.blob.offset))
                    continue
                key = id(found.blob) if isinstance(found, Parked) else rel
                if key not in pickles:
                    pickles[key] = _facts_pickle(found, rel, lessons, assembled)
                refs.append((rel, pickles[key]))
            out[lesson_id] = refs
    except Exception:  # a spill file gone, facts that cannot be pickled: judged here instead
        return None
    return out


_JUDGE_TIME_LIMIT = 24 * 3600.0
"""Judging has no time limit of its own (it never had one); a worker that dies still ends as
a `check-crashed` problem of its lesson."""


def _judge(
    check: Check[Any, Any], facts: Mapping[str, BaseModel]
) -> tuple[list[Finding], FileProblem | None]:
    try:
        return list(check.judge(facts)), None
    except Exception as error:  # a crashing check must be reported, not hide all findings
        return [], crash_problem(error).for_file(".", check.lesson_id)


class _SourceLines:
    """The source line a finding quotes: from the suppression comments read, from the cache,
    or read back from the file (only files with findings are read again)."""

    def __init__(
        self,
        plan: Sequence[_Planned],
        assembled: _Assembled,
        cache: FactCache | None,
        stats: RunStats,
        settings: Settings,
    ) -> None:
        self._candidates = {p.candidate.rel: p.candidate for p in plan}
        self._settings = settings
        self._assembled = assembled
        self._cache = cache
        self._stats = stats
        self._files: dict[str, dict[int, str] | None] = {}

    def attach(self, finding: Finding) -> Finding:
        if finding.source_line or finding.path is None:
            return finding
        text = self._line(finding.path, finding.line)
        if not text:
            return finding
        return finding.model_copy(update={"source_line": text})

    def _line(self, rel: str, line: int) -> str | None:
        known = self._assembled.directive_lines.get(rel, {})
        if line in known:
            return known[line]
        content_hash = self._assembled.hashes.get(rel)
        if content_hash is None:
            return None
        if self._cache is not None:
            cached = self._cache.lines(rel, content_hash)
            if line in cached:
                return cached[line]
        lines = self._read(rel, content_hash)
        if lines is None or line not in lines:
            return None
        if self._cache is not None:
            self._cache.store_lines(rel, content_hash, {line: lines[line]})
        return lines[line]

    def _read(self, rel: str, content_hash: str) -> dict[int, str] | None:
        if rel in self._files:
            return self._files[rel]
        candidate = self._candidates.get(rel)
        lines: dict[int, str] | None = None
        if candidate is not None:
            read = read_candidate(
                candidate,
                max_bytes=self._settings.max_file_size,
                max_line_length=self._settings.minified_line_length,
            )
            self._stats.files_read += 1
            if isinstance(read, SourceFile) and read.content_hash == content_hash:
                try:
                    lines = dict(enumerate(read.lines, start=1))
                except AnalysisError:
                    lines = None
        self._files[rel] = lines
        return lines
