"""FastAPI routes whose telemetry can fail the request."""

import asyncio

import posthog
from fastapi import APIRouter, HTTPException

from shop.analytics import track
from shop.db import save_order, save_refund, create_user
from shop.events import ORDER_PLACED

router = APIRouter()


@router.post("/orders")
async def place_order(user_id: str) -> dict[str, bool]:
    # the Ozi worker again: one telemetry failure fails the whole gather
    await asyncio.gather(
        save_order(user_id),
        track(ORDER_PLACED, user_id),  # lessons: expect[telemetry-isolation]
    )
    return {"ok": True}


@router.post("/reorders")
async def reorder(user_id: str) -> dict[str, bool]:
    await save_order(user_id)
    await track("reorder_started", user_id)  # lessons: expect[telemetry-isolation]
    return {"ok": True}


@router.post("/refunds")
async def refund(user_id: str) -> dict[str, bool]:
    await save_refund(user_id)
    try:
        # the old signature, handed to a thread: awaited, so its failure is the handler's
        await asyncio.to_thread(posthog.capture, user_id, "refund_issued")  # lessons: expect[telemetry-isolation]
    except ValueError:  # cannot catch a connection error
        pass
    return {"ok": True}


@router.post("/signup")
async def signup(user_id: str) -> dict[str, bool]:
    try:
        await create_user(user_id)
        await track("signed_up", user_id)  # lessons: expect[telemetry-isolation]
    except Exception:
        raise HTTPException(status_code=500, detail="signup failed")
    return {"ok": True}
