"""Issue 11, items 2 and 3 in FastAPI: the URL's id is checked, another id decides the record."""

from fastapi import APIRouter, Depends
from pydantic import BaseModel
from sqlalchemy.orm import Session

from py_service import repository
from py_service.db import get_session
from py_service.deps import readable_folder
from py_service.models import Document, Folder

router = APIRouter(prefix="/folders")


class DocumentMove(BaseModel):
    document_id: int
    target_folder_id: int


class FolderRename(BaseModel):
    id: int
    name: str


@router.get("/{folder_id}/documents/{document_id}")
def read_document(
    folder_id: int,
    document_id: int,
    folder: Folder = Depends(readable_folder),
    session: Session = Depends(get_session),
) -> dict[str, object]:
    # the dependency vouches for the folder; the document is fetched by its own id and never
    # compared with it, so any document opens through one readable folder
    document = session.get(Document, document_id)  # lessons: expect[url-id-lookup]
    return {"folder": folder.name, "title": document.title}


@router.post("/{folder_id}/move")
def move_document(
    folder_id: int,
    change: DocumentMove,
    folder: Folder = Depends(readable_folder),
    session: Session = Depends(get_session),
) -> None:
    # the folder in the URL is checked, but the body names which document moves
    repository.move_document(  # lessons: expect[url-id-lookup]
        session, document_id=change.document_id, target=change.target_folder_id
    )


@router.put("/{folder_id}")
def rename_folder(
    folder_id: int,
    change: FolderRename,
    folder: Folder = Depends(readable_folder),
    session: Session = Depends(get_session),
) -> None:
    # the body is spread last, so an `id` in it replaces the checked folder's
    repository.update_folder(  # lessons: expect[url-id-lookup]
        session, {**folder.model_dump(), **change.model_dump()}
    )
