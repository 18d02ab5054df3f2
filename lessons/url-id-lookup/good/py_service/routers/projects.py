from fastapi import APIRouter, Depends, HTTPException
from sqlalchemy.orm import Session

from py_service.access import can_view_project
from py_service.db import current_user_id, get_session
from py_service.models import Project

router = APIRouter(prefix="/projects")


@router.get("/{project_id}")
def read_project(
    project_id: int,
    session: Session = Depends(get_session),
    user_id: int = Depends(current_user_id),
) -> dict[str, object]:
    # the id is checked and then fetched: the permission check guards the record returned
    if not can_view_project(session, user_id, project_id):
        raise HTTPException(status_code=403)
    project = session.get(Project, project_id)
    return {"name": project.name}
