from fastapi import APIRouter, Depends

from shop.deps import get_api_key, require_key

router = APIRouter()


@router.post("/rotate")
def rotate(key: str = Depends(get_api_key)) -> dict[str, str]:  # lessons: expect[worker-route-auth]
    return {"rotated": key[:4]}


@router.delete("/{key_id}", dependencies=[Depends(require_key)])
def revoke(key_id: int) -> dict[str, int]:  # lessons: expect[worker-route-auth]
    return {"revoked": key_id}
