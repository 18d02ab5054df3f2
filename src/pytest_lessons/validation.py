"""Turning pydantic's errors into one line a user can act on."""

from __future__ import annotations

from pydantic import ValidationError


def describe_validation_error(error: ValidationError, prefix: str = "") -> str:
    """The first error, as `key.path: what is wrong`.

    Unknown keys come first: a typo shows up as both an unknown key and a missing one, and the
    typo is the one to fix.
    """
    details = sorted(error.errors(), key=lambda d: d["type"] != "extra_forbidden")
    if not details:
        return str(error)
    first = details[0]
    location = ".".join(str(part) for part in first["loc"])
    if prefix:
        location = f"{prefix}.{location}" if location else prefix
    if first["type"] == "extra_forbidden":
        what = "unknown key"
    elif first["type"] == "missing":
        what = "required key is missing"
    else:
        what = f"{first['msg']} (got {first.get('input')!r})"
    more = f" (and {len(details) - 1} more problem(s))" if len(details) > 1 else ""
    return f"`{location}`: {what}{more}"
