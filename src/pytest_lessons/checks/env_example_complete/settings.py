"""pydantic-settings classes across files: which classes are settings classes, and what they read.

Settings classes are resolved across files: a base class is looked up in the same file, then
through the file's `from module import Name` (the file whose path ends in `module`), then by name
among every class read; among several same-named classes the one sharing the longest directory
prefix with the subclass wins, ties going to the first in path order. A class is a settings class
when its bases lead to `BaseSettings`; it inherits its bases' fields and
`env_prefix`/`case_sensitive`/`env_nested_delimiter`, its own values winning. A settings class
that has settings subclasses and is never called anywhere is a base only: it lends its fields to
its subclasses and reads nothing by itself. A settings class for the test suite (`TestSettings`,
`TestingConfig`, or one whose `env_prefix` has a `test` part, as `APP_TEST_`) reads nothing
either: tests set their own environment, which is why test files are excluded by default, and
such a class repeats every field of its base under the test prefix.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from pytest_lessons.checks.env_example_complete.python import (
    PythonFacts,
    SettingsClass,
    SettingsField,
)
from pytest_lessons.checks.env_example_complete.reads import EnvRead, SettingsRule

__all__ = ["SettingsClasses"]


@dataclass(frozen=True)
class _Class:
    path: str
    spec: SettingsClass

    @property
    def key(self) -> tuple[str, int, str]:
        return (self.path, self.spec.line, self.spec.name)


@dataclass(frozen=True)
class _Config:
    prefix: str
    case_sensitive: bool
    delimiter: str | None
    prefix_origin: str = ""
    static: bool = True


V2 = "pydantic-settings v2"
V1 = "pydantic v1 BaseSettings"
UNKNOWN = "pydantic-settings"

_CAMEL_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
_TEST_WORDS = frozenset({"test", "testing", "tests"})


class SettingsClasses:
    """Which classes are pydantic-settings classes, and the variables each one reads."""

    MAX_DEPTH = 20

    def __init__(self, facts: Mapping[str, PythonFacts]) -> None:
        self.facts = facts
        self.by_name: dict[str, list[_Class]] = {}
        for path in sorted(facts):
            for spec in facts[path].classes:
                self.by_name.setdefault(spec.name, []).append(_Class(path, spec))
        self.called = {name for file_facts in facts.values() for name in file_facts.called}
        self._bases: dict[tuple[str, int, str], list[_Class | None]] = {}

    def bases(self, cls: _Class) -> list[_Class | None]:
        """Each written base resolved to a class we read (None: external, or `BaseSettings`)."""
        if cls.key not in self._bases:
            self._bases[cls.key] = [self._resolve(cls, base) for base in cls.spec.bases]
        return self._bases[cls.key]

    def _resolve(self, cls: _Class, base: str) -> _Class | None:
        name = base.rsplit(".", 1)[-1]
        if name == "BaseSettings":
            return None
        candidates = [c for c in self.by_name.get(name, []) if c.key != cls.key]
        imported = self.facts[cls.path].imports.get(base.split(".", 1)[0])
        if "." not in base:
            same_file = [
                c for c in candidates if c.path == cls.path and c.spec.line < cls.spec.line
            ]
            if same_file:
                return same_file[-1]
        if imported is not None:
            module, _, original = imported.rpartition(".")
            if "." in base:  # `import config` then `config.AppSettings`: module is the import
                module, original = imported, name
            candidates = [c for c in self.by_name.get(original, []) if c.key != cls.key]
            matching = [c for c in candidates if _module_matches(c.path, module, cls.path)]
            if matching:
                candidates = matching
        if not candidates:
            return None
        directory = posixpath.dirname(cls.path)
        return max(
            candidates,
            key=lambda c: (
                _shared_depth(posixpath.dirname(c.path), directory),
                [-ord(ch) for ch in c.path],
            ),
        )

    def is_settings(self, cls: _Class, depth: int = 0) -> bool:
        if depth > self.MAX_DEPTH:
            return False
        for written, resolved in zip(cls.spec.bases, self.bases(cls), strict=True):
            if written.rsplit(".", 1)[-1] == "BaseSettings":
                return True
            if resolved is not None and self.is_settings(resolved, depth + 1):
                return True
        return False

    def is_model(self, cls: _Class, depth: int = 0) -> bool:
        if depth > self.MAX_DEPTH:
            return False
        for written, resolved in zip(cls.spec.bases, self.bases(cls), strict=True):
            if written.rsplit(".", 1)[-1] in ("BaseModel", "BaseSettings"):
                return True
            if resolved is not None and self.is_model(resolved, depth + 1):
                return True
        return False

    def mro(self, cls: _Class) -> list[_Class]:
        """The class, then its resolved bases depth-first (left to right), each once."""
        order: list[_Class] = []
        seen: set[tuple[str, int, str]] = set()

        def visit(current: _Class, depth: int) -> None:
            if current.key in seen or depth > self.MAX_DEPTH:
                return
            seen.add(current.key)
            order.append(current)
            for base in self.bases(current):
                if base is not None:
                    visit(base, depth + 1)

        visit(cls, 0)
        return order

    def config(self, cls: _Class) -> _Config:
        prefix: str | None = None
        origin = ""
        static = True
        case_sensitive: bool | None = None
        delimiter: str | None = None
        for current in self.mro(cls):
            spec = current.spec
            if prefix is None and (spec.env_prefix is not None or not spec.prefix_is_static):
                prefix = spec.env_prefix or ""
                static = spec.prefix_is_static
                style = spec.config_style or "the class"
                origin = style if current is cls else f"{style} of {spec.name}"
            case_sensitive = spec.case_sensitive if case_sensitive is None else case_sensitive
            delimiter = spec.nested_delimiter if delimiter is None else delimiter
        return _Config(prefix or "", bool(case_sensitive), delimiter, origin, static)

    def version(self, cls: _Class) -> str:
        """Which pydantic reads the class: where its `BaseSettings` is imported from."""
        for current in self.mro(cls):
            for written in current.spec.bases:
                if written.rsplit(".", 1)[-1] != "BaseSettings":
                    continue
                head = written.split(".", 1)[0]
                origin = written if "." in written else ""
                origin = origin or self.facts[current.path].imports.get(head, "")
                if origin.startswith("pydantic_settings"):
                    return V2
                if origin.startswith("pydantic"):
                    return V1
                return UNKNOWN
        return UNKNOWN

    def prefixes(self) -> set[str]:
        """Every static `env_prefix` the project's settings classes set."""
        return {
            c.spec.env_prefix
            for group in self.by_name.values()
            for c in group
            if c.spec.env_prefix and c.spec.prefix_is_static
        }

    def fields(self, cls: _Class) -> list[tuple[_Class, SettingsField]]:
        found: dict[str, tuple[_Class, SettingsField]] = {}
        for current in self.mro(cls):
            for field in current.spec.fields:
                found.setdefault(field.name, (current, field))
        return sorted(found.values(), key=lambda item: (item[0].path, item[1].line))

    def reads(self) -> Iterator[tuple[str, EnvRead]]:
        classes = [c for group in self.by_name.values() for c in group]
        settings = [c for c in classes if self.is_settings(c)]
        has_subclass = {base.key for c in settings for base in self.bases(c) if base is not None}
        for cls in settings:
            if cls.key in has_subclass and cls.spec.name not in self.called:
                continue  # a base only: its subclasses read its fields under their own config
            config = self.config(cls)
            if _for_tests(cls.spec.name, config.prefix):
                continue
            for owner, field in self.fields(cls):
                if self.is_settings_type(owner, field):
                    continue  # a nested settings class reads its own variables
                yield from self._field_reads(cls, owner, field, config)

    def is_settings_type(self, owner: _Class, field: SettingsField) -> bool:
        return any(
            self.is_settings(target)
            for target in (self._resolve(owner, name) for name in field.type_names)
            if target is not None
        )

    def _field_reads(
        self, cls: _Class, owner: _Class, field: SettingsField, config: _Config
    ) -> Iterator[tuple[str, EnvRead]]:
        """The variables one field reads in `cls`. An inherited field whose variable is the
        same as in the class declaring it is reported at its declaration; one renamed by the
        subclass's own `env_prefix` is reported at the subclass."""
        if not config.static:
            return  # `env_prefix` computed at run time: the variable names are unknown
        version = self.version(cls)
        aliases = _honoured_aliases(field, version)
        own = owner is cls or aliases or self.config(owner) == config
        path, where = (owner.path, field) if own else (cls.path, cls.spec)
        if owner is cls or own:
            via = f"settings field {owner.spec.name}.{field.name}"
        else:
            via = f"field {field.name} that {cls.spec.name} inherits from {owner.spec.name}"
        if config.prefix and not aliases:
            via += f", env_prefix {config.prefix!r}"
        insensitive = not config.case_sensitive
        position = {
            "line": where.line,
            "column": where.column,
            "end_line": where.end_line,
            "end_column": where.end_column,
        }
        rule = SettingsRule(
            settings_class=cls.spec.name,
            field=field.name,
            version=version,
            prefix="" if aliases else config.prefix,
            prefix_origin="" if aliases else config.prefix_origin,
            alias=field.alias_keyword if aliases else None,
            delimiter=config.delimiter,
        )
        if aliases:
            yield (
                path,
                EnvRead(
                    name=aliases[0],
                    alternatives=aliases[1:],
                    via=via,
                    defaulted=field.defaulted,
                    case_insensitive=insensitive,
                    rule=rule,
                    **position,
                ),
            )
            return
        name = config.prefix + field.name
        name = name.upper() if insensitive else name
        model = self._model_type(owner, field)
        nested = model if config.delimiter else None
        if nested is None:
            yield (
                path,
                EnvRead(
                    name=name,
                    via=via,
                    defaulted=field.defaulted,
                    case_insensitive=insensitive,
                    rule=rule.model_copy(update={"nested_json": model is not None}),
                    **position,
                ),
            )
            return
        for sub_owner, sub_field in self.fields(nested):
            sub_name = f"{name}{config.delimiter}{sub_field.name}"
            yield (
                path,
                EnvRead(
                    name=sub_name.upper() if insensitive else sub_name,
                    alternatives=(name,),
                    via=f"{via}, nested model {sub_owner.spec.name}",
                    defaulted=field.defaulted or sub_field.defaulted,
                    case_insensitive=insensitive,
                    rule=rule.model_copy(update={"field": f"{field.name}.{sub_field.name}"}),
                    **position,
                ),
            )

    def _model_type(self, owner: _Class, field: SettingsField) -> _Class | None:
        """The model class (not a settings class) a field holds, if any: read through
        `env_nested_delimiter`, or as one JSON variable without it."""
        for type_name in field.type_names:
            target = self._resolve(owner, type_name)
            if target is not None and self.is_model(target) and not self.is_settings(target):
                return target
        return None


def _for_tests(name: str, prefix: str) -> bool:
    """`TestSettings`, `IntegrationTestingConfig`, `env_prefix="APP_TEST_"`: by its words, a
    class made for the test suite (not `LatestSettings`, not `CONTEST_`)."""
    words = {word.lower() for word in _CAMEL_WORDS.findall(name)}
    parts = {part.lower() for part in re.split(r"[^A-Za-z0-9]+", prefix) if part}
    return bool((words | parts) & _TEST_WORDS)


def _honoured_aliases(field: SettingsField, version: str) -> tuple[str, ...]:
    """The explicit names the field's pydantic really reads: v2 reads `validation_alias` and
    `alias` but not v1's `env=`; v1 reads only `env` (an alias is no environment name there)."""
    if version == V2 and field.alias_keyword == "env":
        return ()
    if version == V1 and field.alias_keyword in ("alias", "validation_alias"):
        return ()
    return field.aliases


def _module_matches(path: str, module: str, importer: str) -> bool:
    """Whether the file at `path` is the module `module` (possibly relative to `importer`)."""
    if module.startswith("."):
        dots = len(module) - len(module.lstrip("."))
        base = posixpath.dirname(importer)
        for _ in range(dots - 1):
            base = posixpath.dirname(base)
        rest = module[dots:].replace(".", "/")
        stem = f"{base}/{rest}" if base and rest else base or rest
        return path in (f"{stem}.py", f"{stem}/__init__.py") if stem else False
    stem = module.replace(".", "/")
    return path in (f"{stem}.py", f"{stem}/__init__.py") or path.endswith(
        (f"/{stem}.py", f"/{stem}/__init__.py")
    )


def _shared_depth(a: str, b: str) -> int:
    depth = 0
    for x, y in zip(a.split("/"), b.split("/"), strict=False):
        if x != y:
            break
        depth += 1
    return depth
