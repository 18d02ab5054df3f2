"""The options of `telemetry-isolation`, shared by its halves (defaults in the lesson's TOML)."""

from __future__ import annotations

from pytest_lessons.options import LessonOptions

__all__ = ["WRAPPER_DEPTH", "TelemetryIsolationOptions"]

WRAPPER_DEPTH = 3
"""How many functions deep a telemetry failure is followed out of emitter wrappers."""


class TelemetryIsolationOptions(LessonOptions):
    extra_emitters: tuple[str, ...]
    """Dotted names of calls that send telemetry besides the known SDKs (`metrics.send`)."""
