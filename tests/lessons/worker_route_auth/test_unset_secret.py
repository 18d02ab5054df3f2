"""worker-route-auth: a guard an unset secret lets through. `if (body.state !== env.SECRET)
return 403` compares `undefined !== undefined` when the variable is unset and the request omits
the field, so the route is open on a deployment that forgot the variable, like
`if (env.SECRET && ...)`. The variable may be unset when read from `process.env`, or from an env
schema that declares it optional."""

from __future__ import annotations

from typing import Any

import pytest

from pytest_lessons.checks.worker_route_auth import WorkerRouteAuth
from pytest_lessons.checks.worker_route_auth.typescript_evidence import optional_env_names
from pytest_lessons.findings import Finding
from pytest_lessons.testing import judge_files
from pytest_lessons.testing import make_check as build_check

TSCONFIG = '{ "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["./*"] } } }'
ROUTE = "app/api/mail/notify/route.ts"
HANDLER = """\
import { env } from "@/env";
export async function POST(req: Request) {
  const body = await req.json();
  %s
  await fetch("https://mail.internal/sync", { method: "POST" });
  return Response.json({ ok: true });
}
"""
SCHEMA = """\
import { createEnv } from "@t3-oss/env-nextjs";
import { z } from "zod";
export const env = createEnv({
  server: {
    HOOK_SECRET: z.string()%s,
    DATABASE_URL: z.string(),
  },
  runtimeEnv: process.env,
});
"""
NO = 'return new Response("", { status: 403 });'


def run(files: dict[str, str], **overrides: Any) -> list[Finding]:
    check = build_check("worker-route-auth", **overrides)
    assert isinstance(check, WorkerRouteAuth)
    return judge_files(check, {"tsconfig.json": TSCONFIG, **files}, use_prefilter=False)


@pytest.mark.parametrize(
    ("optional", "guard", "found"),
    [
        (".optional()", f"if (body.state !== env.HOOK_SECRET) {NO}", 1),
        ("", f"if (body.state !== env.HOOK_SECRET) {NO}", 0),
        (".optional()", f"if (!env.HOOK_SECRET || body.state !== env.HOOK_SECRET) {NO}", 0),
        (".optional()", f'if (req.headers.get("x-state") !== env.HOOK_SECRET) {NO}', 0),
        (".optional()", f'if (req.headers.get("x-state") != env.HOOK_SECRET) {NO}', 1),
    ],
    ids=["optional", "required", "refused-when-unset", "header-null", "loose-header"],
)
def test_a_guard_an_unset_secret_lets_through_does_not_protect(
    optional: str, guard: str, found: int
) -> None:
    files = {"env.ts": SCHEMA % optional, ROUTE: HANDLER % guard}
    assert len(run(files)) == found


def test_process_env_may_always_be_unset() -> None:
    guard = f"if (body.state !== process.env.HOOK_SECRET) {NO}"
    assert len(run({ROUTE: HANDLER % guard})) == 1
    refused = 'if (!process.env.HOOK_SECRET) return new Response("", { status: 500 });'
    refused += f"\n  {guard}"
    assert run({ROUTE: HANDLER % refused}) == []


def test_optional_env_names_reads_each_schema_entry_to_the_next() -> None:
    text = SCHEMA % "\n      .min(1)\n      .optional()"
    assert optional_env_names(text) == ["HOOK_SECRET"]
    assert optional_env_names(SCHEMA % "") == []
    assert optional_env_names("const X = { A: z.string().optional() };") == []
