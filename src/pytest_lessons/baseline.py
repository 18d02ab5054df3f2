"""The baseline: findings a team accepted on the day it adopted a lesson, so only new ones fail.

A legacy repository has dozens of findings nobody will fix this week (migrations applied years
ago, a long env example backlog); without a baseline the job never goes green and is never
turned on. The file records each accepted finding by lesson, path, fingerprint and occurrence
(see `fingerprint.py`), so moving or reformatting the code keeps it accepted, while a second copy
of the same mistake fails. Entries whose finding no longer occurs are reported as fixed.

The file is JSON, one entry per line, sorted: a reviewer reads its diff like any other change.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from pydantic import ValidationError

from pytest_lessons.errors import LessonsConfigError
from pytest_lessons.findings import BaselineEntry, Finding
from pytest_lessons.outcome import Outcome
from pytest_lessons.validation import describe_validation_error

BASELINE_VERSION = 1
BASELINED = "baseline"
"""`Finding.suppressed_by` of a finding the baseline accepts."""
_CODE_WIDTH = 120


def read_baseline(path: Path) -> list[BaselineEntry]:
    """The file's entries; a usage error naming the file and line when it is not a baseline."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LessonsConfigError(
            path,
            "baseline file not found; create it with --lessons-update-baseline "
            "(or fix `baseline` / --lessons-baseline)",
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise LessonsConfigError(path, f"cannot read the baseline: {error}") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise LessonsConfigError(
            path,
            f"not valid JSON: {error.msg}; regenerate it with --lessons-update-baseline",
            line=error.lineno,
        ) from None
    if not isinstance(document, dict) or document.get("version") != BASELINE_VERSION:
        raise LessonsConfigError(
            path,
            f"not a pytest-lessons baseline of version {BASELINE_VERSION} (expected an object "
            '{"version": 1, "findings": [...]}); regenerate it with --lessons-update-baseline',
        )
    raw = document.get("findings")
    if not isinstance(raw, list):
        raise LessonsConfigError(path, '"findings" must be a list of entries')
    entries: list[BaselineEntry] = []
    for index, item in enumerate(raw):
        try:
            entries.append(BaselineEntry.model_validate(item))
        except ValidationError as error:
            raise LessonsConfigError(
                path,
                f"entry {index + 1}: {describe_validation_error(error, BaselineEntry, item)}",
                line=_line_of_entry(text, index),
            ) from None
    return entries


def write_baseline(path: Path, entries: Iterable[BaselineEntry]) -> None:
    """Sorted by path, lesson and code, one entry per line: stable, and readable in a diff."""
    ordered = sorted(set(entries), key=_sort_key)
    lines = [
        "    " + json.dumps(entry.model_dump(), ensure_ascii=False, separators=(", ", ": "))
        for entry in ordered
    ]
    body = ",\n".join(lines)
    text = f'{{\n  "version": {BASELINE_VERSION},\n  "findings": [\n{body}\n  ]\n}}\n'
    if not lines:
        text = f'{{\n  "version": {BASELINE_VERSION},\n  "findings": []\n}}\n'
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def entry_for(finding: Finding) -> BaselineEntry:
    if finding.fingerprint is None:
        raise ValueError("findings get their fingerprint before the baseline sees them")
    code = " ".join(finding.source_line.split()) if finding.path else ""
    if len(code) > _CODE_WIDTH:
        code = code[: _CODE_WIDTH - 1] + "…"
    return BaselineEntry(
        lesson=finding.lesson,
        path=finding.path,
        fingerprint=finding.fingerprint,
        occurrence=finding.occurrence,
        code=code,
    )


def apply_baseline(outcome: Outcome, entries: Iterable[BaselineEntry]) -> Outcome:
    """Mark the findings the baseline accepts, and list the entries that no longer occur.

    Only lessons that ran can fix an entry: an entry of a lesson deselected on this run is
    neither matched nor fixed.
    """
    recorded = {entry.key: entry for entry in entries}
    matched: set[tuple[str, str | None, str, int]] = set()
    findings: list[Finding] = []
    for finding in outcome.findings:
        key = entry_for(finding).key
        if not finding.suppressed and key in recorded:
            matched.add(key)
            finding = finding.model_copy(update={"suppressed": True, "suppressed_by": BASELINED})
        findings.append(finding)
    ran = set(outcome.lessons)
    fixed = [
        entry
        for key, entry in sorted(recorded.items(), key=lambda item: _sort_key(item[1]))
        if key not in matched and entry.lesson in ran
    ]
    return outcome.model_copy(update={"findings": findings, "baseline_fixed": fixed})


def updated_entries(previous: Iterable[BaselineEntry], outcome: Outcome) -> list[BaselineEntry]:
    """The baseline after `--lessons-update-baseline`, from an outcome the baseline has not
    filtered yet: every unsuppressed finding of the lessons that ran, plus the entries of
    lessons that did not run (a `--lessons-select` run must not erase the others' entries)."""
    ran = set(outcome.lessons)
    kept = [entry for entry in previous if entry.lesson not in ran]
    return [*kept, *(entry_for(f) for f in outcome.findings if not f.suppressed)]


def _sort_key(entry: BaselineEntry) -> tuple[str, str, str, str, int]:
    return (entry.path or "", entry.lesson, entry.code, entry.fingerprint, entry.occurrence)


def _line_of_entry(text: str, index: int) -> int | None:
    """Entries are written one per line after the `"findings": [` line."""
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip().startswith('"findings"'):
            return number + index + 1
    return None
