"""The same team routes, each notification isolated from the request."""

import asyncio
import logging

from fastapi import APIRouter, BackgroundTasks
from logsnag import LogSnag
from mixpanel import Mixpanel
from openpanel import OpenPanel

from shop.db import create_user

router = APIRouter()
logsnag = LogSnag(token="t", project="shop")
mp = Mixpanel("token")
op = OpenPanel(client_id="shop", client_secret="s")


@router.post("/teams/{team_id}/members")
async def add_member(team_id: str, user_id: str) -> dict[str, bool]:
    await create_user(user_id)
    try:
        await asyncio.to_thread(logsnag.track, channel="teams", event="member_added")
    except Exception:
        logging.warning("logsnag is down; member added anyway")
    return {"ok": True}


@router.post("/teams")
async def create_team(user_id: str, tasks: BackgroundTasks) -> dict[str, bool]:
    await asyncio.gather(
        create_user(user_id),
        asyncio.to_thread(mp.track, user_id, "team_created"),
        return_exceptions=True,
    )
    tasks.add_task(op.track, "team_created", {"user": user_id})
    return {"ok": True}
