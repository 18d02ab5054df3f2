import logging
import time

from fastapi import Request

logger = logging.getLogger("ledger")


async def trace_requests(request: Request, call_next):
    started = time.monotonic()
    response = await call_next(request)
    _record(request, response.status_code, time.monotonic() - started)
    return response


def _record(request: Request, status: int, seconds: float) -> None:
    # Logs who called and how it went; refuses nobody.
    logger.info("%s %s -> %s in %.3fs", request.method, request.url.path, status, seconds)
