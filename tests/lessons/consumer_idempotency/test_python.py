"""consumer-idempotency, Python half: nats-py, Celery, aio-pika and kombu with exact verdicts."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_lessons.errors import AnalysisError
from pytest_lessons.source import SourceFile
from pytest_lessons.testing import judge_files, make_check

LESSON = "consumer-idempotency"


def lines(code: str, **options: Any) -> list[int]:
    return [f.line for f in judge_files(make_check(LESSON, **options), {"worker.py": code})]


def test_celery_task_needs_acks_late_to_be_a_consumer() -> None:
    code = """\
        import requests

        @app.task(acks_late=True)
        def a(url):
            requests.post(url)

        @app.task
        def b(url):
            requests.post(url)
        """
    assert lines(code) == [5]


def test_nats_py_named_callback_and_helpers() -> None:
    code = """\
        import nats

        async def handler(msg):
            await deliver(msg)

        async def deliver(msg):
            await client.put("https://x/y", content=msg.data)

        async def main(nc):
            await nc.subscribe("s", cb=handler)
        """
    findings = judge_files(make_check(LESSON), {"worker.py": code})
    assert [f.line for f in findings] == [4]
    assert "`deliver` -> `client.put`" in findings[0].message


def test_a_dedupe_in_a_helper_before_the_effect_guards_it() -> None:
    code = """\
        import nats

        async def handler(msg):
            if not claim(msg):
                return
            await client.post("https://x/y")

        def claim(msg):
            return r.set(msg.headers["Nats-Msg-Id"], 1, nx=True, ex=60)

        async def main(nc):
            await nc.subscribe("s", cb=handler)
        """
    assert lines(code) == []


def test_sqlalchemy_session_delete_is_not_an_http_call() -> None:
    code = """\
        @app.task(acks_late=True)
        def a(order):
            db.session.delete(order)
            session.delete(url)
        """
    assert lines(code) == [4]


def test_queue_loops_need_their_library_imported() -> None:
    code = """\
        async def a(conn, queue):
            async with queue.iterator() as it:
                async for m in it:
                    await session.post("https://x", data=m.body)
        """
    assert lines(code) == []
    assert lines("import aio_pika\n" + code.replace("        ", "", 1)) != []


def test_a_file_naming_no_consumer_library_is_not_parsed() -> None:
    """`subscribe`, `.fetch(` and `Consumer` are common words (billing subscriptions, HTTP
    clients): without a late-ack task, a `cb=` keyword or a consumer library named, no consumer
    can be found, so the file is not read at all (only with the prefilter on)."""
    check = make_check(LESSON)
    plain = "def subscribe(user):\n    return client.fetch(user.subscription_url)\n"
    read = {
        "billing.py": plain,
        "nats_pull.py": "import nats\n" + plain,
        "nats_callback.py": "await nc.subscribe('orders', cb = handle)\n",
        "celery_tasks.py": "@app.task(acks_late=True)\ndef subscribe(u):\n    pass\n",
        "kombu_consumer.py": "from kombu import Consumer\n",
    }
    applies = {rel: check.applies_to(SourceFile.from_text(rel, text)) for rel, text in read.items()}
    assert applies == {rel: rel != "billing.py" for rel in read}
    billing = SourceFile.from_text("billing.py", plain)
    assert check.applies_to(billing, use_prefilter=False)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200))
def test_never_raises_on_arbitrary_text(text: str) -> None:
    check = make_check(LESSON)
    source = SourceFile.from_text("w.py", "import nats\nasync def h(m):\n    " + text)
    try:
        facts = check.extract(source)
    except AnalysisError:  # a file that does not parse is reported, never anything else
        return
    list(check.judge({"w.py": facts}))
