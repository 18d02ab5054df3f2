"""The admin list pages of the incident: every ordering ends on a timestamp or a status."""

from django.core.paginator import Paginator
from sqlalchemy import desc, select, text

from admin.models import AuditEntry, ImportRow, Order


def recent_orders(session, skip: int, limit: int):
    stmt = (
        select(Order)
        .order_by(Order.created_at.desc())  # lessons: expect[pagination-tiebreaker]
        .offset(skip)
        .limit(limit)
    )
    return session.scalars(stmt).all()


def orders_by_status(session, page: int):
    return (
        session.query(Order)
        .order_by(Order.status, desc(Order.created_at))  # lessons: expect[pagination-tiebreaker]
        .limit(50)
        .offset(page * 50)
        .all()
    )


def imports_before(session, last_seen):
    # A keyset page: rows sharing the boundary timestamp are skipped by the next page.
    return (
        session.query(ImportRow)
        .filter(ImportRow.imported_at < last_seen)
        .order_by(ImportRow.imported_at.desc())  # lessons: expect[pagination-tiebreaker]
        .limit(100)
        .all()
    )


def shipments_page(start: int, end: int):
    return Shipment.objects.order_by("-created_at")[start:end]  # lessons: expect[pagination-tiebreaker]


def shipments_paginator(page: int):
    return Paginator(Shipment.objects.filter(sent=True).order_by("sent_at"), 25).page(page)  # lessons: expect[pagination-tiebreaker]


def raw_page(connection, offset: int):
    return connection.execute(
        text("SELECT * FROM orders ORDER BY created_at DESC LIMIT 50 OFFSET :o"),  # lessons: expect[pagination-tiebreaker]
        {"o": offset},
    )


class Shipment:
    objects = None


def audit_entries_page(page: int, filters: list[object]):
    # No ordering at all: each page is whatever slice of rows the plan happens to produce.
    return (
        AuditEntry.query.filter(*filters)
        .paginate(page=page, per_page=50)  # lessons: expect[pagination-tiebreaker]
        .items
    )


def exports_after(session, skip: int):
    exported = select(Order).where(Order.exported.is_(True))
    stmt = exported.limit(100) if skip == 0 else select(Order).offset(skip)  # lessons: expect[pagination-tiebreaker]
    return session.scalars(stmt).all()
