from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.templating import Jinja2Templates

router = APIRouter()
templates = Jinja2Templates(directory="templates")


# Page shells: the view loads nothing, and the page's own script reads the slug from the address
# and fetches the conversation it names.
@router.get("/shared/{share_slug}", response_class=HTMLResponse)
def shared_conversation(request: Request):
    return templates.TemplateResponse(request, name="shared.html")


@router.get("/shared/{share_slug}/print", response_class=HTMLResponse)
def shared_conversation_print(request: Request):
    """The print layout of the same shell."""
    return templates.TemplateResponse("shared_print.html", {"request": request, "print": True})


@router.get("/boards/{board_id}/embed")
def board_embed():
    return FileResponse("static/embed.html")
