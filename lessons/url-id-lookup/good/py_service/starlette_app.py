from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

from py_service.models import load_ticket


async def ticket(request):
    ticket_id = request.path_params["ticket_id"]
    found = await load_ticket(ticket_id)
    return JSONResponse({"subject": found.subject})


app = Starlette(routes=[Route("/tickets/{ticket_id}", ticket)])
