import hmac

from fastapi import APIRouter, Header, HTTPException

from store.settings import settings

router = APIRouter(prefix="/schedules")


class _Jobs:
    def enqueue(self, name: str) -> None: ...


jobs = _Jobs()


# An unset secret refuses too: the test is `not SECRET or ...`, not `SECRET and ...`.
@router.post("/cron/reindex")
def reindex(x_cron_secret: str = Header(default="")) -> dict[str, bool]:
    if not settings.CRON_SECRET or x_cron_secret != settings.CRON_SECRET:
        raise HTTPException(status_code=401)
    jobs.enqueue("reindex")
    return {"queued": True}


def _run_checked(token: str) -> dict[str, bool]:
    if not hmac.compare_digest(token, settings.CRON_SECRET):
        raise HTTPException(status_code=401)
    jobs.enqueue("purge")
    return {"queued": True}


# With the secret set, the checked path runs and returns; without it, the route refuses.
@router.post("/purge")
def purge(x_cron_secret: str = Header(default="")) -> dict[str, bool]:
    if settings.CRON_SECRET:
        return _run_checked(x_cron_secret)
    raise HTTPException(status_code=503, detail="CRON_SECRET is not configured")


# The check comes first; the work after it is what it protects.
@router.post("/warm-cache")
def warm_cache(x_cron_secret: str = Header(default="")) -> dict[str, bool]:
    if not hmac.compare_digest(x_cron_secret, settings.CRON_SECRET):
        raise HTTPException(status_code=401)
    try:
        jobs.enqueue("warm-cache")
    finally:
        jobs.enqueue("audit")
    return {"queued": True}


# A background task defined before the check is not work done before it.
@router.post("/rollup")
def rollup(x_cron_secret: str = Header(default="")) -> dict[str, bool]:
    def later() -> None:
        jobs.enqueue("rollup")

    if not hmac.compare_digest(x_cron_secret, settings.CRON_SECRET):
        raise HTTPException(status_code=401)
    later()
    return {"queued": True}
