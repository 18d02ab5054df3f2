from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

from py_service.db import current_user_id, get_session
from py_service.models import Statement

router = APIRouter()
templates = Jinja2Templates(directory="templates")


# Not a shell: the view loads a statement itself, by the user instead of the URL's id.
@router.get("/statements/{statement_id}", response_class=HTMLResponse)
def statement_page(  # lessons: expect[url-id-lookup]
    request: Request,
    user_id: int = Depends(current_user_id),
    session: Session = Depends(get_session),
):
    latest = session.query(Statement).filter_by(user_id=user_id).first()
    return templates.TemplateResponse(request, name="statement.html", context={"statement": latest})
