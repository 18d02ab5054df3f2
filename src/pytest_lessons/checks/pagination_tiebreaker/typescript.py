"""The TypeScript half of `pagination-tiebreaker`: Prisma's `findMany` with `take`, `skip` or
`cursor`, ordered by `orderBy` (an object, or an array of them: the last key counts).

Which fields are unique comes from the Prisma schema (`@id`, `@unique`, `@@id`, `@@unique`, read
by the `prisma` half and joined in `judge` by the client's model name) and from the lesson's
`unique-columns` option. A relation in the ordering (`orderBy: { author: { name: "asc" } }`) is
left alone, and `take` without `skip`/`cursor` (or with `skip: 0`) takes the top rows once, not
a page.

A page with no `orderBy` at all is recorded too (Prisma adds no ordering of its own: the
database returns rows in whatever order its plan gives), unless the argument spreads another
object (`{ ...query, skip }`), which may hold one.
"""

from __future__ import annotations

from ast_grep_py import SgNode

from pytest_lessons.checks.base import Half
from pytest_lessons.checks.pagination_tiebreaker.options import PaginationTiebreakerOptions
from pytest_lessons.checks.pagination_tiebreaker.sort import Sort, SortFacts, UnorderedPage
from pytest_lessons.lang.typescript.syntax import root_of, span_fields
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
        unordered = []
        for call in root.find_all(pattern="$CLIENT.$MODEL.findMany($ARG)"):
            argument = call.get_match("ARG")
            model = call.get_match("MODEL")
            if argument is None or argument.kind() != "object":
                continue
            sort = _prisma_sort(argument, model.text() if model is not None else None)
            if sort is not None:
                sorts.append(sort)
            page = _unordered_page(call, argument)
            if page is not None:
                unordered.append(page)
        return TypeScriptFacts(sorts=sorts, unordered=unordered)


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


def _unordered_page(call: SgNode, argument: SgNode) -> UnorderedPage | None:
    """This `findMany` as a page of an unordered query: `skip` or `cursor`, no `orderBy`, and
    nothing spread into the argument that could bring one."""
    if any(child.kind() == "spread_element" for child in argument.children()):
        return None
    pairs = _pairs(argument)
    if "orderBy" in pairs:
        return None
    marker = pairs.get("skip") or pairs.get("cursor")
    if marker is None or not _pages(pairs):
        return None  # `take` alone: the top rows once, not a page
    # the key's span: a `skip: n` pair's key, or a shorthand `skip` itself
    pair = marker.parent()
    key = pair.field("key") if pair is not None and pair.kind() == "pair" else None
    function = call.field("function")
    return UnorderedPage(
        query=function.text() if function is not None else "findMany",
        paging=_paging(pairs),
        ordering='`orderBy: { id: "asc" }`',
        **span_fields(key if key is not None else marker),
    )


def _paging(pairs: dict[str, SgNode]) -> str:
    """How a `findMany` pages, for the message: `take`/`skip`/`cursor`, those it is given."""
    return "/".join(f"`{name}`" for name in ("take", "skip", "cursor") if name in pairs)


def _pages(pairs: dict[str, SgNode]) -> bool:
    """Whether a `findMany` argument asks for a page: a `cursor`, or a `skip` that is not
    literally `0` (`skip: 0, take: 200` takes the first rows once, as `take` alone does)."""
    skip = pairs.get("skip")
    return "cursor" in pairs or (skip is not None and skip.text() != "0")


def _prisma_sort(argument: SgNode, model: str | None) -> Sort | None:
    pairs = _pairs(argument)
    order = pairs.get("orderBy")
    if order is None:
        return None
    if not _pages(pairs):
        return None  # `take` alone: the top rows once, not a page
    items = [c for c in order.children() if c.is_named()] if order.kind() == "array" else [order]
    if not items or items[-1].kind() != "object":
        return None
    keys = [c for c in items[-1].children() if c.kind() == "pair"]
    if not keys:
        return None
    last = keys[-1]
    field = _field(last)
    if field is None:
        return None  # a relation (`{ author: { name } }`) or `[sortBy]`: nothing to judge
    return Sort(
        model=model,
        key=field,
        keys=[name for item in items for name in _fields(item)],
        paging=_paging(pairs),
        **span_fields(last),
    )


def _fields(item: SgNode) -> list[str]:
    """The plain fields one `orderBy` object sorts by, in order."""
    if item.kind() != "object":
        return []
    return [name for pair in item.children() if pair.kind() == "pair" and (name := _field(pair))]


def _field(pair: SgNode) -> str | None:
    """The field a `field: "asc"` pair sorts by; None for a relation or a computed key."""
    key = pair.field("key")
    value = pair.field("value")
    if key is None or value is None or value.kind() == "object":
        return None
    if key.kind() == "computed_property_name":
        return None  # `[sortBy]`: chosen at run time
    return key.text().strip("'\"")
