"""consumer-idempotency, TypeScript half: QStash and Inngest handlers with exact verdicts."""

from __future__ import annotations

from pytest_lessons.testing import judge_files, make_check

LESSON = "consumer-idempotency"


def lines(code: str) -> list[int]:
    return [f.line for f in judge_files(make_check(LESSON), {"app/api/q/route.ts": code})]


def test_qstash_named_handler_sending_mail() -> None:
    code = """\
        async function handler(req: Request) {
          await sendEmail({ to: "a@b.c" });
          return new Response("ok");
        }
        export const POST = verifySignatureAppRouter(handler);
        """
    assert lines(code) == [2]


def test_fetch_counts_only_with_an_unsafe_method() -> None:
    code = """\
        export const POST = verifySignatureAppRouter(async (req: Request) => {
          await fetch("https://a");
          await fetch("https://a", { method: "GET" });
          await fetch("https://a", { method: "DELETE" });
          return new Response("ok");
        });
        """
    assert lines(code) == [4]


def test_inngest_idempotency_option_and_redis_nx_guard() -> None:
    guarded = """\
        export const f = inngest.createFunction(
          { id: "f", idempotency: "event.data.id" },
          { event: "a" },
          async ({ event }) => { await stripe.refunds.create({ charge: event.data.id }); },
        );
        """
    claimed = """\
        export const f = inngest.createFunction({ id: "f" }, { event: "a" }, async ({ event }) => {
          if (!(await redis.set(`k:${event.id}`, 1, { nx: true }))) return;
          await stripe.refunds.create({ charge: event.data.id });
        });
        """
    assert lines(guarded) == []
    assert lines(claimed) == []
    assert lines(guarded.replace(', idempotency: "event.data.id"', "")) == [4]
