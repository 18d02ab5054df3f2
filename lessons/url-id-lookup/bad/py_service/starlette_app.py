import logging

from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

from py_service.models import load_latest_ticket

logger = logging.getLogger(__name__)


async def ticket(request):
    ticket_id = request.path_params["ticket_id"]  # lessons: expect[url-id-lookup]
    logger.debug("ticket %s", ticket_id)
    found = await load_latest_ticket(request.user.id)
    return JSONResponse({"ticket": ticket_id, "subject": found.subject})


app = Starlette(routes=[Route("/tickets/{ticket_id}", ticket)])
