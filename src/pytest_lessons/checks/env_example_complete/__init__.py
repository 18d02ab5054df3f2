"""`env-example-complete`: every variable the code reads is listed in the env example file.

A fresh deploy is configured from the example file (`.env.example`, `.env.local.example`, ...):
a variable the code reads but the example does not list is a variable nobody sets, and the code
then runs without it. Extraction (in `reads`) records literal reads per file, the settings
classes of Python files, and the names each example file documents; judging joins them:

- A read is in the scope of the example files at or above its directory; it is documented when
  any of them lists it, and the finding names the nearest one. The finding sits on the first
  reading site of the variable within that scope, in path order.
- Settings classes are resolved across files: a base class is looked up in the same file, then
  through the file's `from module import Name` (the file whose path ends in `module`), then by
  name among every class read; among several same-named classes the one sharing the longest
  directory prefix with the subclass wins, ties going to the first in path order. A class is a
  settings class when its bases lead to `BaseSettings`; it inherits its bases' fields and
  `env_prefix`/`case_sensitive`/`env_nested_delimiter`, its own values winning. A settings class
  that has settings subclasses and is never called anywhere is a base only: it lends its fields
  to its subclasses and reads nothing by itself.
- Reads with no example file in scope are gathered into one repository-level finding.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import cached_property

from pathspec import GitIgnoreSpec
from pydantic import BaseModel, ConfigDict, Field, field_validator

from pytest_lessons.checks.base import Check
from pytest_lessons.checks.env_example_complete.reads import (
    EnvRead,
    SettingsClass,
    SettingsField,
    documented_names,
    python_env_facts,
    script_env_reads,
)
from pytest_lessons.findings import Finding
from pytest_lessons.options import LessonOptions
from pytest_lessons.source import FileKind, SourceFile

__all__ = [
    "EnvExampleComplete",
    "EnvExampleCompleteFacts",
    "EnvExampleCompleteOptions",
]


class EnvExampleCompleteOptions(LessonOptions):
    example_files: tuple[str, ...]
    """File-name globs of env example files (`.env.example`, `.env.*.example`, ...)."""
    platform_variables: tuple[str, ...]
    """Variable-name globs the platform or runtime sets (`NODE_ENV`, `VERCEL_*`): never flagged."""
    exclude_globs: tuple[str, ...]
    """Gitignore-style patterns of files whose reads do not count (tests set their own env)."""
    allow_defaulted: bool
    """Do not flag reads that carry a fallback (`?? "d"`, `os.getenv("X", "d")`, field defaults)."""

    @field_validator("exclude_globs")
    @classmethod
    def _valid_patterns(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for pattern in value:
            try:
                GitIgnoreSpec.from_lines([pattern])
            except ValueError as error:
                raise ValueError(
                    f"{pattern!r} is not a valid gitignore pattern ({error})"
                ) from None
        return value


class EnvExampleCompleteFacts(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    reads: list[EnvRead] = Field(default_factory=list)
    classes: list[SettingsClass] = Field(default_factory=list)
    imports: dict[str, str] = Field(default_factory=dict)
    called: list[str] = Field(default_factory=list)
    documented: list[str] | None = None
    """Set for env example files only: the names they list."""


_CODE_PREFILTER = (
    b"process.env",
    b"import.meta.env",
    b"environ",
    b"getenv",
    b"BaseSettings",
    b"Settings)",
    b"Settings,",
    b"Settings(",
    b"env_prefix",
)
"""`Settings)`/`Settings,` catch a subclass of a settings class defined elsewhere
(`class WorkerSettings(AppSettings):`) and `Settings(` a module that instantiates one; a settings
class whose name does not end in `Settings` is only seen in modules that also say `BaseSettings`
or `env_prefix`. (`settings.X` attribute reads, which every module of a FastAPI app has, are not
env reads and do not pass.)"""

_PYTHON_GATE = re.compile(
    r"environ|getenv|env_prefix|^[ \t]*class[ \t]+\w+[ \t]*\([^)]*Settings|\w*Settings\([ \t]*\)"
    r"|\bSettings\(",
    re.MULTILINE,
)
"""Before paying for a libcst parse (slow on big modules): an env read, a class with a
`...Settings` base, or a settings class instantiated (which decides whether a base is abstract)."""


class EnvExampleComplete(Check[EnvExampleCompleteOptions, EnvExampleCompleteFacts]):
    options_model = EnvExampleCompleteOptions
    facts_model = EnvExampleCompleteFacts
    file_kinds = frozenset({FileKind.PYTHON, FileKind.TYPESCRIPT, FileKind.ENV})
    prefilter = _CODE_PREFILTER

    @cached_property
    def _excluded(self) -> GitIgnoreSpec:
        return GitIgnoreSpec.from_lines(self.options.exclude_globs)

    def is_example_file(self, rel: str) -> bool:
        name = rel.rsplit("/", 1)[-1]
        return any(fnmatchcase(name, pattern) for pattern in self.options.example_files)

    def applies_to(self, file: SourceFile, *, use_prefilter: bool = True) -> bool:
        """Example files are read whatever they hold (an empty one documents nothing), and so
        is a `.env` the workspace did not skip (see `judge`); other env files (`.env.local`,
        `.env.production`) hold real values and are never read. Code under `exclude-globs` is
        not read either."""
        if file.kind not in self.file_kinds:
            return False
        if self._excluded.match_file(file.rel):
            return False
        if file.kind is FileKind.ENV:
            return self.is_example_file(file.rel) or file.rel.rsplit("/", 1)[-1] == ".env"
        return super().applies_to(file, use_prefilter=use_prefilter)

    def extract(self, file: SourceFile) -> EnvExampleCompleteFacts:
        if file.kind is FileKind.ENV:
            return EnvExampleCompleteFacts(documented=documented_names(file.text))
        if file.kind is FileKind.TYPESCRIPT:
            return EnvExampleCompleteFacts(reads=script_env_reads(file))
        if _PYTHON_GATE.search(file.text) is None:
            return EnvExampleCompleteFacts()
        python = python_env_facts(file)
        return EnvExampleCompleteFacts(
            reads=python.reads,
            classes=python.classes,
            imports=python.imports,
            called=python.called,
        )

    def judge(self, facts: Mapping[str, EnvExampleCompleteFacts]) -> Iterable[Finding]:
        examples = self._examples(facts, committed_env=False)
        if not examples:
            # No example file anywhere: a `.env` the workspace did not skip as gitignored is
            # committed, and projects that commit one (with placeholders) use it as the example.
            examples = self._examples(facts, committed_env=True)
        everywhere = [entry for directory in sorted(examples) for entry in examples[directory]]
        reads = sorted(
            (
                (path, read)
                for path, read in self._all_reads(facts)
                if not self._exempt(read) and not (self.options.allow_defaulted and read.defaulted)
            ),
            key=lambda item: (item[0], item[1].line, item[1].column, item[1].name),
        )
        first: dict[tuple[str, str], tuple[str, EnvRead, int]] = {}
        unscoped: dict[str, tuple[str, EnvRead]] = {}
        for path, read in reads:
            name = read.name.upper() if read.case_insensitive else read.name
            scope = _scope(examples, _directory(path))
            if not scope:
                # Shared code (a monorepo package) is documented by the apps that run it.
                if not _documented(read, everywhere):
                    unscoped.setdefault(name, (path, read))
                continue
            if _documented(read, scope):
                continue
            target = scope[0][0]
            key = (target, name)
            if key in first:
                site_path, site_read, count = first[key]
                first[key] = (site_path, site_read, count + 1)
            else:
                first[key] = (path, read, 1)
        for (target, _), (path, read, count) in sorted(
            first.items(), key=lambda item: (item[1][0], item[1][1].line, item[1][1].column)
        ):
            yield self.finding(
                path,
                read.line,
                read.column,
                _missing_message(read, target, count),
                end_line=read.end_line,
                end_column=read.end_column,
            )
        if unscoped:
            yield self.finding(
                None, 1, 1, _no_example_message(unscoped, [e[0] for e in everywhere])
            )

    def _examples(
        self, facts: Mapping[str, EnvExampleCompleteFacts], *, committed_env: bool
    ) -> dict[str, list[_Example]]:
        """Example files by directory, best-ranked first within a directory."""
        examples: dict[str, list[_Example]] = {}
        for path, file_facts in sorted(facts.items()):
            if file_facts.documented is None:
                continue
            if self.is_example_file(path) == committed_env:
                continue
            names = frozenset(file_facts.documented)
            upper = frozenset(name.upper() for name in names)
            examples.setdefault(_directory(path), []).append((path, names, upper))
        for entries in examples.values():
            entries.sort(key=lambda entry: self._example_rank(entry[0]))
        return examples

    # -- reads, including the ones settings classes make --

    def _all_reads(
        self, facts: Mapping[str, EnvExampleCompleteFacts]
    ) -> Iterator[tuple[str, EnvRead]]:
        for path, file_facts in facts.items():
            for read in file_facts.reads:
                yield path, read
        yield from _Settings(facts).reads()

    def _exempt(self, read: EnvRead) -> bool:
        names = (read.name, *read.alternatives)
        return any(
            fnmatchcase(name.upper() if read.case_insensitive else name, pattern)
            for name in names
            for pattern in self.options.platform_variables
        )

    def _example_rank(self, path: str) -> int:
        name = path.rsplit("/", 1)[-1]
        for index, pattern in enumerate(self.options.example_files):
            if fnmatchcase(name, pattern):
                return index
        return len(self.options.example_files)


# -- judging helpers ----------------------------------------------------------------------------

_Example = tuple[str, frozenset[str], frozenset[str]]


def _directory(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else ""


def _scope(examples: Mapping[str, list[_Example]], directory: str) -> list[_Example]:
    """The example files at or above `directory`, nearest first."""
    found: list[_Example] = []
    while True:
        found.extend(examples.get(directory, ()))
        if not directory:
            return found
        directory = _directory(directory)


def _documented(read: EnvRead, scope: list[_Example]) -> bool:
    names = (read.name, *read.alternatives)
    for _, exact, upper in scope:
        if read.case_insensitive:
            if any(name.upper() in upper for name in names):
                return True
        elif any(name in exact for name in names):
            return True
    return False


def _common_directory(directories: list[str]) -> str:
    parts = [d.split("/") if d else [] for d in directories]
    common: list[str] = []
    for segments in zip(*parts, strict=False):
        if len(set(segments)) != 1:
            break
        common.append(segments[0])
    return "/".join(common)


def _no_example_message(unscoped: Mapping[str, tuple[str, EnvRead]], examples: list[str]) -> str:
    """One finding for every read no example file covers: none exists, or none sits at or
    above the reading files and none of the others lists the variable."""
    sites = sorted(unscoped.values(), key=lambda s: (s[0], s[1].line, s[1].column))
    path, read = sites[0]
    common = _common_directory([_directory(site_path) for site_path, _ in sites])
    target = f"{common}/.env.example" if common else ".env.example"
    names = sorted(unscoped)
    shown = ", ".join(names[:8]) + (f", ... ({len(names)} in all)" if len(names) > 8 else "")
    count = f"{len(names)} environment variable{'s' if len(names) > 1 else ''}"
    first = f"(first: {read.name} at {path}:{read.line})"
    if not examples:
        return (
            f"the code reads {count} but the repository has no env example file {first}: "
            f"create {target} listing {shown}, so a fresh deploy knows what to set"
        )
    listed = ", ".join(examples[:3]) + (", ..." if len(examples) > 3 else "")
    return (
        f"the code reads {count} that no env example file lists, from files with no example "
        f"file at or above them {first}: list {shown} in the example file of the app that runs "
        f"that code ({listed}), or create one beside it"
    )


def _elsewhere(count: int) -> str:
    if count <= 1:
        return ""
    others = count - 1
    return f"; it is read in {others} more place{'s' if others > 1 else ''} too"


def _missing_message(read: EnvRead, example: str, count: int) -> str:
    name = read.name.upper() if read.case_insensitive else read.name
    alternatives = ""
    if read.alternatives:
        alternatives = " (or any of " + ", ".join(read.alternatives) + ")"
    elsewhere = _elsewhere(count)
    if read.defaulted:
        hint = (
            f"add `{name}=` to {example} (it has a fallback here, so `# {name}=` documents it "
            "as optional)"
        )
    else:
        hint = f"add `{name}=` to {example} so a fresh deploy sets it"
    return (
        f"{name}{alternatives} is read here ({read.via}) but missing from {example}: "
        f"{hint}{elsewhere}"
    )


# -- settings classes across files --------------------------------------------------------------


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


class _Settings:
    """Which classes are pydantic-settings classes, and the variables each one reads."""

    MAX_DEPTH = 20

    def __init__(self, facts: Mapping[str, EnvExampleCompleteFacts]) -> None:
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
        directory = _directory(cls.path)
        return max(
            candidates,
            key=lambda c: (
                _shared_depth(_directory(c.path), directory),
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
        case_sensitive: bool | None = None
        delimiter: str | None = None
        for current in self.mro(cls):
            spec = current.spec
            prefix = spec.env_prefix if prefix is None else prefix
            case_sensitive = spec.case_sensitive if case_sensitive is None else case_sensitive
            delimiter = spec.nested_delimiter if delimiter is None else delimiter
        return _Config(prefix or "", bool(case_sensitive), delimiter)

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
        own = owner is cls or field.aliases or self.config(owner) == config
        path, where = (owner.path, field) if own else (cls.path, cls.spec)
        if owner is cls or own:
            via = f"settings field {owner.spec.name}.{field.name}"
        else:
            via = f"field {field.name} that {cls.spec.name} inherits from {owner.spec.name}"
        if config.prefix and not field.aliases:
            via += f", env_prefix {config.prefix!r}"
        insensitive = not config.case_sensitive
        position = {
            "line": where.line,
            "column": where.column,
            "end_line": where.end_line,
            "end_column": where.end_column,
        }
        if field.aliases:
            yield (
                path,
                EnvRead(
                    name=field.aliases[0],
                    alternatives=field.aliases[1:],
                    via=via,
                    defaulted=field.defaulted,
                    case_insensitive=insensitive,
                    **position,
                ),
            )
            return
        name = config.prefix + field.name
        name = name.upper() if insensitive else name
        nested = self._nested_model(owner, field, config)
        if nested is None:
            yield (
                path,
                EnvRead(
                    name=name,
                    via=via,
                    defaulted=field.defaulted,
                    case_insensitive=insensitive,
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
                    **position,
                ),
            )

    def _nested_model(self, owner: _Class, field: SettingsField, config: _Config) -> _Class | None:
        """The model class of a field read through `env_nested_delimiter`, if any."""
        if not config.delimiter:
            return None
        for type_name in field.type_names:
            target = self._resolve(owner, type_name)
            if target is not None and self.is_model(target) and not self.is_settings(target):
                return target
        return None


def _module_matches(path: str, module: str, importer: str) -> bool:
    """Whether the file at `path` is the module `module` (possibly relative to `importer`)."""
    if module.startswith("."):
        dots = len(module) - len(module.lstrip("."))
        base = _directory(importer)
        for _ in range(dots - 1):
            base = _directory(base)
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
