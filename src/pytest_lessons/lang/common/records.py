"""The bases of the fact records the layers and lessons extract."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

__all__ = ["Record", "Spanned"]


class Record(BaseModel):
    """A fact record: frozen, because one file's facts are shared by every lesson that reads it
    and cached by content hash; closed to unknown fields, so a stale cache entry or a misspelt
    field fails validation instead of passing as a default."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Spanned(Record):
    """A record about one place of a file: 1-based line and column of its start and its end."""

    line: int
    column: int
    end_line: int
    end_column: int
