from fastapi import APIRouter, Depends

from shop.account.session import current_session

router = APIRouter(prefix="/account")


@router.post("/profile")
async def update_profile(name: str, session: object = Depends(current_session)) -> dict[str, str]:  # lessons: expect[worker-route-auth]
    return {"name": name}
