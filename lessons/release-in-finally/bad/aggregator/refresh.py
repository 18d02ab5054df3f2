"""The market refresh job, with the lock handling the pre-mortem warned about."""

import asyncio
import threading

from redis.asyncio import Redis
from sqlalchemy import text

LOCK_KEY = "market-refresh:lock"
_refresh_guard = asyncio.Lock()
_export_slots = threading.BoundedSemaphore(2)


async def refresh_markets(cache: Redis) -> None:
    # A crash in fetch_regions() leaves the key behind: no run starts again until it expires.
    if not await cache.set(LOCK_KEY, "1", nx=True, ex=3600):  # lessons: expect[release-in-finally]
        return
    await fetch_regions()
    await cache.delete(LOCK_KEY)


async def refresh_one(region: int) -> None:
    await _refresh_guard.acquire()  # lessons: expect[release-in-finally]
    await fetch_region(region)
    _refresh_guard.release()


def export_snapshot(path: str) -> None:
    _export_slots.acquire()  # lessons: expect[release-in-finally]
    write_snapshot(path)
    _export_slots.release()


def rebuild_index(connection) -> None:
    connection.execute(text("SELECT pg_advisory_lock(4242)"))  # lessons: expect[release-in-finally]
    connection.execute(text("REINDEX TABLE contracts"))
    connection.execute(text("SELECT pg_advisory_unlock(4242)"))


async def refresh_with_lock_object(cache: Redis) -> None:
    lock = cache.lock("market-refresh", timeout=600)
    await lock.acquire()
    try:
        await fetch_regions()
    finally:
        # LockNotOwnedError (the lock expired mid-run) or a dropped connection raises here and
        # replaces whatever fetch_regions() raised.
        await lock.release()  # lessons: expect[release-in-finally]


async def refresh_by_key(cache: Redis, region: int) -> None:
    key = f"market-refresh:{region}"
    if not await cache.set(key, "1", nx=True, ex=600):
        return
    try:
        await fetch_region(region)
    finally:
        await cache.delete(key)  # lessons: expect[release-in-finally]


def vacuum_contracts(connection) -> None:
    connection.execute(text("SELECT pg_advisory_lock(7)"))
    try:
        connection.execute(text("VACUUM contracts"))
    finally:
        connection.execute(text("SELECT pg_advisory_unlock(7)"))  # lessons: expect[release-in-finally]


class RegionSweeper:
    def __init__(self, cache: Redis) -> None:
        self.cache = cache
        self.lock = cache.lock("region-sweep", timeout=120)

    async def sweep(self) -> None:
        if not await self.lock.acquire(blocking=False):
            return
        try:
            await fetch_regions()
        finally:
            await self.lock.release()  # lessons: expect[release-in-finally]


async def refresh_with_token(cache: Redis, token: str) -> None:
    if not await cache.set("refresh:token-lock", token, nx=True, px=60_000):
        return
    try:
        await fetch_regions()
    finally:
        # Checks the token, but the delete still talks to the cache and can raise.
        if await cache.get("refresh:token-lock") == token.encode():
            await cache.delete("refresh:token-lock")  # lessons: expect[release-in-finally]


async def fetch_regions() -> None: ...


async def fetch_region(region: int) -> None: ...


def write_snapshot(path: str) -> None: ...
