"""Cron endpoints of a FastAPI service."""

import asyncio
import logging

from fastapi import APIRouter

from jobs.mail import due_users, send_digest, sync_account

logger = logging.getLogger(__name__)
router = APIRouter(prefix="/internal/cron")


@router.post("/digests")
async def send_digests() -> dict[str, int]:
    for user in await due_users():
        try:
            await send_digest(user)
        except Exception:  # lessons: expect[worker-failure-event]
            logger.warning("digest failed for %s", user.id)
    return {"ok": 1}


@router.post("/accounts/sync")
async def sync_accounts() -> dict[str, int]:
    users = await due_users()
    await asyncio.gather(*(sync_account(u) for u in users), return_exceptions=True)  # lessons: expect[worker-failure-event]
    return {"queued": len(users)}
