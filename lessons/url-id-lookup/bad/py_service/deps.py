import logging

from fastapi import Depends, HTTPException
from sqlalchemy.orm import Session

from py_service.db import get_session
from py_service.models import Folder

logger = logging.getLogger(__name__)


def note_delivery_view(delivery_id: int) -> None:
    # declares the path parameter, so FastAPI hands it over, and only logs it
    logger.info("delivery %s viewed", delivery_id)


def readable_folder(folder_id: int, session: Session = Depends(get_session)) -> Folder:
    # FastAPI hands the path's folder id to this dependency, which loads and checks it
    folder = session.get(Folder, folder_id)
    if folder is None:
        raise HTTPException(status_code=404)
    return folder
