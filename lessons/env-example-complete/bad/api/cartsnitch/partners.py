"""The partner feed: switched off, not defaulted, when its key is not set."""

import os

from fastapi.responses import JSONResponse


def partner_feed():
    if not os.environ.get("CARTSNITCH_PARTNER_KEY"):  # lessons: expect[env-example-complete]
        return JSONResponse({"error": "the partner feed is not configured"}, status_code=503)
    return fetch_feed(os.environ["CARTSNITCH_PARTNER_KEY"])


def fetch_feed(key: str) -> list[str]: ...
