from fastapi import APIRouter, Depends

from store.deps import require_admin

router = APIRouter(prefix="/admin", dependencies=[Depends(require_admin)])


@router.post("/purge")
def purge() -> dict[str, bool]:
    return {"purged": True}
