"""release-in-finally on Python: releases an exception can skip, and releases that can mask it."""

from __future__ import annotations

import textwrap

import pytest

from pytest_lessons.findings import Finding
from pytest_lessons.testing import judge_files, make_check

LESSON_ID = "release-in-finally"


def run(body: str) -> list[Finding]:
    source = "import asyncio\n\n\nasync def job(cache, lock, conn):\n" + textwrap.indent(
        textwrap.dedent(body), "    "
    )
    return judge_files(make_check(LESSON_ID), {"jobs.py": source}, use_prefilter=False)


def lines(body: str) -> list[int]:
    return [finding.line - 4 for finding in run(body)]


def test_release_as_last_statement_is_flagged_on_the_acquisition() -> None:
    findings = run("await lock.acquire()\nawait work()\nlock.release()\n")
    assert [(f.line, f.column) for f in findings] == [(5, 11)]
    assert findings[0].message.startswith("this lock is released outside a `finally`")


@pytest.mark.parametrize(
    "body",
    [
        "if await cache.set('k', 1, nx=True, ex=60):\n    await work()\n"
        "    await cache.delete('k')\n",
        "cache.setnx(key, 1)\nwork()\ncache.delete(key)\n",
        'conn.execute("SELECT pg_try_advisory_lock(1)")\nwork()\n'
        'conn.execute("SELECT pg_advisory_unlock(1)")\n',
        "await conn.execute(select(func.pg_advisory_lock(1)))\nwork()\n"
        "await conn.execute(select(func.pg_advisory_unlock(1)))\n",
    ],
    ids=["set-nx", "setnx", "advisory-sql", "advisory-func"],
)
def test_every_kind_of_lock_released_on_the_normal_path_only(body: str) -> None:
    assert lines(body) == [1]


@pytest.mark.parametrize(
    "body",
    [
        "await lock.acquire()\ntry:\n    await work()\nfinally:\n    lock.release()\n",
        "async with lock:\n    await work()\n",
        "async with pool.acquire() as c:\n    await c.fetch('x')\n    pool.release(c)\n",
        "await lock.acquire()\nawait work()\n",
        "if not await cache.set(k, 1, nx=True):\n    return\ntry:\n    await work()\n"
        "except Exception:\n    await cache.delete(k)\n    raise\n",
        "if await cache.set(k, 1, nx=True):\n    await work()\n    await cache.delete(other)\n",
    ],
    ids=["finally", "async-with", "pool-context", "released-elsewhere", "dedupe", "other-key"],
)
def test_released_safely_or_not_here_is_quiet(body: str) -> None:
    assert lines(body) == []


def test_unguarded_network_release_in_finally_is_flagged_guarded_is_not() -> None:
    body = (
        "held = cache.lock('agg', timeout=60)\nawait held.acquire()\ntry:\n    await work()\n"
        "finally:\n    await held.release()\n"
    )
    findings = run(body)
    assert [f.line - 4 for f in findings] == [6]
    assert "replaces the one already on its way" in findings[0].message
    guarded = body.replace(
        "    await held.release()\n",
        "    try:\n        await held.release()\n    except LockError:\n        pass\n",
    )
    assert lines(guarded) == []
    suppressed = body.replace(
        "    await held.release()\n",
        "    with contextlib.suppress(LockError):\n        await held.release()\n",
    )
    assert lines(suppressed) == []


def test_in_process_lock_released_in_finally_is_quiet() -> None:
    body = (
        "lk = asyncio.Lock()\nawait lk.acquire()\ntry:\n    await work()\n"
        "finally:\n    lk.release()\n"
    )
    assert lines(body) == []


@pytest.mark.parametrize(
    "body",
    [
        "got = await lock.acquire()\nif got:\n    lock.release()\nreturn got\n",
        "await lock.acquire()\ntry:\n    await work()\nexcept BaseException:\n"
        "    lock.release()\n    raise\nlock.release()\n",
        "with contextlib.ExitStack() as stack:\n    lock.acquire()\n"
        "    stack.callback(lock.release)\n    work()\n",
    ],
    ids=["wait-until-free", "released-in-except-too", "exit-stack"],
)
def test_look_alikes_of_a_skipped_release_are_quiet(body: str) -> None:
    assert lines(body) == []


def test_release_guarded_by_owned_is_quiet() -> None:
    body = (
        "held = cache.lock('agg', timeout=60)\nif not await held.acquire(blocking=False):\n"
        "    return\ntry:\n    await work()\nfinally:\n    if await held.owned():\n"
        "        await held.release()\n"
    )
    assert lines(body) == []
    assert lines(body.replace("if await held.owned():", "if True:")) == [8]


def test_lock_object_made_in_init_is_a_server_lock() -> None:
    source = (
        "class Sweeper:\n    def __init__(self, r):\n        self.lock = r.lock('s', timeout=5)\n\n"
        "    def sweep(self):\n        self.lock.acquire()\n        try:\n            work()\n"
        "        finally:\n            self.lock.release()\n"
    )
    findings = judge_files(make_check(LESSON_ID), {"sweeper.py": source})
    assert [f.line for f in findings] == [10]


def test_test_files_are_not_read() -> None:
    source = "def test_it(lock):\n    lock.acquire()\n    work()\n    lock.release()\n"
    check = make_check(LESSON_ID)
    assert [f.line for f in judge_files(check, {"app/jobs.py": source})] == [2]
    for path in ("tests/test_jobs.py", "app/test_jobs.py", "conftest.py"):
        assert judge_files(check, {path: source}) == [], path
