"""Which SQLAlchemy a constraint admits: the version rules `alembic-create-all-commit` relies on."""

from __future__ import annotations

import pytest

from pytest_lessons.lang.python.sqlalchemy_version import (
    caps_below_2,
    poetry_caps_below_2,
    sqlalchemy_requirement,
)


@pytest.mark.parametrize(
    ("constraint", "caps"),
    [
        ("^1.4", True),
        ("~1.4.2", True),
        ("~1", True),
        ("1.4.*", True),
        ("1.4.49", True),
        (">=1.3 <2", True),
        (">=1.3,<2.0", True),
        ("^1.3 || ^1.4", True),
        ("^1.4 || ^2.0", False),
        ("^2.0", False),
        (">=1.4", False),
        ("*", False),
        ("", False),
    ],
)
def test_poetry_constraints(constraint: str, caps: bool) -> None:
    assert poetry_caps_below_2(constraint) is caps


def test_caps_below_2_edges() -> None:
    assert caps_below_2("<", "2")
    assert caps_below_2("<", "2.0.0b1")
    assert not caps_below_2("<", "2.0.1")
    assert caps_below_2("<=", "1.99")
    assert not caps_below_2("<=", "2.0")
    assert not caps_below_2("<", "not-a-version")
    assert sqlalchemy_requirement({}).verdict == "absent"
