import os

from fastapi import APIRouter, Header, HTTPException

router = APIRouter(prefix="/tasks")
CRON_SECRET = os.environ.get("CRON_SECRET", "")


@router.get("/cron/expire-carts")
def expire_carts(authorization: str = Header(default="")) -> dict[str, bool]:
    if authorization != f"Bearer {CRON_SECRET}":
        raise HTTPException(status_code=401)
    return {"ok": True}
