import nats
import httpx

from shop.mail import send_email

HOOK_URL = "https://hooks.internal/orders"


async def on_order(msg):
    async with httpx.AsyncClient() as client:
        await client.post(HOOK_URL, content=msg.data)  # lessons: expect[consumer-idempotency]


class Mailer:
    async def start(self, nc):
        await nc.subscribe("orders.paid.v1", cb=self.on_paid)

    async def on_paid(self, msg):
        send_email(to=msg.headers["email"], template="paid")  # lessons: expect[consumer-idempotency]


async def main(client: httpx.AsyncClient):
    nc = await nats.connect()
    await nc.subscribe("orders.created.v1", cb=on_order)
    js = nc.jetstream()
    sub = await js.pull_subscribe("orders.shipped.v1", durable="shipper")
    while True:
        for msg in await sub.fetch(10):
            await client.post(HOOK_URL + "/shipped", content=msg.data)  # lessons: expect[consumer-idempotency]
            await msg.ack()
