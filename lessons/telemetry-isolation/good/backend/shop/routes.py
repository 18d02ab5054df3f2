"""FastAPI routes whose telemetry cannot fail the request."""

import asyncio
import logging

import posthog
from fastapi import APIRouter, BackgroundTasks

from shop.analytics import client, track, track_safely
from shop.db import create_user, save_order, save_refund
from shop.events import ORDER_PLACED

router = APIRouter()
log = logging.getLogger(__name__)


@router.post("/orders")
async def place_order(user_id: str) -> dict[str, bool]:
    # return_exceptions=True: a telemetry failure comes back as a value, the write stands
    await asyncio.gather(save_order(user_id), track(ORDER_PLACED, user_id), return_exceptions=True)
    return {"ok": True}


@router.post("/reorders")
async def reorder(user_id: str) -> dict[str, bool]:
    await save_order(user_id)
    asyncio.create_task(track("reorder_started", user_id))  # off the request's await chain
    return {"ok": True}


@router.post("/refunds")
async def refund(user_id: str, tasks: BackgroundTasks) -> dict[str, bool]:
    await save_refund(user_id)
    tasks.add_task(posthog.capture, user_id, "refund_issued")  # runs after the response
    return {"ok": True}


@router.post("/signup")
async def signup(user_id: str) -> dict[str, bool]:
    await create_user(user_id)
    try:
        await track("signed_up", user_id)
    except Exception:
        log.warning("signup telemetry failed", exc_info=True)
    await track_safely("welcome_shown", user_id)  # catches inside its own body
    # sync capture() only queues the event for posthog-python's background thread
    posthog.capture(user_id, "signup_completed")
    client.capture("signup_completed_v2", distinct_id=user_id)
    return {"ok": True}
