"""Team routes that notify LogSnag, Mixpanel and OpenPanel on the request's own await chain."""

import asyncio

from fastapi import APIRouter
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
    # LogSnag's client posts synchronously and raises on an HTTP error; a thread does not change that
    await asyncio.to_thread(logsnag.track, channel="teams", event="member_added")  # lessons: expect[telemetry-isolation]
    return {"ok": True}


@router.post("/teams")
async def create_team(user_id: str) -> dict[str, bool]:
    await asyncio.gather(
        create_user(user_id),
        asyncio.to_thread(mp.track, user_id, "team_created"),  # lessons: expect[telemetry-isolation]
        asyncio.to_thread(op.track, "team_created", {"user": user_id}),  # lessons: expect[telemetry-isolation]
    )
    return {"ok": True}
