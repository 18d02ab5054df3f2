"""What a project's dependency files say about a few named packages: declared ranges and pins.

A lesson that only matters for some versions of a library (SQLAlchemy 2.0 dropped autocommit)
has to learn which version the project runs without installing or importing anything. The
evidence is spread over many formats, and this layer reads each of them statically into one
shape, `DependencyFile`:

- declarations (a range the resolver may pick from): `pyproject.toml` (PEP 621 dependencies,
  optional-dependencies, PEP 735 dependency-groups, Poetry tables), pip requirement files
  (`requirements*.txt`, `requirements/*.txt`, pip-tools `*.in`, with their `-r`/`-c` includes
  listed so the caller can follow them), `Pipfile`, `setup.cfg` (`install_requires`) and
  `setup.py` (an `install_requires=[...]` literal, read with libcst, never executed);
- pins (the exact version a lock file says is installed): `poetry.lock`, `uv.lock`, `pdm.lock`
  (`[[package]]` tables) and `Pipfile.lock` (JSON `"version": "==1.4.52"`).

Only the packages asked for are kept, which is what lets a multi-megabyte `uv.lock` be read
without parsing it whole: the `[[package]]` tables naming them are cut out and only those are
parsed as TOML. A file that cannot be read raises `AnalysisError`, as any parse failure does, so
the caller's evidence falls back to the other files.

pip requirement lines, the rule: comments (`#` at the start or after whitespace) are dropped and
`\\`-continued lines joined first, as pip does; per-requirement options (`--hash=...`) end the
requirement; a line starting with `-` is an option, and only `-r`/`--requirement` and
`-c`/`--constraint` (include another file) are kept; a line that is a URL or a path (contains
`://`, starts with `.`, `/` or `~`, or ends in an archive suffix) names no version and is skipped;
a line that does not parse is skipped too, unless it starts with one of the asked-for names, which
is an error (`sqlalchemy=1.4` is a typo pip refuses, and guessing would hide it).
"""

from __future__ import annotations

import configparser
import json
import posixpath
import re
import sys
from collections.abc import Iterator, Mapping
from typing import Literal

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name
from pydantic import Field

from pytest_lessons.findings import ProblemKind
from pytest_lessons.lang.common.records import Record
from pytest_lessons.source import AnalysisError, FileKind, SourceFile

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - 3.10 only
    import tomli as tomllib

__all__ = [
    "LOCK_FORMATS",
    "Declaration",
    "DependencyFile",
    "DependencyFormat",
    "Include",
    "Pin",
    "dependency_format",
    "load_toml",
    "pyproject_declarations",
    "read_dependencies",
    "requirement_lines",
]

DependencyFormat = Literal[
    "pyproject",
    "requirements",
    "pipfile",
    "setup-cfg",
    "setup-py",
    "poetry-lock",
    "uv-lock",
    "pdm-lock",
    "pipfile-lock",
]

LOCK_FORMATS: frozenset[str] = frozenset({"poetry-lock", "uv-lock", "pdm-lock", "pipfile-lock"})

_BY_NAME: dict[str, DependencyFormat] = {
    "pyproject.toml": "pyproject",
    "Pipfile": "pipfile",
    "setup.cfg": "setup-cfg",
    "setup.py": "setup-py",
    "poetry.lock": "poetry-lock",
    "uv.lock": "uv-lock",
    "pdm.lock": "pdm-lock",
    "Pipfile.lock": "pipfile-lock",
}


class Declaration(Record):
    """One declared requirement on an asked-for package."""

    name: str
    """Canonical (`packaging.utils.canonicalize_name`): `SQLAlchemy` and `sqlalchemy` match."""
    constraint: str = ""
    """The version range as written; "" admits any version."""
    syntax: Literal["pep440", "poetry"] = "pep440"
    """Poetry's own constraint language (`^1.4`, `~1.4`, `>=1.3 <2 || ^1.4`) or PEP 440."""
    optional: bool = False
    """Installed only with an extra, a group, or in development (not with the project itself)."""
    marker: str = ""
    """An environment marker: installed only on some interpreters or platforms."""
    line: int | None = None
    text: str = ""
    """The declaration as written, for messages."""


class Pin(Record):
    """The exact version of an asked-for package a lock file says is installed."""

    name: str
    version: str
    line: int | None = None
    optional: bool = False
    """A development-only pin (`Pipfile.lock`'s `develop` section)."""


class Include(Record):
    """A `-r other.txt` or `-c constraints.txt` line of a requirements file."""

    path: str
    """Relative to the lessons root, resolved from the including file's directory."""
    line: int
    constraint: bool = False


class DependencyFile(Record):
    """What one dependency file says about the asked-for packages."""

    format: DependencyFormat
    declarations: list[Declaration] = Field(default_factory=list)
    pins: list[Pin] = Field(default_factory=list)
    includes: list[Include] = Field(default_factory=list)

    @property
    def is_lock(self) -> bool:
        return self.format in LOCK_FORMATS


def dependency_format(file: SourceFile) -> DependencyFormat | None:
    """Which dependency format `file` is, from its name and kind alone (no read)."""
    if file.kind is FileKind.REQUIREMENTS:
        return "requirements"
    found = _BY_NAME.get(file.rel.rsplit("/", 1)[-1])
    if found == "setup-py" and file.kind is not FileKind.PYTHON:
        return None
    return found


def read_dependencies(file: SourceFile, names: frozenset[str]) -> DependencyFile | None:
    """The declarations, pins and includes of `file` for the canonical `names`, or None when
    `file` is no dependency file. Raises `AnalysisError` when the file cannot be read."""
    found = dependency_format(file)
    if found is None:
        return None
    wanted = frozenset(canonicalize_name(name) for name in names)
    if found == "requirements":
        declarations, includes = requirement_lines(file.text, file.rel, wanted)
        return DependencyFile(format=found, declarations=declarations, includes=includes)
    if found in {"poetry-lock", "uv-lock", "pdm-lock"}:
        return DependencyFile(format=found, pins=_toml_lock_pins(file.text, wanted))
    if found == "pipfile-lock":
        return DependencyFile(format=found, pins=_pipfile_lock_pins(file.text, wanted))
    if found == "pyproject":
        if not _mentions(file.text, wanted):
            return DependencyFile(format=found)
        declarations = pyproject_declarations(load_toml(file.text), wanted)
        return DependencyFile(format=found, declarations=declarations)
    if found == "pipfile":
        declarations = _pipfile_declarations(load_toml(file.text), wanted)
        return DependencyFile(format=found, declarations=declarations)
    if found == "setup-cfg":
        return DependencyFile(format=found, declarations=_setup_cfg(file.text, file.rel, wanted))
    # read with libcst, imported only for a setup.py: building the checks that read
    # dependency files (for the survey, on every cold run) no longer imports it
    from pytest_lessons.lang.python.setup_py import setup_py_declarations

    return DependencyFile(format=found, declarations=setup_py_declarations(file, wanted))


def _mentions(text: str, names: frozenset[str]) -> bool:
    lowered = text.lower()
    return any(name in lowered or name.replace("-", "_") in lowered for name in names)


# -- TOML -----------------------------------------------------------------------------------------

_TOML_LINE = re.compile(r"line (\d+)")


def load_toml(text: str, first_line: int = 1) -> dict[str, object]:
    """Parse TOML, turning a syntax error into an `AnalysisError` at its line."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = _TOML_LINE.search(str(error))
        raise AnalysisError(
            ProblemKind.PARSE,
            f"invalid TOML: {error}",
            line=int(match.group(1)) + first_line - 1 if match else None,
        ) from None


def _table(value: object) -> dict[str, object]:
    return value if isinstance(value, dict) else {}


def _strings(value: object) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def pyproject_declarations(
    document: Mapping[str, object], names: frozenset[str]
) -> list[Declaration]:
    """Declarations of a parsed pyproject.toml: PEP 621, PEP 735 groups and Poetry tables."""
    found: list[Declaration] = []
    project = _table(document.get("project"))
    for text in _strings(project.get("dependencies")):
        found.extend(_pep508(text, names, optional=False))
    for group in _table(project.get("optional-dependencies")).values():
        for text in _strings(group):
            found.extend(_pep508(text, names, optional=True))
    for group in _table(document.get("dependency-groups")).values():
        for text in _strings(group):
            found.extend(_pep508(text, names, optional=True))
    poetry = _table(_table(document.get("tool")).get("poetry"))
    found.extend(_poetry(_table(poetry.get("dependencies")), names, optional=False))
    found.extend(_poetry(_table(poetry.get("dev-dependencies")), names, optional=True))
    for group in _table(poetry.get("group")).values():
        found.extend(_poetry(_table(_table(group).get("dependencies")), names, optional=True))
    return found


def _pep508(
    text: str, names: frozenset[str], *, optional: bool, line: int | None = None
) -> list[Declaration]:
    try:
        requirement = Requirement(text)
    except InvalidRequirement:
        return []
    name = canonicalize_name(requirement.name)
    if name not in names or requirement.url:
        return []
    return [
        Declaration(
            name=name,
            constraint=str(requirement.specifier),
            optional=optional,
            marker=str(requirement.marker) if requirement.marker is not None else "",
            line=line,
            text=" ".join(text.split()),
        )
    ]


def _poetry(
    table: Mapping[str, object], names: frozenset[str], *, optional: bool
) -> list[Declaration]:
    found: list[Declaration] = []
    for key, value in table.items():
        name = canonicalize_name(key)
        if name not in names:
            continue
        entries = value if isinstance(value, list) else [value]
        constraints: list[str] = []
        for entry in entries:
            if isinstance(entry, str):
                constraints.append(entry)
            elif isinstance(entry, dict):
                version = entry.get("version")
                constraints.append(version if isinstance(version, str) else "*")
        if not constraints:
            continue
        # several entries are alternatives for different environments: poetry's `||`
        constraint = " || ".join(constraints)
        found.append(
            Declaration(
                name=name,
                constraint="" if constraint.strip() == "*" else constraint,
                syntax="poetry",
                optional=optional,
                text=f"{key} = {' | '.join(constraints)}",
            )
        )
    return found


def _pipfile_declarations(
    document: Mapping[str, object], names: frozenset[str]
) -> list[Declaration]:
    """`[packages]` are installed with the project, `[dev-packages]` only in development."""
    found: list[Declaration] = []
    for section, optional in (("packages", False), ("dev-packages", True)):
        for key, value in _table(document.get(section)).items():
            name = canonicalize_name(key)
            if name not in names:
                continue
            entry = value if isinstance(value, dict) else {"version": value}
            if any(source in entry for source in ("git", "path", "file", "editable")):
                continue  # a checkout or a local tree: no version range to read
            version = entry.get("version", "*")
            constraint = version if isinstance(version, str) else "*"
            constraint = "" if constraint.strip() == "*" else constraint
            if not _valid_specifier(constraint):
                continue
            conditional = "markers" in entry or any(
                key in entry for key in ("sys_platform", "platform_system", "python_version")
            )
            found.append(
                Declaration(
                    name=name,
                    constraint=constraint,
                    optional=optional,
                    marker=str(entry.get("markers", "conditional")) if conditional else "",
                    text=f"{key} = {version!r}" if isinstance(version, str) else key,
                )
            )
    return found


def _valid_specifier(constraint: str) -> bool:
    try:
        SpecifierSet(constraint)
    except InvalidSpecifier:
        return False
    return True


# -- lock files -----------------------------------------------------------------------------------

_HEADER = re.compile(r"^\[", re.MULTILINE)
_PACKAGE_HEADER = "[[package]]"


def _name_line(names: frozenset[str]) -> re.Pattern[str]:
    """`name = "SQLAlchemy"` at the start of a line, in any case and `-`/`_`/`.` spelling."""
    spellings = "|".join(
        "[-_.]+".join(re.escape(part) for part in name.split("-")) for name in sorted(names)
    )
    return re.compile(
        rf'^name[ \t]*=[ \t]*"((?:{spellings}))"[ \t]*(?:#.*)?$', re.MULTILINE | re.IGNORECASE
    )


def _toml_lock_pins(text: str, names: frozenset[str]) -> list[Pin]:
    """Pins of the `[[package]]` tables naming `names`, each cut out and parsed alone.

    poetry, uv and pdm all write `[[package]]` then `name = ...` and `version = ...` as the
    table's first keys, so only those few tables are parsed, never the whole (possibly huge)
    file. A file without any `[[package]]` table is small: it is parsed whole, to tell an empty
    lock from a broken one.
    """
    if _PACKAGE_HEADER not in text:
        load_toml(text)
        return []
    pins: list[Pin] = []
    for match in _name_line(names).finditer(text):
        start = text.rfind(_PACKAGE_HEADER, 0, match.start())
        if start == -1 or _HEADER.search(text, start + len(_PACKAGE_HEADER), match.start()):
            continue  # a `name` key of some other table
        following = _HEADER.search(text, match.end())
        end = following.start() if following else len(text)
        first_line = text.count("\n", 0, start) + 1
        table = load_toml(text[start:end], first_line)
        packages = table.get("package")
        package = _table(packages[0]) if isinstance(packages, list) and packages else {}
        version = package.get("version")
        if not isinstance(version, str) or not version:
            raise AnalysisError(
                ProblemKind.PARSE,
                f"the [[package]] table of {match.group(1)!r} has no version",
                line=first_line,
            )
        pins.append(
            Pin(
                name=canonicalize_name(match.group(1)),
                version=version,
                line=first_line + text.count("\n", start, match.start()),
            )
        )
    return pins


def _pipfile_lock_pins(text: str, names: frozenset[str]) -> list[Pin]:
    """Pins of Pipfile.lock: `default` is installed with the project, `develop` in development."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise AnalysisError(
            ProblemKind.PARSE, f"invalid JSON: {error.msg}", line=error.lineno, column=error.colno
        ) from None
    pins: list[Pin] = []
    for section, optional in (("default", False), ("develop", True)):
        for key, entry in _table(_table(document).get(section)).items():
            name = canonicalize_name(key)
            version = _table(entry).get("version")
            if name not in names or not isinstance(version, str):
                continue
            exact = version.strip().removeprefix("===").removeprefix("==").strip()
            if not exact or exact == version.strip():
                continue  # not an exact pin
            at = text.find(f'"{key}"')
            line = text.count("\n", 0, at) + 1 if at != -1 else None
            pins.append(Pin(name=name, version=exact, line=line, optional=optional))
    return pins


# -- pip requirement files ------------------------------------------------------------------------

_COMMENT = re.compile(r"(^|\s+)#.*$")
_ARCHIVES = (".whl", ".tar.gz", ".tgz", ".zip", ".tar.bz2")
_LEADING_NAME = re.compile(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_INCLUDE_FLAGS = (
    ("--requirement", False),
    ("--constraint", True),
    ("-r", False),
    ("-c", True),
)


def requirement_lines(
    text: str, rel: str, names: frozenset[str]
) -> tuple[list[Declaration], list[Include]]:
    """Declarations of `names` and the includes of a pip requirements file at `rel`."""
    declarations: list[Declaration] = []
    includes: list[Include] = []
    for number, raw in _logical_lines(text):
        line = _COMMENT.sub("", raw).strip()
        if not line:
            continue
        if line.startswith("-"):
            include = _include(line, rel, number)
            if include is not None:
                includes.append(include)
            continue
        declaration = _requirement_line(line, number, names)
        if declaration is not None:
            declarations.append(declaration)
    return declarations, includes


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """Physical lines joined at a trailing backslash, numbered by their first line."""
    pending: list[str] = []
    start = 1
    for number, line in enumerate(text.splitlines(), start=1):
        if not pending:
            start = number
        if line.endswith("\\") and not _COMMENT.search(line):
            pending.append(line[:-1])
            continue
        pending.append(line)
        yield start, " ".join(pending)
        pending = []
    if pending:
        yield start, " ".join(pending)


def _requirement_line(line: str, number: int, names: frozenset[str]) -> Declaration | None:
    words: list[str] = []
    for word in line.split():
        if word.startswith("-"):
            break  # per-requirement options: --hash=..., --config-settings
        words.append(word)
    spec = " ".join(words)
    if not spec or _is_location(spec):
        return None
    try:
        requirement = Requirement(spec)
    except InvalidRequirement as error:
        leading = _LEADING_NAME.match(spec)
        if leading is not None and canonicalize_name(leading.group(1)) in names:
            raise AnalysisError(
                ProblemKind.PARSE, f"invalid requirement {spec!r}: {error}", line=number
            ) from None
        return None
    name = canonicalize_name(requirement.name)
    if name not in names or requirement.url:
        return None
    return Declaration(
        name=name,
        constraint=str(requirement.specifier),
        marker=str(requirement.marker) if requirement.marker is not None else "",
        line=number,
        text=spec,
    )


def _is_location(spec: str) -> bool:
    """A URL or a local path names no version (`./pkg`, `git+https://...`, `x.whl`)."""
    return "://" in spec or spec.startswith((".", "/", "~")) or spec.lower().endswith(_ARCHIVES)


def _include(line: str, rel: str, number: int) -> Include | None:
    for flag, constraint in _INCLUDE_FLAGS:
        if not line.startswith(flag):
            continue
        rest = line[len(flag) :]
        if flag.startswith("--") and rest[:1] not in {"", " ", "\t", "="}:
            return None  # another long option that merely starts the same way
        words = rest.lstrip(" \t=").split()
        target = words[0] if words else ""
        if not target or "://" in target or "$" in target or target.startswith("/"):
            return None  # a URL, an environment variable, an absolute path: not in the tree
        directory = rel.rsplit("/", 1)[0] if "/" in rel else ""
        path = posixpath.normpath(posixpath.join(directory, target))
        if path == ".." or path.startswith("../"):
            return None
        return Include(path=path, line=number, constraint=constraint)
    return None


# -- setup.cfg and setup.py -----------------------------------------------------------------------


def _setup_cfg(text: str, rel: str, names: frozenset[str]) -> list[Declaration]:
    """`[options] install_requires` (installed) and `[options.extras_require]` (optional)."""
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(text, source=rel)
    except configparser.Error as error:
        line = getattr(error, "lineno", None)
        if line is None and isinstance(error, configparser.ParsingError) and error.errors:
            line = error.errors[0][0]
        raise AnalysisError(
            ProblemKind.PARSE, f"invalid setup.cfg: {error.message}", line=line
        ) from None
    found: list[Declaration] = []
    if parser.has_option("options", "install_requires"):
        found.extend(_cfg_list(parser.get("options", "install_requires"), text, names, False))
    if parser.has_section("options.extras_require"):
        for _, value in parser.items("options.extras_require"):
            found.extend(_cfg_list(value, text, names, True))
    return found


def _cfg_list(value: str, text: str, names: frozenset[str], optional: bool) -> list[Declaration]:
    found: list[Declaration] = []
    for entry in value.splitlines():
        entry = _COMMENT.sub("", entry).strip()
        if not entry or entry.startswith("file:"):
            continue
        at = text.find(entry)
        line = text.count("\n", 0, at) + 1 if at != -1 else None
        found.extend(_pep508(entry, names, optional=optional, line=line))
    return found
