"""pagination-tiebreaker, TypeScript half: Prisma `findMany` pages and their `orderBy`."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_lessons.errors import AnalysisError
from pytest_lessons.source import SourceFile
from pytest_lessons.testing import judge_files, make_check

LESSON = "pagination-tiebreaker"


def flagged(code: str, files: dict[str, str] | None = None, **options: Any) -> list[int]:
    sources = {**(files or {}), "lib/orders.ts": code}
    found = judge_files(make_check(LESSON, **options), sources)
    return [f.line for f in found if f.path == "lib/orders.ts"]


def find_many(argument: str) -> str:
    head = "export const page = (skip: number, cursor: string) =>\n"
    return f"{head}  prisma.order.findMany({argument});\n"


@pytest.mark.parametrize(
    ("argument", "lines"),
    [
        ('{ orderBy: { createdAt: "desc" }, take: 20, skip }', [2]),
        ('{ orderBy: { createdAt: "desc" }, skip: 20 }', [2]),
        ('{ orderBy: { createdAt: "desc" }, take: 20, cursor: { id: cursor }, skip: 1 }', [2]),
        ('{ orderBy: [{ status: "asc" }, { createdAt: "desc" }], take: 20, skip }', [2]),
        ('{ orderBy: { "createdAt": "desc" }, take: 20, skip }', [2]),
        ('{ orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: 20, skip }', []),
        ('{ orderBy: { createdAt: "desc", id: "desc" }, take: 20, skip }', []),
        ('{ orderBy: { uuid: "asc" }, take: 20, skip }', []),
        ('{ orderBy: { createdAt: "desc" }, take: 20 }', []),  # the top rows once
        ('{ orderBy: { createdAt: "desc" } }', []),  # not paged
        ("{ take: 20, skip }", []),  # no ordering
        ('{ orderBy: { author: { name: "asc" } }, take: 20, skip }', []),  # a relation
        ('{ orderBy: { [sortBy]: "asc" }, take: 20, skip }', []),  # chosen at run time
        ("{ orderBy: ordering, take: 20, skip }", []),  # a variable
        ("{ orderBy: [], take: 20, skip }", []),
        ("args", []),  # not an object literal
    ],
)
def test_prisma_pages(argument: str, lines: list[int]) -> None:
    assert flagged(find_many(argument)) == lines


def test_finding_names_the_paging_and_spans_the_last_key() -> None:
    code = find_many('{ orderBy: [{ a: "asc" }, { createdAt: "desc" }], take: 5, skip }')
    [finding] = judge_files(make_check(LESSON), {"lib/orders.ts": code})
    assert "`take`/`skip`" in finding.message
    assert "`createdAt`" in finding.message
    line = code.splitlines()[finding.line - 1]
    assert line[finding.column - 1 :].startswith('createdAt: "desc"')


def test_unique_columns_option_counts_for_prisma_fields() -> None:
    code = find_many('{ orderBy: { slug: "asc" }, take: 20, skip }')
    assert flagged(code) == [2]
    assert flagged(code, unique_columns=["id", "slug"]) == []


def test_a_key_of_a_model_nobody_declares_is_unique_if_any_model_says_so() -> None:
    # No Python class is named `order`: its key is judged by every model's declarations.
    models = {"app/models.py": "class Invoice(Base):\n    ref = Column(String, unique=True)\n"}
    code = find_many('{ orderBy: { ref: "asc" }, take: 20, skip }')
    assert flagged(code, models) == []


def test_files_without_find_many_are_not_read() -> None:
    check = make_check(LESSON)
    assert not check.applies_to(SourceFile.from_text("a.ts", "const x = 1;\n"), use_prefilter=True)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200))
def test_extraction_never_raises_on_arbitrary_text(text: str) -> None:
    check = make_check(LESSON)
    code = find_many("{ orderBy: { createdAt: " + text + " }, take: 20, skip }") + text
    try:
        facts = check.extract(SourceFile.from_text("a.ts", code))
    except AnalysisError:  # a file that does not parse is reported, never anything else
        return
    list(check.judge({"a.ts": facts}))
