from fastapi import APIRouter, Depends

from store.account.session import current_session

router = APIRouter(prefix="/account")


@router.post("/profile")
async def update_profile(name: str, session: dict[str, str] = Depends(current_session)) -> dict[str, str]:
    return {"user": session["user"], "name": name}
