"""posthog-python only queues in `capture()`; these coroutines send from a worker thread, so a
PostHog outage raises out of them."""

import asyncio
import logging

from posthog import Posthog

client = Posthog("phc_project_key", host="https://eu.i.posthog.com")
log = logging.getLogger(__name__)


async def track(event: str, user_id: str, **properties: object) -> None:
    await asyncio.to_thread(client.capture, event, distinct_id=user_id, properties=properties)


async def track_safely(event: str, user_id: str) -> None:
    try:
        await asyncio.to_thread(client.capture, event, distinct_id=user_id)
    except Exception:
        log.warning("posthog capture of %s failed", event, exc_info=True)
