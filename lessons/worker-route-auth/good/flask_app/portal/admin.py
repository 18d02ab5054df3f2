from flask import Blueprint, abort
from flask_login import current_user

admin_bp = Blueprint("admin", __name__)


@admin_bp.before_request
def require_admin() -> None:
    if not current_user.is_authenticated or not current_user.is_admin:
        abort(403)


@admin_bp.route("/purge", methods=["POST"])
def purge():
    return {"purged": True}
