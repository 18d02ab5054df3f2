from flask import Blueprint, render_template
from flask_login import current_user

from py_service.models import Invoice

bp = Blueprint("invoices", __name__, url_prefix="/invoices")


@bp.route("/<int:invoice_id>")
def show_invoice(invoice_id):
    invoice = Invoice.query.filter_by(user_id=current_user.id).first_or_404()
    # lessons: expect[url-id-lookup]
    return render_template("invoice.html", invoice=invoice, heading=f"Invoice #{invoice_id}")
