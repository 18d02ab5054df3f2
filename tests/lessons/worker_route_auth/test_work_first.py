"""worker-route-auth, issue 11 item 4: auth evidence counts only when it runs before the work.
A handler that writes, enqueues, starts a job or calls another service and only afterwards
looks the caller up (or compares the secret, or answers 401) is not guarded by that lookup."""

from __future__ import annotations

from typing import Any

import pytest

from pytest_lessons.checks.worker_route_auth import WorkerRouteAuth
from pytest_lessons.findings import Finding
from pytest_lessons.testing import judge_files
from pytest_lessons.testing import make_check as build_check

TSCONFIG = '{ "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["./*"] } } }'
ROUTE = "app/api/jobs/route.ts"
CHECK = (
    'if (req.headers.get("x-key") !== process.env.JOBS_SECRET)'
    ' return new Response("", { status: 401 });'
)
SESSION_CHECK = 'if (!(await getServerSession())) return new Response("", { status: 401 });'
HANDLER = """\
import { getServerSession } from "next-auth";
import { prisma, db, jobs, emailQueue, tasks, resend } from "@/lib/clients";
export async function POST(req: Request) {
  %s
  %s
  return Response.json({ ok: true });
}
"""
WORK = {
    "prisma-write": "await prisma.job.update({ where: { id: 1 }, data: { done: true } });",
    "prisma-create": "await prisma.job.create({ data: {} });",
    "drizzle-insert": "await db.insert(jobs).values({});",
    "queue": 'await emailQueue.add("send", {});',
    "trigger": 'await tasks.trigger("import", {});',
    "fetch-post": 'await fetch("https://other.internal/run", { method: "POST" });',
    "mail": 'await resend.emails.send({ to: "a@b.c" });',
}


def run(files: dict[str, str], **overrides: Any) -> list[Finding]:
    check = build_check("worker-route-auth", **overrides)
    assert isinstance(check, WorkerRouteAuth)
    return judge_files(check, {"tsconfig.json": TSCONFIG, **files}, use_prefilter=False)


@pytest.mark.parametrize("work", list(WORK.values()), ids=list(WORK))
@pytest.mark.parametrize("check", [CHECK, SESSION_CHECK], ids=["secret", "session"])
def test_a_check_after_the_work_does_not_protect(work: str, check: str) -> None:
    [finding] = run({ROUTE: HANDLER % (work, check)})
    assert (finding.path, finding.line) == (ROUTE, 3)


@pytest.mark.parametrize("work", list(WORK.values()), ids=list(WORK))
@pytest.mark.parametrize("check", [CHECK, SESSION_CHECK], ids=["secret", "session"])
def test_a_check_before_the_work_protects(work: str, check: str) -> None:
    assert run({ROUTE: HANDLER % (check, work)}) == []


@pytest.mark.parametrize(
    "harmless",
    [
        'const token = req.headers.get("authorization")?.replace("Bearer ", "");',
        'const url = new URL(req.url); url.searchParams.delete("debug");',
        'const seen = new Map<string, number>(); seen.delete("x");',
        'await fetch("https://other.internal/status");',
        "const rows = await prisma.job.findMany({});",
    ],
    ids=["string-replace", "query-delete", "map-delete", "fetch-get", "read"],
)
def test_calls_that_change_nothing_before_the_check_leave_it_in_force(harmless: str) -> None:
    assert run({ROUTE: HANDLER % (harmless, CHECK)}) == []


def test_a_helper_called_after_the_work_does_not_protect_but_before_it_does() -> None:
    helper = (
        "export async function requireKey(req: Request) {\n"
        f"  {CHECK.replace('return new Response', 'throw new Response')}\n}}\n"
    )
    late = HANDLER.replace("getServerSession", "requireKey").replace("next-auth", "@/lib/key")
    work, call = WORK["prisma-write"], "await requireKey(req);"
    files = {"lib/key.ts": helper}
    assert [f.line for f in run({**files, ROUTE: late % (work, call)})] == [3]
    assert run({**files, ROUTE: late % (call, work)}) == []


def test_work_in_a_function_the_handler_defines_runs_where_it_is_called() -> None:
    deferred = "const run = async () => prisma.job.delete({ where: { id: 1 } });"
    assert run({ROUTE: HANDLER % (deferred, CHECK + "\n  await run();")}) == []
    handed = "await Promise.all([1, 2].map((id) => prisma.job.delete({ where: { id } })));"
    assert [f.line for f in run({ROUTE: HANDLER % (handed, CHECK)})] == [3]


def test_a_wrapper_guards_a_handler_that_reads_the_session_after_its_work() -> None:
    route = """\
import { getServerSession } from "next-auth";
import { prisma } from "@/lib/clients";
import { withAuth } from "@/lib/auth";
export const POST = withAuth(async () => {
  await prisma.job.create({ data: {} });
  const who = await getServerSession();
  return Response.json({ by: who });
});
"""
    auth = """\
import { getServerSession } from "next-auth";
export function withAuth(handler: () => Promise<Response>) {
  return async () => {
    if (!(await getServerSession())) return new Response("", { status: 401 });
    return handler();
  };
}
"""
    assert run({ROUTE: route, "lib/auth.ts": auth}) == []


def test_consuming_the_one_time_token_the_request_carries_is_not_the_work() -> None:
    consume = (
        "const { challengeToken } = await req.json();\n"
        "  const challenge = await prisma.challenge.delete({ where: { id: challengeToken } });"
    )
    assert run({ROUTE: HANDLER % (consume, CHECK)}) == []
