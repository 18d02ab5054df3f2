"""pagination-tiebreaker, Python half: SQLAlchemy and Django chains, raw SQL strings, and the
unique columns models declare, joined across files."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_lessons.checks.pagination_tiebreaker.sql import paged_sort_column
from pytest_lessons.errors import AnalysisError
from pytest_lessons.source import SourceFile
from pytest_lessons.testing import judge_files, make_check

LESSON = "pagination-tiebreaker"

MODELS = """\
from sqlalchemy import Column, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column


class Order(Base):
    id: Mapped[int] = mapped_column(primary_key=True)
    number = Column(String(20), unique=True)
    created_at = Column(DateTime)


class ImportRow(Base):
    row_id = Column(Integer, primary_key=True)
    imported_at = Column(DateTime)
    slug = Column(String(20))
"""


def flagged(code: str, files: dict[str, str] | None = None, **options: Any) -> list[int]:
    """Flagged lines of `app/listing.py` holding `code`, beside `app/models.py` and `files`."""
    sources = {"app/models.py": MODELS, **(files or {}), "app/listing.py": code}
    found = judge_files(make_check(LESSON, **options), sources)
    return [f.line for f in found if f.path == "app/listing.py"]


# --- the SQL string reader ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("sql", "column"),
    [
        ("SELECT * FROM t ORDER BY created_at DESC LIMIT 10 OFFSET 20", "created_at"),
        ("select * from t order by t.created_at limit :n offset :o", "created_at"),
        ('SELECT * FROM t ORDER BY "createdAt" OFFSET 5', "createdat"),
        ("SELECT * FROM t ORDER BY a, b ASC NULLS LAST LIMIT 5 OFFSET 5", "b"),
        ("SELECT * FROM t ORDER BY id DESC, created_at\nLIMIT 5\nOFFSET 5", "created_at"),
        (
            "SELECT * FROM t WHERE created_at < :last_seen ORDER BY created_at DESC LIMIT 5",
            "created_at",
        ),
        ("SELECT * FROM t WHERE t.ts > :cursor ORDER BY t.ts LIMIT 5", "ts"),
    ],
)
def test_sql_reader_finds_the_last_key_of_a_page(sql: str, column: str) -> None:
    found = paged_sort_column(sql)
    assert found is not None
    assert found[0] == column
    assert sql[found[1] :].lower().startswith("order")


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM t ORDER BY created_at DESC",  # not paged
        "SELECT * FROM t ORDER BY created_at DESC LIMIT 10",  # the top rows once
        "SELECT * FROM t WHERE created_at < :now ORDER BY created_at LIMIT 10",  # fixed bound
        "SELECT * FROM t ORDER BY lower(name) LIMIT 10 OFFSET 10",  # an expression
        "SELECT * FROM t ORDER BY 2 LIMIT 10 OFFSET 10",  # a position
        "SELECT * FROM t ORDER BY {sort} LIMIT 10 OFFSET 10",  # a template hole
        "SELECT * FROM t ORDER BY %s LIMIT 10 OFFSET 10",  # a placeholder
        "SELECT * FROM t LIMIT 10 OFFSET 10",  # no ordering at all
    ],
)
def test_sql_reader_leaves_what_it_cannot_judge(sql: str) -> None:
    assert paged_sort_column(sql) is None


def test_raw_sql_page_is_joined_with_declared_columns() -> None:
    code = """\
from sqlalchemy import text

def page(conn, o):
    conn.execute(text("SELECT * FROM orders ORDER BY created_at LIMIT 5 OFFSET :o"))
    conn.execute(text("SELECT * FROM orders ORDER BY created_at, number LIMIT 5 OFFSET :o"))
    conn.execute(text("SELECT * FROM orders ORDER BY created_at, o.id LIMIT 5 OFFSET :o"))
    conn.execute(f"SELECT * FROM orders ORDER BY {col} LIMIT 5 OFFSET {o}")
"""
    assert flagged(code) == [4]


# --- SQLAlchemy chains and keyset detection ------------------------------------------------


def test_offset_page_ordered_by_a_timestamp_is_flagged_on_the_key() -> None:
    code = """\
def page(session, skip):
    return select(Order).order_by(Order.created_at.desc()).offset(skip).limit(20)
"""
    [finding] = judge_files(make_check(LESSON), {"app/models.py": MODELS, "app/listing.py": code})
    assert (finding.path, finding.line) == ("app/listing.py", 2)
    source_line = code.splitlines()[1]
    assert source_line[finding.column - 1 :].startswith("Order.created_at.desc()")
    assert "`.offset()`" in finding.message
    assert "`created_at, id`" in finding.message


@pytest.mark.parametrize(
    "ordering",
    [
        "Order.created_at, Order.id",
        "Order.created_at.desc(), Order.number.desc()",  # declared unique=True
        "desc(Order.created_at), desc(Order.id)",
        "ImportRow.imported_at, ImportRow.row_id",  # another model's primary key
    ],
)
def test_unique_last_key_is_quiet(ordering: str) -> None:
    code = f"def page(s, n):\n    return s.query(Order).order_by({ordering}).offset(n).limit(5)\n"
    assert flagged(code) == []


def test_a_column_is_judged_by_its_own_model() -> None:
    # `number` is unique on Order, not on ImportRow.
    code = """\
def page(s, n):
    return s.query(ImportRow).order_by(ImportRow.imported_at, ImportRow.number).offset(n)
"""
    assert flagged(code) == [2]


def test_unique_columns_option_extends_the_names() -> None:
    code = "def page(s, n):\n    return s.query(ImportRow).order_by(ImportRow.slug).offset(n)\n"
    assert flagged(code) == [2]
    assert flagged(code, unique_columns=["id", "slug"]) == []


def test_model_in_another_file_and_unknown_model() -> None:
    other = {"billing/models.py": "class Invoice(Base):\n    ref = Column(String, unique=True)\n"}
    code = """\
def page(s, n):
    s.query(Invoice).order_by(Invoice.issued_at, Invoice.ref).offset(n)
    s.query(Invoice).order_by(Invoice.issued_at).offset(n)
    s.query(Alias).order_by(alias.c.ref).offset(n)
"""
    # `alias.c.ref`: the model is unknown, `ref` is unique somewhere: left alone.
    assert flagged(code, other) == [3]


@pytest.mark.parametrize(
    ("where", "lines"),
    [
        ("Order.created_at < last_seen", [2]),
        ("Order.created_at > cursor.created_at", [2]),
        ("Order.created_at <= after", [2]),
        ("Order.created_at < now", []),  # a fixed bound: a batch, not a page
        ("Order.created_at < cutoff", []),
        ("Order.status == last_status", []),  # not the sort column
    ],
)
def test_limit_pages_only_after_a_keyset_filter_on_the_sort_column(
    where: str, lines: list[int]
) -> None:
    code = f"""\
def page(s, last_seen, cursor, after, now, cutoff, last_status):
    return s.query(Order).filter({where}).order_by(Order.created_at).limit(50).all()
"""
    assert flagged(code) == lines


def test_limit_or_sort_alone_is_not_a_page() -> None:
    code = """\
def top(s, column):
    s.query(Order).order_by(Order.created_at.desc()).limit(100).all()
    s.query(Order).order_by(Order.created_at).all()
    s.query(Order).order_by(Order.created_at.desc()).first()
    s.query(Order).order_by(column).offset(5).all()
    s.query(Order).order_by(*columns).offset(5).all()
    s.query(Order).order_by(Order.author.name).offset(5).all()
"""
    # `Order.author.name` is read as model `author`, column `name`: unknown model, not unique.
    assert flagged(code) == [7]


def test_the_last_order_by_of_a_chain_counts() -> None:
    code = """\
def page(s, n):
    s.query(Order).order_by(Order.created_at).order_by(Order.id).offset(n)
    s.query(Order).order_by(Order.id).order_by(Order.created_at).offset(n)
"""
    assert flagged(code) == [3]


# --- Django ----------------------------------------------------------------------------------


DJANGO_MODELS = """\
from django.db import models


class Shipment(models.Model):
    tracking = models.CharField(max_length=40, unique=True)
    sent_at = models.DateTimeField()
"""


@pytest.mark.parametrize(
    ("expression", "lines"),
    [
        ('Shipment.objects.order_by("-sent_at")[start:end]', [2]),
        ('Shipment.objects.order_by("-sent_at")[20:40]', [2]),
        ('Shipment.objects.order_by("-sent_at", "-pk")[start:end]', []),
        ('Shipment.objects.order_by("sent_at", "tracking")[start:end]', []),
        ('Shipment.objects.order_by("-sent_at")[:20]', []),  # the top rows once
        ('Shipment.objects.order_by("-sent_at")[0:20]', []),
        ('Shipment.objects.order_by("sent_at")[5]', []),  # one row
        ('Shipment.objects.order_by("author__name")[start:end]', []),  # a relation lookup
        ('Shipment.objects.filter(sent_at__lt=last_seen).order_by("-sent_at")[:20]', [2]),
        ('Shipment.objects.filter(sent_at__lt=deadline).order_by("-sent_at")[:20]', []),
        ('Paginator(Shipment.objects.order_by("sent_at"), 25)', [2]),
        ('Paginator(Shipment.objects.order_by("sent_at", "id"), 25)', []),
    ],
)
def test_django_slices_and_paginator(expression: str, lines: list[int]) -> None:
    code = f"def page(start, end, last_seen, deadline):\n    return {expression}\n"
    assert flagged(code, {"shipping/models.py": DJANGO_MODELS}) == lines


def test_django_paginator_message_names_it() -> None:
    code = 'p = Paginator(Shipment.objects.order_by("-sent_at"), 25)\n'
    [finding] = judge_files(make_check(LESSON), {"views.py": code})
    assert "`Paginator`" in finding.message
    assert "`sent_at`" in finding.message


# --- quiet cases and robustness --------------------------------------------------------------


def test_files_without_an_ordering_or_model_are_not_read() -> None:
    check = make_check(LESSON)
    assert not check.applies_to(SourceFile.from_text("a.py", "x = 1\n"), use_prefilter=True)
    assert check.applies_to(SourceFile.from_text("a.py", "q.order_by(x)\n"), use_prefilter=True)


def _libcst_problem(text: str) -> AnalysisError:
    with pytest.raises(AnalysisError) as raised:
        SourceFile.from_text("a.py", text).python_module()
    return raised.value


@pytest.mark.parametrize(
    "text",
    [
        "def f(:\n  q.order_by(x)\n",
        "q.order_by(x)\nx = 1\0\n",
        "q.order_by(x)\nx = (\n" + " +\n".join(["a"] * 3000) + "\n)\n",
    ],
    ids=["syntax", "nul", "nested-too-deeply"],
)
def test_a_module_that_does_not_parse_is_the_files_problem_as_libcst_says_it(text: str) -> None:
    """The check reads the module with ast-grep and asks `ast` only whether it is sound: the
    problem of a broken module, or one nested too deeply for libcst (which `ast` accepts), is
    the one every libcst lesson reports, at the same place."""
    expected = _libcst_problem(text)
    file = SourceFile.from_text("a.py", text)
    with pytest.raises(AnalysisError) as raised:
        make_check(LESSON).extract(file)
    problem = raised.value
    assert (problem.kind, problem.message, problem.line, problem.column) == (
        expected.kind,
        expected.message,
        expected.line,
        expected.column,
    )


def test_syntax_newer_than_the_interpreter_is_read_when_libcst_reads_it() -> None:
    """`except A, B:` (PEP 758) is rejected by `ast` before Python 3.14 but read by libcst:
    the module is not a problem, and its paged query is still found."""
    code = (
        "try:\n    pass\nexcept ValueError, TypeError:\n    pass\n"
        "rows = s.query(Order).order_by(Order.created_at).offset(n)\n"
    )
    assert flagged(code) == [5]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200))
def test_extraction_never_raises_on_arbitrary_text(text: str) -> None:
    check = make_check(LESSON)
    sources = {
        "q.py": "s.query(Order).order_by(Order.created_at).offset(n)\n" + text,
        "m.py": "class Order(Base):\n    id = Column(Integer, primary_key=True)\n" + text,
    }
    facts = {}
    for rel, code in sources.items():
        try:
            facts[rel] = check.extract(SourceFile.from_text(rel, code))
        except AnalysisError:  # a file that does not parse is reported, never anything else
            continue
    list(check.judge(facts))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_sql_reader_never_raises(text: str) -> None:
    found = paged_sort_column(text)
    assert found is None or 0 <= found[1] < len(text)


@pytest.mark.parametrize(
    ("condition", "paged"),
    [
        ("e.at >= :last_at AND NOT EXISTS (SELECT 1 FROM copy c WHERE c.id = e.id)", False),
        ("e.at >= :last_at AND e.id NOT IN (SELECT id FROM copy)", False),
        ("e.at >= :last_at AND c.id IS NULL", True),  # no anti-join: IS NULL alone
        ("e.at > :last_at AND NOT EXISTS (SELECT 1 FROM copy c WHERE c.id = e.id)", True),
        ("e.at >= :last_at", True),  # the boundary rows repeat
    ],
)
def test_inclusive_keyset_with_an_anti_join_handles_ties(condition: str, paged: bool) -> None:
    sql = f"SELECT e.* FROM events e WHERE {condition} ORDER BY e.at LIMIT :batch"
    assert (paged_sort_column(sql) is not None) is paged


def test_left_join_is_null_is_an_anti_join() -> None:
    sql = (
        "SELECT e.* FROM events e LEFT JOIN copy c ON c.id = e.id "
        "WHERE e.at >= :last_at AND c.id IS NULL ORDER BY e.at LIMIT 100"
    )
    assert paged_sort_column(sql) is None


# --- pages of a query with no ordering ----------------------------------------------------


@pytest.mark.parametrize(
    "code",
    [
        "page = Order.query.filter_by(paid=True).paginate(page=2, per_page=50)",
        "rows = session.query(Order).filter(Order.paid).offset(n).limit(50).all()",
        "rows = db.session.query(Order).offset(n).limit(50).all()",
        "stmt = select(Order).where(Order.paid).offset(n).limit(50)",
        "stmt = select(Order).limit(50).offset(n)",
    ],
)
def test_a_page_of_a_query_with_no_ordering_is_flagged(code: str) -> None:
    assert flagged(code) == [1]


@pytest.mark.parametrize(
    "code",
    [
        # ordered: judged by its last key (`id` is unique)
        "page = Order.query.order_by(Order.id).paginate(page=2)",
        # an ordering chained after the page orders the same statement
        "stmt = select(Order).offset(n).limit(50).order_by(Order.id)",
        # the chain starts from a variable, which may have been ordered where it was made
        "page = query.paginate(page=2)",
        "stmt = base.offset(n).limit(50)",
        # `db.paginate(stmt)` pages a statement made elsewhere
        "page = db.paginate(select(Order))",
        # the top rows once, not a page
        "rows = session.query(Order).limit(50).all()",
        # not a query: a search client's own paging
        "hits = search.query(text).offset(n)",
        # Django: a queryset has its model's Meta.ordering
        "rows = Order.objects.filter(paid=True)[20:40]",
    ],
)
def test_what_does_not_show_an_unordered_page_stays_quiet(code: str) -> None:
    assert flagged(code) == []


def test_an_ordering_of_distinct_rows_by_every_column_selected_is_total() -> None:
    """`SELECT DISTINCT project_id ... ORDER BY project_id`: no two rows tie."""
    distinct = (
        "ids = select(Order.created_at).distinct().order_by(Order.created_at).offset(n).limit(50)"
    )
    assert flagged(distinct) == []
    after = "ids = select(Order.created_at).order_by(Order.created_at).distinct().offset(n)"
    assert flagged(after) == []
    # not distinct, or distinct on more columns than the ordering holds: ties remain
    plain = "ids = select(Order.created_at).order_by(Order.created_at).offset(n).limit(50)"
    assert flagged(plain) == [1]
    wider = (
        "rows = select(Order.created_at, Order.slug).distinct()"
        ".order_by(Order.created_at).offset(n)"
    )
    assert flagged(wider) == [1]
    on = "rows = select(Order).distinct(Order.created_at).order_by(Order.created_at).offset(n)"
    assert flagged(on) == [1]
