from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from py_service.db import current_user_id, get_session
from py_service.deps import note_delivery_view
from py_service.models import Delivery

router = APIRouter(prefix="/deliveries")


@router.get("/{delivery_id}", dependencies=[Depends(note_delivery_view)])
def read_delivery(  # lessons: expect[url-id-lookup]
    session: Session = Depends(get_session),
    user_id: int = Depends(current_user_id),
) -> dict[str, object]:
    delivery = session.query(Delivery).filter_by(user_id=user_id).first()
    return {"eta": delivery.eta}
