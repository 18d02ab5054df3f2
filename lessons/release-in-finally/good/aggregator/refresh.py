"""The same jobs written so that neither a failure nor a failing release strands the lock."""

import asyncio
import contextlib
import logging
import threading

from redis.asyncio import Redis
from redis.asyncio.lock import Lock
from redis.exceptions import LockError, RedisError

log = logging.getLogger(__name__)
LOCK_KEY = "market-refresh:lock"
_refresh_guard = asyncio.Lock()
_export_slots = threading.BoundedSemaphore(2)


async def refresh_markets(cache: Redis) -> None:
    if not await cache.set(LOCK_KEY, "1", nx=True, ex=3600):
        return
    try:
        await fetch_regions()
    finally:
        try:
            await cache.delete(LOCK_KEY)
        except RedisError:
            log.warning("could not release %s; it expires on its own", LOCK_KEY)


async def refresh_one(region: int) -> None:
    async with _refresh_guard:
        await fetch_region(region)


def export_snapshot(path: str) -> None:
    # An in-process semaphore: releasing it in finally cannot fail for outside reasons.
    _export_slots.acquire()
    try:
        write_snapshot(path)
    finally:
        _export_slots.release()


def export_if_free(path: str) -> bool:
    if not _export_slots.acquire(blocking=False):
        return False
    try:
        write_snapshot(path)
    finally:
        _export_slots.release()
    return True


async def refresh_with_lock_object(cache: Redis) -> None:
    lock = cache.lock("market-refresh", timeout=600)
    await lock.acquire()
    try:
        await fetch_regions()
    finally:
        with contextlib.suppress(LockError):
            await lock.release()


async def refresh_under_context_manager(cache: Redis) -> None:
    async with cache.lock("market-refresh", timeout=600):
        await fetch_regions()


async def handle_delivery(cache: Redis, message_id: str) -> None:
    # A dedupe key, not a lock: kept after success, dropped only when processing failed so a
    # redelivery can try again.
    key = f"delivery:{message_id}"
    if not await cache.set(key, "1", nx=True, ex=86400):
        return
    try:
        await process(message_id)
    except Exception:
        await cache.delete(key)
        raise


async def nightly_rollup(cache: Redis) -> None:
    # Held until its TTL on purpose: at most one rollup per night, whatever happens.
    if await cache.set("rollup:nightly", "1", nx=True, ex=20 * 3600):
        await run_rollup()


async def copy_rows(pool) -> None:
    async with pool.acquire() as connection:
        await connection.execute("SELECT 1")


class RegionLease:
    """A lease held for the life of a `with` block: taken and given back in different methods."""

    def __init__(self, cache: Redis, region: int) -> None:
        self.lock = cache.lock(f"region:{region}", timeout=300)

    async def __aenter__(self) -> "RegionLease":
        await self.lock.acquire()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.lock.release()


async def refresh_if_free(cache: Redis) -> None:
    # Non-blocking: give up when another worker holds it; the release checks the lock is still
    # ours, so an expired lock is not released (and does not raise) here.
    lock = cache.lock("market-refresh", timeout=600)
    acquired = await lock.acquire(blocking=False)
    if not acquired:
        return
    try:
        await fetch_regions()
    finally:
        if await lock.owned():
            await lock.release()


async def wait_until_free(cache: Redis) -> bool:
    # Only waits for another run to finish: nothing runs between taking and giving back.
    lock = Lock(cache, "market-refresh", blocking_timeout=30)
    free = await lock.acquire()
    if free:
        await lock.release()
    return free


def export_all(paths: list[str]) -> None:
    # The release is registered with an ExitStack the moment the slot is taken.
    with contextlib.ExitStack() as stack:
        _export_slots.acquire()
        stack.callback(_export_slots.release)
        for path in paths:
            write_snapshot(path)


async def refresh_region_by_hand(region: int) -> None:
    # Released on both paths by hand: the except re-raises after giving the lock back.
    await _refresh_guard.acquire()
    try:
        await fetch_region(region)
    except BaseException:
        _refresh_guard.release()
        raise
    _refresh_guard.release()


async def fetch_regions() -> None: ...


async def fetch_region(region: int) -> None: ...


async def process(message_id: str) -> None: ...


async def run_rollup() -> None: ...


def write_snapshot(path: str) -> None: ...
