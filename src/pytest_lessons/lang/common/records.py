"""The bases of the fact records the layers and lessons extract."""

from __future__ import annotations

import sys
from typing import Any

from pydantic import BaseModel, ConfigDict

__all__ = ["Compact", "Record", "Spanned"]

_SHARED_FIELD_SETS: dict[tuple[type[BaseModel], frozenset[str]], set[str]] = {}


class Compact(BaseModel):
    """A model made in the hundreds of thousands (the facts of a large repository), so what
    pydantic keeps per instance beside the values counts.

    Each instance carries the set of the fields it was given (`model_fields_set`): a hash table
    of 200 to 700 bytes, often larger than the values, and the same few sets over and over. It
    is shared here, one set per class and combination of fields, when an instance is made or
    unpickled (a worker's facts reach the parent pickled). Nothing can change a shared set:
    pydantic copies it before `model_copy(update=...)` adds to it, and assignment (which adds the
    assigned field) only happens on a model that is not frozen, whose set is shared only when it
    already holds every field. Short strings among the values are interned too: names, callees
    and module specifiers repeat across the files of a repository.
    """

    def model_post_init(self, context: Any, /) -> None:
        _compact(self)

    def __setstate__(self, state: dict[Any, Any]) -> None:
        super().__setstate__(state)
        _compact(self)


def _compact(model: BaseModel) -> None:
    given = model.__pydantic_fields_set__
    cls = type(model)
    if not cls.model_config.get("frozen") and len(given) != len(cls.model_fields):
        return
    key = (cls, frozenset(given))
    shared = _SHARED_FIELD_SETS.setdefault(key, given)
    if shared is not given:
        object.__setattr__(model, "__pydantic_fields_set__", shared)
    values = model.__dict__
    for name, value in values.items():
        if type(value) is str and len(value) <= 64:
            values[name] = sys.intern(value)


class Record(Compact):
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
