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
    # the check passes for the requested project, the response is the user's own first one
    if not can_view_project(session, user_id, project_id):  # lessons: expect[url-id-lookup]
        raise HTTPException(status_code=403)
    project = session.query(Project).filter(Project.owner_id == user_id).first()
    return {"name": project.name}
