from collections.abc import Awaitable, Callable
from typing import Annotated
from uuid import UUID

from fastapi import Depends, HTTPException, Request
from sqlalchemy.orm import Session

from py_service import crud
from py_service.db import get_session
from py_service.models import Folder, Order, Org, Ticket


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


def org_guard(required_role: str = "member") -> Callable[..., Awaitable[Org]]:
    """From polar: a dependency factory; FastAPI calls what it returns with the path parameters,
    so the id is read there, not by the handlers that depend on it."""

    async def dependency(org_id: UUID, session: Session = Depends(get_session)) -> Org:
        org = session.get(Org, org_id)
        if org is None or required_role not in org.roles:
            raise HTTPException(status_code=404)
        return org

    return dependency


OrgAccess = Annotated[Org, Depends(org_guard())]


def readable_folder(folder_id: int, session: Session = Depends(get_session)) -> Folder:
    folder = session.get(Folder, folder_id)
    if folder is None:
        raise HTTPException(status_code=404)
    return folder
