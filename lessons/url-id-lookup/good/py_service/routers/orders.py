import logging
from uuid import UUID

from fastapi import APIRouter, Depends
from sqlalchemy import select
from sqlalchemy.orm import Session

from py_service import repository
from py_service.db import current_user_id, get_session
from py_service.deps import owned_order, valid_order_id
from py_service.models import Order

logger = logging.getLogger(__name__)
router = APIRouter(prefix="/orders")


@router.get("/{order_id}")
def read_order(order: Order = Depends(valid_order_id)) -> dict[str, object]:
    return {"id": order.id}


@router.get("/{order_id}/summary")
def order_summary(order: Order = Depends(owned_order)) -> dict[str, object]:
    return {"total": order.total}


@router.get("/{order_id}/reorder")
def reorder(
    order_id: int,
    session: Session = Depends(get_session),
    user_id: int = Depends(current_user_id),
) -> dict[str, object]:
    logger.info("reorder %s", order_id)
    # the id travels as a keyword argument: still the lookup key
    order = repository.get_order(session, order_id=order_id, user_id=user_id)
    return {"product": order.product}


@router.get("/{order_id}/lines")
def order_lines(order_id: str, session: Session = Depends(get_session)) -> list[str]:
    oid = UUID(order_id)
    rows = session.scalars(select(Order).where(Order.id == oid)).all()
    return [row.sku for row in rows]


@router.get("/{order_id}/invoice")
def order_invoice(order_id: int, session: Session = Depends(get_session)) -> dict[str, object]:
    order = session.query(Order).filter_by(id=order_id).one()
    return {"invoice": order.invoice_number}
