"""One client owned by the app's lifespan, and the short-lived clients that close themselves."""

from contextlib import AsyncExitStack, asynccontextmanager, closing

import aiohttp
import httpx
import requests
from fastapi import APIRouter, FastAPI, Request

router = APIRouter()
ESI_URL = "https://esi.example.invalid/latest"


@asynccontextmanager
async def lifespan(app: FastAPI):
    app.state.http = httpx.AsyncClient(base_url=ESI_URL)
    yield
    await app.state.http.aclose()


def make_client() -> httpx.AsyncClient:
    # a factory: whoever calls it owns the client
    return httpx.AsyncClient(base_url=ESI_URL, timeout=10)


@router.get("/prices/{type_id}")
async def price(type_id: int, request: Request) -> dict[str, float]:
    response = await request.app.state.http.get(f"/markets/prices/{type_id}")
    return response.json()


@router.get("/orders/{type_id}")
async def orders(type_id: int) -> list[dict[str, int]]:
    async with httpx.AsyncClient(base_url=ESI_URL) as client:
        return (await client.get(f"/markets/orders/{type_id}")).json()


@router.get("/history/{type_id}")
async def history(type_id: int) -> list[dict[str, int]]:
    client = httpx.AsyncClient(base_url=ESI_URL)
    try:
        return (await client.get(f"/markets/history/{type_id}")).json()
    finally:
        await client.aclose()


@router.get("/killmails")
async def killmails() -> list[int]:
    try:
        session = aiohttp.ClientSession()
        async with session.get(f"{ESI_URL}/killmails") as response:
            return await response.json()
    finally:
        await session.close()


@router.get("/status")
def status() -> dict[str, int]:
    session = requests.Session()
    data = session.get(f"{ESI_URL}/status").json()
    session.close()
    with closing(requests.Session()) as probe:
        probe.get(f"{ESI_URL}/ping")
    return data


@router.get("/sovereignty")
async def sovereignty() -> dict[str, int]:
    client = httpx.AsyncClient()
    async with client:
        return (await client.get(f"{ESI_URL}/sovereignty/map")).json()


@router.get("/alliances")
async def alliances() -> list[int]:
    async with AsyncExitStack() as stack:
        client = await stack.enter_async_context(httpx.AsyncClient())
        return (await client.get(f"{ESI_URL}/alliances")).json()
