"""Differential tests compare the stdlib `ast` readers with the libcst ones on syntax the
running Python's `ast` accepts, directly or through `modern_syntax` (`type` aliases, generics,
`except A, B:`). Elsewhere (`except*` on 3.10, a nested f-string before 3.12) the product falls
back to libcst by design, so there is nothing to compare."""

from __future__ import annotations

import sys

import pytest

from pytest_lessons.lang.python.ast_source import parse_ast


def require_ast_syntax(text: str) -> None:
    error = parse_ast(text)
    if isinstance(error, SyntaxError):
        pytest.skip(
            f"Python {sys.version_info.major}.{sys.version_info.minor}'s ast rejects this "
            f"snippet ({error.msg}, line {error.lineno}); the libcst reader handles it alone"
        )
