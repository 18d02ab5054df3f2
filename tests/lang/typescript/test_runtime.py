"""Client/server classification: the side `single-emission-source` compares."""

from __future__ import annotations

import pytest

from pytest_lessons.lang.typescript.runtime import runtime_of
from pytest_lessons.source import SourceFile


def side(rel: str, code: str = "export {};\n") -> str:
    return runtime_of(SourceFile.from_text(rel, code)).side


@pytest.mark.parametrize(
    ("rel", "code", "expected"),
    [
        # directives beat everything, including the App Router server-component default
        (
            "app/orders/page.tsx",
            '"use client";\nexport default function P() { return null; }',
            "client",
        ),
        ("app/orders/page.tsx", "export default function P() { return null; }", "server"),
        ("src/app/(shop)/layout.tsx", "export default function L() { return null; }", "server"),
        ("app/actions.ts", "'use server';\nexport async function act() {}", "server"),
        ("lib/x.ts", '"use client";\nimport { PostHog } from "posthog-node";', "client"),
        # marker imports
        ("lib/ph.ts", 'import "server-only";\nimport posthog from "posthog-js";', "server"),
        ("lib/ph.ts", 'import "client-only";', "client"),
        # framework conventions
        ("app/api/orders/route.ts", "export async function POST() {}", "server"),
        ("src/app/api/[id]/route.js", "export async function GET() {}", "server"),
        ("pages/api/orders.ts", "export default function handler() {}", "server"),
        ("src/pages/api/a/b.ts", "export default function handler() {}", "server"),
        ("pages/orders/[id].tsx", "export default function P() { return null; }", "client"),
        ("src/pages/index.jsx", "export default function P() { return null; }", "client"),
        ("pages/_document.tsx", "export default function D() { return null; }", "server"),
        ("middleware.ts", "export function middleware() {}", "server"),
        ("src/middleware.ts", "export function middleware() {}", "server"),
        ("apps/web/middleware.ts", "export function middleware() {}", "server"),
        ("apps/web/src/proxy.ts", "export function proxy() {}", "server"),
        ("app/entry.client.tsx", "export {};", "client"),
        ("app/lib/session.server.ts", "export {};", "server"),
        # SDK imports
        ("lib/analytics.ts", 'import posthog from "posthog-js";', "client"),
        ("lib/analytics.ts", 'import { usePostHog } from "posthog-js/react";', "client"),
        ("lib/analytics.ts", 'import { PostHog } from "posthog-node";', "server"),
        ("lib/seg.ts", 'const Analytics = require("@segment/analytics-node");', "server"),
        # hooks
        (
            "components/Button.tsx",
            "export function B() { useEffect(() => {}); return null; }",
            "client",
        ),
        (
            "components/Button.tsx",
            "export function B() { React.useState(0); return null; }",
            "client",
        ),
        # folders
        ("src/server/api/routers/order.ts", "export const r = 1;", "server"),
        ("packages/lib/client-only/hooks/use-x.ts", "export const r = 1;", "client"),
        # nothing to go on: a component without directive or hooks is left to the lesson
        ("components/Badge.tsx", "export function Badge() { return <b />; }", "unknown"),
        ("lib/proxy.ts", "export function proxy() {}", "unknown"),
        (
            "lib/both.ts",
            'import posthog from "posthog-js";\nimport { PostHog } from "posthog-node";',
            "unknown",
        ),
    ],
)
def test_sides(rel: str, code: str, expected: str) -> None:
    assert side(rel, code) == expected


def test_reasons_list_every_signal_strongest_first() -> None:
    found = runtime_of(
        SourceFile.from_text(
            "app/orders/page.tsx",
            '"use client";\nimport posthog from "posthog-js";\n'
            "export default function P() { useEffect(() => {}); }",
        )
    )
    assert found.side == "client"
    assert found.reasons == [
        "'use client' directive",
        'imports "posthog-js"',
        "calls the React client hook useEffect()",
    ]


def test_server_component_in_the_postmortem_shape_is_server_and_its_client_child_is_client() -> (
    None
):
    assert (
        side("app/reorder/[orderId]/page.tsx", "export default async function P() { return null; }")
        == "server"
    )
    child = (
        '"use client";\nimport { usePostHog } from "posthog-js/react";\n'
        "export function C() { return null; }"
    )
    assert side("app/reorder/[orderId]/ReorderClient.tsx", child) == "client"


@pytest.mark.parametrize(
    ("rel", "side"),
    [
        ("pages/orders/[id].tsx", "client"),
        ("src/pages/index.tsx", "client"),
        ("apps/web/pages/index.tsx", "client"),
        ("apps/web/src/pages/api/orders.ts", "server"),
        ("pages/api/orders.ts", "server"),
        # a feature folder named "pages" deep in a module tree is not the Pages Router
        ("modules/analysis/dashboards/pages/overview.tsx", "unknown"),
    ],
)
def test_only_a_root_pages_folder_is_the_pages_router(rel: str, side: str) -> None:
    file = SourceFile.from_text(rel, "export default function View() { return null }\n")
    assert runtime_of(file).side == side
