"""The TypeScript half of `pagination-tiebreaker`: Prisma's `findMany` with `take`, `skip` or
`cursor`, ordered by `orderBy` (an object, or an array of them: the last key counts).

Which fields are unique comes from the lesson's `unique-columns` option: `schema.prisma` is not
a file kind the workspace reads, so `@id`/`@unique` declarations are not joined yet. A relation
in the ordering (`orderBy: { author: { name: "asc" } }`) is left alone, and `take` without
`skip`/`cursor` takes the top rows once, not a page.
"""

from __future__ import annotations

from ast_grep_py import SgNode

from pytest_lessons.checks.base import Half
from pytest_lessons.checks.pagination_tiebreaker.options import PaginationTiebreakerOptions
from pytest_lessons.checks.pagination_tiebreaker.sort import Sort, SortFacts
from pytest_lessons.lang.typescript.syntax import root_of, span
from pytest_lessons.source import FileKind, SourceFile

__all__ = ["TypeScriptFacts", "TypeScriptHalf"]


class TypeScriptFacts(SortFacts):
    pass


class TypeScriptHalf(Half[PaginationTiebreakerOptions, TypeScriptFacts]):
    name = "typescript"
    facts_model = TypeScriptFacts
    file_kinds = frozenset({FileKind.TYPESCRIPT})
    prefilter = (b"findMany",)

    def extract(self, file: SourceFile) -> TypeScriptFacts:
        root = root_of(file)
        sorts = []
        for call in root.find_all(pattern="$CLIENT.$MODEL.findMany($ARG)"):
            argument = call.get_match("ARG")
            model = call.get_match("MODEL")
            if argument is None or argument.kind() != "object":
                continue
            sort = _prisma_sort(argument, model.text() if model is not None else None)
            if sort is not None:
                sorts.append(sort)
        return TypeScriptFacts(sorts=sorts)


def _pairs(node: SgNode) -> dict[str, SgNode]:
    pairs = {}
    for child in node.children():
        if child.kind() == "pair":
            key = child.field("key")
            value = child.field("value")
            if key is not None and value is not None:
                pairs[key.text().strip("'\"")] = value
        elif child.kind() == "shorthand_property_identifier":
            pairs[child.text()] = child
    return pairs


def _prisma_sort(argument: SgNode, model: str | None) -> Sort | None:
    pairs = _pairs(argument)
    order = pairs.get("orderBy")
    if order is None:
        return None
    paging = [name for name in ("take", "skip", "cursor") if name in pairs]
    if "skip" not in pairs and "cursor" not in pairs:
        return None  # `take` alone: the top rows once, not a page
    if order.kind() == "array":
        items = [c for c in order.children() if c.is_named()]
        if not items:
            return None
        order = items[-1]
    if order.kind() != "object":
        return None
    keys = [c for c in order.children() if c.kind() == "pair"]
    if not keys:
        return None
    last = keys[-1]
    value = last.field("value")
    key = last.field("key")
    if key is None or value is None or value.kind() == "object":
        return None
    if key.kind() == "computed_property_name":
        return None  # `[sortBy]`: chosen at run time, nothing to judge
    where = span(last)
    return Sort(
        line=where.line,
        column=where.column,
        end_line=where.end_line,
        end_column=where.end_column,
        model=model,
        key=key.text().strip("'\""),
        paging="/".join(f"`{name}`" for name in paging),
    )
