"""Two ids in one path, and writes keyed by the body, each tied to the URL's id."""

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel
from sqlalchemy import select
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
    # the document is fetched, then its folder compared with the checked one
    document = session.get(Document, document_id)
    if document is None or document.folder_id != folder.id:
        raise HTTPException(status_code=404)
    return {"folder": folder.name, "title": document.title}


@router.get("/{folder_id}/documents/{document_id}/history")
def document_history(
    folder_id: int,
    document_id: int,
    folder: Folder = Depends(readable_folder),
    session: Session = Depends(get_session),
) -> list[str]:
    # both ids in one query: a document of another folder is simply not found
    query = select(Document).where(Document.id == document_id, Document.folder_id == folder.id)
    document = session.scalars(query).one()
    return [entry.note for entry in document.history]


@router.post("/{folder_id}/move")
def move_document(
    folder_id: int,
    change: DocumentMove,
    folder: Folder = Depends(readable_folder),
    session: Session = Depends(get_session),
) -> None:
    # the body's document is loaded and compared with the URL's folder before it moves
    document = session.get(Document, change.document_id)
    if document is None or document.folder_id != folder.id:
        raise HTTPException(status_code=404)
    repository.move_document(
        session, document_id=change.document_id, target=change.target_folder_id
    )


@router.put("/{folder_id}")
def rename_folder(
    folder_id: int,
    change: FolderRename,
    folder: Folder = Depends(readable_folder),
    session: Session = Depends(get_session),
) -> None:
    # the body first, the checked folder last: the folder's own id wins
    repository.update_folder(session, {**change.model_dump(), **folder.model_dump()})


class ColourUpdate(BaseModel):
    id: int
    folder_id: int
    colour: str


@router.put("/{folder_id}/colours")
def update_colours(
    folder_id: int,
    updates: list[ColourUpdate],
    session: Session = Depends(get_session),
):
    # The whole body is written at once, but only after every element was checked against the
    # folder the URL names: no element can change another folder's colours.
    for update in updates:
        if update.folder_id != folder_id:
            raise HTTPException(status_code=400, detail=f"{update.id} is not in this folder")
    repository.save_colours(session, updates)
    return session.get(Folder, folder_id)
