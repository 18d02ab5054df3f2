"""The record bases: facts are frozen and closed to unknown fields."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from pytest_lessons.lang.common.telemetry import EventRef, TelemetrySite


def test_records_are_frozen_and_reject_unknown_fields() -> None:
    event = EventRef(kind="literal", value="order_placed")
    with pytest.raises(ValidationError):
        event.value = "other"  # type: ignore[misc]
    with pytest.raises(ValidationError, match="extra"):
        TelemetrySite(line=1, column=1, end_line=1, end_column=2, awaited_twice=True)  # type: ignore[call-arg]


def test_a_site_round_trips_through_json() -> None:
    site = TelemetrySite(line=3, column=5, end_line=3, end_column=20, awaited=True)
    assert TelemetrySite.model_validate_json(site.model_dump_json()) == site
    assert site.catch_effect == "none" and not site.deferred
