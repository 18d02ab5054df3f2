"""The base model for lesson options: kebab-case keys in TOML, strict about unknown keys."""

from __future__ import annotations

import difflib
import typing
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict

from pytest_lessons.toml_io import KeyPath
from pytest_lessons.validation import ConfigProblem, dotted, is_union, toml_shape


def kebab(name: str) -> str:
    return name.replace("_", "-")


class LessonOptions(BaseModel):
    """Options a lesson accepts; its TOML `[options]` table holds the defaults.

    Unknown keys are errors: a misspelt option silently ignored is a lesson silently weakened.
    """

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        alias_generator=kebab,
        populate_by_name=True,
        use_attribute_docstrings=True,
    )


class NoOptions(LessonOptions):
    """For lessons with nothing to configure."""


EXTEND = "extend-"


def apply_extends(
    model: type[LessonOptions],
    defaults: Mapping[str, Any],
    overrides: Mapping[str, Any],
    at: KeyPath,
    shown: KeyPath,
) -> tuple[dict[str, Any], list[ConfigProblem]]:
    """`overrides` with each `extend-<option>` key added to the option's list instead.

    A team listing one more auth helper should not have to copy the lesson's defaults (and miss
    the ones added in the next release): `extend-auth-helpers = ["require_admin"]` keeps them.
    The base is the option as configured, else the lesson's TOML default, else the model's.
    """
    aliases = {info.alias or name: name for name, info in model.model_fields.items()}
    merged: dict[str, Any] = {}
    extensions: dict[str, Any] = {}
    problems: list[ConfigProblem] = []
    for key, value in overrides.items():
        if key in aliases or not key.startswith(EXTEND):
            merged[key] = value
            continue
        base = key[len(EXTEND) :]
        shown_key = dotted((*shown, key))
        lists = sorted(alias for alias, name in aliases.items() if is_list_option(model, name))
        if base not in aliases or not is_list_option(model, aliases[base]):
            close = difflib.get_close_matches(base, lists, n=1)
            hint = (
                f"did you mean `{EXTEND}{close[0]}`?"
                if close
                else f"list options: {', '.join(lists) or 'none'}"
            )
            problems.append(
                ConfigProblem(
                    (*at, key), f"`{shown_key}`: not a list option of this lesson; {hint}"
                )
            )
        elif not isinstance(value, list):
            problems.append(
                ConfigProblem(
                    (*at, key), f"`{shown_key}`: expected an array, got {toml_shape(value)}"
                )
            )
        else:
            extensions[base] = value
    for base, extra in extensions.items():
        current = merged.get(base, defaults.get(base, _model_default(model, aliases[base])))
        if isinstance(current, (list, tuple)):
            merged[base] = [*current, *extra]
        else:
            problems.append(
                ConfigProblem(
                    (*at, f"{EXTEND}{base}"),
                    f"`{dotted((*shown, EXTEND + base))}`: `{base}` is {toml_shape(current)} "
                    "here, not a list, so there is nothing to extend",
                )
            )
    return merged, problems


def is_list_option(model: type[LessonOptions], name: str) -> bool:
    annotation = model.model_fields[name].annotation
    members = typing.get_args(annotation) if is_union(annotation) else (annotation,)
    return any((typing.get_origin(m) or m) in (list, tuple, set, frozenset) for m in members)


def _model_default(model: type[LessonOptions], name: str) -> Any:
    value = model.model_fields[name].get_default(call_default_factory=True)
    return list(value) if isinstance(value, (tuple, frozenset, set)) else value
