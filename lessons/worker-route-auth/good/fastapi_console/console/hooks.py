import hmac

from fastapi import APIRouter, Header, HTTPException, Request

from console.settings import settings

router = APIRouter(prefix="/hooks")


@router.post("/billing")
async def billing_event(request: Request, x_signature: str = Header(default="")) -> dict[str, bool]:
    # The middleware lets /hooks/ through: the provider signs its callbacks instead.
    expected = hmac.new(
        settings.BILLING_WEBHOOK_SECRET.encode(), await request.body(), "sha256"
    ).hexdigest()
    if not hmac.compare_digest(x_signature, expected):
        raise HTTPException(status_code=401)
    return {"ok": True}
