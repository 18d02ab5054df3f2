"""FastAPI routes: the one emission source of the billing events (the client sends none)."""

import posthog
from fastapi import APIRouter

from shop.analytics import client, track
from shop.events import INVITE_SENT, Events

router = APIRouter()


@router.post("/billing/upgrade")
async def upgrade(user_id: str) -> dict[str, bool]:
    posthog.capture(user_id, Events.PLAN_UPGRADED)  # the only site of plan_upgraded
    return {"ok": True}


@router.post("/checkout")
async def checkout(user_id: str, step: str) -> dict[str, bool]:
    client.capture(Events.CHECKOUT_COMPLETED.value, distinct_id=user_id)
    # listed in allow-both-sides (pyproject.toml): the client counts its own views
    client.capture("checkout_viewed", distinct_id=user_id, properties={"step": step})
    return {"ok": True}


@router.post("/invites")
async def invite(user_id: str, event_name: str) -> dict[str, bool]:
    track(INVITE_SENT, user_id)
    posthog.capture(user_id, event_name)  # a dynamic name joins nothing
    return {"ok": True}
