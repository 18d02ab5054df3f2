"""Differential tests compare the stdlib `ast` readers with the libcst ones on syntax the
running Python's `ast` accepts. Elsewhere (`except*` on 3.10) the product falls back to libcst
by design, so there is nothing to compare."""

from __future__ import annotations

import ast
import sys

import pytest


def require_ast_syntax(text: str) -> None:
    try:
        ast.parse(text)
    except SyntaxError as error:
        pytest.skip(
            f"Python {sys.version_info.major}.{sys.version_info.minor}'s ast rejects this "
            f"snippet ({error.msg}, line {error.lineno}); the libcst reader handles it alone"
        )
