"""The bases of the fact records the layers and lessons extract."""

from __future__ import annotations

import sys
from types import UnionType
from typing import Any, Literal, SupportsIndex, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict

__all__ = ["RESTORERS", "Compact", "Record", "Repeated", "Spanned"]

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
    already holds every field. Strings among the values (and in their lists, tuples and dicts)
    are interned too when a record is made: names, callees and module specifiers repeat across
    the files of a repository. Interned, equal strings are one object whatever else the process
    made before, and so is a file's pickle the same bytes: the pickler writes an object once
    per identity, and the cache keys judgements by the digest of those bytes. (Interning only
    some of them, a name interned in one field beside an equal one in a list that was not, gave
    a file's facts one pickle when extracted by a worker and another when extracted in the
    process that had interned that name for an earlier file: its lessons judged again after an
    edit that changed none of their facts.)
    """

    model_config = ConfigDict(defer_build=True)
    """Built on first use: validators are made when a record is first made, in the process
    extracting. A run after an edit imports every lesson reading the edited file to survey
    it, and the telemetry lessons' judging worker imports them to unpickle their facts
    (`_restored`, no validation): neither makes a record, and building the validators of the
    180 record classes at import was a fifth of that (0.07 s on inbox-zero)."""

    def model_post_init(self, context: Any, /) -> None:
        _compact(self)

    def __getstate__(self) -> Any:
        """The values alone, in field order, and which fields were given (a bit per field; None
        for all of them).

        pydantic's own state is a dict of four entries with the set of given fields in it, for
        every instance: pickled per record it made the facts a worker sends twice as large, and
        unpickling them was most of what the parent does while the workers extract.
        """
        values = self.__dict__
        names = _field_names(type(self))
        if self.__pydantic_extra__ or self.__pydantic_private__ or tuple(values) != names:
            return super().__getstate__()
        given = self.__pydantic_fields_set__
        if len(given) == len(names):
            return tuple(values.values()), None
        return tuple(values.values()), _given_mask(names, given)

    def __reduce_ex__(self, protocol: SupportsIndex) -> Any:
        """`_restored` with the class and the state `__getstate__` gives: one call per record
        each way, where the default reduction looks up `copyreg` and the new-object arguments,
        then calls `__getstate__`, and loading calls `__setstate__` (a sixth of the time the
        workers spend pickling facts, CPU that grows with the repository)."""
        cls = type(self)
        try:
            names, every = _STATE_OF[cls]
        except KeyError:
            names, every = _state_of(cls)
        values = self.__dict__
        if self.__pydantic_extra__ or self.__pydantic_private__ or tuple(values) != names:
            return super().__reduce_ex__(protocol)  # pydantic's own state
        given = self.__pydantic_fields_set__
        state = tuple(values.values())
        try:
            frozen = _CLASS_SHAPE[cls][0]
        except KeyError:
            frozen = (_CLASS_SHAPE.setdefault(cls, _shape(cls)))[0]
        if not frozen:  # what was added to it since it was made is interned now
            state = tuple([_interned(v) if type(v) in _TEXTUAL and v else v for v in state])
        if given is every or len(given) == len(names):
            return _restored, (cls, state, None)
        return _restored, (cls, state, _mask_of(cls, names, given))

    def __setstate__(self, state: Any) -> None:
        if type(state) is not tuple:  # pydantic's own state (not made by `__getstate__` above)
            super().__setstate__(state)
            _compact(self)
            return
        _fill(self, *state)


def _restored(cls: type[Compact], values: tuple[Any, ...], given: int | None) -> Compact:
    """A record unpickled: its class' instance, made without validation (it was validated when
    made), from the values and given fields `Compact.__getstate__` saved.

    Called once per record a judge unpickles (a hundred thousand per lesson on a large
    repository), so it does `_fill`'s work itself: what is known per class is looked up once
    (a class is checked to be a record the first time), the dict is built in C, and no further
    call is made per record (that call was a twentieth of unpickling)."""
    try:
        names, every = _STATE_OF[cls]
    except (KeyError, TypeError):  # TypeError: not even hashable
        if not (isinstance(cls, type) and issubclass(cls, Compact)):
            raise TypeError(f"{cls!r} is not a fact record") from None
        names, every = _state_of(cls)
    if len(values) != len(names):
        raise ValueError(f"{cls.__name__}: {len(values)} values for {len(names)} fields")
    record = _new(cls)
    # Strings are not interned again here: they were when the record was made, so each
    # file's pickle holds one copy of each; interning them across files as well cost a
    # sixth of unpickling, for 6% less memory in a process that drops them once judged.
    # Lengths are checked above; `strict=False` spelt out cost an eighth of this function.
    _set(record, "__dict__", dict(zip(names, values)))  # noqa: B905
    _set(
        record,
        "__pydantic_fields_set__",
        every if given is None else _given_fields(cls, names, given),
    )
    _set(record, "__pydantic_extra__", None)
    _set(record, "__pydantic_private__", None)
    return record


def _fill(record: Compact, values: tuple[Any, ...], given: int | None) -> None:
    """Set a record's values and given fields as pickled, without validation: `__setstate__`,
    for the records of an older pickle (a new object, then its state). They take what
    `_restored` makes of the same values."""
    made = _restored(type(record), values, given)
    for slot in _STATE_SLOTS:
        _set(record, slot, object.__getattribute__(made, slot))


_STATE_SLOTS = ("__dict__", "__pydantic_fields_set__", "__pydantic_extra__", "__pydantic_private__")


def _state_of(cls: type[Compact]) -> tuple[tuple[str, ...], set[str]]:
    names = _field_names(cls)
    every = _SHARED_FIELD_SETS.setdefault((cls, frozenset(names)), set(names))
    found = _STATE_OF[cls] = names, every
    return found


def _given_mask(names: tuple[str, ...], given: set[str]) -> int:
    return sum(1 << n for n, name in enumerate(names) if name in given)


def _mask_of(cls: type[BaseModel], names: tuple[str, ...], given: set[str]) -> int:
    """`_given_mask`, worked out once per class and set of fields: records pickled by the
    hundred thousand share a few such sets (a Python loop over the fields per record was a
    fifth of pickling one)."""
    key = (cls, frozenset(given))
    mask = _MASKS.get(key)
    if mask is None:
        mask = _MASKS[key] = _given_mask(names, given)
    return mask


def _given_fields(cls: type[BaseModel], names: tuple[str, ...], mask: int) -> set[str]:
    """The fields a pickled record was given (bit n: field n), shared as `_compact` shares; a
    mutable model gets a set of its own (it grows on assignment), copied from one worked out
    once per class and mask (a set made field by field per record was a tenth of unpickling the
    telemetry lessons' facts, whose module and function records are mutable)."""
    key = (cls, mask)
    shared = _GIVEN_BY_MASK.get(key)
    if shared is not None:
        return shared
    template = _GIVEN_TEMPLATE.get(key)
    if template is not None:
        return set(template)
    given = {name for n, name in enumerate(names) if mask >> n & 1}
    if not cls.model_config.get("frozen"):
        _GIVEN_TEMPLATE[key] = frozenset(given)
        return given
    shared = _GIVEN_BY_MASK[key] = _SHARED_FIELD_SETS.setdefault((cls, frozenset(given)), given)
    return shared


_GIVEN_BY_MASK: dict[tuple[type[BaseModel], int], set[str]] = {}
_GIVEN_TEMPLATE: dict[tuple[type[BaseModel], int], frozenset[str]] = {}
_MASKS: dict[tuple[type[BaseModel], frozenset[str]], int] = {}
_set = object.__setattr__
_new = object.__new__
_FIELD_NAMES: dict[type[BaseModel], tuple[str, ...]] = {}
_STATE_OF: dict[type[BaseModel], tuple[tuple[str, ...], set[str]]] = {}
"""Per class: its field names, and the shared set of them (given when all fields were)."""


def _field_names(cls: type[BaseModel]) -> tuple[str, ...]:
    try:
        return _FIELD_NAMES[cls]
    except KeyError:
        names = _FIELD_NAMES[cls] = tuple(cls.model_fields)
        return names


def _compact(model: BaseModel) -> None:
    # Called for every record made (a few hundred thousand in a large repository's cold run):
    # what is known per class is looked up once, and the usual case, every field given, needs
    # no set built to find its shared one.
    cls = type(model)
    try:
        frozen, count, texts = _CLASS_SHAPE[cls]
    except KeyError:
        frozen, count, texts = _CLASS_SHAPE[cls] = _shape(cls)
    given = model.__pydantic_fields_set__
    if len(given) == count:
        shared = _EVERY_FIELD.get(cls)
        if shared is None:
            shared = _EVERY_FIELD[cls] = _SHARED_FIELD_SETS.setdefault(
                (cls, frozenset(given)), given
            )
    elif frozen:
        shared = _SHARED_FIELD_SETS.setdefault((cls, frozenset(given)), given)
    else:
        shared = given  # a mutable model's partial set grows on assignment: its own
    if shared is not given:
        _set(model, "__pydantic_fields_set__", shared)
    values = model.__dict__
    for name in texts:
        value = values[name]
        if type(value) is str:
            values[name] = _intern(value)
        elif value:
            values[name] = _interned(value)


def _interned(value: Any) -> Any:
    """`value` with every string in it interned: a list in place, a tuple made anew, a dict
    anew when a key is a string (records in it were interned when they were made)."""
    kind = type(value)
    if kind is str:
        return _intern(value)
    if kind is list:
        for index, item in enumerate(value):
            kind = type(item)
            if kind is str:
                value[index] = _intern(item)
            elif kind in _CONTAINERS and item:
                value[index] = _interned(item)
        return value
    if kind is tuple:
        return tuple([_interned(item) if type(item) in _TEXTUAL else item for item in value])
    if kind is dict:
        if type(next(iter(value), None)) is str:
            return {
                (_intern(key) if type(key) is str else key): (
                    _interned(item) if type(item) in _TEXTUAL else item
                )
                for key, item in value.items()
            }
        for key, item in value.items():
            if type(item) in _TEXTUAL and item:
                value[key] = _interned(item)
        return value
    return value


_CONTAINERS = (list, tuple, dict)
_TEXTUAL = (str, list, tuple, dict)


def _shape(cls: type[BaseModel]) -> tuple[bool, int, tuple[str, ...]]:
    fields = cls.model_fields
    texts = tuple(name for name, info in fields.items() if _may_hold_text(info.annotation))
    return bool(cls.model_config.get("frozen")), len(fields), texts


def _may_hold_text(annotation: Any) -> bool:
    """Whether a field's value may be or hold a `str` outside a record: `str`, `str | None`,
    `Literal["a"]`, `list[str]`, `dict[str, Record]`, `Any` and anything not plainly another
    type."""
    if annotation is str or annotation is Any:
        return True
    origin, arguments = get_origin(annotation), get_args(annotation)
    if origin is Literal:
        return any(isinstance(argument, str) for argument in arguments)
    if origin in (Union, UnionType, list, tuple, dict, set, frozenset):
        return any(_may_hold_text(argument) for argument in arguments if argument is not ...)
    if isinstance(annotation, type):
        return issubclass(annotation, str)
    return origin is None  # a forward reference or alias: assume it may


_CLASS_SHAPE: dict[type[BaseModel], tuple[bool, int, tuple[str, ...]]] = {}
"""Per class: whether it is frozen, how many fields it has, and those whose value may be a
string (interned when short)."""
_EVERY_FIELD: dict[type[BaseModel], set[str]] = {}
"""Per class: the shared set of all its fields."""
_intern = sys.intern


class Record(Compact):
    """A fact record: frozen, because one file's facts are shared by every lesson that reads it
    and cached by content hash; closed to unknown fields, so a stale cache entry or a misspelt
    field fails validation instead of passing as a default."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Repeated(Record):
    """A record of a few plain values that recur across a repository's files, most of them
    many times (an event reference such as `name "event"`, a parameter `self`): unpickled, it
    is one shared object per class and values, not one per file that holds it.

    A lookup in a dict of those seen is a fifth of what making one costs (`_restored`), and
    the telemetry lessons unpickle a quarter of a million event references for a 10,000-file
    repository. Values must be hashable (no list or dict field): frozen, such a record can be
    shared like an interned string. A file's pickle is unchanged by it (same class, values
    and given fields)."""

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        for name, info in cls.model_fields.items():
            if not _hashable(info.annotation):
                raise TypeError(
                    f"{cls.__name__}.{name}: a repeated record's values must be hashable "
                    f"(a tuple, not a list, set or dict); make it a Record"
                )

    def __reduce_ex__(self, protocol: SupportsIndex) -> Any:
        reduced = super().__reduce_ex__(protocol)
        if reduced[0] is _restored:
            return _restored_shared, reduced[1]
        return reduced


def _hashable(annotation: Any) -> bool:
    """Whether every value a field so annotated may hold is hashable (as far as its type says:
    `str | None`, `Literal[...]`, `tuple[str, ...]`, a frozen record)."""
    if annotation in (list, dict, set, Any):
        return False
    origin = get_origin(annotation)
    if origin in (list, dict, set):
        return False
    if origin in (Union, UnionType, tuple, frozenset):
        return all(_hashable(argument) for argument in get_args(annotation) if argument is not ...)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return bool(annotation.model_config.get("frozen"))
    return True


_SHARED_RECORDS: dict[tuple[type[Compact], tuple[Any, ...], int | None], Compact] = {}
"""Every repeated record unpickled so far, for the life of the process: bounded by the distinct
values of the repositories it judged (a few tens of thousands), and judging mostly happens in
workers that exit."""


def _restored_shared(cls: type[Compact], values: tuple[Any, ...], given: int | None) -> Compact:
    """`_restored`, or the record it made before for the same class, values and fields given."""
    key = (cls, values, given)
    try:
        return _SHARED_RECORDS[key]
    except KeyError:
        record = _SHARED_RECORDS[key] = _restored(cls, values, given)
        return record


RESTORERS = frozenset({_restored.__name__, _restored_shared.__name__})
"""The functions a pickled record is made by (`Compact.__reduce_ex__`, `Repeated`): the only
functions the cache's restricted unpickler may call, listed here beside them so that a new one
cannot be forgotten there (every blob holding it would be refused, and its file extracted again
while judging)."""


class Spanned(Record):
    """A record about one place of a file: 1-based line and column of its start and its end."""

    line: int
    column: int
    end_line: int
    end_column: int
