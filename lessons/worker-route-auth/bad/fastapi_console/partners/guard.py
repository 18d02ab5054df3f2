import hmac
import os

from fastapi import Request
from fastapi.responses import JSONResponse


async def require_partner_key(request: Request, call_next):
    sent = request.headers.get("x-partner-key", "")
    if not hmac.compare_digest(sent, os.environ["PARTNER_KEY"]):
        return JSONResponse({"detail": "unknown partner"}, status_code=401)
    return await call_next(request)
