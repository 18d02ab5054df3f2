"""`pytest-lessons fix`: apply the fixes lessons offer, then run them again to see what is left.

Never part of a test run: a run reports, this command writes. Each round analyses the
repository, asks every finding's lesson for its fix (`Check.fix`), applies the fixes that do not
touch the same text (a fix that overlaps one already taken waits for the next round, whose
analysis sees the file as it now is), and writes the files back in the encoding they were read
in. Rounds stop when nothing more applies; the last analysis is what is left. With `diff`,
one round is computed and shown as a unified diff, and nothing is written.

Fixes only ever touch files inside the root; a fix that points elsewhere, or whose hook
crashes, is reported and skipped, never applied.
"""

from __future__ import annotations

import difflib
import io
import tokenize
import traceback
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pytest_lessons.analysis import run_analysis
from pytest_lessons.errors import AnalysisError
from pytest_lessons.findings import FileProblem, Finding
from pytest_lessons.fixes import Fix, TextEdit
from pytest_lessons.outcome import Outcome
from pytest_lessons.settings import Settings
from pytest_lessons.source import FileKind, SourceFile, kind_of

MAX_ROUNDS = 10


class RepositoryFiles:
    """The files of the root as they are on disk now (what `fix()` hooks read)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path_of(self, rel: str) -> Path | None:
        """The file `rel` names, or None when it would lead out of the root."""
        if not rel or rel.startswith("/") or "\\" in rel:
            return None
        path = self.root / rel
        try:
            resolved = path.resolve()
        except OSError:
            return None
        return path if resolved.is_relative_to(self.root.resolve()) else None

    def source(self, rel: str) -> SourceFile | None:
        path = self.path_of(rel)
        if path is None or not path.is_file():
            return None
        directory, _, name = rel.rpartition("/")
        kind = kind_of(name, directory)
        if kind is None:
            return None
        try:
            return SourceFile(path, rel, kind, path.read_bytes())
        except OSError:
            return None


@dataclass(frozen=True)
class Applied:
    """One finding a fix was applied for."""

    finding: Finding
    description: str
    paths: tuple[str, ...]


@dataclass
class FixReport:
    applied: list[Applied] = field(default_factory=list)
    changed: dict[str, tuple[str | None, str]] = field(default_factory=dict)
    """rel -> (text before the first change, or None for a created file; text after)."""
    refused: list[tuple[Finding, str]] = field(default_factory=list)
    """Fixes not applied, with why (a hook crashed, an edit leaves the root)."""
    outcome: Outcome | None = None
    """The last analysis: after the fixes when they were written, before them in diff mode."""
    written: bool = True

    @property
    def left(self) -> list[Finding]:
        """Findings that still fail (after writing), or all findings (diff mode, no re-run)."""
        if self.outcome is None:
            return []
        return [f for f in self.outcome.findings if not f.suppressed]

    @property
    def problems(self) -> list[FileProblem]:
        if self.outcome is None:
            return []
        return [p for p in self.outcome.problems if p.fails_lesson]


def fix_repository(settings: Settings, *, write: bool = True) -> FixReport:
    """Apply every certain fix under `settings.root` (or only compute them, `write=False`)."""
    files = RepositoryFiles(settings.root)
    report = FixReport(written=write)
    for _ in range(MAX_ROUNDS if write else 1):
        outcome = run_analysis(settings)
        report.outcome = outcome
        chosen = _choose(settings, outcome, files, report)
        if not chosen:
            break
        changes = _apply(files, chosen)
        if not changes:
            break
        for rel, (before, after) in changes.items():
            first_before = report.changed[rel][0] if rel in report.changed else before
            report.changed[rel] = (first_before, after)
        report.applied.extend(
            Applied(finding, fix.description, tuple(sorted({e.path for e in fix.edits})))
            for finding, fix in chosen
        )
        if not write:
            break
        for rel, (_, after) in changes.items():
            _write(files, rel, after)
    if write and report.applied:
        report.outcome = run_analysis(settings)
    return report


def _choose(
    settings: Settings, outcome: Outcome, files: RepositoryFiles, report: FixReport
) -> list[tuple[Finding, Fix]]:
    """The fixes of this round: one per finding, none overlapping another's text."""
    taken: dict[str, list[tuple[int, int]]] = {}
    seen: set[tuple[TextEdit, ...]] = set()
    chosen: list[tuple[Finding, Fix]] = []
    for finding in outcome.findings:
        check = settings.checks.get(finding.lesson)
        if finding.suppressed or check is None:
            continue
        try:
            fix = check.fix(finding, files)
        except Exception as error:  # a broken hook costs its fix, never the command
            frame = traceback.extract_tb(error.__traceback__)[-1]
            report.refused.append(
                (
                    finding,
                    f"the lesson's fix() crashed ({type(error).__name__}: {error} at "
                    f"{frame.filename}:{frame.lineno}); this is a bug in the lesson",
                )
            )
            continue
        if fix is None or not fix.edits or fix.edits in seen:
            continue
        outside = [edit.path for edit in fix.edits if files.path_of(edit.path) is None]
        if outside:
            report.refused.append((finding, f"the fix edits {outside[0]}, outside the root"))
            continue
        ranges = [(e.path, e.start, e.end) for e in fix.edits if e.start is not None]
        if any(_overlaps(taken.get(path, []), start, end) for path, start, end in ranges):
            continue  # the next round, on the changed file, takes it if it still applies
        for path, start, end in ranges:
            assert start is not None and end is not None
            taken.setdefault(path, []).append((start, end))
        seen.add(fix.edits)
        chosen.append((finding, fix))
    return chosen


def _overlaps(taken: Sequence[tuple[int, int]], start: int | None, end: int | None) -> bool:
    assert start is not None and end is not None
    for other_start, other_end in taken:
        if start < other_end and other_start < end:
            return True
        if start == end == other_start or other_start == other_end == start:
            return True  # two insertions at one place: their order would be a guess
    return False


def _apply(
    files: RepositoryFiles, chosen: Sequence[tuple[Finding, Fix]]
) -> dict[str, tuple[str | None, str]]:
    """The new text of every file the fixes touch: rel -> (old text or None, new text)."""
    edits: dict[str, list[TextEdit]] = {}
    for _, fix in chosen:
        for edit in fix.edits:
            edits.setdefault(edit.path, []).append(edit)
    changes: dict[str, tuple[str | None, str]] = {}
    for rel, file_edits in edits.items():
        before = _current_text(files, rel)
        if before is None and any(not edit.is_append for edit in file_edits):
            continue  # a range edit on a file that cannot be read: nothing certain to do
        text = before or ""
        ranged = sorted(
            (e for e in file_edits if not e.is_append), key=lambda e: e.start or 0, reverse=True
        )
        for edit in ranged:
            assert edit.start is not None and edit.end is not None
            text = text[: edit.start] + edit.text + text[edit.end :]
        for edit in (e for e in file_edits if e.is_append):
            if text and not text.endswith(("\n", "\r")):
                text += _newline(text)
            text += edit.text
        if text != (before or "") or before is None:
            changes[rel] = (before, text)
    return changes


def _current_text(files: RepositoryFiles, rel: str) -> str | None:
    source = files.source(rel)
    if source is None:
        path = files.path_of(rel)
        if path is not None and path.exists():
            return None if not path.is_file() else path.read_text(encoding="utf-8")
        return None
    try:
        return source.text
    except AnalysisError:
        return None


def _newline(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def _write(files: RepositoryFiles, rel: str, text: str) -> None:
    path = files.path_of(rel)
    assert path is not None
    path.parent.mkdir(parents=True, exist_ok=True)
    old = path.read_bytes() if path.is_file() else None
    path.write_bytes(_encoded(rel, text, old))


def _encoded(rel: str, text: str, old: bytes | None) -> bytes:
    """`text` in the encoding the file was read in: a BOM kept, a Python coding cookie obeyed."""
    bom = b"\xef\xbb\xbf" if old is not None and old.startswith(b"\xef\xbb\xbf") else b""
    encoding = "utf-8"
    directory, _, name = rel.rpartition("/")
    if old is not None and not bom and kind_of(name, directory) is FileKind.PYTHON:
        try:
            encoding, _ = tokenize.detect_encoding(io.BytesIO(old).readline)
        except SyntaxError:
            encoding = "utf-8"
    if encoding == "utf-8-sig":
        encoding, bom = "utf-8", b"\xef\xbb\xbf"
    return bom + text.encode(encoding)


def unified_diff(report: FixReport) -> str:
    """The changes as `git diff` shows them, file by file."""
    chunks: list[str] = []
    for rel in sorted(report.changed):
        before, after = report.changed[rel]
        chunks.extend(
            difflib.unified_diff(
                (before or "").splitlines(keepends=True),
                after.splitlines(keepends=True),
                fromfile="/dev/null" if before is None else f"a/{rel}",
                tofile=f"b/{rel}",
            )
        )
    return "".join(line if line.endswith("\n") else line + "\n" for line in chunks)


def render_report(report: FixReport) -> list[str]:
    """What changed (or would), what is left, and why some fixes were not applied."""
    verb = "fixed" if report.written else "would fix"
    lines: list[str] = []
    if report.applied:
        count = len(report.applied)
        files = len(report.changed)
        lines.append(
            f"{verb} {count} finding{'s' if count != 1 else ''} "
            f"in {files} file{'s' if files != 1 else ''}:"
        )
        for applied in report.applied:
            finding = applied.finding
            where = finding.location() if finding.path is not None else "<repository>"
            lines.append(f"  {where} [{finding.lesson}] {applied.description}")
    else:
        lines.append("nothing to fix: no finding has a fix that applies")
    for finding, why in report.refused:
        lines.append(f"not fixed {finding.location()} [{finding.lesson}]: {why}")
    if report.written:
        left = report.left
        if left:
            lines.append(
                f"left: {len(left)} finding{'s' if len(left) != 1 else ''} to fix by hand:"
            )
            for finding in left:
                lines.append(
                    f"  {finding.location()}: {_short(finding.message)} [{finding.lesson}]"
                )
        else:
            lines.append("left: nothing; every finding is fixed")
    for problem in report.problems:
        lines.append(f"not analysed {problem.location()}: {problem.message}")
    return lines


def _short(message: str) -> str:
    return message if len(message) <= 120 else message[:117] + "..."
