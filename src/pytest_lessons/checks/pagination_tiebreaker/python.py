"""The Python half of `pagination-tiebreaker`: paged queries of SQLAlchemy, Django and raw SQL,
and the columns models declare unique.

A query is read as one method chain: `select(Order).order_by(Order.created_at).limit(20)`,
`session.query(Order).order_by(...).offset(n).limit(n)`, `Order.objects.order_by("-created_at")
[a:b]`, `.paginate(...)`, or a chain handed to Django's `Paginator`. A query built across
statements (`stmt = stmt.limit(n)` later) is not followed: the lesson speaks only about what one
expression shows. `.limit(n)` or `[:n]` alone takes the top rows once (the latest 100
notifications, a batch of a job): ties at the edge do not repeat or lose anything, so only a
limit after a keyset filter on the sort column counts as a page.

A page of a query that is not ordered at all is worse: the database returns rows in whatever
order its plan gives. It is recorded when one chain shows all of it: its query
(`Users.query`, `session.query(Users)`, `select(Users)`), a page (`.paginate()`, `.offset()`)
and no `order_by` anywhere in it. A chain that starts from a variable may have been ordered
where that variable was made, and a Django queryset has its model's `Meta.ordering`: neither is
judged.
"""

from __future__ import annotations

import re

from ast_grep_py import SgNode
from pydantic import Field

from pytest_lessons.checks.base import Half
from pytest_lessons.checks.pagination_tiebreaker.options import PaginationTiebreakerOptions
from pytest_lessons.checks.pagination_tiebreaker.sort import Sort, SortFacts, UnorderedPage
from pytest_lessons.checks.pagination_tiebreaker.sql import CURSOR_NAME, paged_sort_column
from pytest_lessons.lang.python.ast_source import check_python_syntax
from pytest_lessons.lang.typescript.syntax import span, span_fields
from pytest_lessons.source import FileKind, SourceFile

__all__ = ["PythonFacts", "PythonHalf"]

_PAGES = frozenset({"offset", "slice", "paginate"})
"""Calls that page by themselves; `limit`/`fetch` alone take the top rows once, and page only
with a keyset cursor: a filter comparing the sort column (`created_at < last_seen`)."""
_TOP = frozenset({"limit", "fetch"})
_DIRECTION = frozenset({"desc", "asc", "nulls_last", "nulls_first", "nullslast", "nullsfirst"})
_COLUMN_CALLS = ("Column", "mapped_column", "Field", "column_property")
_UNIQUE_KEYWORDS = frozenset({"unique", "primary_key"})
_NOT_A_KEY = ("keyword_argument", "list_splat", "dictionary_splat")


class PythonFacts(SortFacts):
    models: dict[str, list[str]] = Field(default_factory=dict)
    """Class name -> the columns it declares `unique=True` or `primary_key=True`."""


class PythonHalf(Half[PaginationTiebreakerOptions, PythonFacts]):
    name = "python"
    facts_model = PythonFacts
    file_kinds = frozenset({FileKind.PYTHON})
    prefilter = (
        b"order_by",
        b"ORDER BY",
        b"order by",
        b"Order By",
        b"unique=True",
        b"primary_key=True",
        b".paginate(",
        b".offset(",
    )

    def extract(self, file: SourceFile) -> PythonFacts:
        check_python_syntax(file)  # a syntax error is the file's problem, as for every lesson
        root: SgNode = file.tree("ast-grep:python").root()
        sorts = [sort for call in _order_by_calls(root) if (sort := _chain_sort(call))]
        sorts.extend(_sql_sorts(root))
        sorts.sort(key=lambda sort: (sort.line, sort.column))
        unordered = [page for call in _paging_calls(root) if (page := _unordered_page(call))]
        return PythonFacts(sorts=sorts, models=_unique_columns(root), unordered=unordered)


def _paging_calls(root: SgNode) -> list[SgNode]:
    return list(
        root.find_all(kind="call", has={"field": "function", "regex": r"\.(paginate|offset)$"})
    )


def _unordered_page(page: SgNode) -> UnorderedPage | None:
    """This `.paginate()`/`.offset()` call as a page of an unordered query, when its chain
    starts at a query and holds no `order_by` (before or after it)."""
    node: SgNode | None = page
    receiver: SgNode | None = None
    while node is not None and node.kind() == "call":
        function = node.field("function")
        if function is None or function.kind() != "attribute":
            break
        name = function.field("attribute")
        if node is not page and name is not None and name.text() == "order_by":
            return None
        receiver = function.field("object")
        if _is_query(receiver):
            break
        node = receiver
    else:
        return None
    if not _is_query(receiver):
        return None
    if any(name == "order_by" for name, _ in _chained_after(page)[0]):
        return None  # ordered after the page: the same statement
    function = page.field("function")
    name = function.field("attribute") if function is not None else None
    if name is None or receiver is None:
        return None
    return UnorderedPage(
        query=receiver.text(),
        paging=f"`.{name.text()}()`",
        ordering="`.order_by(... .id)`",
        **span_fields(name),
    )


def _is_query(node: SgNode | None) -> bool:
    """`Users.query` (Flask-SQLAlchemy), `session.query(Users)`, `select(Users)`."""
    if node is None:
        return False
    if node.kind() == "attribute":
        owner, name = node.field("object"), node.field("attribute")
        return (
            name is not None
            and name.text() == "query"
            and owner is not None
            and owner.kind() == "identifier"
            and owner.text()[:1].isupper()
        )
    if node.kind() == "call":
        function = node.field("function")
        if function is None:
            return False
        if function.text() == "select":
            return True
        if function.kind() != "attribute" or not function.text().endswith(".query"):
            return False
        # `session.query(Order)`, `session.query(Order.id)`: a model, not a search client's
        # `client.query(text)`
        arguments = node.field("arguments")
        first = next((c for c in arguments.children() if c.is_named()), None) if arguments else None
        model = first.text().split(".", 1)[0] if first is not None else ""
        return (
            first is not None
            and first.kind() in ("identifier", "attribute")
            and model[:1].isupper()
        )
    return False


def _order_by_calls(root: SgNode) -> list[SgNode]:
    return list(root.find_all(kind="call", has={"field": "function", "regex": r"\.order_by$"}))


def _chain_sort(order_by: SgNode) -> Sort | None:
    """The sort of a paged chain through this `order_by(...)` call, or None."""
    methods, top = _chained_after(order_by)
    if any(name == "order_by" for name, _ in methods):
        return None  # a later `order_by` ends the ordering (SQLAlchemy appends, Django
        # replaces): that call speaks for the chain
    arguments = order_by.field("arguments")
    keys = [c for c in arguments.children() if c.is_named()] if arguments else []
    if not keys or any(k.kind() in _NOT_A_KEY for k in keys):
        return None
    model, column = _sort_key(keys[-1])
    if column is None:
        return None
    how = _paging(methods, top, column)
    if how is None:
        return None
    ordered = [named for key in keys if (named := _sort_key(key)[1]) is not None]
    if _distinct_rows_of(order_by, methods, ordered):
        return None
    if model is None and keys[-1].kind() == "string":
        model = _queried_model(order_by)
    return Sort(model=model, key=column, keys=ordered, paging=how, **span_fields(keys[-1]))


def _chained_after(call: SgNode) -> tuple[list[tuple[str, SgNode]], SgNode]:
    """The methods called on `call`'s result in the same expression (`.offset(n).limit(m)`), by
    name with their calls, in order, and the last of those calls (`call` itself when none)."""
    methods: list[tuple[str, SgNode]] = []
    top = call
    while True:
        parent = top.parent()
        if parent is None or parent.kind() != "attribute" or not _same(parent.field("object"), top):
            break
        outer, name = parent.parent(), parent.field("attribute")
        if outer is None or outer.kind() != "call" or name is None:
            break
        methods.append((name.text(), outer))
        top = outer
    return methods, top


def _distinct_rows_of(
    order_by: SgNode, later: list[tuple[str, SgNode]], ordered: list[str]
) -> bool:
    """`select(Env.project_id).distinct().order_by(Env.project_id)`: the rows are distinct on
    the columns selected, so an ordering holding every one of them is total."""
    distinct = any(name == "distinct" and not _has_arguments(call) for name, call in later)
    node: SgNode | None = order_by
    while node is not None and node.kind() == "call":
        function = node.field("function")
        if function is None:
            return False
        if function.text() == "select":
            arguments = node.field("arguments")
            selected = [c for c in arguments.children() if c.is_named()] if arguments else []
            columns = [_sort_key(column)[1] for column in selected]
            return (
                distinct
                and bool(columns)
                and all(column is not None for column in columns)
                and set(columns) <= set(ordered)
            )
        if function.kind() != "attribute":
            return False
        name = function.field("attribute")
        if node is not order_by and name is not None and name.text() == "distinct":
            distinct = distinct or not _has_arguments(node)
        node = function.field("object")
    return False


def _has_arguments(call: SgNode) -> bool:
    arguments = call.field("arguments")
    return arguments is not None and any(c.is_named() for c in arguments.children())


def _paging(methods: list[tuple[str, SgNode]], top: SgNode, column: str) -> str | None:
    """How the chain pages (`.offset()`, `[a:b]`, `Paginator`, `.limit()` after a keyset
    filter on the sort column), or None when it takes the top rows once or all of them."""
    names = [name for name, _ in methods]
    parent = top.parent()
    cursor = _keyset_filter(top, column)
    if parent is not None and parent.kind() == "subscript" and _same(parent.field("value"), top):
        index = parent.field("subscript")
        if index is not None and index.kind() == "slice" and (_has_start(index) or cursor):
            return f"`[{index.text()}]`"
    if parent is not None and parent.kind() == "argument_list":
        call = parent.parent()
        function = call.field("function") if call is not None else None
        if function is not None and function.text().rsplit(".", 1)[-1] == "Paginator":
            return "`Paginator`"
    paging = [name for name in names if name in _PAGES or (name in _TOP and cursor)]
    if not paging:
        return None
    return " and ".join(f"`.{name}()`" for name in dict.fromkeys(paging))


def _has_start(index: SgNode) -> bool:
    """`[a:b]` with a start other than 0 (`[:n]` and `[0:n]` are the top rows)."""
    start = index.text().split(":", 1)[0].strip()
    return start not in ("", "0")


def _keyset_filter(top: SgNode, column: str) -> bool:
    """The chain compares the sort column with the last row seen: `X.created_at < last_seen`
    (SQLAlchemy) or `created_at__lt=cursor` (Django), the shape of a cursor page. A comparison
    with a fixed bound (`created_at < now`, `< cutoff`) is a filter, not a cursor."""
    for comparison in top.find_all(kind="comparison_operator"):
        if not any(op.text() in ("<", ">", "<=", ">=") for op in comparison.children()):
            continue
        sides = [c for c in comparison.children() if c.is_named()]
        # The other side may itself be an attribute of the column's name (`cursor.created_at`).
        if len(sides) == 2 and any(
            _is_column(mine, column) and CURSOR_NAME.search(theirs.text())
            for mine, theirs in (sides, sides[::-1])
        ):
            return True
    lookup = re.compile(rf"^{re.escape(column)}__(lt|lte|gt|gte)$")
    for argument in top.find_all(kind="keyword_argument"):
        name, value = argument.field("name"), argument.field("value")
        if name is None or value is None or not lookup.match(name.text()):
            continue
        if CURSOR_NAME.search(value.text()):
            return True
    return False


def _is_column(node: SgNode, column: str) -> bool:
    return node.kind() == "attribute" and node.text().rsplit(".", 1)[-1] == column


def _sort_key(node: SgNode) -> tuple[str | None, str | None]:
    """(model, column) of one `order_by` argument; (None, None) when it is not a plain column."""
    while node.kind() == "call":
        function = node.field("function")
        arguments = node.field("arguments")
        if function is None:
            return None, None
        if function.kind() == "attribute":
            attribute = function.field("attribute")
            target = function.field("object")
            if attribute is not None and attribute.text() in _DIRECTION and target is not None:
                node = target
                continue
        named = [c for c in arguments.children() if c.is_named()] if arguments else []
        if function.text().rsplit(".", 1)[-1] in (_DIRECTION | {"F"}) and len(named) == 1:
            node = named[0]
            continue
        return None, None
    if node.kind() == "attribute":
        target = node.field("object")
        attribute = node.field("attribute")
        if target is None or attribute is None:
            return None, None
        return target.text().rsplit(".", 1)[-1], attribute.text()
    if node.kind() == "string":
        value = _string_value(node)
        if value is None:
            return None, None
        value = value.lstrip("-")
        if not value.isidentifier() or "__" in value:
            return None, None
        return None, value
    return None, None


def _string_value(node: SgNode) -> str | None:
    content = [c for c in node.children() if c.kind() == "string_content"]
    if any(c.kind() == "interpolation" for c in node.children()):
        return None
    return "".join(c.text() for c in content)


def _queried_model(order_by: SgNode) -> str | None:
    """`Order` of `Order.objects....order_by(...)` (Django), when the chain starts there."""
    node: SgNode | None = order_by
    while node is not None and node.kind() in ("call", "attribute"):
        if node.kind() == "attribute":
            attribute = node.field("attribute")
            target = node.field("object")
            if attribute is not None and attribute.text() == "objects" and target is not None:
                return target.text().rsplit(".", 1)[-1]
            node = target
        else:
            function = node.field("function")
            node = function.field("object") if function is not None else None
    return None


def _sql_sorts(root: SgNode) -> list[Sort]:
    sorts = []
    for string in root.find_all(kind="string", regex=r"(?i)order\s+by"):
        found = paged_sort_column(string.text())
        if found is None:
            continue
        where = span(string)
        sorts.append(
            Sort(
                line=where.line,
                column=where.column,
                end_line=where.end_line,
                end_column=where.end_column,
                model=None,
                key=found[0],
                paging="SQL `LIMIT`/`OFFSET`",
            )
        )
    return sorts


def _unique_columns(root: SgNode) -> dict[str, list[str]]:
    models: dict[str, list[str]] = {}
    for cls in root.find_all(kind="class_definition"):
        name = cls.field("name")
        body = cls.field("body")
        if name is None or body is None:
            continue
        unique = []
        for statement in body.children():
            assignment = next((c for c in statement.children() if c.kind() == "assignment"), None)
            if assignment is None:
                continue
            target = assignment.field("left")
            value = assignment.field("right")
            if target is None or value is None or target.kind() != "identifier":
                continue
            if value.kind() == "call" and _declares_unique(value):
                unique.append(target.text())
        if unique:
            models[name.text()] = unique
    return models


def _declares_unique(call: SgNode) -> bool:
    function = call.field("function")
    arguments = call.field("arguments")
    if function is None or arguments is None:
        return False
    callee = function.text().rsplit(".", 1)[-1]
    if not (callee in _COLUMN_CALLS or callee.endswith("Field")):
        return False
    for argument in arguments.children():
        if argument.kind() != "keyword_argument":
            continue
        keyword = argument.field("name")
        value = argument.field("value")
        if keyword is None or value is None or keyword.text() not in _UNIQUE_KEYWORDS:
            continue
        if value.text() == "True":
            return True
    return False


def _same(a: SgNode | None, b: SgNode) -> bool:
    return a is not None and a.range() == b.range()
