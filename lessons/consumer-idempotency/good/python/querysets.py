"""Loops that look like consumers but are not: no queue library is imported here."""

import requests

from shop.models import Order


def push_all(conn):
    for order in Order.objects.filter(pending=True).iterator():
        requests.post("https://crm.internal/orders", json={"id": order.pk})


async def push_rows(conn):
    for row in await conn.fetch("SELECT id FROM orders"):
        requests.post("https://crm.internal/rows", json={"id": row["id"]})
