"""Pickled facts waiting on disk: where a blob is, and the keyed digest that names its content.

The parent keeps what workers extracted as bytes in spill files, not as objects in memory,
until the lesson they are for judges or the next cache is written (`fact_cache.Spill`).

An extraction worker writes its pickles to a spill file of its own (`SpillWriter`, opened in
the worker, in a private directory the parent made for the run: `WorkerFiles`) and sends back
only where each one is (`Spilled`: file, offset, length, digest). The parent never receives
nor copies the bytes: sending them down a pipe cost the workers a blocking write per file and
the parent a read and a write of every byte, on the core the workers need. A blob is written
before the answer naming it is sent, so a worker that dies later loses nothing it answered.
The parent opens each worker's file when its first answer arrives and unlinks it at once (an
open file needs no name); the directory, with whatever a dying worker left in it, is removed
when extraction ends, also on Ctrl-C or an error. Forked judging workers inherit the open
files and read their blobs from them.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

BLOB_DIGEST_SIZE = 16


@dataclass(frozen=True)
class Spilled:
    """A pickled facts blob parked in a spill file of this run (never itself in a cache file)."""

    offset: int
    length: int
    digest: bytes | None = None
    """Its keyed digest, when a cache is kept (`FactCache.store`): what says whether a
    lesson's facts about the file changed, and what the next cache file records."""
    file: str = ""
    """The extraction worker's file it is in (its name in `WorkerFiles`); empty: the spill file
    of the parent process."""


def blob_digest(key: bytes, data: bytes) -> bytes:
    """The keyed digest of a facts blob (the cache's secret as the key)."""
    return hashlib.blake2b(data, key=key[:64], digest_size=BLOB_DIGEST_SIZE).digest()


@dataclass(frozen=True)
class SpillTarget:
    """What an extraction worker needs to spill: the run's directory for workers' files, and
    the key to digest blobs with (empty when no cache is kept: nothing compares digests)."""

    directory: str
    key: bytes = b""


class SpillWriter:
    """The worker's side: its own spill file, made at its first blob in the process that
    writes (a worker forked from a parent that used one opens another)."""

    def __init__(self, target: SpillTarget) -> None:
        self._target = target
        self._pid = -1
        self._descriptor = -1
        self._name = ""
        self._end = 0
        self._broken = False

    def write(self, data: bytes) -> Spilled | None:
        """Where `data` now is; None when it cannot be written (the caller sends the bytes)."""
        if self._broken:
            return None
        try:
            if self._pid != os.getpid():
                descriptor, path = tempfile.mkstemp(dir=self._target.directory, prefix="worker-")
                self._pid, self._descriptor = os.getpid(), descriptor
                self._name, self._end = os.path.basename(path), 0
            view = memoryview(data)
            written = 0
            while written < len(data):  # a regular file may take less than asked (disk full)
                done = os.pwrite(self._descriptor, view[written:], self._end + written)
                if done <= 0:
                    raise OSError("nothing written")
                written += done
        except OSError:
            self._broken = True
            return None
        key = self._target.key
        spilled = Spilled(self._end, len(data), blob_digest(key, data) if key else None, self._name)
        self._end += len(data)
        return spilled

    def close(self) -> None:
        """Close the file if this process made it (its name stays, for the parent)."""
        if self._pid == os.getpid() and self._descriptor >= 0:
            os.close(self._descriptor)
            self._pid, self._descriptor = -1, -1


class WorkerFiles:
    """The parent's side: a private directory (made on first use, beside the parent's own spill
    file) where workers make their files, and the files it has adopted, open for reading."""

    def __init__(self, parent: Path) -> None:
        self._parent = parent
        self._directory: str | None = None
        self._open: dict[str, int] = {}
        self._keep_names = False

    def keep_names(self) -> None:
        """Adopted files keep their names until `writing_done`: an extraction worker judging
        what it held (`held_facts`) opens the other workers' files by name to read their
        blobs, so that the parent neither reads nor sends their bytes."""
        self._keep_names = True

    def target(self, key: bytes) -> SpillTarget | None:
        """Where workers spill this run; None when no directory can be made there (then they
        send their pickles back, which the parent spills itself)."""
        if self._directory is None:
            try:
                self._directory = tempfile.mkdtemp(dir=self._parent, prefix=".spill-workers-")
            except OSError:
                return None
        return SpillTarget(self._directory, key)

    def adopt(self, blob: Spilled) -> None:
        """Open the file holding `blob`, if not yet, and drop its name. A file that cannot be
        opened leaves the blob unreadable: its facts are extracted again when judged."""
        if blob.file in self._open or self._directory is None:
            return
        path = os.path.join(self._directory, os.path.basename(blob.file))
        try:
            self._open[blob.file] = os.open(path, os.O_RDONLY)
        except OSError:
            return
        if self._keep_names:
            return
        try:
            os.unlink(path)
        except OSError:
            pass  # removed with the directory

    def read(self, blob: Spilled) -> bytes:
        descriptor = self._open.get(blob.file)
        if descriptor is None and self._keep_names and self._directory is not None:
            # a worker forked before the file was adopted: open it by its name, kept
            path = os.path.join(self._directory, os.path.basename(blob.file))
            descriptor = self._open[blob.file] = os.open(path, os.O_RDONLY)
        if descriptor is None:
            raise OSError(f"spill file {blob.file!r} is not open")
        data = os.pread(descriptor, blob.length, blob.offset)
        if len(data) != blob.length:
            raise OSError(f"spill file {blob.file!r} is shorter than expected")
        return data

    def writing_done(self) -> None:
        """Extraction is over (no worker left): remove the directory and what it still holds
        (files of workers that died before answering); adopted files stay open."""
        if self._directory is not None:
            shutil.rmtree(self._directory, ignore_errors=True)
            self._directory = None

    def close(self) -> None:
        self.writing_done()
        for descriptor in self._open.values():
            try:
                os.close(descriptor)
            except OSError:
                pass
        self._open.clear()
