"""The synthetic monorepo the scaling benchmark measures: valid code, sized like the corpora.

A benchmark over files shorter than real ones weighs the work done per file (reading,
planning, facts crossing processes) several times more than a real repository does, so its
lengths are checked here against the corpora's (code files with a median of 56 to 95 lines
and a mean of 116 to 228), as well as that every file parses: a file the parsers reject costs
less to analyse than a real one.
"""

from __future__ import annotations

import ast
import statistics
from pathlib import Path
from types import ModuleType

import pytest
from ast_grep_py import SgRoot

from tests.synthetic_monorepo import generator

CODE = (".py", ".ts", ".tsx")


@pytest.fixture(scope="module")
def synthetic() -> ModuleType:
    return generator()


def _code_lines(root: Path) -> dict[Path, int]:
    return {
        path: path.read_text(encoding="utf-8").count("\n")
        for path in sorted(root.rglob("*"))
        if path.suffix in CODE
    }


def test_corpora_sized_files_are_as_long_as_real_ones(
    synthetic: ModuleType, tmp_path: Path
) -> None:
    written = synthetic.make_monorepo(tmp_path, 1000)
    lines = _code_lines(tmp_path)
    assert written == len([p for p in tmp_path.rglob("*") if p.is_file()])
    assert 900 <= len(lines) <= written
    assert 80 <= statistics.median(lines.values()) <= 120
    assert 90 <= statistics.mean(lines.values()) <= 230
    # lengths vary as in a real tree, from a section of code to six
    assert min(lines.values()) < 40 and max(lines.values()) > 180


def test_tiny_files_keep_one_section(synthetic: ModuleType, tmp_path: Path) -> None:
    synthetic.make_monorepo(tmp_path / "tiny", 1000, "tiny")
    synthetic.make_monorepo(tmp_path / "corpora", 1000)
    tiny = _code_lines(tmp_path / "tiny")
    corpora = _code_lines(tmp_path / "corpora")
    assert statistics.median(tiny.values()) <= 25
    # the same files, each at most as long as its corpora-sized twin
    assert [p.relative_to(tmp_path / "tiny") for p in tiny] == [
        p.relative_to(tmp_path / "corpora") for p in corpora
    ]
    assert all(a <= b for a, b in zip(tiny.values(), corpora.values(), strict=True))


@pytest.mark.parametrize("sizes", ["corpora", "tiny"])
def test_every_file_parses(synthetic: ModuleType, tmp_path: Path, sizes: str) -> None:
    synthetic.make_monorepo(tmp_path, 1000, sizes)
    for path in tmp_path.rglob("*"):
        if path.suffix == ".py":
            ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        elif path.suffix in (".ts", ".tsx"):
            language = "tsx" if path.suffix == ".tsx" else "typescript"
            root = SgRoot(path.read_text(encoding="utf-8"), language).root()
            error = root.find(kind="ERROR")
            assert error is None, f"{path}: {error.text() if error else ''}"
