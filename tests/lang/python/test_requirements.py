"""The dependency-file layer: each format read statically, only for the packages asked about."""

from __future__ import annotations

import textwrap

import pytest

from pytest_lessons.findings import ProblemKind
from pytest_lessons.lang.python.requirements import (
    DependencyFile,
    Include,
    read_dependencies,
    requirement_lines,
)
from pytest_lessons.source import AnalysisError, SourceFile

NAMES = frozenset({"sqlalchemy"})


def read(rel: str, text: str) -> DependencyFile:
    found = read_dependencies(SourceFile.from_text(rel, textwrap.dedent(text)), NAMES)
    assert found is not None
    return found


def specs(found: DependencyFile) -> list[tuple[str, bool, str, int | None]]:
    return [(d.constraint, d.optional, d.marker, d.line) for d in found.declarations]


def test_requirements_lines_extras_case_markers_hashes_and_continuations() -> None:
    found = read(
        "requirements.txt",
        """\
        # pinned for production
        alembic==1.13.2  # trailing comment
        sqlalchemy[asyncio]==1.4.52 \\
            --hash=sha256:00ff
        Flask-SQLAlchemy==3.1.1
        SQLAlchemy~=1.4 ; python_version >= "3.8"
        sqlalchemy-utils<1
        """,
    )
    assert specs(found) == [
        ("==1.4.52", False, "", 3),
        ("~=1.4", False, 'python_version >= "3.8"', 6),
    ]
    assert found.declarations[0].name == "sqlalchemy"
    assert found.includes == []


def test_underscore_and_dot_spellings_are_the_same_package() -> None:
    declarations, _ = requirement_lines(
        "Foo_Bar.Baz>=2\n", "requirements.txt", frozenset({"foo-bar-baz"})
    )
    assert [d.constraint for d in declarations] == [">=2"]


def test_includes_are_resolved_from_the_including_file() -> None:
    found = read(
        "backend/requirements/dev.txt",
        """\
        -r base.txt
        --requirement=../../common/requirements.txt
        -c ../constraints.txt
        --constraint https://example.org/c.txt
        -r ${REQS}
        -r ../../../outside.txt
        -e .
        --index-url https://pypi.example.org/simple
        """,
    )
    assert found.includes == [
        Include(path="backend/requirements/base.txt", line=1),
        Include(path="common/requirements.txt", line=2),
        Include(path="backend/constraints.txt", line=3, constraint=True),
    ]
    assert found.declarations == []


@pytest.mark.parametrize(
    "line",
    [
        "./vendor/sqlalchemy",
        "git+https://github.com/sqlalchemy/sqlalchemy.git@rel_1_4#egg=sqlalchemy",
        "sqlalchemy @ https://example.org/SQLAlchemy-1.4.52.tar.gz",
        "SQLAlchemy-1.4.52-py3-none-any.whl",
    ],
)
def test_urls_and_paths_name_no_version(line: str) -> None:
    assert read("requirements.in", line + "\n").declarations == []


def test_a_mistyped_sqlalchemy_line_is_a_parse_error_other_junk_is_skipped() -> None:
    assert read("requirements.in", "import sqlalchemy\nnot a requirement!\n").declarations == []
    with pytest.raises(AnalysisError) as error:
        read("requirements.txt", "alembic\nsqlalchemy=1.4\n")
    assert error.value.kind is ProblemKind.PARSE
    assert error.value.line == 2


LOCK_BLOCK = """\
[[package]]
name = "alembic"
version = "1.13.2"
dependencies = [
    {{ name = "sqlalchemy" }},
]

[[package]]
name = "{name}"
version = "{version}"
source = {{ registry = "https://pypi.org/simple" }}

[package.optional-dependencies]
asyncio = [
    {{ name = "greenlet" }},
]
"""


@pytest.mark.parametrize("rel", ["uv.lock", "poetry.lock", "pdm.lock"])
def test_toml_locks_pin_the_package_table_only(rel: str) -> None:
    found = read(rel, LOCK_BLOCK.format(name="SQLAlchemy", version="1.4.52"))
    assert [(p.name, p.version, p.line) for p in found.pins] == [("sqlalchemy", "1.4.52", 9)]
    assert found.is_lock


def test_a_huge_lock_is_read_without_parsing_the_rest() -> None:
    filler = "".join(f'[[package]]\nname = "pkg{i}"\nversion = "1.0"\n\n' for i in range(20000))
    broken_elsewhere = "[[package]]\nname = = broken\n\n"
    text = filler + broken_elsewhere + LOCK_BLOCK.format(name="sqlalchemy", version="2.0.30")
    found = read("uv.lock", text)
    assert [p.version for p in found.pins] == ["2.0.30"]


def test_a_broken_sqlalchemy_table_or_file_is_a_parse_error_at_its_line() -> None:
    with pytest.raises(AnalysisError) as error:
        read("poetry.lock", '[[package]]\nname = "sqlalchemy"\nversion = 2.0.30.1\n')
    assert error.value.line == 3
    with pytest.raises(AnalysisError):
        read("poetry.lock", '[[package]]\nname = "sqlalchemy"\ndescription = "no version"\n')
    with pytest.raises(AnalysisError):
        read("uv.lock", "version = 1\nrequires-python = [sqlalchemy\n")
    assert read("uv.lock", "version = 1  # sqlalchemy\n").pins == []


def test_pipfile_lock_default_and_develop() -> None:
    found = read(
        "Pipfile.lock",
        """\
        {
            "default": {"sqlalchemy": {"version": "==1.4.52"}, "alembic": {"version": "==1.13"}},
            "develop": {"SQLAlchemy": {"version": "==2.0.30"}, "other": {}}
        }
        """,
    )
    assert [(p.version, p.optional, p.line) for p in found.pins] == [
        ("1.4.52", False, 2),
        ("2.0.30", True, 3),
    ]
    with pytest.raises(AnalysisError) as error:
        read("Pipfile.lock", '{\n  "default": {"sqlalchemy": }\n}\n')
    assert error.value.line == 2


def test_pipfile_packages_and_dev_packages() -> None:
    found = read(
        "Pipfile",
        """\
        [packages]
        SQLAlchemy = {version = "<2", extras = ["asyncio"]}

        [dev-packages]
        sqlalchemy = "*"
        """,
    )
    assert specs(found) == [("<2", False, "", None), ("", True, "", None)]
    checkout = read("Pipfile", '[packages]\nsqlalchemy = {git = "https://x/y.git"}\n')
    assert checkout.declarations == []


def test_setup_cfg_install_requires_and_extras() -> None:
    found = read(
        "setup.cfg",
        """\
        [metadata]
        name = legacy

        [options]
        install_requires =
            alembic
            SQLAlchemy>=1.3,<2.0  # comment

        [options.extras_require]
        async = sqlalchemy[asyncio]>=2
        """,
    )
    assert specs(found) == [("<2.0,>=1.3", False, "", 7), (">=2", True, "", 10)]
    with pytest.raises(AnalysisError) as error:
        read("setup.cfg", "install_requires = sqlalchemy<2\n")
    assert error.value.kind is ProblemKind.PARSE


def test_setup_py_literal_lists_are_read_never_run() -> None:
    found = read(
        "setup.py",
        """\
        import setuptools

        REQUIRES = ["alembic", "SQLAlchemy<2"]
        raise SystemExit("executing this file would stop the test")
        setuptools.setup(
            name="legacy",
            install_requires=REQUIRES,
            extras_require={"async": ["sqlalchemy[asyncio]>=1.4," "<2"]},
        )
        """,
    )
    assert specs(found) == [("<2", False, "", 3), ("<2,>=1.4", True, "", 8)]
    assert (
        read(
            "setup.py", "from setuptools import setup\nsetup(install_requires=load())\n"
        ).declarations
        == []
    )


def test_other_files_are_not_dependency_files() -> None:
    for rel in ("alembic/env.py", "ruff.toml", "alembic.ini"):
        assert read_dependencies(SourceFile.from_text(rel, "sqlalchemy\n"), NAMES) is None


def test_pyproject_without_the_name_is_not_parsed() -> None:
    assert read("pyproject.toml", "[tool.ruff\n").declarations == []
    with pytest.raises(AnalysisError):
        read("pyproject.toml", "[project\ndependencies = ['sqlalchemy']\n")
