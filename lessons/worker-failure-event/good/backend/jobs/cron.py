"""Cron endpoints that leave a trace for every item they fail."""

import asyncio
import logging

import posthog
from fastapi import APIRouter, HTTPException

from jobs.mail import due_users, send_digest, sync_account

logger = logging.getLogger(__name__)
router = APIRouter(prefix="/internal/cron")


@router.post("/digests")
async def send_digests() -> dict[str, int]:
    failed = 0
    for user in await due_users():
        try:
            await send_digest(user)
        except Exception as error:
            failed += 1
            posthog.capture("digest_failed", distinct_id=user.id, properties={"error": str(error)})
    return {"failed": failed}


@router.post("/accounts/sync")
async def sync_accounts() -> dict[str, int]:
    users = await due_users()
    results = await asyncio.gather(*(sync_account(u) for u in users), return_exceptions=True)
    failed = [r for r in results if isinstance(r, BaseException)]
    if failed:
        logger.error("%d of %d account syncs failed", len(failed), len(users))
        raise HTTPException(status_code=500, detail=f"{len(failed)} syncs failed")
    return {"synced": len(users)}


@router.post("/accounts/strict")
async def sync_strict() -> dict[str, int]:
    for user in await due_users():
        try:
            await sync_account(user)
        except TimeoutError:
            logger.warning("sync timed out for %s", user.id)
            raise  # the run fails and says so
    return {"ok": 1}


@router.get("/health")
async def health() -> dict[str, str]:
    # not per item: one probe, logged
    try:
        await due_users()
    except Exception:
        logger.exception("health probe failed")
    return {"status": "ok"}
