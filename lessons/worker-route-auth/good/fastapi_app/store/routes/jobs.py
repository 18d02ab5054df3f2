from fastapi import APIRouter, Depends

from store.deps import verify_worker_token

router = APIRouter(prefix="/jobs")


class _Queue:
    def enqueue(self, name: str) -> None: ...


queue = _Queue()


# The scheduler calls GET with the worker token; the token is checked before the job starts.
@router.get("/nightly", dependencies=[Depends(verify_worker_token)])
def nightly() -> dict[str, bool]:
    queue.enqueue("rebuild-search-index")
    return {"queued": True}


# A GET that only reads stays quiet.
@router.get("/status")
def status() -> dict[str, str]:
    return {"queue": "idle"}
