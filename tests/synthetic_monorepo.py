"""The benchmarks' synthetic monorepo, for the tests that need many files (`benchmarks/` is
not a package: its module is loaded from its path)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

BENCHMARKS = Path(__file__).parents[1] / "benchmarks"


def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("synthetic", BENCHMARKS / "synthetic.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def make_monorepo(root: Path, files: int, sizes: str = "corpora") -> int:
    """`synthetic.make_monorepo`: about `files` files under `root`, of the given sizes."""
    written: int = generator().make_monorepo(root, files, sizes)
    return written
