from fastapi import Cookie, Depends, HTTPException, Request, status

from store.account.records import sessions


async def current_session(request: Request, sid: str | None = Cookie(None)) -> dict[str, str]:
    record = await sessions.find(sid) if sid else None
    if record is None:
        # no session: the browser is sent to the sign-in page and the handler never runs
        raise HTTPException(
            status_code=status.HTTP_307_TEMPORARY_REDIRECT,
            headers={"Location": str(request.url_for("account:login"))},
        )
    return record
