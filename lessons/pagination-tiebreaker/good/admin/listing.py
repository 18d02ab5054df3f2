"""The same pages with a total ordering, and the look-alikes that page nothing."""

from sqlalchemy import select, text

from admin.models import AuditEntry, ImportRow, Order


def recent_orders(session, skip: int, limit: int):
    stmt = (
        select(Order)
        .order_by(Order.created_at.desc(), Order.id.desc())
        .offset(skip)
        .limit(limit)
    )
    return session.scalars(stmt).all()


def by_number(session, page: int):
    # `number` is declared unique on the model: a tiebreaker of its own.
    return session.query(Order).order_by(Order.created_at, Order.number).limit(50).offset(page).all()


def latest_imports(session):
    # ImportRow's primary key is row_id, not id.
    return session.query(ImportRow).order_by(ImportRow.imported_at, ImportRow.row_id).limit(100).all()


def latest_hundred(session):
    # The newest 100, once: no next page for a tie to move into.
    return session.query(Order).order_by(Order.created_at.desc()).limit(100).all()


def overdue(session, now, batch: int):
    # A fixed bound, not a cursor: each run takes the oldest overdue rows once.
    return session.query(Order).filter(Order.created_at < now).order_by(Order.created_at).limit(batch).all()


def newest_order(session):
    # One row, not a page.
    return session.query(Order).order_by(Order.created_at.desc()).limit(1).first()


def all_orders(session):
    # Sorted, but not paged: every row comes back.
    return session.query(Order).order_by(Order.created_at).all()


def shipments_page(start: int, end: int):
    return Shipment.objects.order_by("-created_at", "-pk")[start:end]


def first_shipments():
    return Shipment.objects.order_by("created_at")[:20]


def sorted_by_choice(session, column, limit: int):
    # The sort column is chosen at run time: nothing to judge here.
    return session.query(Order).order_by(column).limit(limit).all()


def raw_page(connection, offset: int):
    return connection.execute(
        text("SELECT * FROM orders ORDER BY created_at DESC, id DESC LIMIT 50 OFFSET :o"),
        {"o": offset},
    )


def audit_entries_page(page: int, filters: list[object]):
    return (
        AuditEntry.query.filter(*filters)
        .order_by(AuditEntry.id.desc())
        .paginate(page=page, per_page=50)
        .items
    )


def exports_after(session, exported, skip: int):
    # Paged from a query built elsewhere (ordered there, or not): one expression does not say.
    return session.scalars(exported.offset(skip).limit(100)).all()


def orders_after(session, skip: int):
    # SQLAlchemy appends an ordering given after the page to the same statement.
    return session.scalars(select(Order).offset(skip).limit(50).order_by(Order.id)).all()


def paid_days(session, skip: int):
    # Distinct rows of the one column the ordering holds: no two of them tie.
    stmt = select(Order.paid_on).distinct().order_by(Order.paid_on).offset(skip).limit(100)
    return session.scalars(stmt).all()


class Shipment:
    objects = None
