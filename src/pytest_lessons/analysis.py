"""The analysis: workspace -> per-file facts -> judge -> filter, producing one `Outcome`.

Each file is read once; a lesson parses it only when its prefilter matches, and the parse is
shared by every lesson through the `SourceFile`. A check that fails on a file (bad syntax, or a
bug in the check itself) becomes a problem reported under that lesson, so one broken file can
neither crash the run nor make a lesson pass in silence.
"""

from __future__ import annotations

import traceback
from collections import defaultdict
from typing import Any, Protocol

from pydantic import BaseModel

from pytest_lessons.checks.base import Check
from pytest_lessons.directives import MARKER, Directive, parse_directives
from pytest_lessons.errors import too_deep_to_analyse
from pytest_lessons.findings import FileProblem, Finding, ProblemKind, one_per_file
from pytest_lessons.outcome import Outcome
from pytest_lessons.settings import Settings
from pytest_lessons.source import AnalysisError, FileKind, SourceFile
from pytest_lessons.suppression import apply_suppressions
from pytest_lessons.workspace import nothing_analysed, read_candidate, scan_workspace


class FactStore(Protocol):
    """Where extracted facts, and the parse notes that came with them, outlive a run."""

    def lookup(self, check: Check[Any, Any], source: SourceFile) -> BaseModel | None: ...

    def store(self, check: Check[Any, Any], source: SourceFile, facts: BaseModel) -> None: ...

    def notes(self, source: SourceFile) -> list[AnalysisError] | None: ...

    def store_notes(self, source: SourceFile, notes: list[AnalysisError]) -> None: ...


def run_analysis(settings: Settings, *, cache: FactStore | None = None) -> Outcome:
    scan = scan_workspace(
        settings.root,
        exclude=settings.exclude,
        use_gitignore=settings.respect_gitignore,
        follow_external_symlinks=settings.follow_external_symlinks,
    )
    problems: list[FileProblem] = list(scan.problems)
    facts: dict[str, dict[str, BaseModel]] = defaultdict(dict)
    files_by_lesson: dict[str, list[str]] = defaultdict(list)
    directives: dict[str, list[Directive]] = {}
    lines: dict[str, list[str]] = {}
    ignored_by_file: dict[str, frozenset[str]] = {}
    files_scanned = 0

    read_kinds = {kind for check in settings.checks.values() for kind in check.file_kinds}
    sources: list[SourceFile | None] = []
    for candidate in scan.candidates:
        if candidate.kind not in read_kinds:
            continue  # no running lesson reads this type: not opened, so never "left out" either
        read = read_candidate(
            candidate,
            max_bytes=settings.max_file_size,
            max_line_length=settings.minified_line_length,
        )
        if isinstance(read, FileProblem):
            problems.append(read)
        else:
            sources.append(read)
    if not sources:
        silent = nothing_analysed(problems)
        if silent is not None:
            problems.append(silent)
    gated = _gated_kinds(settings, sources) if settings.use_prefilter else {}
    for index, source in enumerate(sources):
        assert source is not None
        sources[index] = None  # parsed trees hang off the source: let them go file by file
        files_scanned += 1
        ignored = settings.ignored_here(source.rel)
        if ignored:
            ignored_by_file[source.rel] = ignored
        wanted = [
            check
            for lesson_id, check in settings.checks.items()
            if source.kind not in gated.get(lesson_id, ())
            and check.applies_to(source, use_prefilter=settings.use_prefilter)
        ]
        if MARKER in source.data:
            try:
                directives[source.rel] = parse_directives(
                    source.text,
                    frozenset({"ignore"}),
                    python=source.kind is FileKind.PYTHON,
                    lines=source.lines,
                )
                lines[source.rel] = source.lines
            except AnalysisError:
                pass  # reported below by every lesson that needed the file
        fresh = False
        for check in wanted:
            hit = cache.lookup(check, source) if cache is not None else None
            extracted = hit if hit is not None else _extract(check, source, problems, cache)
            fresh = fresh or hit is None
            if extracted is not None:
                facts[check.lesson_id][source.rel] = extracted
                try:
                    lines[source.rel] = source.lines
                except AnalysisError:
                    pass  # the lesson read bytes only (a file it skips); no line to show
            # per-file-ignored files still contribute facts, but get no item; a file whose
            # extraction failed gets one, to show why
            subject = extracted is None or check.is_subject(extracted)
            if subject and check.lesson_id not in ignored:
                files_by_lesson[check.lesson_id].append(source.rel)
        # A file whose facts all came from the cache is not parsed again, so the notes its parse
        # produced last time are replayed from the cache rather than silently dropped.
        notes = source.notes
        if cache is not None and wanted:
            if fresh:
                cache.store_notes(source, source.notes)
            else:
                notes = cache.notes(source) or []
        problems.extend(
            FileProblem(
                path=source.rel,
                kind=note.kind,
                message=note.message,
                line=note.line,
                column=note.column,
            )
            for note in notes
        )

    # A file that does not decode or parse is one problem, shown once by the workspace item
    # rather than by an item per lesson that tried to read it.
    problems = one_per_file(problems)
    for problem in problems:
        for lesson_id in problem.needed_by:
            if problem.path in files_by_lesson.get(lesson_id, ()):
                files_by_lesson[lesson_id].remove(problem.path)

    findings: list[Finding] = []
    for lesson_id, check in settings.checks.items():
        try:
            judged = list(check.judge(facts.get(lesson_id, {})))
        except Exception as error:  # a crashing check must be reported, not hide all findings
            problems.append(_crash(lesson_id, ".", error))
            continue
        findings.extend(_with_source_line(f, lines) for f in judged)

    findings, suppression_problems = apply_suppressions(
        findings,
        directives,
        running=settings.checks.keys(),
        known=settings.catalog.ids,
        ignored_by_file=ignored_by_file,
        require_reason=settings.require_suppression_reason,
        severity={lesson_id: check.spec.severity for lesson_id, check in settings.checks.items()},
    )
    findings = [_with_source_line(f, lines) for f in findings]
    findings.sort(key=lambda f: (f.lesson, f.path or "", f.line, f.column, f.message))
    return Outcome(
        root=str(settings.root),
        lessons=list(settings.checks),
        skipped=dict(settings.skipped),
        files_by_lesson={lesson: files_by_lesson.get(lesson, []) for lesson in settings.checks},
        findings=findings,
        problems=problems + suppression_problems,
        files_scanned=files_scanned,
    )


def _gated_kinds(
    settings: Settings, sources: list[SourceFile | None]
) -> dict[str, frozenset[FileKind]]:
    """Per lesson, the file kinds its `project_prefilter` rules out for this whole project."""
    gated: dict[str, frozenset[FileKind]] = {}
    for lesson_id, check in settings.checks.items():
        off = frozenset(
            kind
            for kind, markers in check.project_prefilter().items()
            if not any(
                source is not None and source.kind is kind and source.contains_any(markers)
                for source in sources
            )
        )
        if off:
            gated[lesson_id] = off
    return gated


def _extract(
    check: Check[Any, Any],
    source: SourceFile,
    problems: list[FileProblem],
    cache: FactStore | None,
) -> BaseModel | None:
    try:
        try:
            extracted: BaseModel = check.extract(source)
        except RecursionError:  # the file is too deep for the lesson, not a bug in it
            raise too_deep_to_analyse() from None
    except AnalysisError as error:
        problems.append(
            FileProblem(
                path=source.rel,
                lesson=check.lesson_id,
                kind=error.kind,
                message=error.message,
                line=error.line,
                column=error.column,
            )
        )
        return None
    except Exception as error:  # a bug in a check must not take the other lessons down
        problems.append(_crash(check.lesson_id, source.rel, error))
        return None
    if cache is not None:
        cache.store(check, source, extracted)
    return extracted


def _crash(lesson_id: str, path: str, error: Exception) -> FileProblem:
    frame = traceback.extract_tb(error.__traceback__)[-1] if error.__traceback__ else None
    where = f" at {frame.filename}:{frame.lineno}" if frame else ""
    return FileProblem(
        path=path,
        lesson=lesson_id,
        kind=ProblemKind.CHECK_CRASHED,
        message=(
            f"the check crashed ({type(error).__name__}: {error}{where}); this is a bug in the "
            "lesson, please report it with this file"
        ),
    )


def _with_source_line(finding: Finding, lines: dict[str, list[str]]) -> Finding:
    if finding.source_line or finding.path is None:
        return finding
    file_lines = lines.get(finding.path)
    if file_lines is None or not 1 <= finding.line <= len(file_lines):
        return finding
    return finding.model_copy(update={"source_line": file_lines[finding.line - 1]})
