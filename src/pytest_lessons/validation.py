"""Validating TOML tables strictly, and saying what is wrong in the user's terms.

Config and lesson options are read as TOML, so they are validated the way a JSON document is,
strictly: `true` is no size, `"no"` is no boolean, `1.0` is no count. pydantic's own messages
speak Python ("Input should be a valid dictionary or instance of PublicRoute"); a user wrote
TOML, so every error is described from the model's annotations instead ("expected a list of
{glob, reason} tables, got a string"), unknown keys get the closest known key, and every problem
is kept (with where it is) so the whole config can be reported at once.
"""

from __future__ import annotations

import datetime
import difflib
import enum
import json
import types
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import pydantic_core
from pydantic import BaseModel, ValidationError

from pytest_lessons.toml_io import KeyPath

ModelT = TypeVar("ModelT", bound=BaseModel)


@dataclass(frozen=True)
class ConfigProblem:
    """One thing wrong in a TOML table: where (a key path from the document root) and what."""

    path: KeyPath
    message: str


class TomlValueError(ValueError):
    """A value TOML can hold but no setting takes (a date or a time), found before pydantic."""

    def __init__(self, problems: list[ConfigProblem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


def validate_toml(
    model: type[ModelT], data: Mapping[str, Any], at: KeyPath = (), shown: KeyPath = ()
) -> ModelT:
    """`data` validated strictly as JSON would be; raises ValidationError or TomlValueError.

    Going through JSON is what makes the check strict in TOML's terms: an array fills a tuple
    field, a string fills an enum or a path, and nothing is coerced from another type.
    """
    dates = [
        ConfigProblem(
            path, f"`{dotted((*shown, *path[len(at) :]))}`: dates and times are not accepted here"
        )
        for path in _date_values(data, at)
    ]
    if dates:
        raise TomlValueError(dates)
    document = json.dumps(data, default=pydantic_core.to_jsonable_python)
    return model.model_validate_json(document, strict=True)


def _date_values(data: Any, at: KeyPath) -> list[KeyPath]:
    found: list[KeyPath] = []
    stack: list[tuple[Any, KeyPath]] = [(data, at)]
    while stack:
        value, path = stack.pop()
        if isinstance(value, (datetime.date, datetime.time)):
            found.append(path)
        elif isinstance(value, dict):
            stack.extend((item, (*path, key)) for key, item in value.items())
        elif isinstance(value, list):
            stack.extend((item, (*path, index)) for index, item in enumerate(value))
    return found


def describe_errors(
    error: ValidationError,
    model: type[BaseModel],
    data: Mapping[str, Any],
    at: KeyPath = (),
    shown: KeyPath = (),
) -> list[ConfigProblem]:
    """Every problem in `error`, one per key, worded from `model`'s annotations.

    `data` is what was validated (to quote the user's value) and `at` where it sits in the
    document (`("tool", "pytest-lessons")`), so each problem's path can be looked up in the
    file; messages name keys relative to the table, behind `shown` (`options.<id>`).
    """
    # A typo shows up as both an unknown key and a missing one: the typo is the one to fix.
    details = sorted(error.errors(), key=lambda d: d["type"] != "extra_forbidden")
    resolved = [(detail, *_resolve(model, tuple(detail["loc"]), data)) for detail in details]
    deeper = {key_path[:end] for _, _, key_path, _, _ in resolved for end in range(len(key_path))}
    problems: dict[KeyPath, ConfigProblem] = {}
    for detail, annotation, key_path, parent, whole in resolved:
        if not whole and key_path in deeper:
            continue  # a union member that did not fit; the one that did says what is wrong
        where = dotted((*shown, *key_path))
        if detail["type"] == "extra_forbidden":
            message = f"`{where}`: unknown key" + _did_you_mean(str(key_path[-1]), parent)
        elif detail["type"] == "missing":
            message = f"`{where}`: required key is missing"
        elif not whole or detail["type"] not in _CONSTRAINTS:
            value = toml_shape(_lookup(data, key_path))
            message = f"`{where}`: expected {describe_type(annotation)}, got {value}"
        else:
            message = f"`{where}`: {_constraint(detail)}"
        problems.setdefault((*at, *key_path), ConfigProblem((*at, *key_path), message))
    return list(problems.values())


_CONSTRAINTS = frozenset(
    {
        "greater_than",
        "greater_than_equal",
        "less_than",
        "less_than_equal",
        "too_short",
        "too_long",
        "string_too_short",
        "string_too_long",
        "string_pattern_mismatch",
        "value_error",
        "assertion_error",
    }
)


def _constraint(detail: Any) -> str:
    context = detail.get("ctx") or {}
    got = toml_value(detail.get("input"))
    if detail["type"] == "greater_than_equal":
        return f"must be at least {context['ge']} (got {got})"
    if detail["type"] == "greater_than":
        return f"must be more than {context['gt']} (got {got})"
    if detail["type"] == "less_than_equal":
        return f"must be at most {context['le']} (got {got})"
    if detail["type"] == "less_than":
        return f"must be less than {context['lt']} (got {got})"
    if detail["type"] == "string_too_short" and context.get("min_length") == 1:
        return "must not be empty"
    if detail["type"] in ("too_short", "string_too_short"):
        return f"must hold at least {context.get('min_length')} (got {got})"
    if detail["type"] in ("too_long", "string_too_long"):
        return f"must hold at most {context.get('max_length')} (got {got})"
    if detail["type"] == "string_pattern_mismatch":
        return f"must match {context.get('pattern')} (got {got})"
    message = str(detail["msg"])
    for prefix in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(prefix)
    return message


_MISSING = object()


def _lookup(data: Any, path: KeyPath) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return _MISSING
    return data


def _resolve(model: type[BaseModel], loc: KeyPath, data: Any) -> tuple[Any, KeyPath, Any, bool]:
    """(annotation, key path, parent annotation, whole) of a pydantic error location.

    Locations mix the user's keys with Python type names where a value may take one of several
    shapes (`public-routes.tuple[PublicRoute, ...].0.glob`). The type names are dropped: the
    member matching the shape the user wrote is followed, and when the error is about the shape
    itself the path stops at the key (`whole` is False) so the union is described entire.
    """
    annotation: Any = model
    parent: Any = None
    path: list[str | int] = []
    value: Any = data
    parts = list(loc)
    while parts:
        part = parts.pop(0)
        inner = _unwrap(annotation)
        if is_union(inner):
            if not parts:
                return annotation, tuple(path), parent, False
            annotation = _member_for(inner, value)
            continue  # `part` named the member pydantic tried
        parent = inner
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            path.append(part)
            field = _field(inner, str(part))
            if field is None:
                return Any, tuple(path), parent, True
            annotation = field
        elif _is_sequence(inner) and isinstance(part, int):
            path.append(part)
            annotation = _item_type(inner)
        elif _is_mapping(inner):
            path.append(part)
            args = typing.get_args(inner)
            annotation = args[1] if len(args) == 2 else Any
        else:
            return annotation, tuple(path), parent, False
        value = _lookup(value, (part,))
    return annotation, tuple(path), parent, True


def _member_for(union: Any, value: Any) -> Any:
    """The member of a union a value of this shape was meant for."""
    members = [m for m in typing.get_args(union) if m is not type(None)]
    for member in members:
        inner = _unwrap(member)
        if isinstance(value, list) and _is_sequence(inner):
            return member
        if isinstance(value, dict) and (
            _is_mapping(inner) or (isinstance(inner, type) and issubclass(inner, BaseModel))
        ):
            return member
    return members[0] if members else Any


def _field(model: type[BaseModel], key: str) -> Any:
    for name, info in model.model_fields.items():
        if key in (name, info.alias):
            return info.annotation
    return None


def _did_you_mean(key: str, parent: Any) -> str:
    if not (isinstance(parent, type) and issubclass(parent, BaseModel)):
        return ""
    known = sorted(info.alias or name for name, info in parent.model_fields.items())
    close = difflib.get_close_matches(key, known, n=1)
    if close:
        return f"; did you mean `{close[0]}`?"
    return f"; known keys: {', '.join(known)}"


def _unwrap(annotation: Any) -> Any:
    """Drop `Annotated[...]` and the `None` of an optional value."""
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    if is_union(annotation):
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(members) == 1:
            return _unwrap(members[0])
    return annotation


def is_union(annotation: Any) -> bool:
    return typing.get_origin(annotation) in (typing.Union, types.UnionType)


def _is_sequence(annotation: Any) -> bool:
    origin = typing.get_origin(annotation) or annotation
    return origin in (list, tuple, set, frozenset) or (
        isinstance(origin, type) and origin is not str and issubclass(origin, Sequence)
    )


def _is_mapping(annotation: Any) -> bool:
    origin = typing.get_origin(annotation) or annotation
    return isinstance(origin, type) and issubclass(origin, Mapping)


def _item_type(annotation: Any) -> Any:
    args = [a for a in typing.get_args(annotation) if a is not Ellipsis]
    return args[0] if len(args) == 1 else Any


def describe_type(annotation: Any, *, plural: bool = False) -> str:
    """An annotation in TOML's words: `a list of {glob, reason} tables`, `true or false`."""
    annotation = _unwrap(annotation)
    if is_union(annotation):
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        return " or ".join(describe_type(member, plural=plural) for member in members)
    if typing.get_origin(annotation) is typing.Literal:
        return "one of " + ", ".join(toml_value(value) for value in typing.get_args(annotation))
    if annotation is bool:
        return "true or false"
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return "one of " + ", ".join(toml_value(member.value) for member in annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        keys = ", ".join(info.alias or name for name, info in annotation.model_fields.items())
        return f"{{{keys}}} tables" if plural else f"a {{{keys}}} table"
    if _is_sequence(annotation):
        item = describe_type(_item_type(annotation), plural=True)
        return f"lists of {item}" if plural else f"a list of {item}"
    if _is_mapping(annotation):
        args = typing.get_args(annotation)
        value = describe_type(args[1], plural=True) if len(args) == 2 else "values"
        return f"tables of {value}" if plural else f"a table of {value}"
    singular, many = _SCALARS.get(annotation, ("a value", "values"))
    return many if plural else singular


_SCALARS: dict[Any, tuple[str, str]] = {
    str: ("a string", "strings"),
    int: ("an integer", "integers"),
    float: ("a number", "numbers"),
    Any: ("a value", "values"),
}


def toml_shape(value: Any) -> str:
    """What a user wrote, briefly: `true`, `"no"`, `an array`, `a table`."""
    if value is _MISSING:
        return "something else"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    return toml_value(value)


def toml_value(value: Any) -> str:
    """A value as TOML writes it inline, for messages and `--lessons-explain`.

    tomli-w writes documents, not inline values: its arrays always span lines and its tables
    become `[headers]`, neither of which fits a one-line description.
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return toml_value(value.value)
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Mapping):
        items = ", ".join(f"{_toml_key(str(k))} = {toml_value(v)}" for k, v in value.items())
        return f"{{ {items} }}" if items else "{}"
    if isinstance(value, (list, tuple, set, frozenset)):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    if isinstance(value, BaseModel):
        return toml_value(value.model_dump(mode="json", by_alias=True))
    return json.dumps(str(value))


def _toml_key(key: str) -> str:
    if key and all(c.isascii() and (c.isalnum() or c in "_-") for c in key):
        return key
    return json.dumps(key, ensure_ascii=False)


def dotted(path: KeyPath) -> str:
    """`options.worker-route-auth.public-routes[0].glob`: a key path as a user reads it."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            key = _toml_key(part)
            text += f".{key}" if text else key
    return text


def describe_validation_error(
    error: ValidationError, model: type[BaseModel], data: Mapping[str, Any], prefix: str = ""
) -> str:
    """The first problem of `error` as one line, for the lesson TOMLs of the catalog."""
    problems = describe_errors(error, model, data)
    if not problems:
        return str(error)
    first = problems[0].message
    if prefix:
        first = first.replace("`", f"`{prefix}.", 1) if first.startswith("`") else first
    more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
    return first + more
