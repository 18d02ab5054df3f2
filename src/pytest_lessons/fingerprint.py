"""A finding's identity that survives moving and reformatting code: its fingerprint.

Baselines, SARIF's `partialFingerprints` and the JSON report key findings by lesson, path, a hash
of the flagged code's normalised text and an occurrence index, never by line numbers: code moved
down 20 lines, re-indented, re-wrapped by a formatter (which also adds a trailing comma and
changes quotes) is the same finding. The flagged code is the finding's span; a finding that marks
a point rather than a span stands for its whole line.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from pytest_lessons.findings import Finding
from pytest_lessons.outcome import Outcome
from pytest_lessons.source import AnalysisError, FileKind, SourceFile, kind_of

_WHITESPACE = re.compile(r"\s+")
_TRAILING_COMMA = re.compile(r",(?=[)\]}])")


def flagged_code(finding: Finding, lines: Sequence[str]) -> str:
    """The source text the finding points at (its span, or its whole line for a point)."""
    if finding.path is None or not 1 <= finding.line <= len(lines):
        return finding.source_line
    first = finding.line - 1
    last = min(max(finding.end_line, finding.line), len(lines)) - 1
    is_point = last == first and finding.end_column <= finding.column
    if is_point:
        return lines[first]
    if last == first:
        return lines[first][finding.column - 1 : finding.end_column - 1]
    parts = [lines[first][finding.column - 1 :], *lines[first + 1 : last]]
    parts.append(lines[last][: max(finding.end_column - 1, 0)])
    return "\n".join(parts)


def normalise(code: str) -> str:
    """What a formatter cannot change: no whitespace, no trailing commas, one kind of quote."""
    text = _WHITESPACE.sub("", code)
    text = _TRAILING_COMMA.sub("", text)
    return text.replace("'", '"')


def fingerprint_of(finding: Finding, lines: Sequence[str]) -> str:
    """16 hex digits of the normalised code.

    A finding about the repository as a whole has no code, and its message counts things and
    names lines that change with every commit ("reads 14 variables ... first at x.py:105"): it is
    keyed by its lesson and occurrence alone. A finding whose line cannot be read hashes its
    message.
    """
    if finding.path is None:
        code = "<repository>"
    else:
        code = normalise(flagged_code(finding, lines)) or "message:" + normalise(finding.message)
    return hashlib.sha256(code.encode("utf-8")).hexdigest()[:16]


def with_fingerprints(outcome: Outcome) -> Outcome:
    """Every finding with its fingerprint and occurrence index set.

    The occurrence index numbers the findings of one lesson in one file that share a
    fingerprint, in line order, so two identical flagged calls in a file stay two entries.
    """
    root = Path(outcome.root)
    lines_by_path = {
        path: _read_lines(root, path) for path in {f.path for f in outcome.findings if f.path}
    }
    stamped: list[Finding] = []
    seen: dict[tuple[str, str | None, str], int] = defaultdict(int)
    ordered = sorted(
        outcome.findings, key=lambda f: (f.lesson, f.path or "", f.line, f.column, f.message)
    )
    for finding in ordered:
        lines = lines_by_path.get(finding.path, []) if finding.path else []
        fingerprint = fingerprint_of(finding, lines)
        key = (finding.lesson, finding.path, fingerprint)
        stamped.append(
            finding.model_copy(update={"fingerprint": fingerprint, "occurrence": seen[key]})
        )
        seen[key] += 1
    return outcome.model_copy(update={"findings": stamped})


def _read_lines(root: Path, rel: str) -> list[str]:
    """The file decoded as the analysis decoded it (a Python coding cookie, a BOM)."""
    path = root / rel
    directory, _, name = rel.rpartition("/")
    kind = kind_of(name, directory) or FileKind.ENV  # any kind but Python decodes plain UTF-8
    try:
        return SourceFile(path, rel, kind, path.read_bytes()).lines
    except (OSError, AnalysisError):
        return []
