"""What the pipeline asks of a running lesson before it extracts or judges, kept so that a warm
run builds no check.

The walk needs the kinds of file each lesson reads, the survey its `project_prefilter` markers,
the fact cache its salt (the plugin's version, a hash of the code, the check's version and
options). All three come from the check, and building a built-in lesson's check imports its
module and the parsers it uses (libcst, ast-grep): most of a warm run's time, when nothing else
needs them. So a lesson's profile is worked out once from its built check and kept in the fact
cache under a key made of everything the check is built from (its `recipe`: the lesson's TOML
as loaded, the options the config gives it) and of everything its code is (the plugin's version
and code, Python's version). A later run with the same key takes the profile from the cache and
imports nothing; any change to the key builds the check again.

A team's code lesson is built when the run is configured (a broken one is a configuration
error), so its profile is always worked out from the check itself: its module may import
helpers no key could cover. Nothing new is asked of a team's lesson.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pytest_lessons.source import FileKind

if TYPE_CHECKING:
    from pytest_lessons.checks.base import Check

_PACKAGE = Path(__file__).parent


@dataclass(frozen=True)
class LessonProfile:
    """A running lesson's check as the walk, the survey and the fact cache see it."""

    file_kinds: frozenset[FileKind]
    """`Check.file_kinds`."""
    markers: tuple[tuple[FileKind, tuple[bytes, ...]], ...]
    """`Check.project_prefilter()`, as (kind, markers) pairs in the check's order."""
    salt: str
    """What the lesson's cached facts and judgement depend on besides the files."""
    shares_facts: str = ""
    """`Check.shares_facts`: the lessons judging together, known before any check is built
    (`judging_ahead`)."""

    @property
    def project_prefilter(self) -> dict[FileKind, tuple[bytes, ...]]:
        return dict(self.markers)


def profile_of(check: Check[Any, Any]) -> LessonProfile:
    """The profile of a built check."""
    return LessonProfile(
        file_kinds=frozenset(check.file_kinds),
        markers=tuple(check.project_prefilter().items()),
        salt=(
            f"{plugin_version()}:{_check_fingerprint(check)}:{check.version}:"
            f"{check.options.model_dump_json()}"
        ),
        shares_facts=check.shares_facts,
    )


def is_profile(value: object) -> bool:
    """Whether `value` (read from a cache file) has the shape of a `LessonProfile`."""
    return (
        isinstance(value, LessonProfile)
        and isinstance(value.file_kinds, frozenset)
        and all(isinstance(kind, FileKind) for kind in value.file_kinds)
        and isinstance(value.markers, tuple)
        and all(
            isinstance(pair, tuple)
            and len(pair) == 2
            and isinstance(pair[0], FileKind)
            and isinstance(pair[1], tuple)
            and all(isinstance(marker, bytes) for marker in pair[1])
            for pair in value.markers
        )
        and isinstance(value.salt, str)
        and isinstance(value.shares_facts, str)
    )


Known = Mapping[str, tuple[str, LessonProfile]]
"""Profiles kept by an earlier run: lesson id -> (key, profile)."""


class LessonProfiles(Mapping[str, LessonProfile]):
    """The running lessons' profiles by id, each worked out when first looked up: from `known`
    when its key matches, else from the check (built then, if it was not)."""

    def __init__(self, checks: Mapping[str, Check[Any, Any]], known: Known | None = None) -> None:
        self._checks = checks
        self._known = dict(known or {})
        self._profiles: dict[str, LessonProfile] = {}
        self._keys: dict[str, str] = {}
        self.worked_out: list[str] = []
        """The ids whose profile was worked out from their check this run (tests, benchmarks)."""

    def __getitem__(self, lesson_id: str) -> LessonProfile:
        found = self._profiles.get(lesson_id)
        if found is not None:
            return found
        if lesson_id not in self._checks:
            raise KeyError(lesson_id)
        key = self._key(lesson_id)
        kept = self._known.get(lesson_id)
        if key is not None and kept is not None and kept[0] == key:
            found = kept[1]
        else:
            found = profile_of(self._checks[lesson_id])
            self.worked_out.append(lesson_id)
        self._profiles[lesson_id] = found
        if key is not None:
            self._keys[lesson_id] = key
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._checks)

    def __len__(self) -> int:
        return len(self._checks)

    def __contains__(self, lesson_id: object) -> bool:
        return lesson_id in self._checks

    def to_keep(self) -> dict[str, tuple[str, LessonProfile]]:
        """The profiles looked up this run that a later run may take back, with their keys."""
        return {
            lesson_id: (key, self._profiles[lesson_id]) for lesson_id, key in self._keys.items()
        }

    def _key(self, lesson_id: str) -> str | None:
        """Everything the check of `lesson_id` is built from and made of; None when it cannot
        be named (a team's code lesson, or a check already built: asked directly)."""
        recipe = getattr(self._checks, "recipe", None)
        text = recipe(lesson_id) if recipe is not None else None
        if text is None:
            return None
        identity = (plugin_version(), package_fingerprint(), sys.version_info[:2], text)
        return hashlib.sha256(repr(identity).encode("utf-8", "surrogateescape")).hexdigest()


@functools.cache
def plugin_version() -> str:
    try:
        return version("pytest-lessons")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0"


@functools.cache
def package_fingerprint() -> str:
    """A hash of the plugin's own source: shared layers shape facts as much as the checks do.

    A check's `version` only changes when someone remembers to bump it; hashing the code means
    an edited check or layer (in development, or a team's own lesson) never reuses stale facts.
    """
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _check_fingerprint(check: Check[Any, Any]) -> str:
    """The package's fingerprint, plus the check's own module when it lives outside the package."""
    try:
        source = inspect.getsourcefile(type(check))
    except TypeError:
        source = None
    own = ""
    if source is not None and not Path(source).is_relative_to(_PACKAGE):
        try:
            own = hashlib.sha256(Path(source).read_bytes()).hexdigest()[:16]
        except OSError:
            own = "unreadable"
    return f"{package_fingerprint()}{own}"
