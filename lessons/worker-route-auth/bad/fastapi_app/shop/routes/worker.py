from fastapi import APIRouter, Depends
from fastapi.security import OAuth2PasswordBearer
from pydantic import BaseModel

router = APIRouter(prefix="/internal")
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="token")


class ReceiptBatch(BaseModel):
    user_id: int
    totals_cents: list[int]


@router.post("/receipt-worker")
def ingest_receipts(batch: ReceiptBatch) -> dict[str, int]:  # lessons: expect[worker-route-auth]
    # "Internal" fan-out target: nothing checks who is calling.
    return {"ingested": len(batch.totals_cents)}


@router.get("/cron/expire-carts")
def expire_carts() -> dict[str, bool]:  # lessons: expect[worker-route-auth]
    return {"ok": True}


@router.put("/carts/{cart_id}")
def replace_cart(  # lessons: expect[worker-route-auth]
    cart_id: int, token: str = Depends(oauth2_scheme)
) -> dict[str, int]:
    # The scheme refuses a request without a bearer token but accepts any token.
    return {"cart": cart_id}
