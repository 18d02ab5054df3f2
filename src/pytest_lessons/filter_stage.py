"""The filter stage after judging: fingerprints, the baseline and diff mode, Outcome -> Outcome.

Inline suppressions and per-file-ignores are applied by the analysis itself; what this stage adds
depends on things outside the repository's code (a baseline file, git history), so it runs once
on the controller, after the analysis, and the filtered outcome is what every item, report and
xdist worker sees. Nothing is dropped: a finding the baseline accepts or that lies outside the
diff is marked (`suppressed`, with `suppressed_by` saying why), so reports can still count it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pytest_lessons.baseline import apply_baseline, read_baseline, updated_entries, write_baseline
from pytest_lessons.changes import ChangedLines, apply_changes, changed_lines
from pytest_lessons.errors import LessonsConfigError
from pytest_lessons.findings import BaselineEntry
from pytest_lessons.fingerprint import with_fingerprints
from pytest_lessons.outcome import Outcome


@dataclass(frozen=True)
class FilterOptions:
    """The baseline and diff-mode options, from the command line and the config's `baseline`."""

    baseline: Path | None = None
    update_baseline: bool = False
    baseline_strict: bool = False
    since: str | None = None

    def resolved(self, root: Path, configured_baseline: str | None) -> FilterOptions:
        """A baseline named on the command line wins; the config's is relative to the root."""
        if self.baseline is None and configured_baseline:
            return replace(self, baseline=(root / configured_baseline).resolve())
        return self


@dataclass(frozen=True)
class FilterInputs:
    """What the stage reads besides the outcome, loaded before collection so that a bad
    baseline file or an unknown git ref is a usage error, not a failure halfway through."""

    options: FilterOptions
    entries: list[BaselineEntry] | None
    changed: ChangedLines | None


def load_filter_inputs(options: FilterOptions, root: Path) -> FilterInputs:
    if options.update_baseline and options.baseline is None:
        raise LessonsConfigError(
            "--lessons-update-baseline",
            'name the baseline file: --lessons-baseline FILE, or `baseline = "FILE"` in '
            "[tool.pytest-lessons]",
        )
    if options.baseline_strict and options.baseline is None:
        raise LessonsConfigError(
            "--lessons-baseline-strict", "there is no baseline: pass --lessons-baseline FILE"
        )
    entries: list[BaselineEntry] | None = None
    if options.baseline is not None:
        missing_is_fine = options.update_baseline and not options.baseline.exists()
        entries = [] if missing_is_fine else read_baseline(options.baseline)
    changed = changed_lines(root, options.since) if options.since else None
    return FilterInputs(options, entries, changed)


@dataclass(frozen=True)
class BaselineUpdate:
    path: Path
    written: int
    added: int
    removed: int


def filter_outcome(outcome: Outcome, inputs: FilterInputs) -> tuple[Outcome, BaselineUpdate | None]:
    stamped = with_fingerprints(outcome)
    entries = inputs.entries
    update: BaselineUpdate | None = None
    if inputs.options.update_baseline and inputs.options.baseline is not None:
        previous = entries or []
        entries = updated_entries(previous, stamped)
        write_baseline(inputs.options.baseline, entries)
        before = {entry.key for entry in previous}
        after = {entry.key for entry in entries}
        update = BaselineUpdate(
            inputs.options.baseline, len(after), len(after - before), len(before - after)
        )
    filtered = apply_baseline(stamped, entries) if entries is not None else stamped
    if inputs.changed is not None:
        filtered = apply_changes(filtered, inputs.changed)
    return filtered, update


class FilteredOutcome:
    """The analysis (`run_once.OutcomeOnce`), then the filter stage, once per session.

    Workers receive the controller's filtered outcome through `workerinput`, so they neither
    read the baseline nor run git again.
    """

    def __init__(
        self,
        once: Callable[[], Outcome],
        inputs: FilterInputs | None,
        finished: Callable[[], None] | None = None,
    ) -> None:
        self._once = once
        self.inputs = inputs
        self._finished = finished
        self._outcome: Outcome | None = None
        self.seconds: float | None = None
        self.update: BaselineUpdate | None = None

    def __call__(self) -> Outcome:
        if self._outcome is None:
            started = time.perf_counter()
            try:
                outcome = self._once()
            finally:
                if self._finished is not None:
                    self._finished()
            if self.inputs is not None:  # None on xdist workers: already filtered
                outcome, self.update = filter_outcome(outcome, self.inputs)
            self.seconds = time.perf_counter() - started
            self._outcome = outcome
        return self._outcome

    @property
    def interrupted(self) -> bool:
        """Ctrl-C stopped the analysis (`run_once.OutcomeOnce`): no report is written."""
        return bool(getattr(self._once, "interrupted", False))

    @property
    def computed(self) -> Outcome | None:
        return self._outcome

    def to_workerinput(self) -> dict[str, Any]:
        return self().model_dump(mode="json")
