"""`env-example-complete`: every variable the code reads is listed in the env example file.

A fresh deploy is configured from the example file (`.env.example`, `.env.local.example`, ...):
a variable the code reads but the example does not list is a variable nobody sets, and the code
then runs without it. Each half extracts its share (`typescript` and `python`: literal reads, and
the settings classes of Python files; `env`: the names each example file documents); judging
joins them:

- A read is in the scope of the example files at or above its directory; it is documented when
  any of them lists it, and the finding names the nearest one. The finding sits on the first
  reading site of the variable within that scope, in path order.
- Settings classes are resolved across files (`settings`): a base class may live in another
  module and lend its fields and `env_prefix` to its subclasses.
- Reads with no example file in scope are gathered into one repository-level finding.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from fnmatch import fnmatchcase

from pytest_lessons.checks.base import ByHalf, Check, FactsByHalf
from pytest_lessons.checks.env_example_complete.deploy import DeployHalf, DockerfilesHalf
from pytest_lessons.checks.env_example_complete.env import EnvFacts, EnvHalf
from pytest_lessons.checks.env_example_complete.mismatch import Site, deployment_sites, near_miss
from pytest_lessons.checks.env_example_complete.options import EnvExampleCompleteOptions
from pytest_lessons.checks.env_example_complete.python import PythonHalf
from pytest_lessons.checks.env_example_complete.reads import EnvRead
from pytest_lessons.checks.env_example_complete.settings import SettingsClasses
from pytest_lessons.checks.env_example_complete.typescript import TypeScriptHalf
from pytest_lessons.findings import Finding
from pytest_lessons.fixes import Fix, TextEdit

__all__ = ["EnvExampleComplete", "EnvExampleCompleteOptions"]


class EnvExampleComplete(Check[EnvExampleCompleteOptions, ByHalf]):
    options_model = EnvExampleCompleteOptions
    halves = (PythonHalf, TypeScriptHalf, EnvHalf, DeployHalf, DockerfilesHalf)
    version = 3

    def judge_halves(self, facts: FactsByHalf) -> Iterable[Finding]:
        examples = self._examples(facts.of(EnvHalf), committed_env=False)
        if not examples:
            # No example file anywhere: a `.env` the workspace did not skip as gitignored is
            # committed, and projects that commit one (with placeholders) use it as the example.
            examples = self._examples(facts.of(EnvHalf), committed_env=True)
        everywhere = [entry for directory in sorted(examples) for entry in examples[directory]]
        reads = sorted(
            (
                (path, read)
                for path, read in _all_reads(facts)
                if not self._exempt(read) and not (self.options.allow_defaulted and read.defaulted)
            ),
            key=lambda item: (item[0], item[1].line, item[1].column, item[1].name),
        )
        first: dict[tuple[str, str], tuple[str, EnvRead, int]] = {}
        chained: dict[tuple[str, str, str], str] = {}
        """(example, file, name) -> the name reported for a fallback chain naming it there."""
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
            if chained.get((target, path, name)) in read.alternatives:
                continue  # `process.env.NEW ?? process.env.OLD`: reported once, at NEW
            if key not in first:
                chained.update({(target, path, other): read.name for other in read.alternatives})
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
                fix=_listing_fix(target, [(path, read)]),
            )
        if unscoped:
            listed = [e[0] for e in everywhere]
            yield self.finding(
                None,
                1,
                1,
                _no_example_message(unscoped, listed),
                fix=_listing_fix(_new_example_file(unscoped), list(unscoped.values())),
            )
        yield from self._mismatches(facts)

    def _mismatches(self, facts: FactsByHalf) -> Iterator[Finding]:
        """Variables a deployment sets that the code it runs reads under another name."""
        env = facts.of(EnvHalf)
        examples = {path: f for path, f in env.items() if self.options.is_example_file(path)}
        sites = list(
            deployment_sites(facts.of(DeployHalf), examples, sorted(facts.of(DockerfilesHalf)))
        )
        if not sites:
            return
        reads = list(_all_reads(facts))
        prefixes = SettingsClasses(facts.of(PythonHalf)).prefixes()
        seen: set[tuple[str, int, str]] = set()
        for site in sites:
            key = (site.path, site.line, site.name)
            if key in seen:
                continue
            seen.add(key)
            missed = near_miss(site, reads, prefixes, self.options.platform_variables)
            if missed is not None:
                read, explanation = missed
                yield self.finding(
                    site.path,
                    site.line,
                    site.column,
                    _mismatch_message(site, read, explanation),
                    end_column=site.end_column,
                )

    def _examples(
        self, facts: Mapping[str, EnvFacts], *, committed_env: bool
    ) -> dict[str, list[_Example]]:
        """Example files by directory, best-ranked first within a directory: by the
        `example-files` glob a file matches, then the one listing the most variables (of
        `.env.dev.example`, `.env.prod.example` and `.env.dev-azure.example`, a finding names
        the full one, not the variant first in the alphabet)."""
        examples: dict[str, list[_Example]] = {}
        for path, file_facts in sorted(facts.items()):
            if self.options.is_example_file(path) == committed_env:
                continue
            names = frozenset(file_facts.documented)
            upper = frozenset(name.upper() for name in names)
            examples.setdefault(_directory(path), []).append((path, names, upper))
        for entries in examples.values():
            entries.sort(
                key=lambda entry: (self.options.example_rank(entry[0]), -len(entry[1]), entry[0])
            )
        return examples

    def _exempt(self, read: EnvRead) -> bool:
        names = (read.name, *read.alternatives)
        return any(
            fnmatchcase(name.upper() if read.case_insensitive else name, pattern)
            for name in names
            for pattern in self.options.platform_variables
        )


def _all_reads(facts: FactsByHalf) -> Iterator[tuple[str, EnvRead]]:
    """Every read of the code halves, including the ones settings classes make."""
    for path, ts_facts in facts.of(TypeScriptHalf).items():
        for read in ts_facts.reads:
            yield path, read
    python = facts.of(PythonHalf)
    for path, file_facts in python.items():
        for read in file_facts.reads:
            yield path, read
    yield from SettingsClasses(python).reads()


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


def _new_example_file(unscoped: Mapping[str, tuple[str, EnvRead]]) -> str:
    """Where an example file covering every unscoped read goes: their common directory."""
    common = _common_directory([_directory(path) for path, _ in unscoped.values()])
    return f"{common}/.env.example" if common else ".env.example"


def _listing_fix(example: str, sites: Sequence[tuple[str, EnvRead]]) -> Fix:
    """Append each variable to the example file (created if missing), under a comment naming
    the file that reads it. A read with a fallback is listed commented out (`# NAME=`): an
    empty value copied into a deploy would replace the fallback with ""."""
    lines: list[str] = []
    names: list[str] = []
    for path, read in sorted(sites, key=lambda site: (site[0], site[1].line, site[1].column)):
        name = read.name.upper() if read.case_insensitive else read.name
        optional = " (optional: it has a fallback)" if read.defaulted else ""
        lines.append(f"# read by {path}{optional}")
        lines.append(f"# {name}=" if read.defaulted else f"{name}=")
        names.append(name)
    return Fix(
        description=f"list {', '.join(names)} in {example}",
        edits=(TextEdit(path=example, text="\n".join(lines) + "\n"),),
    )


def _no_example_message(unscoped: Mapping[str, tuple[str, EnvRead]], examples: list[str]) -> str:
    """One finding for every read no example file covers: none exists, or none sits at or
    above the reading files and none of the others lists the variable."""
    sites = sorted(unscoped.values(), key=lambda s: (s[0], s[1].line, s[1].column))
    path, read = sites[0]
    target = _new_example_file(unscoped)
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


def _mismatch_message(site: Site, read: EnvRead, explanation: str) -> str:
    where = (
        f"listed in {site.path}"
        if site.origin.startswith("example file")
        else f"set here ({site.origin})"
    )
    rule = read.rule
    both = ""
    if rule is not None and not rule.delimiter and not rule.nested_json:
        if rule.version.startswith("pydantic v1"):
            both = f', or read both with `Field(..., env=["{read.name}", "{site.name}"])`'
        else:
            both = (
                f', or read both with `validation_alias=AliasChoices("{read.name}", "{site.name}")`'
            )
    return (
        f"{site.name} is {where} but no code it configures reads it: {explanation}. The setting "
        f"silently keeps its default; name the variable {read.name}{both}"
    )
