import requests
import stripe
from celery import shared_task

from shop.celery import app

RECEIPTS_URL = "https://receipts.internal/v1/send"


@app.task(acks_late=True)
def send_receipt(order_id: str) -> None:
    requests.post(RECEIPTS_URL, json={"order_id": order_id})  # lessons: expect[consumer-idempotency]


@shared_task(bind=True, acks_late=True, max_retries=5)
def refund_order(self, charge_id: str) -> None:
    _refund(charge_id)  # lessons: expect[consumer-idempotency]


def _refund(charge_id: str) -> None:
    stripe.Refund.create(charge=charge_id)
