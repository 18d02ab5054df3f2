import logging

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from py_service.db import current_user_id, get_session
from py_service.models import Receipt

logger = logging.getLogger(__name__)
router = APIRouter()


@router.get("")
def read_receipt(
    receipt_id: int,
    session: Session = Depends(get_session),
    user_id: int = Depends(current_user_id),
) -> dict[str, object]:
    logger.info(f"receipt {receipt_id} opened")  # lessons: expect[url-id-lookup]
    receipt = session.query(Receipt).filter(Receipt.user_id == user_id).first()
    return {"lines": receipt.lines}
