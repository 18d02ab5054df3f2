"""Middleware matchers, evaluated as Next.js does (path-to-regexp v6, strict, case-insensitive)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pytest_lessons.lang.typescript.matcher import (
    compile_matcher,
    covers_route,
    matcher_matches,
    sample_paths,
)

NEGATIVE_LOOKAHEAD = "/((?!api|_next/static|_next/image|favicon.ico).*)"


@pytest.mark.parametrize(
    ("matcher", "path", "expected"),
    [
        # The postmortem's trap: the default Next.js matcher skips every API route.
        (NEGATIVE_LOOKAHEAD, "/api/reorder-worker", False),
        (NEGATIVE_LOOKAHEAD, "/api", False),
        (NEGATIVE_LOOKAHEAD, "/dashboard/orders", True),
        (NEGATIVE_LOOKAHEAD, "/_next/static/chunk.js", False),
        ("/((?!api/|_next/).*)", "/api/cron/x", False),
        ("/((?!_next|[^?]*\\.(?:html?|css|js(?!on)|jpe?g|png|svg|ico)).*)", "/api/orders", True),
        ("/((?!_next|[^?]*\\.(?:html?|css|js(?!on)|jpe?g|png|svg|ico)).*)", "/logo.svg", False),
        ("/(api|trpc)(.*)", "/api/orders", True),
        ("/(api|trpc)(.*)", "/trpc", True),
        ("/(api|trpc)(.*)", "/dashboard", False),
        # Named parameters and modifiers.
        ("/api/:path*", "/api", True),
        ("/api/:path*", "/api/a/b", True),
        ("/api/:path*", "/apix", False),
        ("/api/:path*", "/API/orders", True),  # case-insensitive
        ("/:path*", "/", True),
        ("/:path*", "/a/b/c", True),
        ("/dashboard/:path+", "/dashboard", False),
        ("/dashboard/:path+", "/dashboard/a/b", True),
        ("/about/:path", "/about/a", True),
        ("/about/:path", "/about/a/c", False),
        ("/about/:path?", "/about", True),
        ("/about/(.*)", "/about/a/c", True),
        ("/api/orders/:id(\\d+)", "/api/orders/42", True),
        ("/api/orders/:id(\\d+)", "/api/orders/abc", False),
        ("/api/cron", "/api/cron", True),
        ("/api/cron", "/api/cron/daily", False),
        ("/", "/", True),
        ("/", "/about", False),
        # Next also serves pages' data routes through the same matcher.
        ("/dashboard/:path*", "/_next/data/build-id/dashboard/x.json", True),
        # Invalid sources fail the Next.js build: they match nothing.
        ("api/:path*", "/api/x", False),
        ("/api/*", "/api/x", False),
        ("/api/(unclosed", "/api/x", False),
    ],
)
def test_matcher_matches(matcher: str, path: str, expected: bool) -> None:
    assert matcher_matches(matcher, path) is expected


def test_invalid_matchers_compile_to_none() -> None:
    assert compile_matcher("/a/:") is None
    assert compile_matcher("/a/((b))") is None  # capturing groups are not allowed
    assert compile_matcher("/a/(?<name>b)") is None  # a pattern cannot start with "?"
    assert matcher_matches("/a/((?<name>b))", "/a/b")  # JS named groups inside a pattern


def test_sample_paths() -> None:
    assert sample_paths("/api/orders/[orderId]") == ["/api/orders/sample-1", "/api/orders/42"]
    assert sample_paths("/docs/[[...slug]]") == ["/docs", "/docs/sample-1", "/docs/a/b"]
    assert sample_paths("/") == ["/"]


@pytest.mark.parametrize(
    ("matchers", "route", "expected"),
    [
        (None, "/api/reorder-worker", True),
        ([], "/api/reorder-worker", False),
        ([NEGATIVE_LOOKAHEAD], "/api/reorder-worker", False),
        ([NEGATIVE_LOOKAHEAD, "/api/:path*"], "/api/reorder-worker", True),
        (["/api/:path*"], "/api/orders/[orderId]", True),
        (["/api/orders/:id(\\d+)"], "/api/orders/[orderId]", False),  # "sample-1" slips past
        (["/docs/:path+"], "/docs/[[...slug]]", False),  # /docs itself is not covered
        (["/docs/:path*"], "/docs/[[...slug]]", True),
        (["/dashboard/:path*"], "/api/cron", False),
    ],
)
def test_covers_route(matchers: list[str] | None, route: str, expected: bool) -> None:
    assert covers_route(matchers, route) is expected


segment = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_.~", min_size=1, max_size=12)


@given(st.lists(segment, min_size=1, max_size=5), st.lists(segment, min_size=1, max_size=5))
def test_a_literal_matcher_covers_exactly_its_own_path(ours: list[str], other: list[str]) -> None:
    path = "/" + "/".join(ours)
    assert matcher_matches(path, path)
    candidate = "/" + "/".join(other)
    if candidate.lower() != path.lower() and not re.fullmatch(
        re.escape(path) + r"\.json", candidate, re.IGNORECASE
    ):
        assert not matcher_matches(path, candidate)


@given(st.lists(segment, min_size=0, max_size=5))
def test_path_star_covers_everything_below_its_prefix(rest: list[str]) -> None:
    assert matcher_matches("/api/:path*", "/".join(["/api", *rest]).replace("//", "/"))


@given(st.text(max_size=40))
def test_arbitrary_matchers_never_raise(source: str) -> None:
    matcher_matches("/" + source, "/api/x")
