from uuid import UUID

from fastapi import APIRouter, Depends, Path
from sqlalchemy.orm import Session

from py_service.db import current_user_id, get_session
from py_service.models import Label

router = APIRouter(prefix="/labels")


@router.get("/{id}")
def read_label(
    label_id: UUID = Path(..., alias="id"),  # lessons: expect[url-id-lookup]
    session: Session = Depends(get_session),
    user_id: int = Depends(current_user_id),
) -> dict[str, object]:
    # the aliased id is accepted and dropped: the caller's latest label is printed instead
    label = session.query(Label).filter(Label.owner_id == user_id).first()
    return {"text": label.text}
