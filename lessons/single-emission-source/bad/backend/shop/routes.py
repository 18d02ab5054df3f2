"""FastAPI routes that also capture events the web client captures (see web/components)."""

import analytics
import posthog
from fastapi import APIRouter

from shop.analytics import client, track
from shop.events import INVITE_SENT, Events

router = APIRouter()


@router.post("/billing/upgrade")
async def upgrade(user_id: str) -> dict[str, bool]:
    # the old signature, capture(distinct_id, event): the event is the second argument
    posthog.capture(user_id, "plan_upgraded")  # lessons: expect[single-emission-source]
    return {"ok": True}


@router.post("/checkout")
async def checkout(user_id: str) -> dict[str, bool]:
    # posthog-python 6+: capture(event, distinct_id=...), with a str-enum member
    client.capture(Events.CHECKOUT_COMPLETED, distinct_id=user_id)  # lessons: expect[single-emission-source]
    return {"ok": True}


@router.post("/invites")
async def invite(user_id: str) -> dict[str, bool]:
    # a wrapper from another module, with a constant imported from a third
    track(INVITE_SENT, user_id, channel="email")  # lessons: expect[single-emission-source]
    return {"ok": True}


@router.post("/trials")
async def start_trial(user_id: str) -> dict[str, bool]:
    # Segment's analytics-python: track(user_id, event)
    analytics.track(user_id, "trial_started")  # lessons: expect[single-emission-source]
    return {"ok": True}
