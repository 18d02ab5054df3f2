"""The aggregator's loop: one client per region, none closed."""

from httpx import Client

from esi.store import save_contracts

REGIONS = [10000002, 10000043]


def aggregate() -> None:
    for region in REGIONS:
        client = Client(timeout=10)  # lessons: expect[shared-http-client]
        save_contracts(region, client.get(f"/contracts/public/{region}").json())


async def watch(queue) -> None:
    from aiohttp import ClientSession

    while True:
        region = await queue.get()
        session = ClientSession()  # lessons: expect[shared-http-client]
        await session.get(f"/contracts/public/{region}")
