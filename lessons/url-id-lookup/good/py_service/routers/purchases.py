from fastapi import APIRouter, Depends, HTTPException
from sqlalchemy.orm import Session

from py_service.db import current_user_id, get_session
from py_service.models import Purchase

router = APIRouter(prefix="/purchases")


@router.get("/{purchase_id}")
def get_purchase(
    purchase_id: int,
    session: Session = Depends(get_session),
    user_id: int = Depends(current_user_id),
) -> dict[str, int]:
    purchase = session.get(Purchase, purchase_id)
    if purchase is None or purchase.user_id != user_id:
        raise HTTPException(status_code=404, detail=f"purchase {purchase_id} not found")
    return {"id": purchase.id, "total_cents": purchase.total_cents}
