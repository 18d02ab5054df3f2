from fastapi import APIRouter

router = APIRouter(prefix="/hooks")


@router.post("/refunds")
async def refund_event(payload: dict[str, str]) -> dict[str, bool]:  # lessons: expect[worker-route-auth]
    # The session middleware lets /hooks/ through, and nothing here checks the sender.
    return {"refunded": bool(payload)}
