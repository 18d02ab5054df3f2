"""Pickled facts waiting on disk: where a blob is, and the keyed digest that names its content.

The parent keeps what workers extracted as bytes in spill files, not as objects in memory,
until the lesson they are for judges or the next cache is written (`fact_cache.Spill`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

BLOB_DIGEST_SIZE = 16


@dataclass(frozen=True)
class Spilled:
    """A pickled facts blob parked in this run's spill file (never itself in a cache file)."""

    offset: int
    length: int
    digest: bytes | None = None
    """Its keyed digest, when a cache is kept (`FactCache.store`): what says whether a
    lesson's facts about the file changed, and what the next cache file records."""


def blob_digest(key: bytes, data: bytes) -> bytes:
    """The keyed digest of a facts blob (the cache's secret as the key)."""
    return hashlib.blake2b(data, key=key[:64], digest_size=BLOB_DIGEST_SIZE).digest()
