from fastapi import APIRouter, Depends

from shop.limits import rate_limit_by_key
from shop.tasks import rebuild_search_index

router = APIRouter(prefix="/jobs")


# A limiter is the only dependency: anyone may start the job, a few times a minute.
@router.post("/reindex", dependencies=[Depends(rate_limit_by_key)])
def reindex() -> dict[str, bool]:  # lessons: expect[worker-route-auth]
    rebuild_search_index.delay()
    return {"queued": True}


# The scheduler calls GET; the handler still starts the job for whoever asks.
@router.get("/nightly")
def nightly() -> dict[str, bool]:  # lessons: expect[worker-route-auth]
    rebuild_search_index.delay()
    return {"queued": True}
