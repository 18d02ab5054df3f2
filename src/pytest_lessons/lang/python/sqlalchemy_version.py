"""Which SQLAlchemy a directory's dependency files say the project runs: 1.x or a 2.x.

SQLAlchemy 2.0 changed transaction behaviour (no autocommit), so a lesson about it must know, for
a file, which version governs its directory, statically, from what `requirements` reads.

Which SQLAlchemy governs a file, the precedence:

1. The nearest directory at or above the file whose dependency files name SQLAlchemy decides;
   a directory whose files do not (a tooling-only root) is passed by. A file speaks for its own
   directory, except `requirements/*.txt`, which speak for the project above the folder.
2. Within that directory a lock file (`poetry.lock`, `uv.lock`, `pdm.lock`, `Pipfile.lock`)
   wins: it pins the version actually installed, so the lesson applies unless every pinned
   SQLAlchemy is below 2.0 (`develop`-only pins count only when nothing else is pinned).
3. Without a lock, the declared ranges decide (`pyproject.toml`, requirement files with their
   `-r`/`-c` includes, `Pipfile`, `setup.cfg`, `setup.py`): one cap below 2.0 among the always
   installed dependencies of any of them means 1.x; ranges only in extras, groups or dev
   sections must all cap; a range that admits 2.0 counts as 2.0.
4. Nothing anywhere names SQLAlchemy: 2.0 is assumed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Literal

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from pytest_lessons.lang.common.records import Record
from pytest_lessons.lang.python.requirements import (
    Declaration,
    DependencyFile,
    pyproject_declarations,
)

__all__ = [
    "SQLALCHEMY",
    "SqlalchemyRequirement",
    "caps_below_2",
    "declared_verdict",
    "directory_verdicts",
    "governing_requirement",
    "poetry_caps_below_2",
    "sqlalchemy_requirement",
]

SQLALCHEMY = frozenset({"sqlalchemy"})
"""The package names `requirements.read_dependencies` is asked about."""


class SqlalchemyRequirement(Record):
    """Which SQLAlchemy a directory's dependency files say the project runs, and why."""

    verdict: Literal["below-2", "admits-2", "absent"]
    requirement: str = ""
    """The declaration or pin that decided the verdict, for messages and debugging."""
    source: str = ""
    """The file it came from (relative to the lessons root)."""
    pinned: bool = False
    """The verdict comes from a lock file's exact version, not from a declared range."""


def _directory(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else ""


def governing_requirement(
    requirements: Mapping[str, SqlalchemyRequirement], directory: str
) -> SqlalchemyRequirement | None:
    """The verdict of the closest directory at or above `directory` whose dependency files name
    SQLAlchemy: a sub-project's own pin wins over the root's, and a directory whose files do not
    mention it (a tooling-only root, a package that gets it transitively) is passed by."""
    while True:
        found = requirements.get(directory)
        if found is not None:
            return found
        if not directory:
            return None
        directory = _directory(directory)


def directory_verdicts(files: Mapping[str, DependencyFile]) -> dict[str, SqlalchemyRequirement]:
    """Per directory, what its dependency files say about SQLAlchemy (directories whose files
    do not name it are left out). A lock file's pin wins over every declared range beside it."""
    groups: dict[str, list[str]] = {}
    for path in sorted(files):
        groups.setdefault(_speaks_for(path, files[path]), []).append(path)
    verdicts: dict[str, SqlalchemyRequirement] = {}
    for directory, paths in groups.items():
        verdict = _pinned_verdict(paths, files)
        if verdict is None:
            declared = [item for path in paths for item in _declared(path, files)]
            verdict = declared_verdict(declared)
        if verdict.verdict != "absent":
            verdicts[directory] = verdict
    return verdicts


def _speaks_for(path: str, file: DependencyFile) -> str:
    """The directory a file describes: its own, or for `requirements/*.txt` the project above."""
    directory = _directory(path)
    if file.format == "requirements" and directory.rsplit("/", 1)[-1].lower() == "requirements":
        return _directory(directory)
    return directory


def _pinned_verdict(
    paths: Sequence[str], files: Mapping[str, DependencyFile]
) -> SqlalchemyRequirement | None:
    """The exact versions lock files pin: below 2.0 only if every installed one is.
    Development-only pins (Pipfile.lock's `develop`) count only when nothing else is pinned."""
    pins = [(path, pin) for path in paths if files[path].is_lock for pin in files[path].pins]
    main = [(path, pin) for path, pin in pins if not pin.optional] or pins
    if not main:
        return None
    newer = [(path, pin) for path, pin in main if not _below_2(pin.version)]
    path, pin = newer[0] if newer else main[0]
    return SqlalchemyRequirement(
        verdict="admits-2" if newer else "below-2",
        requirement=f"SQLAlchemy {pin.version}",
        source=path,
        pinned=True,
    )


def _below_2(version: str) -> bool:
    try:
        return Version(version) < _TWO
    except InvalidVersion:
        return False


def _declared(path: str, files: Mapping[str, DependencyFile]) -> list[tuple[str, Declaration]]:
    """A file's declarations, with those of the requirement files it includes (`-r`, `-c`),
    followed transitively; each file is visited once, so include loops end."""
    if files[path].is_lock:
        return []
    found: list[tuple[str, Declaration]] = []
    seen = {path}
    pending = [path]
    while pending:
        current = pending.pop()
        file = files[current]
        found.extend((current, declaration) for declaration in file.declarations)
        for include in file.includes:
            target = files.get(include.path)
            if include.path in seen or target is None or target.format != "requirements":
                continue  # visited, or not read (no SQLAlchemy in it, too large, broken)
            seen.add(include.path)
            pending.append(include.path)
    return found


def declared_verdict(declared: Sequence[tuple[str, Declaration]]) -> SqlalchemyRequirement:
    """The verdict of declared ranges, pyproject's rule applied to every manifest of a directory.

    A cap among the dependencies that are always installed decides "below-2" (the resolver can
    only pick 1.x). Declared only in extras, groups, dev sections or under an environment
    marker, every one of them must cap (a marker never proves the deployed interpreter runs
    1.x, so it never caps). Anything else that names SQLAlchemy admits 2.0; nothing is "absent".
    """
    always = [(path, d) for path, d in declared if not d.optional and not d.marker]
    optional = [(path, d) for path, d in declared if d.optional or d.marker]

    def verdict(
        kind: Literal["below-2", "admits-2"], item: tuple[str, Declaration]
    ) -> SqlalchemyRequirement:
        return SqlalchemyRequirement(verdict=kind, requirement=item[1].text, source=item[0])

    for item in always:
        if _caps(item[1]):
            return verdict("below-2", item)
    if always:
        return verdict("admits-2", always[0])
    if optional and all(_caps(d) and not d.marker for _, d in optional):
        return verdict("below-2", optional[0])
    if optional:
        return verdict("admits-2", optional[0])
    return SqlalchemyRequirement(verdict="absent")


def _caps(declaration: Declaration) -> bool:
    if declaration.syntax == "poetry":
        return poetry_caps_below_2(declaration.constraint)
    try:
        specifiers = SpecifierSet(declaration.constraint)
    except InvalidSpecifier:
        return False
    return any(caps_below_2(spec.operator, spec.version) for spec in specifiers)


def sqlalchemy_requirement(document: Mapping[str, object]) -> SqlalchemyRequirement:
    """The SQLAlchemy verdict of a parsed pyproject.toml alone (see `declared_verdict`)."""
    declarations = pyproject_declarations(document, SQLALCHEMY)
    return declared_verdict([("pyproject.toml", declaration) for declaration in declarations])


_TWO = Version("2")
_POETRY_TOKEN = re.compile(r"(\^|~=|~|===|==|!=|<=|>=|<|>|=)?\s*([0-9][0-9A-Za-z.*+!_-]*)")


def _major(version: str) -> int | None:
    head = version.split(".", 1)[0].split("!")[-1]
    return int(head) if head.isdigit() else None


def caps_below_2(operator: str, version: str) -> bool:
    """Whether one PEP 440 clause (or a poetry caret/tilde) excludes every release from 2.0 on.

    A specifier set is an intersection, so one capping clause is enough: `<2`, `<=1.4.54`,
    `==1.4.*`, `~=1.4` (and poetry's `^1.4`, `~1.4`) cap; `>=`, `>`, `!=` never do.
    """
    if operator in {"^", "~", "~=", "==", "===", "="}:
        major = _major(version)
        return major is not None and major < 2
    if operator in {"<", "<="}:
        try:
            bound = Version(version)
        except InvalidVersion:
            return False
        return bound <= _TWO if operator == "<" else bound < _TWO
    return False


def poetry_caps_below_2(constraint: str) -> bool:
    """A poetry constraint (`^1.4`, `~1.4`, `>=1.3,<2.0`, `1.4.*`, `>=1.3 <2 || ^1.4`)."""
    alternatives = [part.strip() for part in constraint.split("||")]
    if not alternatives or any(not part for part in alternatives):
        return False
    for alternative in alternatives:
        clauses = _POETRY_TOKEN.findall(alternative)
        if not any(caps_below_2(operator or "==", version) for operator, version in clauses):
            return False
    return True
