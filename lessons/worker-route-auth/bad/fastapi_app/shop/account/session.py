from fastapi import Cookie, Request
from fastapi.responses import RedirectResponse


async def current_session(request: Request, sid: str | None = Cookie(None)) -> object:
    if sid is None:
        # returned, not raised: FastAPI hands this to the handler as the dependency's value,
        # and the handler runs anyway
        return RedirectResponse(request.url_for("account:login"))
    return {"sid": sid}
