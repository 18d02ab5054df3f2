from fastapi import APIRouter

from store.deps import CurrentUser

router = APIRouter(prefix="/orders")


@router.post("")
def create_order(user: CurrentUser) -> dict[str, int]:
    return {"owner": user.id}


@router.get("/{order_id}")
def read_order(order_id: int) -> dict[str, int]:
    return {"id": order_id}
