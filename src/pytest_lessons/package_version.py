"""The installed version of pytest-lessons, for reports and `pytest-lessons --version`."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version


def package_version() -> str:
    try:
        return version("pytest-lessons")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0"
