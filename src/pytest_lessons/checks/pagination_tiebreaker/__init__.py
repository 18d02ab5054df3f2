"""`pagination-tiebreaker`: a paged query ordered by a column that is not unique.

Postmortem 001, example 2: an admin list paged with OFFSET and sorted by `created_at DESC`
alone; rows inserted in the same instant came back in any order, so items moved between pages
and were shown twice or never. The fix is a unique last sort key (`created_at, id`).

Why a check and not a pattern: a pattern sees one expression, and whether the last sort key is
unique is declared elsewhere, in the model (`unique=True`, `primary_key=True` on a SQLAlchemy or
Django field, in another module; `@id`/`@unique`/`@@unique([a, b])` in a Prisma schema). The
Python half reads both the paged chains and every model's unique columns, the Prisma half the
schema's keys, and `judge` joins them over all files. Names in the `unique-columns` option
(`id`, `pk`, `uuid` by default) count as unique everywhere; an ordering of a model the
expression names is total when it holds all the columns of one of that model's unique keys
(a compound key included), and a last column whose model is unknown (raw SQL, an alias) is
unique if any model declares it so alone. Only plain columns are judged: an expression, a
variable or a relation lookup (`author__name`) is left alone. A Python chain that pages a query
it starts from (`Users.query...paginate()`, `select(X)...offset(n)`) with no `order_by` at all
is a finding of its own: every row is a tie (found on CTFd's API lists and on agenta's data
migrations, which page in batches that way); so is a Prisma `findMany` given `skip` or `cursor`
and no `orderBy` (found on documenso's admin user list).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pytest_lessons.checks.base import ByHalf, Check, FactsByHalf
from pytest_lessons.checks.pagination_tiebreaker.options import PaginationTiebreakerOptions
from pytest_lessons.checks.pagination_tiebreaker.prisma import PrismaHalf
from pytest_lessons.checks.pagination_tiebreaker.python import PythonFacts, PythonHalf
from pytest_lessons.checks.pagination_tiebreaker.sort import Sort, SortFacts
from pytest_lessons.checks.pagination_tiebreaker.typescript import TypeScriptFacts, TypeScriptHalf
from pytest_lessons.findings import Finding
from pytest_lessons.lang.typescript.prisma import PrismaKeys

__all__ = ["PaginationTiebreaker", "PaginationTiebreakerOptions"]


class PaginationTiebreaker(Check[PaginationTiebreakerOptions, ByHalf]):
    options_model = PaginationTiebreakerOptions
    halves = (PythonHalf, TypeScriptHalf, PrismaHalf)
    version = 4

    def judge_halves(self, facts: FactsByHalf) -> Iterable[Finding]:
        python: dict[str, PythonFacts] = facts.of(PythonHalf)
        schemas: dict[str, PrismaKeys] = facts.of(PrismaHalf)
        declared = _declared(python, schemas)
        everywhere = set(self.options.unique_columns)
        anywhere = everywhere.union(
            *(key for keys in declared.values() for key in keys if len(key) == 1)
        )
        typescript: dict[str, TypeScriptFacts] = facts.of(TypeScriptHalf)
        files: dict[str, SortFacts] = {**python, **typescript}
        for path, file_facts in files.items():
            for sort in file_facts.sorts:
                if sort.key in everywhere:
                    continue
                known = declared.get(sort.model) if sort.model is not None else None
                if known is None and sort.key in anywhere:
                    continue
                ordered = {sort.key, *sort.keys}
                if known is not None and any(key <= ordered for key in known):
                    continue
                yield self._finding(path, sort)
        for path, file_facts in files.items():
            for page in file_facts.unordered:
                yield self.finding(
                    path,
                    page.line,
                    page.column,
                    f"a page ({page.paging}) of `{page.query}`, which is not ordered at all: the "
                    f"database returns rows in any order, so they repeat or go missing between "
                    f"pages; order it by a unique column ({page.ordering})",
                    end_line=page.end_line,
                    end_column=page.end_column,
                )

    def _finding(self, path: str, sort: Sort) -> Finding:
        return self.finding(
            path,
            sort.line,
            sort.column,
            f"a page ({sort.paging}) ordered last by `{sort.key}`, which is not unique: rows "
            f"sharing a value come back in any order, so they repeat or go missing between "
            f"pages; end the ordering with a unique column (`{sort.key}, id`)",
            end_line=sort.end_line,
            end_column=sort.end_column,
        )


def _declared(
    python: Mapping[str, PythonFacts], schemas: Mapping[str, PrismaKeys]
) -> dict[str, list[frozenset[str]]]:
    """Model -> its unique keys (each a set of columns that together pick one row): Python
    classes by class name, Prisma models by the client's name (`orderItem`)."""
    declared: dict[str, list[frozenset[str]]] = {}
    for file_facts in python.values():
        for model, columns in file_facts.models.items():
            declared.setdefault(model, []).extend(frozenset({c}) for c in columns)
    for schema in schemas.values():
        for model, keys in schema.models.items():
            declared.setdefault(model, []).extend(frozenset(key) for key in keys)
    return declared
