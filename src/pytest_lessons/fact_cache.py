"""What a run learnt, kept for the next one: a warm run reads one file and does almost nothing.

Per file, keyed by its path and content hash: the survey (which lessons want it; with the
`stat` signature it had, so an unchanged file is not even read), each lesson's facts or the
problem it hit, the parsers each lesson used (their notes are replayed), the suppression comments
and the source lines findings quoted. Per lesson: the last judgement and a digest of the facts it
was made from, so a lesson none of whose files changed is not judged again. Per running lesson:
its profile (`lesson_profiles`), so that such a run builds no check at all.

Each lesson's entries carry a salt: the plugin's version and a hash of its code (and of a team's
check module), the check's version and its options, so editing options or code invalidates
exactly what it should. The cache is one file, read once per run and written once, by the
controller only (an xdist worker never writes: two writers would race).

It is pickled, for speed, so it must never be trusted blindly: a repository can ship a
`.pytest_cache` of its own, and unpickling attacker-made data runs code. The file is a header,
the blob region (the pickled facts, one after the other; its length is in the first digest),
and a sequence of frames (a pickle each: the judgements and profiles, then batches of file
records, then an empty frame that closes it). Each frame is followed by a keyed digest
(BLAKE2b) of everything written so far but the region, made with a secret that lives outside
every repository (in the user's cache directory, or `PYTEST_LESSONS_CACHE_KEY`), so a frame is
checked before it is unpickled, and frames cannot be dropped, reordered or spliced from another
file. A record points at its facts with their place in the region and their own keyed digest,
checked before they are unpickled. Anything else is treated as absent and overwritten.
Unpickling is additionally restricted to this plugin's records and pydantic models already
imported. Corrupt, foreign, truncated or deeply nested content only costs a cold run.

Loading reads the records and skips the region: a warm run whose judgements are all reused
reads no facts (they are most of the file). The facts stay in the file this run read, and what
workers extract waits in their own spill files (`spill_files`), until they are unpickled for
judging or copied into the next cache (`Spill`): memory never holds the cache as one
payload, nor its facts as bytes. A worker pickles each lesson's facts on their own, so judging
a lesson unpickles its facts alone (`Parked`), and they are freed when it is done.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import hmac
import os
import pickle
import secrets
import struct
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, is_dataclass
from enum import Enum
from pathlib import Path
from typing import IO, Any

import pytest
from pydantic import BaseModel

from pytest_lessons.directives import Directive
from pytest_lessons.file_facts import FileResult, Problem, gc_paused, unpickle
from pytest_lessons.findings import FileProblem, Finding
from pytest_lessons.held_facts import Held
from pytest_lessons.lang.common import records as _RECORDS
from pytest_lessons.lesson_profiles import LessonProfile, LessonProfiles, is_profile
from pytest_lessons.settings import Settings
from pytest_lessons.spill_files import Spilled, SpillTarget, WorkerFiles, blob_digest

CACHE_DIR = "pytest-lessons"
CACHE_FILE = "facts.bin"
KEY_ENV = "PYTEST_LESSONS_CACHE_KEY"
_MAGIC = b"pytest-lessons facts cache\n"
_FORMAT = 6
_DIGEST_SIZE = 32
_HEADER_SIZE = len(_MAGIC) + 1
_LENGTH = struct.Struct("<Q")
_FRAME_RECORDS = 2000
"""How many file records a frame holds (their facts are in the blob region, not in it)."""


def lesson_salts(settings: Settings) -> dict[str, str]:
    """Per running lesson, what its cached facts depend on besides the file (building every
    check; a cache takes them from the profiles it keeps instead)."""
    profiles = LessonProfiles(settings.checks)
    return {lesson_id: profiles[lesson_id].salt for lesson_id in settings.checks}


# --- records -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Survey:
    """What reading a file once tells before any parse: who wants it."""

    content_hash: str
    size: int
    applies: frozenset[str]
    """Lessons whose per-file prefilter (`Check.applies_to`) accepts the file."""
    project_hits: frozenset[str]
    """Lessons for which this file holds one of their `project_prefilter` markers."""
    has_marker: bool
    """Whether it holds `lessons:` (may carry suppression comments)."""


StatSignature = tuple[int, int, int, int, int]
"""(device, inode, size, mtime_ns, ctime_ns): if all are unchanged, so is the content."""


@dataclass
class LessonRecord:
    salt: str
    blob: int | None
    """Index of the file's facts blob holding this lesson's facts; None if it has none."""
    problem: Problem | None
    subject: bool
    engines: tuple[str, ...]


@dataclass(frozen=True)
class Stored:
    """A pickled facts blob in the blob region of the cache file this run read: read back, and
    checked against its keyed digest, only when a lesson judges it or the next cache is
    written."""

    offset: int
    """From the start of the region."""
    length: int
    digest: bytes


Blob = bytes | dict[str, BaseModel] | Spilled | Stored
"""A file's facts: pickled, in-process (jobs 1, when they cannot be pickled), spilled, or
still in the cache file."""


class Spill:
    """Where pickled facts wait until they are unpickled for judging or copied into the next
    cache: the extraction workers' own files (`spill_files.WorkerFiles`), made in a private
    directory beside the cache, and an unnamed temporary file there (private to this process,
    gone when it ends) for the blobs this process made or was sent; and the cache file the run
    read for the others (`Stored`, never copied out of it).
    Without a cache, the spill files hold the blobs until the lesson they are for has judged.
    Where none can be made, blobs stay in memory."""

    def __init__(self, directory: Path) -> None:
        self._directory = directory
        self._workers = WorkerFiles(directory)
        self._file: IO[bytes] | None = None
        self._end = 0
        self._broken = False
        self._cache_file: IO[bytes] | None = None
        self._region = 0
        self._key = b""

    def read_stored_from(self, handle: IO[bytes], region: int, key: bytes) -> None:
        """`Stored` blobs are read from `handle` (kept open until `close`), whose blob region
        starts at `region`, and checked with `key`."""
        self._cache_file, self._region, self._key = handle, region, key

    def stored(self, blob: Stored, *, check: bool = True) -> bytes:
        """A blob of the cache file read; ValueError when it is not what was written there."""
        if self._cache_file is None:
            raise ValueError("no cache file was read")
        data = os.pread(self._cache_file.fileno(), blob.length, self._region + blob.offset)
        if len(data) != blob.length:
            raise ValueError("the cache file is shorter than its records say")
        if check and not hmac.compare_digest(blob_digest(self._key, data), blob.digest):
            raise ValueError("a blob of the cache file does not match its digest")
        return data

    def for_workers(self, key: bytes) -> SpillTarget | None:
        """Where extraction workers write their blobs (digested with `key`), if they can."""
        return self._workers.target(key)

    def writing_done(self) -> None:
        """No extraction worker is left: their directory goes (the files sent are open)."""
        self._workers.writing_done()

    def keep_worker_files_named(self) -> None:
        """Until `writing_done`, extraction workers may read each other's files by name."""
        self._workers.keep_names()

    def put(self, data: bytes | Spilled) -> bytes | Spilled:
        """Park `data`; a blob a worker spilled itself stays where it is (its file adopted)."""
        if isinstance(data, Spilled):
            self._workers.adopt(data)
            return data
        if self._broken:
            return data
        try:
            if self._file is None:
                # closed by `close` (from `FactCache.save`), or with the process
                self._file = tempfile.TemporaryFile(dir=self._directory, prefix=".spill-")  # noqa: SIM115
            os.pwrite(self._file.fileno(), data, self._end)
        except OSError:
            self._broken = True
            return data
        spilled = Spilled(self._end, len(data))
        self._end += len(data)
        return spilled

    def get(self, blob: Spilled) -> bytes:
        if blob.file:
            return self._workers.read(blob)
        assert self._file is not None
        return os.pread(self._file.fileno(), blob.length, blob.offset)

    def close(self) -> None:
        self._workers.close()
        if self._file is not None:
            self._file.close()
        if self._cache_file is not None:
            self._cache_file.close()


@dataclass(frozen=True)
class Parked:
    """One lesson's facts about one file, still pickled (in a spill file or in memory) until
    that lesson judges: the parent holds bytes, not objects, while the others judge."""

    spill: Spill
    blob: Blob | Held
    """`Held`: kept in an extraction worker's memory, readable only there (`held_facts`)."""
    lesson: str

    def load(self, decoded: dict[int, object] | None = None) -> BaseModel | None:
        """The facts, or None when the blob cannot be read back (then they are extracted
        again). Restricted unpickling, as for the cache file: a blob may come from it.

        A blob holds the facts of every lesson that shares it (`Check.shares_facts`): with
        `decoded` (one per batch of loads, keyed by the blob's identity), each is unpickled
        once for all of them, and their shared records are the same objects."""
        key = id(self.blob)
        if decoded is not None and key in decoded:
            found = decoded[key]
        else:
            found = self._decode()
            if decoded is not None:
                decoded[key] = found
        facts = found.get(self.lesson) if isinstance(found, dict) else None
        return facts if isinstance(facts, BaseModel) else None

    def _decode(self) -> object:
        blob = self.blob
        if isinstance(blob, Held):  # in the memory of a worker: extracted again here
            return None
        try:
            if isinstance(blob, Spilled):
                blob = self.spill.get(blob)
            elif isinstance(blob, Stored):
                blob = self.spill.stored(blob)
        except (OSError, AssertionError, ValueError):
            return None
        if isinstance(blob, dict):
            return blob
        try:
            return unpickle(blob, _SafeUnpickler)
        except Exception:
            return None


@dataclass
class FileRecord:
    content_hash: str
    survey_salt: str = ""
    survey: Survey | None = None
    stat: StatSignature | None = None
    lessons: dict[str, LessonRecord] = field(default_factory=dict)
    blobs: list[Blob] = field(default_factory=list)
    notes: dict[str, tuple[Problem, ...]] = field(default_factory=dict)
    directives: tuple[Directive, ...] | None = None
    directives_read: bool = False
    lines: dict[int, str] = field(default_factory=dict)
    problem: FileProblem | None = None
    """Why the survey could not use the file (skipped as minified or too large, binary, not
    decodable): kept by `stat` signature like a survey, so that an unchanged file is neither
    read again nor taken for an edit every run."""


@dataclass(frozen=True)
class Judgement:
    salt: str
    digest: str
    findings: tuple[Finding, ...]
    problem: FileProblem | None


# --- the cache -----------------------------------------------------------------------------

_Loaded = tuple[dict[str, FileRecord], dict[str, Judgement], dict[str, tuple[str, LessonProfile]]]


class FactCache:
    def __init__(self, directory: Path, settings: Settings) -> None:
        self._path = directory / CACHE_FILE
        self._settings = settings
        self._key = _secret()
        self._spill = Spill(directory)
        loaded = self._load()
        self._old_files: dict[str, FileRecord] = loaded[0]
        self._old_judgements: dict[str, Judgement] = loaded[1]
        self._old_profiles: dict[str, tuple[str, LessonProfile]] = loaded[2]
        self.profiles = LessonProfiles(settings.checks, self._old_profiles)
        """The running lessons' profiles: those kept here when their key still matches."""
        self._files: dict[str, FileRecord] = {}
        self._judgements: dict[str, Judgement] = {}
        self._dirty = False

    @functools.cached_property
    def salts(self) -> dict[str, str]:
        """Computed when a file is first looked up, from the lessons' profiles (kept here, so
        that a warm run builds no check; a run that finds no file to read needs none)."""
        return {lesson_id: self.profiles[lesson_id].salt for lesson_id in self._settings.checks}

    @functools.cached_property
    def survey_salt(self) -> str:
        settings = self._settings
        return hashlib.sha256(
            repr(
                (
                    _FORMAT,
                    sorted(self.salts.items()),
                    settings.use_prefilter,
                    settings.max_file_size,
                    settings.minified_line_length,
                )
            ).encode()
        ).hexdigest()[:32]

    @property
    def spill(self) -> Spill:
        """Where this run's pickled facts wait (extraction workers write there themselves)."""
        return self._spill

    def spill_target(self) -> SpillTarget | None:
        """Where extraction workers write the blobs they make, digested with this cache's key
        (see `facts_digests`)."""
        return self._spill.for_workers(self._key)

    @classmethod
    def for_config(cls, config: pytest.Config, settings: Settings) -> FactCache | None:
        cache = getattr(config, "cache", None)
        if cache is None:  # -p no:cacheprovider
            return None
        return cls(Path(cache.mkdir(CACHE_DIR)), settings)

    # reading -----------------------------------------------------------------------------

    def _load(self) -> _Loaded:
        try:
            handle = self._path.open("rb")
        except OSError:
            return {}, {}, {}
        try:
            with gc_paused():  # tens of thousands of records: no garbage, only heap rescans
                loaded = self._read(handle)
        except Exception:  # anything (RecursionError included): a bad cache is no cache
            loaded = None
        if loaded is None:
            handle.close()
            return {}, {}, {}
        return loaded

    def _read(self, handle: IO[bytes]) -> _Loaded | None:
        """The records, judgements and profiles of the file; None when it is not a cache of
        ours. The facts stay in the file, read only for the lessons that judge again."""
        files: dict[str, FileRecord] = {}
        judgements: dict[str, Judgement] | None = None
        profiles: dict[str, tuple[str, LessonProfile]] = {}
        frames = _CacheFrames(handle, self._key)
        for frame in frames:
            if frame is None:  # not ours, or tampered with: rewritten at the end
                self._dirty = True
                return None
            document = unpickle(frame, _SafeUnpickler)
            if judgements is None:
                if not _well_formed_head(document):
                    return None
                judgements = document["judgements"]
                profiles = document["profiles"]
            elif _well_formed_files(document):
                files.update(document)
            else:
                return None
        self._spill.read_stored_from(handle, frames.region, self._key)
        return files, judgements or {}, profiles

    def _record(self, rel: str, content_hash: str) -> FileRecord | None:
        """This run's record for the file if the content matches, carried over from the last."""
        current = self._files.get(rel)
        if current is not None:
            return current if current.content_hash == content_hash else None
        old = self._old_files.get(rel)
        if old is None or old.content_hash != content_hash:
            return None
        self._files[rel] = old
        return old

    def _surveyed(self, rel: str) -> FileRecord | None:
        """The last run's record of the file, if it holds a survey made as this run would."""
        old = self._old_files.get(rel)
        if old is None or old.survey is None or old.survey_salt != self.survey_salt:
            return None
        return old

    def survey(self, rel: str, stat: StatSignature) -> Survey | None:
        """The survey of an unchanged file, known from its `stat` signature alone."""
        old = self._surveyed(rel)
        if old is None or old.stat != stat:
            return None
        self._files.setdefault(rel, old)
        return old.survey

    def known_by_stat(self, rel: str, stat: StatSignature) -> bool:
        """Whether `survey` or `problem` will know the file from its `stat` signature (asks
        nothing else)."""
        old = self._surveyed(rel) or self._problem_record(rel)
        return old is not None and old.stat == stat

    def problem(self, rel: str, stat: StatSignature) -> FileProblem | None:
        """The problem the survey had with an unchanged file, known from its `stat` signature."""
        old = self._problem_record(rel)
        if old is None or old.stat != stat:
            return None
        self._files.setdefault(rel, old)
        return old.problem

    def remember_problem(self, rel: str, problem: FileProblem, stat: StatSignature | None) -> None:
        """A file read again that the survey could not use (see `FileRecord.problem`); without
        a trusted `stat` signature it would be read again anyway, so nothing is kept."""
        if stat is None:
            return
        record = FileRecord(
            content_hash="", survey_salt=self.survey_salt, stat=stat, problem=problem
        )
        if self._files.get(rel) != record:
            self._files[rel] = record
            self._dirty = True

    def _problem_record(self, rel: str) -> FileRecord | None:
        old = self._old_files.get(rel)
        if old is None or old.problem is None or old.survey_salt != self.survey_salt:
            return None
        return old

    def new_content(self, rel: str, content_hash: str) -> bool:
        """Whether the last run knew the file with other content, or not at all."""
        old = self._old_files.get(rel)
        return old is None or old.content_hash != content_hash

    def has_survey(self, rel: str) -> bool:
        """Whether the last run surveyed the file (with these lessons and options)."""
        return self._surveyed(rel) is not None

    def cached_facts(self, lesson_ids: Iterable[str]) -> dict[str, dict[str, Parked]]:
        """Per lesson, the facts the last run kept of each file (still valid for the lesson's
        salt), parked: what `judging_ahead` unpickles before this run has surveyed anything."""
        wanted = {lesson_id: self.salts[lesson_id] for lesson_id in lesson_ids}
        out: dict[str, dict[str, Parked]] = {lesson_id: {} for lesson_id in wanted}
        for rel, record in self._old_files.items():
            for lesson_id, salt in wanted.items():
                entry = record.lessons.get(lesson_id)
                if entry is None or entry.blob is None or entry.salt != salt:
                    continue
                if entry.blob < len(record.blobs):
                    out[lesson_id][rel] = Parked(self._spill, record.blobs[entry.blob], lesson_id)
        return out

    def survey_of_content(self, rel: str, content_hash: str) -> Survey | None:
        """The survey of a file read again (its `stat` signature changed, or was too recent to
        trust) whose content is what it was: what the lessons' prefilters said then holds."""
        old = self._surveyed(rel)
        return old.survey if old is not None and old.content_hash == content_hash else None

    def remember_survey(self, rel: str, survey: Survey, stat: StatSignature | None) -> None:
        record = self._record(rel, survey.content_hash)
        if record is None:
            record = FileRecord(content_hash=survey.content_hash)
            self._files[rel] = record
        if record.survey != survey or record.stat != stat or record.survey_salt != self.survey_salt:
            record.survey, record.stat, record.survey_salt = survey, stat, self.survey_salt
            self._dirty = True

    def lesson(self, rel: str, content_hash: str, lesson_id: str) -> LessonRecord | None:
        record = self._record(rel, content_hash)
        if record is None:
            return None
        entry = record.lessons.get(lesson_id)
        if entry is None or entry.salt != self.salts.get(lesson_id):
            return None
        return entry

    def lessons(
        self, rel: str, content_hash: str, lesson_ids: Iterable[str]
    ) -> dict[str, LessonRecord]:
        """`lesson` for each of `lesson_ids`, those that have an entry (in their order)."""
        record = self._record(rel, content_hash)
        if record is None:
            return {}
        salts = self.salts
        found: dict[str, LessonRecord] = {}
        for lesson_id in lesson_ids:
            entry = record.lessons.get(lesson_id)
            if entry is not None and entry.salt == salts.get(lesson_id):
                found[lesson_id] = entry
        return found

    def parked(self, rel: str, content_hash: str, lesson_id: str) -> Parked | None:
        """The cached facts, still pickled: unpickled by the lesson's judging (`Parked.load`)."""
        record = self._record(rel, content_hash)
        entry = self.lesson(rel, content_hash, lesson_id)
        if record is None or entry is None or entry.blob is None:
            return None
        if entry.blob >= len(record.blobs):
            return None
        return Parked(self._spill, record.blobs[entry.blob], lesson_id)

    def facts(self, rel: str, content_hash: str, lesson_id: str) -> BaseModel | None:
        """The cached facts, unpickled."""
        parked = self.parked(rel, content_hash, lesson_id)
        return parked.load() if parked is not None else None

    def notes(self, rel: str, content_hash: str) -> dict[str, tuple[Problem, ...]]:
        record = self._record(rel, content_hash)
        return record.notes if record is not None else {}

    def directives(
        self, rel: str, content_hash: str
    ) -> tuple[bool, tuple[Directive, ...] | None, dict[int, str]]:
        """(known, directives, their lines); directives None when the file could not be read."""
        record = self._record(rel, content_hash)
        if record is None or not record.directives_read:
            return False, None, {}
        return True, record.directives, record.lines

    def lines(self, rel: str, content_hash: str) -> dict[int, str]:
        record = self._record(rel, content_hash)
        return record.lines if record is not None else {}

    def judgement(self, lesson_id: str, digest: str) -> Judgement | None:
        old = self._old_judgements.get(lesson_id)
        if old is None or old.salt != self.salts.get(lesson_id) or old.digest != digest:
            return None
        self._judgements[lesson_id] = old
        return old

    # writing -----------------------------------------------------------------------------

    def store(
        self,
        rel: str,
        result: FileResult,
        lessons: Iterable[str],
        groups: Callable[[Iterable[str]], list[tuple[str, ...]]] | None = None,
    ) -> dict[str, Parked]:
        """Keep what a worker extracted (`lessons` were asked of it); its pickled facts are
        parked in the spill file, where the lessons judging them read them back (returned).
        A pickle that several lessons share (`Check.shares_facts`) is stored once; in-process
        facts are pickled by the `groups` of their lessons (`file_facts.shared_groups`; each
        lesson alone without it)."""
        if result.content_hash is None:
            return {}
        record = self._record(rel, result.content_hash)
        if record is None:
            record = FileRecord(content_hash=result.content_hash)
            self._files[rel] = record
        blob_of: dict[str, int] = {}
        parked: dict[str, Parked] = {}
        index_of: dict[int, int] = {}  # id of a pickle -> its index among the record's blobs
        for lesson_id, pickled in result.blobs.items():
            index = index_of.get(id(pickled))
            if index is None:
                record.blobs.append(self._put(pickled))
                index = index_of[id(pickled)] = len(record.blobs) - 1
            blob_of[lesson_id] = index
            parked[lesson_id] = Parked(self._spill, record.blobs[index], lesson_id)
        in_process = groups(result.facts) if groups is not None else [(k,) for k in result.facts]
        for group in in_process:
            facts = {lesson_id: result.facts[lesson_id] for lesson_id in group}
            blob: Blob
            try:  # in-process facts: pickled for the next run (this one judges the objects)
                blob = pickle.dumps(facts, protocol=pickle.HIGHEST_PROTOCOL)
            except Exception:
                blob = facts  # cannot be cached: `save` writes no cache then
            record.blobs.append(self._put(blob) if isinstance(blob, bytes) else blob)
            for lesson_id in group:
                blob_of[lesson_id] = len(record.blobs) - 1
        for lesson_id in lessons:
            record.lessons[lesson_id] = LessonRecord(
                salt=self.salts[lesson_id],
                blob=None if lesson_id in result.failed else blob_of.get(lesson_id),
                problem=result.failed.get(lesson_id),
                subject=lesson_id in result.subjects,
                engines=result.engines.get(lesson_id, ()),
            )
        for engine, notes in result.notes.items():
            record.notes[engine] = notes
        if result.directives is not None or not record.directives_read:
            record.directives = result.directives
            record.directives_read = True
            record.lines.update(result.directive_lines)
        self._dirty = True
        return parked

    def _put(self, data: bytes | Spilled) -> bytes | Spilled:
        """A new blob into the spill file, with its keyed digest (see `facts_digest`); one a
        worker spilled comes with its digest."""
        spilled = self._spill.put(data)
        if isinstance(spilled, Spilled) and isinstance(data, bytes):
            return dataclasses.replace(spilled, digest=blob_digest(self._key, data))
        return spilled

    def facts_digests(
        self, rel: str, content_hash: str, lesson_ids: Iterable[str]
    ) -> dict[str, bytes]:
        """Per lesson, the keyed digest of the pickle holding its facts about a file (cached,
        or stored this run); a lesson with none to compare is left out.

        Judgements are keyed by these rather than by the files' content: an edit that leaves
        what a lesson reads of a file unchanged (a comment, a change inside code the lesson
        does not read) leaves its judgement valid. A pickle several lessons share changes
        for all of them when one lesson's facts change: they judge again together."""
        record = self._record(rel, content_hash)
        if record is None:
            return {}
        digests: dict[str, bytes] = {}
        salts, entries, blobs = self.salts, record.lessons, record.blobs  # asked once per file
        for lesson_id in lesson_ids:
            entry = entries.get(lesson_id)
            if entry is None or entry.blob is None or entry.salt != salts.get(lesson_id):
                continue
            if entry.blob < len(blobs):
                blob = blobs[entry.blob]
                if isinstance(blob, (Stored, Spilled)) and blob.digest is not None:
                    digests[lesson_id] = blob.digest
        return digests

    def store_lines(self, rel: str, content_hash: str, lines: Mapping[int, str]) -> None:
        record = self._record(rel, content_hash)
        if record is not None and any(record.lines.get(n) != t for n, t in lines.items()):
            record.lines.update(lines)
            self._dirty = True

    def store_judgement(self, lesson_id: str, judgement: Judgement) -> None:
        if self._old_judgements.get(lesson_id) != judgement:
            self._dirty = True
        self._judgements[lesson_id] = judgement

    def save(self, *, complete: bool = True) -> None:
        """Write the cache. A complete run keeps only what it used (the cache stays the size of
        the repository); an interrupted one adds what it learnt to what was there. The end of
        the cache's use: its spill file is closed."""
        try:
            if not self.has_news(complete=complete):
                return
            profiles = {**self._old_profiles, **self.profiles.to_keep()}
            files = dict(self._files) if complete else {**self._old_files, **self._files}
            judgements = dict(self._judgements) if complete else dict(self._old_judgements)
            head = {"format": _FORMAT, "judgements": judgements, "profiles": profiles}
            _write_atomically(self._path, self._key, head, files, self.salts, self._spill)
        finally:
            self._spill.close()

    def has_news(self, *, complete: bool = True) -> bool:
        """Whether `save` would write: false after a run that learnt nothing (a warm one)."""
        profiles = {**self._old_profiles, **self.profiles.to_keep()}
        unchanged = not self._dirty and profiles == self._old_profiles
        return not (unchanged and (complete is False or self._same_keys()))

    def close(self) -> None:
        """Done with the cache without writing it (its spill file and the cache file read)."""
        self._spill.close()

    def _same_keys(self) -> bool:
        return self._files.keys() == self._old_files.keys() and (
            self._judgements.keys() == self._old_judgements.keys()
        )


def _compacted(record: FileRecord, salts: Mapping[str, str], region: _Region) -> FileRecord:
    """The record as the next cache holds it: its blobs placed in the blob region; entries of
    a running lesson made with other options or code dropped, and blobs no entry points at
    any more (or that cannot be read back any more, with their entries)."""
    current = {
        lesson_id: entry
        for lesson_id, entry in record.lessons.items()
        if salts.get(lesson_id, entry.salt) == entry.salt
    }
    placed: dict[int, Stored] = {}
    for old in sorted({e.blob for e in current.values() if e.blob is not None}):
        stored = region.add(record.blobs[old])
        if stored is not None:
            placed[old] = stored
    remap = {old: new for new, old in enumerate(placed)}
    lessons = {
        lesson_id: dataclasses.replace(
            entry, blob=remap[entry.blob] if entry.blob is not None else None
        )
        for lesson_id, entry in current.items()
        if entry.blob is None or entry.blob in placed
    }
    return dataclasses.replace(record, lessons=lessons, blobs=list(placed.values()))


class _Region:
    """The blob region of the cache file being written: each blob is written as its record is
    compacted, and the record keeps its place and keyed digest. A blob read from the last cache
    file is copied as it is, with its digest (checked whenever it is read for judging)."""

    def __init__(self, handle: IO[bytes], key: bytes, spill: Spill) -> None:
        self._handle = handle
        self._key = key
        self._spill = spill
        self._end = 0

    def add(self, blob: Blob) -> Stored | None:
        """The blob's place in the region; None when it cannot be read back any more."""
        digest = blob.digest if isinstance(blob, Stored | Spilled) else None
        try:
            if isinstance(blob, Stored):
                data = self._spill.stored(blob, check=False)
            elif isinstance(blob, Spilled):
                data = self._spill.get(blob)
            elif isinstance(blob, dict):  # cannot be pickled: the cache is not written
                data = pickle.dumps(blob, protocol=pickle.HIGHEST_PROTOCOL)
            else:
                data = blob
        except (OSError, AssertionError, ValueError):
            return None
        if digest is None:
            digest = blob_digest(self._key, data)
        self._handle.write(data)
        stored = Stored(self._end, len(data), digest)
        self._end += len(data)
        return stored


def _frames(head: dict[str, Any], files: Mapping[str, FileRecord]) -> Iterator[bytes]:
    """The cache's frames, pickled one at a time: the judgements, then batches of records."""
    yield pickle.dumps(head, protocol=pickle.HIGHEST_PROTOCOL)
    batch: dict[str, FileRecord] = {}
    for rel, record in files.items():
        batch[rel] = record
        if len(batch) >= _FRAME_RECORDS:
            yield pickle.dumps(batch, protocol=pickle.HIGHEST_PROTOCOL)
            batch = {}
    if batch:
        yield pickle.dumps(batch, protocol=pickle.HIGHEST_PROTOCOL)


def _well_formed_head(document: Any) -> bool:
    return (
        isinstance(document, dict)
        and document.get("format") == _FORMAT
        and isinstance(document.get("judgements"), dict)
        and all(isinstance(j, Judgement) for j in document["judgements"].values())
        and isinstance(document.get("profiles"), dict)
        and all(
            isinstance(kept, tuple)
            and len(kept) == 2
            and isinstance(kept[0], str)
            and is_profile(kept[1])
            for kept in document["profiles"].values()
        )
    )


def _well_formed_files(document: Any) -> bool:
    return isinstance(document, dict) and all(
        isinstance(rel, str)
        and isinstance(record, FileRecord)
        and all(
            isinstance(blob, Stored)
            and isinstance(blob.offset, int)
            and isinstance(blob.length, int)
            and blob.offset >= 0
            and blob.length >= 0
            and isinstance(blob.digest, bytes)
            for blob in record.blobs
        )
        for rel, record in document.items()
    )


# --- integrity -----------------------------------------------------------------------------


def _secret() -> bytes:
    """The key that proves a cache file was written by this user's own runs.

    It lives outside every repository, so a `.pytest_cache` committed to a scanned repository
    cannot carry a valid digest. CI that restores the cache directory between jobs sets
    `PYTEST_LESSONS_CACHE_KEY` (any stable secret); without a writable user cache directory the
    key is made up per run, and the cache then only serves that run.
    """
    configured = os.environ.get(KEY_ENV)
    if configured:
        return configured.encode("utf-8")
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = Path(base) / "pytest-lessons" / "cache-key"
    for _ in range(2):
        try:
            key = path.read_bytes()
            if len(key) >= 32:
                return key
        except OSError:
            pass
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue  # another run is creating it: read theirs
        except OSError:
            break
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(secrets.token_bytes(32))
    return secrets.token_bytes(32)


def _chain(key: bytes, data: bytes) -> hashlib.blake2b:
    return hashlib.blake2b(data, key=key[:64], digest_size=_DIGEST_SIZE)


class _CacheFrames:
    """The verified frames of a cache file in order, or None (then stop) at the first thing
    that is not: a wrong header, a frame whose digest does not match, a missing end.

    The blob region between the header and the frames is skipped, never read: `region` is
    where it starts. Its length is in the first digest, and each blob's keyed digest is in the
    record that points at it."""

    def __init__(self, handle: IO[bytes], key: bytes) -> None:
        self._handle = handle
        self._key = key
        self.region = 0

    def __iter__(self) -> Iterator[bytes | None]:
        handle = self._handle
        header = handle.read(_HEADER_SIZE + _LENGTH.size)
        if len(header) != _HEADER_SIZE + _LENGTH.size or not header.startswith(
            _MAGIC + bytes([_FORMAT])
        ):
            yield None
            return
        (region,) = _LENGTH.unpack_from(header, _HEADER_SIZE)
        self.region = len(header)
        handle.seek(region, os.SEEK_CUR)
        chain = _chain(self._key, header)
        while True:
            prefix = handle.read(_LENGTH.size)
            if len(prefix) != _LENGTH.size:
                yield None  # truncated: the closing empty frame never came
                return
            (length,) = _LENGTH.unpack(prefix)
            frame = handle.read(length)
            tag = handle.read(_DIGEST_SIZE)
            chain.update(prefix)
            chain.update(frame)
            if len(frame) != length or not hmac.compare_digest(chain.copy().digest(), tag):
                yield None
                return
            chain.update(tag)
            if not length:
                return
            yield frame


def write_frames(
    handle: IO[bytes],
    key: bytes,
    frames: Iterable[bytes],
    *,
    region: Callable[[IO[bytes]], None] | None = None,
) -> None:
    """Header, the blob region (which `region` writes, before `frames` is iterated: the
    records in them point into it), each frame with its length and the digest so far, and the
    closing empty frame."""
    handle.write(_MAGIC + bytes([_FORMAT]))
    start = handle.tell()
    handle.write(_LENGTH.pack(0))
    size = 0
    if region is not None:
        region(handle)
        end = handle.tell()
        size = end - start - _LENGTH.size
        handle.seek(start)
        handle.write(_LENGTH.pack(size))
        handle.seek(end)
    chain = _chain(key, _MAGIC + bytes([_FORMAT]) + _LENGTH.pack(size))
    for frame in _closed(frames):
        prefix = _LENGTH.pack(len(frame))
        chain.update(prefix)
        chain.update(frame)
        tag = chain.copy().digest()
        chain.update(tag)
        handle.write(prefix)
        handle.write(frame)
        handle.write(tag)


def _closed(frames: Iterable[bytes]) -> Iterator[bytes]:
    for frame in frames:
        if frame:  # an empty frame ends the file
            yield frame
    yield b""


def unpickle_facts(data: bytes) -> object:
    """A pickle of facts read back the restricted way (`_SafeUnpickler`), as the cache's are."""
    return unpickle(data, _SafeUnpickler)


def _allowed_class(module: str, name: str) -> Any:
    """What `module.name` is, when a pickle of facts may make one: this plugin's records, enums
    and dataclasses, pydantic models of modules already imported, a few containers."""
    loaded = sys.modules.get(module)
    if loaded is None:
        raise pickle.UnpicklingError(f"{module} is not loaded")
    found: Any = loaded
    for part in name.split("."):
        found = getattr(found, part, None)
    if isinstance(found, type) and (
        issubclass(found, (BaseModel, Enum))
        or (is_dataclass(found) and module.startswith("pytest_lessons."))
    ):
        return found
    if module == "builtins" and name in {"frozenset", "set", "tuple", "dict", "list"}:
        return found
    if module == _RECORDS.__name__ and name in _RECORDS.RESTORERS:
        return found  # makes a fact record (of a class allowed here) from its values
    raise pickle.UnpicklingError(f"{module}.{name} is not a cache record")


_allowed_classes = functools.lru_cache(maxsize=None)(_allowed_class)
"""`_allowed_class`, each answer kept (a refusal is an exception: never kept)."""


def forget_allowed_classes() -> None:
    """Look every class up again from now on: called when a run begins, so that a module
    imported again since the last run (a team lesson's, in a second pytest session of the same
    process) has its new classes found, not the old ones."""
    _allowed_classes.cache_clear()


class _SafeUnpickler(pickle.Unpickler):
    """Only this plugin's records, enums, and pydantic models of modules already imported.

    Defence in depth behind the digest: no function can be called by name (but the records'
    own restorers, `records.RESTORERS`, which make a record of one of these classes), and
    nothing is imported.

    A class is asked for once per pickle that holds it: fifteen times per file a judge
    unpickles. The answers are kept in a C cache (`functools.lru_cache`), which answers
    without a Python call: an eighth of unpickling, where a Python `find_class` with a dict of
    its own was one call per class and pickle.
    """

    find_class = staticmethod(_allowed_classes)


def _write_atomically(
    path: Path,
    key: bytes,
    head: dict[str, Any],
    files: Mapping[str, FileRecord],
    salts: Mapping[str, str],
    spill: Spill,
) -> None:
    """Write beside the target, the blobs then the records a frame at a time, then rename: an
    interrupted write never leaves half a cache (and the file this run read stays whole for
    it). Facts that cannot be pickled (reported by extraction) leave no cache."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".facts-")
    except OSError:
        return  # a read-only checkout still runs, only without the speed-up
    compacted: dict[str, FileRecord] = {}

    def region(handle: IO[bytes]) -> None:
        placed = _Region(handle, key, spill)
        for rel, record in files.items():
            compacted[rel] = _compacted(record, salts, placed)

    try:
        with os.fdopen(descriptor, "wb") as handle:
            write_frames(handle, key, _frames(head, compacted), region=region)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        if not isinstance(sys.exc_info()[1], Exception):
            raise
