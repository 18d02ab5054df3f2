from uuid import UUID

from fastapi import Depends, HTTPException, Request
from sqlalchemy.orm import Session

from py_service import crud
from py_service.db import get_session
from py_service.models import Order, Ticket


def valid_order_id(order_id: UUID, session: Session = Depends(get_session)) -> Order:
    # FastAPI resolves the path parameter into this dependency: the lookup happens here
    order = crud.order.get(session, id=order_id)
    if order is None:
        raise HTTPException(status_code=404)
    return order


def owned_order(order: Order = Depends(valid_order_id)) -> Order:
    return order


def ticket_from_path(request: Request, session: Session = Depends(get_session)) -> Ticket:
    return session.get(Ticket, int(request.path_params["ticket_id"]))
