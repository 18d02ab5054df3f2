"""alembic-env-imports-models: the word tests in front of its pattern and its walk give the same
answers as the pattern and the walk alone."""

from __future__ import annotations

import ast

from hypothesis import given
from hypothesis import strategies as st

from pytest_lessons.checks.alembic_env_imports_models import facts

FRAGMENTS = [
    "import_module", "importlib.import_module(name)", "__import__('x')", "walk_packages",
    "iter_modules", "spec_from_file_location", "load_source", "autodiscover_modules",
    "exec_module", "my_import_modules", "reimport_module", "import", "module", "walk",
    "context.configure(target_metadata=Base.metadata)", "context.run_migrations()",
    "configure", "run_migrations", "x", " ", "\n", ".", "(", ")", "_",
]  # fmt: skip


@given(st.lists(st.sampled_from(FRAGMENTS), max_size=10).map("".join))
def test_dynamic_imports_are_what_the_pattern_says(text: str) -> None:
    assert facts._imports_dynamically(text) == (facts._DYNAMIC_IMPORT.search(text) is not None)


ENV = """\
from alembic import context
from app.models import Base
target_metadata = Base.metadata
def run_migrations_online():
    context.configure(connection=None, target_metadata=target_metadata)
    with context.begin_transaction():
        context.run_migrations()
"""


def test_an_env_py_is_still_recognised_and_a_plain_module_is_not() -> None:
    assert facts._is_env(ENV, ast.parse(ENV))
    plain = "from app.db import engine\nengine.configure_pool(1)\n"
    assert not facts._is_env(plain, ast.parse(plain))
    # `ast` reads identifiers NFKC-normalised: a look-alike spelling is still walked
    lookalike = "context.\uff43onfigure(target_metadata=Base.metadata)\n"  # a fullwidth c
    assert facts._is_env(lookalike, ast.parse(lookalike))
