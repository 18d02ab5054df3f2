from flask import Blueprint, render_template
from flask_login import login_required

from py_service.models import Invoice

bp = Blueprint("invoices", __name__, url_prefix="/invoices")


@bp.route("/<int:invoice_id>")
def show_invoice(invoice_id):
    invoice = Invoice.query.get_or_404(invoice_id)
    return render_template("invoice.html", invoice=invoice)


@bp.route("/<int:invoice_id>/print")
@login_required
def print_invoice(invoice_id):
    # a wrapping decorator may read the id itself: a never-read id is not judged
    return render_template("print.html")
