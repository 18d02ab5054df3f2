from fastapi import APIRouter, Request

from shop.reporting import report_failures
from shop.tasks import rebuild_search_index

router = APIRouter(prefix="/exports")


# The 403 and the key lookup sit in the wrapper's except clauses: the export has already run.
@router.post("/nightly")
@report_failures
async def nightly_export(request: Request) -> dict[str, bool]:  # lessons: expect[worker-route-auth]
    rebuild_search_index.delay()
    return {"queued": True}
