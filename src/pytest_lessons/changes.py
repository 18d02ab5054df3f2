"""Diff mode: which lines changed since the merge base with a git ref, and which findings they hold.

A pre-commit hook or a pull-request job asks "did this change repeat a lesson?", not "is the
repository clean?". Cross-file analysis still reads the whole repository (a route's auth may live
in another file), but only findings on lines added or changed since `git merge-base REF HEAD`
fail. The comparison is with the working tree, so staged and unstaged edits count, and so do
untracked files (every line of them is new). git runs as a subprocess; nothing else is needed.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pytest_lessons.errors import LessonsConfigError
from pytest_lessons.findings import Finding
from pytest_lessons.outcome import Outcome

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
_ESCAPE = re.compile(rb"\\(?:([0-7]{3})|(.))")
_CHARS = {b"t": b"\t", b"n": b"\n", b"r": b"\r", b"a": b"\a", b"b": b"\b", b"f": b"\f", b"v": b"\v"}


@dataclass(frozen=True)
class ChangedLines:
    """Lines added or changed since the merge base, by path relative to the lessons root."""

    ref: str
    merge_base: str
    lines: dict[str, frozenset[int]] = field(default_factory=dict)
    new_files: frozenset[str] = frozenset()

    def touches(self, finding: Finding) -> bool:
        """Whether any line of the finding's span was added or changed."""
        if finding.path is None:
            return False  # about the repository as a whole: no line of its own to have changed
        if finding.path in self.new_files:
            return True
        changed = self.lines.get(finding.path)
        if not changed:
            return False
        last = max(finding.end_line, finding.line)
        return any(line in changed for line in range(finding.line, last + 1))

    @property
    def reason(self) -> str:
        """`Finding.suppressed_by` of a finding on a line this change did not touch."""
        return f"unchanged since {self.ref}"


def apply_changes(outcome: Outcome, changed: ChangedLines) -> Outcome:
    """Findings on untouched lines stop failing (marked, not dropped: reports still count them)."""
    findings = [
        f
        if f.suppressed or changed.touches(f)
        else f.model_copy(update={"suppressed": True, "suppressed_by": changed.reason})
        for f in outcome.findings
    ]
    return outcome.model_copy(update={"findings": findings})


def changed_lines(root: Path, ref: str) -> ChangedLines:
    """Run git in `root`; a usage error when git, the repository or the ref is missing."""
    _git(root, ["rev-parse", "--show-toplevel"], what="find the git repository")
    _git(
        root,
        ["rev-parse", "--verify", "--quiet", "HEAD"],
        what="resolve HEAD",
        failure="the repository has no commit yet: diff mode compares with a commit",
    )
    commit = _git(
        root,
        ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"],
        what=f"resolve {ref!r}",
        failure=f"unknown git ref {ref!r}: name a branch, tag or commit (e.g. origin/main, HEAD)",
    ).strip()
    merge_base = _git(
        root,
        ["merge-base", commit, "HEAD"],
        what=f"find the merge base of {ref!r} and HEAD",
        failure=f"{ref!r} and HEAD share no history (no merge base); fetch more history "
        "(actions/checkout: fetch-depth: 0) or name another ref",
    ).strip()
    diff = _git(
        root,
        [
            "diff",
            "--unified=0",
            "--no-color",
            "--no-ext-diff",
            "--no-textconv",
            "--find-renames",
            "--relative",
            "--src-prefix=a/",
            "--dst-prefix=b/",
            merge_base,
            "--",
        ],
        what="diff the working tree",
    )
    untracked = _git(
        root, ["ls-files", "--others", "--exclude-standard", "-z", "--", "."], what="list files"
    )
    return ChangedLines(
        ref=ref,
        merge_base=merge_base,
        lines=parse_unified_diff(diff),
        new_files=frozenset(name for name in untracked.split("\0") if name),
    )


def parse_unified_diff(diff: str) -> dict[str, frozenset[int]]:
    """`+++ b/path` then `@@ -a,b +c,d @@` hunks -> the added or changed lines of each file."""
    lines: dict[str, set[int]] = {}
    current: set[int] | None = None
    for row in diff.splitlines():
        if row.startswith("+++ "):
            target = row[4:]
            path = _unquote(target)
            current = None if path == "/dev/null" else lines.setdefault(path[2:], set())
            continue
        match = _HUNK.match(row)
        if match and current is not None:
            start = int(match.group(1))
            count = int(match.group(2)) if match.group(2) is not None else 1
            current.update(range(start, start + count))
    return {path: frozenset(numbers) for path, numbers in lines.items()}


def _unquote(path: str) -> str:
    """git quotes paths with unusual characters C-style: `"b/caf\\303\\251.py"`."""
    if not (path.startswith('"') and path.endswith('"')):
        return path.rstrip("\t")

    def plain(match: re.Match[bytes]) -> bytes:
        if match.group(1) is not None:
            return bytes([int(match.group(1), 8)])
        return _CHARS.get(match.group(2), match.group(2))

    return _ESCAPE.sub(plain, path[1:-1].encode("utf-8")).decode("utf-8", errors="replace")


def _git(root: Path, args: Sequence[str], *, what: str, failure: str | None = None) -> str:
    command = ["git", "-c", "core.quotePath=false", *args]
    try:
        result = subprocess.run(
            command,
            cwd=root,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            check=False,
        )
    except FileNotFoundError:
        raise LessonsConfigError(
            "--lessons-since", "git is not installed (or not on PATH); diff mode needs it"
        ) from None
    if result.returncode != 0:
        stderr = result.stderr.strip()
        if "not a git repository" in stderr:
            raise LessonsConfigError(
                "--lessons-since",
                f"{root} is not inside a git repository; diff mode compares with git history "
                "(run without --lessons-since, or from a clone)",
            )
        detail = failure or f"git could not {what}: {stderr or 'exit ' + str(result.returncode)}"
        raise LessonsConfigError("--lessons-since", detail)
    return result.stdout
