"""The dependency half of `alembic-create-all-commit`: what dependency files say about SQLAlchemy.

Of the TOML and INI files only `pyproject.toml`, `Pipfile` and `setup.cfg` say which SQLAlchemy
the project runs, beside requirement files, lock files and `setup.py` (read statically by
`pytest_lessons.lang.python.requirements`). A requirements file that only includes others is
read too, since the file it includes may be the one that pins SQLAlchemy.
"""

from __future__ import annotations

from pytest_lessons.checks.alembic_create_all_commit.options import AlembicCreateAllCommitOptions
from pytest_lessons.checks.alembic_create_all_commit.python import PREFILTER, SQLALCHEMY_SPELLINGS
from pytest_lessons.checks.base import Half
from pytest_lessons.lang.common.records import Record
from pytest_lessons.lang.python.requirements import DependencyFile, read_dependencies
from pytest_lessons.lang.python.sqlalchemy_version import SQLALCHEMY
from pytest_lessons.source import FileKind, SourceFile

__all__ = ["DependenciesFacts", "DependenciesHalf"]

_INCLUDE_SPELLINGS = (b"-r", b"-c", b"--requirement", b"--constraint")
_DEPENDENCY_NAMES = frozenset({"pyproject.toml", "Pipfile", "setup.cfg"})


class DependenciesFacts(Record):
    dependencies: DependencyFile | None = None


class DependenciesHalf(Half[AlembicCreateAllCommitOptions, DependenciesFacts]):
    name = "dependencies"
    facts_model = DependenciesFacts
    file_kinds = frozenset(
        {FileKind.PYTHON, FileKind.TOML, FileKind.INI, FileKind.REQUIREMENTS, FileKind.LOCK}
    )
    prefilter = PREFILTER

    def reads(self, file: SourceFile) -> bool:
        named = file.rel.rsplit("/", 1)[-1]
        if file.kind in {FileKind.TOML, FileKind.INI}:
            return named in _DEPENDENCY_NAMES
        return file.kind is not FileKind.PYTHON or named == "setup.py"

    def applies_to(self, file: SourceFile, *, use_prefilter: bool = True) -> bool:
        if file.kind is FileKind.REQUIREMENTS and use_prefilter:
            return file.contains_any(SQLALCHEMY_SPELLINGS + _INCLUDE_SPELLINGS)
        return super().applies_to(file, use_prefilter=use_prefilter)

    def extract(self, file: SourceFile) -> DependenciesFacts:
        return DependenciesFacts(dependencies=read_dependencies(file, SQLALCHEMY))
