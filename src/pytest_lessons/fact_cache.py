"""Facts cached across runs, keyed by file content: an unchanged file is never parsed again.

The cache sits in pytest's cache directory, one JSON document per lesson. The key covers the
file's content hash, a fingerprint of the plugin's code (and of a team's own check module), the
check's version and its options, so editing options or code invalidates exactly what it should.
Only the controller process writes. Entries not used by a run are dropped when it saves, which
keeps the cache the size of the repo.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import json
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from pytest_lessons.checks.base import Check
from pytest_lessons.findings import ProblemKind
from pytest_lessons.settings import Settings
from pytest_lessons.source import AnalysisError, SourceFile

CACHE_DIR = "pytest-lessons"


def _plugin_version() -> str:
    try:
        return version("pytest-lessons")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0"


@functools.cache
def _package_fingerprint() -> str:
    """A hash of the plugin's own source: shared layers shape facts as much as the checks do.

    A check's `version` only changes when someone remembers to bump it; hashing the code means
    an edited check or layer (in development, or a team's own lesson) never reuses stale facts.
    """
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _check_fingerprint(check: Check[Any, Any]) -> str:
    """The package's fingerprint, plus the check's own module when it lives outside the package."""
    try:
        source = inspect.getsourcefile(type(check))
    except TypeError:
        source = None
    own = ""
    if source is not None and not Path(source).is_relative_to(Path(__file__).parent):
        try:
            own = hashlib.sha256(Path(source).read_bytes()).hexdigest()[:16]
        except OSError:
            own = "unreadable"
    return f"{_package_fingerprint()}{own}"


class FactCache:
    def __init__(self, directory: Path, settings: Settings) -> None:
        self._directory = directory
        self._salt: dict[str, str] = {}
        self._loaded: dict[str, dict[str, Any]] = {}
        self._used: dict[str, dict[str, Any]] = {}
        self._notes_loaded = self._read("parse-notes")
        self._notes_used: dict[str, Any] = {}
        plugin = _plugin_version()
        for lesson_id, check in settings.checks.items():
            options = check.options.model_dump_json()
            code = _check_fingerprint(check)
            self._salt[lesson_id] = f"{plugin}:{code}:{check.version}:{options}"
            self._loaded[lesson_id] = self._read(lesson_id)
            self._used[lesson_id] = {}

    @classmethod
    def for_config(cls, config: pytest.Config, settings: Settings) -> FactCache | None:
        cache = getattr(config, "cache", None)
        if cache is None:  # -p no:cacheprovider
            return None
        return cls(Path(cache.mkdir(CACHE_DIR)), settings)

    def _file(self, lesson_id: str) -> Path:
        return self._directory / f"facts-{lesson_id}.json"

    def _read(self, lesson_id: str) -> dict[str, Any]:
        try:
            data = json.loads(self._file(lesson_id).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _key(self, check: Check[Any, Any], source: SourceFile) -> str:
        salt = self._salt[check.lesson_id]
        return hashlib.sha256(f"{salt}:{source.rel}:{source.content_hash}".encode()).hexdigest()

    def lookup(self, check: Check[Any, Any], source: SourceFile) -> BaseModel | None:
        key = self._key(check, source)
        raw = self._loaded.get(check.lesson_id, {}).get(key)
        if raw is None:
            return None
        try:
            facts = check.facts_model.model_validate(raw)
        except ValidationError:
            return None
        self._used[check.lesson_id][key] = raw
        return facts

    def store(self, check: Check[Any, Any], source: SourceFile, facts: BaseModel) -> None:
        self._used[check.lesson_id][self._key(check, source)] = facts.model_dump(mode="json")

    def _notes_key(self, source: SourceFile) -> str:
        salt = f"{_plugin_version()}:{_package_fingerprint()}"
        return hashlib.sha256(f"{salt}:{source.rel}:{source.content_hash}".encode()).hexdigest()

    def notes(self, source: SourceFile) -> list[AnalysisError] | None:
        """The parse notes recorded when this exact content was last parsed."""
        key = self._notes_key(source)
        raw = self._notes_loaded.get(key)
        if not isinstance(raw, list):
            return None
        self._notes_used[key] = raw
        try:
            return [
                AnalysisError(
                    ProblemKind(item["kind"]), item["message"], item["line"], item["column"]
                )
                for item in raw
            ]
        except (KeyError, TypeError, ValueError):
            return None

    def store_notes(self, source: SourceFile, notes: list[AnalysisError]) -> None:
        self._notes_used[self._notes_key(source)] = [
            {"kind": n.kind.value, "message": n.message, "line": n.line, "column": n.column}
            for n in notes
        ]

    def save(self) -> None:
        try:
            self._file("parse-notes").write_text(json.dumps(self._notes_used), encoding="utf-8")
        except OSError:
            pass  # as below: the cache is a speed-up, never a requirement
        for lesson_id, entries in self._used.items():
            try:
                self._file(lesson_id).write_text(json.dumps(entries), encoding="utf-8")
            except OSError:
                pass  # a read-only checkout still runs, only without the speed-up
