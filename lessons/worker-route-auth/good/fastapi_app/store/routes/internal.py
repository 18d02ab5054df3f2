from fastapi import APIRouter

router = APIRouter()


@router.post("/receipt-worker")
def ingest_receipts(totals_cents: list[int]) -> dict[str, int]:
    # guarded where the router is included: main.py adds Depends(verify_worker_token)
    return {"ingested": len(totals_cents)}
