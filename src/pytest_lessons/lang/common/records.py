"""The base of every fact record the layers and lessons extract."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

__all__ = ["Record"]


class Record(BaseModel):
    """A fact record: frozen, because one file's facts are shared by every lesson that reads it
    and cached by content hash; closed to unknown fields, so a stale cache entry or a misspelt
    field fails validation instead of passing as a default."""

    model_config = ConfigDict(frozen=True, extra="forbid")
