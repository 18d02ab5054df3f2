"""Backend-only events through Mixpanel, OpenPanel and LogSnag: no client sends them."""

from fastapi import APIRouter
from logsnag import LogSnag
from mixpanel import Mixpanel
from openpanel import OpenPanel

router = APIRouter()
mp = Mixpanel("token")
op = OpenPanel(client_id="shop", client_secret="s")
logsnag = LogSnag(token="t", project="shop")


@router.post("/teams/invites")
async def invite_teammate(user_id: str) -> dict[str, bool]:
    # the client sends `invite_dialog_opened`; the invite itself is recorded only here
    mp.track(user_id, "teammate_invited")
    op.track("teammate_invited", {"user": user_id})
    logsnag.track(channel="team", event="teammate_invited")
    return {"ok": True}
