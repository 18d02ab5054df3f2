import logging

from flask import Blueprint, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from portal.security import auth_required

bp = Blueprint("portal", __name__)
limiter = Limiter(get_remote_address)
log = logging.getLogger(__name__)


@bp.before_request
def log_request() -> None:
    log.info("%s %s", request.method, request.path)


@bp.route("/orders", methods=["GET", "POST"])
@auth_required
def orders():  # lessons: expect[worker-route-auth]
    return {"ok": True}


@bp.post("/refunds")
@limiter.limit("5/minute")
def refund():  # lessons: expect[worker-route-auth]
    return {"ok": True}


@bp.route("/status")
def status():
    return {"ok": True}


@bp.post("/invites/<token>/accept")
def accept_invite(token: str):  # lessons: expect[worker-route-auth]
    from portal.links import member_from_link

    member = member_from_link(token)
    return {"accepted": member}
