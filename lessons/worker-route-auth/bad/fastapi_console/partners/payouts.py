from fastapi import APIRouter

router = APIRouter()


@router.post("/payouts/{payout_id}/release")
async def release_payout(payout_id: str) -> dict[str, str]:  # lessons: expect[worker-route-auth]
    return {"released": payout_id}
