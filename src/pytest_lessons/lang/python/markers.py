"""Byte strings a Python project must contain somewhere for a layer to have anything to find.

Cross-file lessons read every Python file, because a dependency, a wrapper or a constant may live
in any module; parsing all of them is most of a cold run. These markers feed the lessons'
`project_prefilter`: a project none of whose Python files names a web framework has no routes,
and one that never names an analytics SDK has no emissions, so that side of the lesson parses
nothing. They are deliberately loose (any mention counts, comments included): a marker that
misses a real project silently loses findings, one that matches too much only costs time.
"""

from __future__ import annotations

from collections.abc import Iterable

WEB_FRAMEWORKS: tuple[bytes, ...] = (
    b"fastapi",
    b"starlette",
    b"flask",
    b"Flask",
    b"FastAPI",
    b"django",
    b"rest_framework",
)
"""Every route the routes layer knows is declared through an import of one of these."""

FRAMEWORK_USE: tuple[bytes, ...] = (
    *WEB_FRAMEWORKS,
    b"Depends",
    b"Security",
    b"Header",
    b"Request",
    b"HTTPException",
    b"abort",
)
"""A module that takes part in handling a request (a dependency, a guard) names one of these:
it raises or answers through the framework, or declares what it needs from the request."""

_TELEMETRY_SDKS: tuple[bytes, ...] = (
    b"posthog",
    b"Posthog",
    b"PostHog",
    # Segment's analytics-python, however imported; a project's own `analytics` package
    # (`from app.analytics import x`) and the word "segment" alone do not bring the SDK in
    b"import analytics",
    b"segment.analytics",
    b"from segment import",
    # Segment's forks (RudderStack, June) and the SDKs with client classes
    b"rudderstack",
    b"june.analytics",
    b"from june import",
    b"ixpanel",
    b"OpenPanel",
    b"openpanel",
    b"LogSnag",
    b"logsnag",
)


def telemetry_markers(extra_emitters: Iterable[str]) -> tuple[bytes, ...]:
    """The SDK names, plus the first name of each configured emitter (`metrics` of
    `metrics.send`): an emission needs one of them in the file that builds or imports it."""
    extras = {name.split(".", 1)[0].encode() for name in extra_emitters if name}
    return _TELEMETRY_SDKS + tuple(sorted(extras))
