from fastapi import APIRouter

from shop.coupons import auth

router = APIRouter(prefix="/coupons")


# Followed through the alias and the factory to the checker, which logs and lets everyone in.
@router.post("/")
async def create_coupon(caller: auth.CouponsWrite) -> dict[str, bool]:  # lessons: expect[worker-route-auth]
    return {"created": True}
