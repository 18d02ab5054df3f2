from fastapi import APIRouter

router = APIRouter()


@router.post("/{invoice_id}/void")
async def void_invoice(invoice_id: str) -> dict[str, str]:
    return {"voided": invoice_id}
