"""The backend records the invite with Mixpanel and OpenPanel, which the web client also sends."""

from fastapi import APIRouter
from mixpanel import Mixpanel
from openpanel import OpenPanel

router = APIRouter()
mp = Mixpanel("token")
op = OpenPanel(client_id="shop", client_secret="s")


@router.post("/teams/invites")
async def invite_teammate(user_id: str) -> dict[str, bool]:
    mp.track(user_id, "teammate_invited")  # lessons: expect[single-emission-source]
    op.track(name="plan_chosen")  # lessons: expect[single-emission-source]
    return {"ok": True}
