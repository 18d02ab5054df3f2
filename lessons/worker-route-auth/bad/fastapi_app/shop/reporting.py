import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import HTTPException, Request

from shop.deps import get_api_key

log = logging.getLogger(__name__)


class PermissionDenied(Exception):
    pass


def report_failures(func: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    """Logs who hit a failing endpoint and turns a PermissionDenied raised deeper down into 403.

    Both run only after the endpoint has done (or failed) its work: nothing here stops a caller
    before it.
    """

    @functools.wraps(func)
    async def wrapper(request: Request, *args: Any, **kwargs: Any) -> Any:
        try:
            return await func(request, *args, **kwargs)
        except PermissionDenied as error:
            raise HTTPException(status_code=403) from error
        except Exception:
            log.exception("endpoint failed", extra={"key": get_api_key(request.headers)})
            raise
        finally:
            log.info("done")

    return wrapper
