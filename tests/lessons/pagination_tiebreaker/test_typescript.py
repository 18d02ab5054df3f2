"""pagination-tiebreaker, TypeScript half: Prisma `findMany` pages and their `orderBy`."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_lessons.errors import AnalysisError
from pytest_lessons.lang.typescript.prisma import read_prisma_keys
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
        ("{ take: 20, skip }", [2]),  # no ordering at all: every row ties
        ("{ where: { paid: true }, cursor: { id: cursor }, take: 5 }", [2]),
        ("{ take: 20 }", []),  # no ordering, but the top rows once
        ("{ skip: 0, take: 200 }", []),  # the first rows once, too
        ('{ orderBy: { createdAt: "desc" }, skip: 0, take: 20 }', []),
        ("{ skip: offset, take: 200 }", [2]),
        ("{ ...args, take: 20, skip }", []),  # the spread may hold an ordering
        ('{ orderBy: { author: { name: "asc" } }, take: 20, skip }', []),  # a relation
        ('{ orderBy: { [sortBy]: "asc" }, take: 20, skip }', []),  # chosen at run time
        ("{ orderBy: ordering, take: 20, skip }", []),  # a variable
        ("{ orderBy: [], take: 20, skip }", []),
        ("args", []),  # not an object literal
    ],
)
def test_prisma_pages(argument: str, lines: list[int]) -> None:
    assert flagged(find_many(argument)) == lines


def test_an_unordered_page_is_reported_at_its_skip_and_says_how_to_order_it() -> None:
    code = find_many("{\n    where: { paid: true },\n    skip: skip * 20,\n    take: 20,\n  }")
    [finding] = judge_files(make_check(LESSON), {"lib/orders.ts": code})
    assert finding.line == 4 and code.splitlines()[3][finding.column - 1 :].startswith("skip")
    assert (finding.end_line, finding.end_column) == (4, finding.column + len("skip"))
    assert "`prisma.order.findMany`" in finding.message and "not ordered at all" in finding.message
    assert "`skip`/`take`" not in finding.message and "`take`/`skip`" in finding.message
    assert 'orderBy: { id: "asc" }' in finding.message


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


# --- the Prisma schema's keys ----------------------------------------------------------------

SCHEMA = """\
datasource db {
  provider = "postgresql" // not a model
}

enum Status {
  OPEN @map("open")
}

model Order {
  id        String   @id @default(cuid())
  number    String   @unique(map: "order_number") // shown to customers
  website   String   @default("https://shop.example//orders")
  createdAt DateTime @default(now())
  tenantId  String
  position  Int
  // legacy String @unique
  @@unique([tenantId, position(sort: Desc)], name: "tenant_position")
  @@index([createdAt])
}

model Membership {
  orgId    String
  userId   String
  joinedAt DateTime
  @@id(fields: [orgId, userId])
}
"""


def test_reader_takes_field_and_block_keys_by_client_name() -> None:
    assert read_prisma_keys(SCHEMA).models == {
        "order": [["id"], ["number"], ["tenantId", "position"]],
        "membership": [["orgId", "userId"]],
    }


@pytest.mark.parametrize(
    ("model", "ordering", "lines"),
    [
        ("order", '{ createdAt: "desc" }', [2]),
        ("order", '[{ createdAt: "desc" }, { number: "desc" }]', []),  # @unique
        ("order", '[{ tenantId: "asc" }, { position: "asc" }]', []),  # @@unique, both fields
        ("order", '{ tenantId: "asc", createdAt: "asc", position: "asc" }', []),
        ("order", '[{ createdAt: "asc" }, { position: "asc" }]', [2]),  # half a compound key
        ("membership", '[{ joinedAt: "asc" }, { userId: "asc" }]', [2]),
        ("membership", '[{ orgId: "asc" }, { joinedAt: "asc" }, { userId: "asc" }]', []),
        ("invoice", '{ number: "asc" }', []),  # no schema model: unique in some model
        ("invoice", '{ position: "asc" }', [2]),  # only part of a key elsewhere
    ],
)
def test_orderings_are_judged_by_the_schema(model: str, ordering: str, lines: list[int]) -> None:
    code = (
        "export const page = (skip: number) =>\n"
        f"  prisma.{model}.findMany({{ orderBy: {ordering}, take: 20, skip }});\n"
    )
    assert flagged(code, {"prisma/schema.prisma": SCHEMA}) == lines


def test_a_field_unique_on_another_model_does_not_count() -> None:
    code = find_many('{ orderBy: { number: "asc" }, take: 20, skip }').replace(
        ".order.", ".member."
    )
    schema = SCHEMA + "model Member {\n  id String @id\n  number Int\n}\n"
    assert flagged(code, {"schema.prisma": schema}) == [2]


def test_schemas_without_keys_are_not_read() -> None:
    check = make_check(LESSON)
    enum_only = SourceFile.from_text("enums.prisma", "enum Status {\n  OPEN\n}\n")
    assert not check.applies_to(enum_only, use_prefilter=True)
    assert read_prisma_keys(enum_only.text).models == {}


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_schema_reader_never_raises(text: str) -> None:
    keys = read_prisma_keys("model A {\n" + text + "\n}\n" + text)
    assert all(all(key) for found in keys.models.values() for key in found)
