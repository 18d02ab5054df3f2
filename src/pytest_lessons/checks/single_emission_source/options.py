"""The options of `single-emission-source`, shared by its halves (defaults in the lesson's TOML)."""

from __future__ import annotations

from pytest_lessons.options import LessonOptions

__all__ = ["SingleEmissionSourceOptions"]


class SingleEmissionSourceOptions(LessonOptions):
    allow_both_sides: dict[str, str]
    """Events allowed on both sides, each with the reason (event name -> reason)."""
    north_star: tuple[str, ...]
    """Events that must have exactly one emission site in the whole project."""
    extra_emitters: tuple[str, ...]
    """More functions that send an event given as their first argument (`trackEvent`,
    `analytics.send`)."""
