"""Indexes that lessons judging together build alike from the very same facts, built once.

Lessons that share a layer (`Check.shares_facts`) judge in one task, over facts unpickled
together: their records are the same objects. An index over them that depends on nothing else
(`JsProject`: the module resolver and symbol index, whose memoised answers are pure functions of
the facts) is then built by the first lesson that asks and handed to the others, which also
inherit its memoised answers.

Only inside `together()`, which the analysis opens around one task's lessons: outside it (a
lesson's own tests, a judge called directly) every call builds afresh, and when the task is over
the indexes are dropped with the facts. The key is the identity of every input object, and the
scope holds the inputs, so an id cannot be reused while its entry lives.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TypeVar

__all__ = ["built_once", "together"]

BuiltT = TypeVar("BuiltT")

_scopes: list[dict[tuple[Any, ...], tuple[object, Any]]] = []


@contextmanager
def together() -> Iterator[None]:
    """Share what `built_once` builds until the block ends."""
    _scopes.append({})
    try:
        yield
    finally:
        _scopes.pop()


def built_once(kind: str, inputs: Mapping[str, object], build: Callable[[], BuiltT]) -> BuiltT:
    """`build()`, or what it returned for an earlier lesson of this task given the same
    objects under the same keys, in the same order."""
    if not _scopes:
        return build()
    scope = _scopes[-1]
    key = (kind, tuple((name, id(value)) for name, value in inputs.items()))
    found = scope.get(key)
    if found is not None:
        value: BuiltT = found[1]
        return value
    built = build()
    scope[key] = (dict(inputs), built)
    return built
