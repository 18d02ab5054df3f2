import nats
import httpx

from shop.inbox import already_processed

HOOK_URL = "https://hooks.internal/orders"


async def on_order(msg):
    if await already_processed(msg.headers["Nats-Msg-Id"]):
        return
    async with httpx.AsyncClient() as client:
        await client.post(HOOK_URL, content=msg.data)


async def on_lookup(msg):
    # Answers a request: reads, never writes elsewhere.
    async with httpx.AsyncClient() as client:
        response = await client.get(HOOK_URL + "/" + msg.data.decode())
    await msg.respond(response.content)


async def main():
    nc = await nats.connect()
    await nc.subscribe("orders.created.v1", cb=on_order)
    await nc.subscribe("orders.lookup", cb=on_lookup)
