from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Path
from sqlalchemy.orm import Session

from py_service.db import get_session
from py_service.models import Label

router = APIRouter(prefix="/labels")


# The URL says `{id}`; FastAPI hands it to `label_id` through the alias, and that is the value
# the lookup is keyed by.
@router.get("/{id}")
def read_label(
    label_id: UUID = Path(..., description="The label to print.", alias="id"),
    session: Session = Depends(get_session),
) -> dict[str, object]:
    label = session.get(Label, label_id)
    return {"text": label.text}


@router.delete("/{id}")
def delete_label(
    label_id: Annotated[UUID, Path(alias="id")], session: Session = Depends(get_session)
) -> None:
    session.delete(session.get(Label, label_id))
