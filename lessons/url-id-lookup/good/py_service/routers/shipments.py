from fastapi import Depends
from sqlalchemy.orm import Session

from py_service.db import get_session
from py_service.models import Shipment
from py_service.routers import shipments_router


@shipments_router.get("")
def read_shipment(shipment_id: int, session: Session = Depends(get_session)) -> dict[str, object]:
    shipment = session.get(Shipment, shipment_id)
    return {"carrier": shipment.carrier}
