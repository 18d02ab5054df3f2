"""Variables a deployment sets that the code it runs never reads, one prefix away from a read.

The CartSnitch UAT shape: the settings class reads `CARTSNITCH_DATABASE_URL` (its `env_prefix`
plus the field name), the Kubernetes overlay sets `DATABASE_URL`, and the service silently runs on
its defaults. A variable that no code in the deployment's scope reads is flagged when a settings
read in that scope explains the near miss:

- prefix: the read is the class's `env_prefix` + the variable (`DB_USER` under `env_prefix="DB_"`
  reads `DB_DB_USER`, the doubled-prefix case of the same rule);
- no prefix: the variable is a prefix the project's settings use + a field of a class without one;
- nested: the class splits nested fields with `env_nested_delimiter` (`APP_DB__HOST`) and the
  deployment wrote the delimiter as one underscore (`APP_DB_HOST`), or the class has no delimiter
  and reads the nested model as one JSON variable (`APP_DB`).

Scopes: an example file covers the code at and below its directory; a compose service with a
`build` context covers that directory (services that only pull an image are another program's and
are skipped); a Kubernetes container whose image names a directory holding a Dockerfile covers
that directory, another non-library image the whole repository; Helm values and CI workflows the
whole repository.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase

from pytest_lessons.checks.env_example_complete.env import EnvFacts
from pytest_lessons.checks.env_example_complete.reads import EnvRead
from pytest_lessons.lang.deploy.workloads import DeployFacts, dockerfile_for_image

__all__ = ["Site", "deployment_sites", "near_miss"]


@dataclass(frozen=True)
class Site:
    """One variable set by a deployment file, and the code it is set for."""

    path: str
    line: int
    column: int
    end_column: int
    name: str
    origin: str
    scope: str
    """The directory whose code runs with this variable ("" for the whole repository)."""


def deployment_sites(
    deploy: Mapping[str, DeployFacts],
    examples: Mapping[str, EnvFacts],
    dockerfiles: Sequence[str],
) -> Iterator[Site]:
    configs = {
        keys.name: (path, keys)
        for path in sorted(deploy)
        for keys in deploy[path].config_keys
        if keys.name
    }
    for path in sorted(examples):
        example = examples[path]
        directory = posixpath.dirname(path)
        for name, line, commented in zip(
            example.documented, example.lines, example.commented, strict=False
        ):
            if not commented:
                yield Site(path, line, 1, 1 + len(name), name, f"example file {path}", directory)
    for path in sorted(deploy):
        facts = deploy[path]
        for variable in facts.variables:
            scope = _scope(variable.source, variable.build_context, variable.image, dockerfiles)
            if scope is None:
                continue
            yield Site(
                path,
                variable.line,
                variable.column,
                variable.end_column,
                variable.name,
                variable.origin,
                scope,
            )
        for reference in facts.env_from:
            if reference.kind != "config" or reference.ref not in configs:
                continue
            scope = _scope(reference.source, reference.build_context, reference.image, dockerfiles)
            if scope is None:
                continue
            config_path, keys = configs[reference.ref]
            for key in keys.keys:
                yield Site(
                    config_path,
                    key.line,
                    key.column,
                    key.column + len(key.name),
                    key.name,
                    f"`{keys.name}`, given to {reference.origin} through envFrom",
                    scope,
                )


def _scope(
    source: str, context: str | None, image: str | None, dockerfiles: Sequence[str]
) -> str | None:
    if source == "compose":
        return context  # None: a service pulling someone else's image
    if source in ("helm", "workflow"):
        return ""
    if image is None:
        return None
    if "/" not in image.split("@", 1)[0].split(":", 1)[0]:
        return None  # `postgres:16`, `redis`: an official image, not this repository's code
    dockerfile = dockerfile_for_image(image, list(dockerfiles))
    return posixpath.dirname(dockerfile) if dockerfile is not None else ""


def _under(path: str, directory: str) -> bool:
    return not directory or path.startswith(directory + "/")


def _same(read: EnvRead, a: str, b: str) -> bool:
    return a.upper() == b.upper() if read.case_insensitive else a == b


def _satisfies(read: EnvRead, name: str) -> bool:
    return any(_same(read, candidate, name) for candidate in (read.name, *read.alternatives))


def near_miss(
    site: Site,
    reads: Iterable[tuple[str, EnvRead]],
    prefixes: set[str],
    platform: Sequence[str],
) -> tuple[EnvRead, str] | None:
    """The settings read `site` was meant for and the rule that names it, or None when some
    code in the site's scope reads the variable (or nothing explains it)."""
    if any(fnmatchcase(site.name, pattern) for pattern in platform):
        return None
    reads = list(reads)
    scoped = [read for path, read in reads if _under(path, site.scope)]
    if any(_satisfies(read, site.name) for read in scoped):
        return None
    for path, read in reads:
        if not _under(path, site.scope):
            continue
        explanation = _explain(site.name, read, prefixes)
        if explanation is None and read.rule is None:
            explanation = _explain_plain(site.name, read, prefixes, path)
        if explanation is not None:
            return read, explanation
    return None


def _explain_plain(name: str, read: EnvRead, prefixes: set[str], path: str) -> str | None:
    """A literal read (`os.getenv("PREVIEW_HOST")`) of the variable without the prefix the
    project's settings classes put on every name (`POLAR_PREVIEW_HOST` is what is set)."""
    for prefix in sorted(prefixes, key=len, reverse=True):
        if name in (prefix + read.name, prefix.upper() + read.name):
            return (
                f"the code reads {read.name} ({read.via} in {path}:{read.line}); a literal read "
                f"gets no prefix, and {prefix!r} is the env_prefix of the project's settings"
            )
    return None


def _explain(name: str, read: EnvRead, prefixes: set[str]) -> str | None:
    rule = read.rule
    if rule is None:
        return None
    cls = f"{rule.settings_class}.{rule.field}"
    version = rule.version
    if rule.prefix and _same(read, read.name, rule.prefix + name):
        doubled = ""
        if rule.field.upper().startswith(rule.prefix.upper()):
            doubled = (
                f"; the field name already starts with {rule.prefix!r}, so the prefix is doubled"
            )
        return (
            f"{version} reads {read.name} for {cls}: env_prefix {rule.prefix!r} (set in "
            f"{rule.prefix_origin}) + the field name{_case(read)}{doubled}"
        )
    if not rule.prefix and rule.alias is None:
        for prefix in sorted(prefixes, key=len, reverse=True):
            if _same(read, name, prefix + read.name):
                return (
                    f"{version} reads {read.name} for {cls}: that class sets no env_prefix, "
                    f"so {prefix!r} (the prefix of other settings classes here) is not added"
                    f"{_case(read)}"
                )
    if rule.delimiter and _same(read, read.name.replace(rule.delimiter, "_"), name):
        return (
            f"{version} reads {read.name} for {cls}: env_nested_delimiter {rule.delimiter!r} "
            f"separates a nested field from its parent{_case(read)}"
        )
    if rule.nested_json and any(
        name.upper().startswith(read.name.upper() + joint) for joint in ("__", "_")
    ):
        return (
            f"{version} reads {cls} as one JSON value from {read.name}: the class sets no "
            f"env_nested_delimiter, so variables for single nested fields are never read"
        )
    return None


def _case(read: EnvRead) -> str:
    return ", matched case-insensitively" if read.case_insensitive else ", case-sensitively"
