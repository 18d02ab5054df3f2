from fastapi import APIRouter
from pydantic import BaseModel

from cartsnitch_api.db import SessionLocal
from cartsnitch_api.models import Purchase

router = APIRouter(prefix="/internal")


class ReceiptBatch(BaseModel):
    user_id: int
    totals_cents: list[int]


@router.post("/receipt-worker")
def ingest_receipts(batch: ReceiptBatch) -> dict[str, int]:
    # "Internal" fan-out target: nothing checks who is calling.
    with SessionLocal() as session:
        for total in batch.totals_cents:
            session.add(Purchase(user_id=batch.user_id, total_cents=total))
        session.commit()
    return {"ingested": len(batch.totals_cents)}
