"""Next.js file-system routing: which files are routes, and their URL paths and parameters."""

from __future__ import annotations

import pytest

from pytest_lessons.lang.typescript.routes import (
    next_route_path,
    route_params,
)


@pytest.mark.parametrize(
    ("rel", "path"),
    [
        ("app/api/reorder-worker/route.ts", "/api/reorder-worker"),
        ("src/app/api/orders/[orderId]/route.ts", "/api/orders/[orderId]"),
        ("apps/web/src/app/(dashboard)/api/x/route.js", "/api/x"),
        ("apps/web/app/@modal/(.)photo/[id]/page.tsx", "/photo/[id]"),
        ("app/docs/[...slug]/page.mdx", None),
        ("app/shop/[[...slug]]/page.tsx", "/shop/[[...slug]]"),
        ("app/page.tsx", "/"),
        ("app/_components/route.ts", None),
        ("app/api/x/helpers.ts", None),
        ("app/api/x/route.test.ts", None),
        ("pages/api/orders/[id].ts", "/api/orders/[id]"),
        ("src/pages/api/index.ts", "/api"),
        ("pages/reorder/[orderId].tsx", "/reorder/[orderId]"),
        ("pages/_app.tsx", None),
        ("lib/orders.ts", None),
        ("apps/admin/app/api/cron/route.mjs", "/api/cron"),
    ],
)
def test_next_route_path(rel: str, path: str | None) -> None:
    assert next_route_path(rel) == path


def test_route_params() -> None:
    assert route_params("/shop/[category]/[...slug]/[[...rest]]") == ["category", "slug", "rest"]
    assert route_params("/orders/:orderId/items/:itemId?") == ["orderId", "itemId"]
    assert route_params(None) == []
