from fastapi import Request

from console.errors import SignedOut
from console.sessions import member_for

OPEN_PATHS = (
    "/healthz",
    "/hooks/",
)


async def require_member(request: Request, call_next):
    await _identify(request)
    return await call_next(request)


async def _identify(request: Request) -> None:
    # Health probes and signed provider callbacks carry no session.
    if request.url.path.startswith(OPEN_PATHS):
        return
    token = request.headers.get("authorization", "")
    member = member_for(token)
    if member is None:
        raise SignedOut()
    request.state.member = member
