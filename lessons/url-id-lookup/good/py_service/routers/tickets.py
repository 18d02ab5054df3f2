from fastapi import APIRouter, Depends

from py_service.deps import ticket_from_path
from py_service.models import Ticket

router = APIRouter(prefix="/tickets")


@router.get("/{ticket_id}")
def read_ticket(ticket: Ticket = Depends(ticket_from_path)) -> dict[str, object]:
    return {"subject": ticket.subject}
