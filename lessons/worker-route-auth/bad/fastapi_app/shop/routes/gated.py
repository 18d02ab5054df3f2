from fastapi import APIRouter, Depends
from fastapi_limiter.depends import RateLimiter

from shop.deps import require_feature

router = APIRouter(prefix="/imports")


@router.post("/bulk", dependencies=[Depends(RateLimiter(times=2, seconds=5))])
async def bulk_import() -> dict[str, bool]:  # lessons: expect[worker-route-auth]
    return {"queued": True}


@router.post("/preview")
async def preview(_: None = Depends(require_feature("bulk-import"))) -> dict[str, bool]:  # lessons: expect[worker-route-auth]
    return {"ok": True}
