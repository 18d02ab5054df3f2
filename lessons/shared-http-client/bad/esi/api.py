"""Handlers that build a client per request and leave its pool to the garbage collector."""

import aiohttp
import httpx
import requests
from fastapi import APIRouter
from flask import Blueprint

router = APIRouter()
legacy = Blueprint("legacy", __name__)
ESI_URL = "https://esi.example.invalid/latest"


@router.get("/prices/{type_id}")
async def price(type_id: int) -> dict[str, float]:
    client = httpx.AsyncClient(base_url=ESI_URL)  # lessons: expect[shared-http-client]
    response = await client.get(f"/markets/prices/{type_id}")
    return response.json()


@router.post("/contracts/refresh")
async def refresh_contracts(region: int) -> dict[str, int]:
    # a one-shot call on a throwaway client: still a pool per request
    response = await httpx.AsyncClient().get(f"{ESI_URL}/contracts/{region}")  # lessons: expect[shared-http-client]
    session = aiohttp.ClientSession()  # lessons: expect[shared-http-client]
    await session.post(f"{ESI_URL}/notify", json={"region": region})
    return {"count": len(response.json())}


@router.get("/characters/{character_id}")
async def character(character_id: int) -> dict[str, str]:
    other = httpx.AsyncClient()
    try:
        leaked = httpx.AsyncClient()  # lessons: expect[shared-http-client]
        await leaked.get(f"{ESI_URL}/characters/{character_id}")
    finally:
        await other.aclose()  # closes the other one
    return {}


@legacy.route("/status")
def status() -> dict[str, int]:
    return requests.Session().get(f"{ESI_URL}/status").json()  # lessons: expect[shared-http-client]
