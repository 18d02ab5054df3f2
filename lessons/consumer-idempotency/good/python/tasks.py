import redis
import requests
from celery import shared_task
from sqlalchemy.dialects.postgresql import insert

from shop.celery import app
from shop.db import Session, processed_messages

RECEIPTS_URL = "https://receipts.internal/v1/send"
r = redis.Redis()


@app.task(acks_late=True)
def send_receipt(order_id: str) -> None:
    if not r.set(f"receipt:{order_id}", 1, nx=True, ex=86400):
        return
    requests.post(RECEIPTS_URL, json={"order_id": order_id})


@shared_task(acks_late=True)
def notify_shipped(order_id: str) -> None:
    with Session() as session:
        claimed = session.execute(
            insert(processed_messages).values(id=f"shipped:{order_id}").on_conflict_do_nothing()
        ).rowcount
        session.commit()
    if claimed:
        requests.post(RECEIPTS_URL + "/shipped", json={"order_id": order_id})


# Without acks_late a task is acknowledged before it runs: a crash loses it, it does not repeat.
@shared_task
def send_newsletter(user_id: str) -> None:
    requests.post(RECEIPTS_URL + "/newsletter", json={"user_id": user_id})


@app.task(acks_late=True)
def archive_order(order_id: str) -> None:
    # Only its own database: deleting a row twice is harmless.
    with Session() as session:
        session.delete(session.get(processed_messages, order_id))
        session.commit()
