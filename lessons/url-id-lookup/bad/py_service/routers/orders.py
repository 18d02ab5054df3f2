import logging

import posthog
from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from py_service import repository
from py_service.db import current_user_id, get_session

logger = logging.getLogger(__name__)
router = APIRouter(prefix="/orders")


@router.get("/{order_id}/reorder")
def reorder(
    order_id: str,
    session: Session = Depends(get_session),
    user_id: int = Depends(current_user_id),
) -> dict[str, object]:
    oid = str(order_id)  # lessons: expect[url-id-lookup]
    posthog.capture(user_id, "reorder_opened", {"order_id": oid})
    # the repository gets a keyword argument, but it is the user, not the order
    order = repository.latest_order(session, user_id=user_id)
    return {"requested": oid, "product": order.product}


@router.delete("/{order_id}")
def cancel_order(
    order_id: int,  # lessons: expect[url-id-lookup]
    session: Session = Depends(get_session),
    user_id: int = Depends(current_user_id),
) -> None:
    order = repository.latest_order(session, user_id=user_id)
    order.cancelled = True
    session.commit()
