import hmac
import os

from flask import Blueprint, abort, request
from flask_jwt_extended import jwt_required
from flask_login import login_required

from portal.guards import staff_only

bp = Blueprint("portal", __name__)


@bp.route("/orders", methods=["POST"])
@login_required
def create_order():
    return {"ok": True}


@bp.post("/tokens")
@jwt_required()
def create_token():
    return {"ok": True}


@bp.delete("/users/<int:user_id>")
@staff_only
def delete_user(user_id: int):
    return {"deleted": user_id}


@bp.post("/receipt-worker")
def ingest_receipts():
    sent = request.headers.get("X-Worker-Token", "")
    if not hmac.compare_digest(sent, os.environ["WORKER_TOKEN"]):
        abort(401)
    return {"ok": True}


@bp.route("/status")
def status():
    return {"ok": True}


@bp.post("/invites/<token>/accept")
def accept_invite(token: str):
    from portal.links import member_from_link

    member = member_from_link(token)  # the link is signed: only the server could have made it
    return {"accepted": member}
