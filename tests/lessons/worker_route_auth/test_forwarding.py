"""worker-route-auth: a proxy that passes the caller's own credentials on to a service that checks
them changes nothing itself (`forwards-caller`); one that adds a secret of the server's, or does
work of its own besides, is judged as any other route."""

from __future__ import annotations

import pytest

from pytest_lessons.checks.worker_route_auth import WorkerRouteAuth
from pytest_lessons.findings import Finding
from pytest_lessons.testing import judge_files
from pytest_lessons.testing import make_check as build_check

TSCONFIG = '{ "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["./*"] } } }'
ROUTE = "app/api/proxy/route.ts"
HANDLER = """\
import axios from "axios";
import { db } from "@/lib/clients";
export async function POST(req: Request) {
  %s
  return new Response(null, { status: 204 });
}
"""


def run(body: str) -> list[Finding]:
    check = build_check("worker-route-auth")
    assert isinstance(check, WorkerRouteAuth)
    files = {"tsconfig.json": TSCONFIG, ROUTE: HANDLER % body}
    return judge_files(check, files, use_prefilter=False)


FORWARDING = {
    "read in place": 'await fetch(URL, { method: "POST", headers: { authorization: '
    'req.headers.get("Authorization") ?? "" } });',
    "bound first": 'const auth = req.headers.get("authorization");\n'
    '  await fetch(URL, { method: "POST", headers: { Authorization: auth ?? "" } });',
    "express style": "await fetch(URL, { method: 'POST', headers: { authorization: "
    "req.headers.authorization } });",
    "cookie": 'const cookie = req.headers.get("cookie") ?? "";\n'
    '  await fetch(URL, { method: "POST", headers: { cookie } });',
    "whole headers": 'await fetch(URL, { method: "POST", headers: req.headers });',
    "axios": "await axios.post(URL, {}, { headers: { Authorization: "
    'req.headers.get("authorization") } });',
}

NOT_FORWARDING = {
    "no credentials": 'await fetch(URL, { method: "POST", body: await req.text() });',
    "a name that only starts alike": 'const auth = req.headers.get("authorization");\n'
    '  const authority = "x";\n'
    '  await fetch(URL, { method: "POST", headers: { "X-Authority": authority } });',
    "the server's secret bound first": "const token = process.env.UPSTREAM_SECRET;\n"
    '  await fetch(URL, { method: "POST", headers: { Authorization: '
    'req.headers.get("authorization") ?? "", "X-Key": token ?? "" } });',
    "a write besides": 'await fetch(URL, { method: "POST", headers: req.headers });\n'
    "  await db.insert(rows).values({});",
}


@pytest.mark.parametrize("body", list(FORWARDING.values()), ids=list(FORWARDING))
def test_a_proxy_forwarding_the_callers_credentials_is_left_alone(body: str) -> None:
    assert run(body) == []


@pytest.mark.parametrize("body", list(NOT_FORWARDING.values()), ids=list(NOT_FORWARDING))
def test_anything_else_is_judged(body: str) -> None:
    [finding] = run(body)
    assert (finding.path, finding.line) == (ROUTE, 3)
