"""A reminder worker: not a route, but whoever awaits it inherits the failure."""

import asyncio

from shop.analytics import track
from shop.events import REMINDER_SENT


async def send_reminders(user_ids: list[str]) -> None:
    await asyncio.gather(*[track(REMINDER_SENT, u) for u in user_ids])  # lessons: expect[telemetry-isolation]
