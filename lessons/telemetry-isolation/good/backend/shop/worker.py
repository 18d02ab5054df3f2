"""A reminder worker whose gather settles every telemetry call."""

import asyncio

from shop.analytics import track
from shop.events import REMINDER_SENT


async def send_reminders(user_ids: list[str]) -> None:
    await asyncio.gather(*[track(REMINDER_SENT, u) for u in user_ids], return_exceptions=True)


async def notify(user_id: str) -> None:
    await track(REMINDER_SENT, user_id)  # not a handler: the caller decides how to isolate it
