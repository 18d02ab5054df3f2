import hmac
import os

from fastapi import APIRouter, Header, HTTPException

from shop.config import settings
from shop.tasks import rebuild_search_index

router = APIRouter(prefix="/schedules")
PURGE_TOKEN = os.environ.get("PURGE_TOKEN", "")


# The secret is compared only when it is set: a deployment that forgot CRON_SECRET serves the
# job to anyone.
@router.post("/cron/reindex")
def reindex(x_cron_secret: str = Header(default="")) -> dict[str, bool]:  # lessons: expect[worker-route-auth]
    if settings.CRON_SECRET and x_cron_secret != settings.CRON_SECRET:
        raise HTTPException(status_code=401)
    rebuild_search_index.delay()
    return {"queued": True}


# The same gap written as two nested tests.
@router.post("/purge")
def purge(authorization: str = Header(default="")) -> dict[str, bool]:  # lessons: expect[worker-route-auth]
    if PURGE_TOKEN:
        if not hmac.compare_digest(authorization, f"Bearer {PURGE_TOKEN}"):
            raise HTTPException(status_code=403)
    rebuild_search_index.delay()
    return {"queued": True}


# The job is queued first; the caller is checked once it is too late to stop it.
@router.post("/warm-cache")
def warm_cache(x_cron_secret: str = Header(default="")) -> dict[str, bool]:  # lessons: expect[worker-route-auth]
    rebuild_search_index.delay()
    if not hmac.compare_digest(x_cron_secret, settings.CRON_SECRET):
        raise HTTPException(status_code=401)
    return {"queued": True}


# A comparison in a `finally` clause runs after the work, whatever happened.
@router.post("/compact")
def compact(x_cron_secret: str = Header(default="")) -> dict[str, bool]:  # lessons: expect[worker-route-auth]
    try:
        rebuild_search_index.delay()
    finally:
        if x_cron_secret != settings.CRON_SECRET:
            raise HTTPException(status_code=401)
    return {"queued": True}
