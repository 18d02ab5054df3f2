"""What deployment files give a container: its environment, its image, its command.

One record shape for every source, so a lesson asks "which variables does the deployment set,
for which code" and "which containers run which command from which image" without knowing YAML
dialects:

- compose files (`docker-compose*.yml`, `compose*.yaml`): each service's `environment` (mapping
  or `KEY=value` list), `env_file`, `build` (context and Dockerfile, relative to the compose
  file), `image`, `command`, `entrypoint`, `working_dir`;
- Kubernetes manifests (any document with pod specs: Deployment, Job, CronJob, a CRD that embeds
  one): each container's and init container's `env`, `envFrom`, `image`, `command`, `args`,
  `workingDir`; ConfigMap, Secret and SealedSecret keys, and kustomize generators' literals, for
  `envFrom`;
- Helm values files: `env`/`extraEnv`/`envVars`-style keys holding `- name: X` lists or `X: v`
  mappings, at any depth;
- CI workflows (`.github/workflows/*.yml` `env:` at any level, GitLab's `variables:`).
"""

from __future__ import annotations

import posixpath
import re
import shlex
from collections.abc import Iterator
from typing import Any, Literal

from pydantic import Field

from pytest_lessons.lang.common.records import Record, Spanned
from pytest_lessons.lang.deploy.yaml_docs import (
    TEMPLATE_PLACEHOLDER,
    items,
    key_position,
    mapping,
    pairs,
    scalar,
    sequence,
    yaml_documents,
)
from pytest_lessons.source import SourceFile

__all__ = [
    "ConfigKey",
    "ConfigKeys",
    "DeployFacts",
    "EnvFrom",
    "SetVariable",
    "Workload",
    "deploy_facts",
    "dockerfile_for_image",
    "is_compose_file",
    "is_helm_values",
    "is_workflow_file",
]

SourceKind = Literal["compose", "kubernetes", "helm", "workflow"]


class _Given(Spanned):
    """Something a deployment file gives one container or job, and which code that is."""

    source: SourceKind
    origin: str
    """For the message: "compose service `api`", "container `api` of Deployment `api`", ..."""
    build_context: str | None = None
    """The repository directory the container's image is built from, when the file says."""
    image: str | None = None


class SetVariable(_Given):
    """One variable a deployment file sets for a container or a job."""

    name: str

    @classmethod
    def at(cls, name: str, line: int, column: int, width: int = 0, /, **given: Any) -> SetVariable:
        """A variable set on one line: its span is `width` characters from `column`."""
        return cls(
            name=name, line=line, column=column, end_line=line, end_column=column + width, **given
        )


class EnvFrom(_Given):
    """`envFrom: - configMapRef: {name: x}` or a compose `env_file`: variables set elsewhere."""

    ref: str
    """The ConfigMap/Secret name, or the env file's repository path."""
    kind: Literal["config", "file"]


class ConfigKey(Spanned):
    name: str


class ConfigKeys(Record):
    """The keys of a ConfigMap, Secret, SealedSecret or kustomize generator, by name."""

    name: str
    keys: list[ConfigKey]


class Workload(Spanned):
    """A compose service or a Kubernetes container: what it runs, from which image."""

    source: Literal["compose", "kubernetes"]
    name: str
    origin: str
    image: str | None = None
    build_context: str | None = None
    dockerfile: str | None = None
    """Repository path of the Dockerfile (compose `build`), when the file names one."""
    command: list[str] = Field(default_factory=list)
    """The command as written: an argv list, or one shell string when written as a string."""
    entrypoint: list[str] = Field(default_factory=list)
    working_dir: str | None = None
    init: bool = False


class DeployFacts(Record):
    variables: list[SetVariable] = Field(default_factory=list)
    env_from: list[EnvFrom] = Field(default_factory=list)
    config_keys: list[ConfigKeys] = Field(default_factory=list)
    workloads: list[Workload] = Field(default_factory=list)


_COMPOSE_NAME = re.compile(
    r"(?:^|[.\-_])compose(?:[.\-_][^/]*)?\.ya?ml$|^docker-compose[^/]*\.ya?ml$"
)
_ENV_KEYS = frozenset(
    {
        "env",
        "extraEnv",
        "extraEnvVars",
        "envVars",
        "environment",
        "environmentVariables",
        "extraEnvironmentVars",
        "envs",
    }
)
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")


def is_compose_file(rel: str) -> bool:
    return _COMPOSE_NAME.search(rel.rsplit("/", 1)[-1]) is not None


def is_workflow_file(rel: str) -> bool:
    return "/.github/workflows/" in f"/{rel}" or rel.rsplit("/", 1)[-1] == ".gitlab-ci.yml"


def is_helm_values(rel: str) -> bool:
    name = rel.rsplit("/", 1)[-1]
    return re.match(r"^values(?:[.\-_][^/]*)?\.ya?ml$", name) is not None


def deploy_facts(file: SourceFile) -> DeployFacts:
    """The deployment facts of a YAML file, computed once per run for every lesson."""
    return file.derived("deploy-workloads-v1", _extract)


def _extract(file: SourceFile) -> DeployFacts:
    documents = yaml_documents(file)
    facts = DeployFacts()
    for document in documents:
        if is_compose_file(file.rel):
            _compose(file.rel, document, facts)
        elif is_workflow_file(file.rel):
            _workflow(file.rel, document, facts)
        elif is_helm_values(file.rel):
            _helm_values(document, facts)
        else:
            _kubernetes(document, facts)
    return facts


def _relative(base: str, path: str) -> str | None:
    """`path` (relative to the directory `base`) as a repository path; None outside it."""
    if TEMPLATE_PLACEHOLDER in path or "$" in path or path.startswith("/"):
        return None
    joined = posixpath.normpath(posixpath.join(base, path)) if base else posixpath.normpath(path)
    if joined == ".":
        return ""
    return None if joined.startswith("..") else joined


def _argv(value: Any) -> list[str]:
    text = scalar(value)
    if text is not None:
        return [text]
    listed = sequence(value)
    if listed is None:
        return []
    return [part for part in (scalar(v) for v in listed) if part is not None]


# -- compose -------------------------------------------------------------------------------------


def _compose(rel: str, document: Any, facts: DeployFacts) -> None:
    root = mapping(document)
    services = mapping(root.get("services")) if root is not None else None
    if services is None:
        return
    base = posixpath.dirname(rel)
    built: dict[str, tuple[str | None, str | None]] = {}
    parsed: list[tuple[str, Any, int, int]] = list(pairs(services))
    for _, body, _, _ in parsed:
        service = mapping(body)
        if service is not None and service.get("build") is not None and service.get("image"):
            built[str(service.get("image"))] = _build(base, service.get("build"))
    for name, body, line, column in parsed:
        service = mapping(body)
        if service is None:
            continue
        context, dockerfile = _build(base, service.get("build"))
        image = scalar(service.get("image"))
        if context is None and image is not None:
            context, dockerfile = built.get(image, (None, None))
        origin = f"compose service `{name}`"
        facts.workloads.append(
            Workload(
                source="compose",
                name=name,
                origin=origin,
                line=line,
                column=column,
                end_line=line,
                end_column=column,
                image=image,
                build_context=context,
                dockerfile=dockerfile,
                command=_argv(service.get("command")),
                entrypoint=_argv(service.get("entrypoint")),
                working_dir=scalar(service.get("working_dir")),
            )
        )
        scope = {"build_context": context, "image": image, "origin": origin, "source": "compose"}
        environment = service.get("environment")
        for variable, vline, vcolumn in _compose_environment(environment):
            facts.variables.append(SetVariable.at(variable, vline, vcolumn, len(variable), **scope))
        env_file_at = key_position(service, "env_file")
        for path, fline, fcolumn in _compose_env_files(service.get("env_file"), env_file_at):
            target = _relative(base, path)
            if target is not None:
                facts.env_from.append(
                    EnvFrom(
                        ref=target,
                        kind="file",
                        line=fline,
                        column=fcolumn,
                        end_line=fline,
                        end_column=fcolumn,
                        **scope,
                    )
                )


def _build(base: str, build: Any) -> tuple[str | None, str | None]:
    text = scalar(build)
    if text is not None:
        context = _relative(base, text)
        return context, None
    spec = mapping(build)
    if spec is None:
        return None, None
    context = _relative(base, scalar(spec.get("context")) or ".")
    dockerfile_text = scalar(spec.get("dockerfile"))
    dockerfile = None
    if context is not None:
        dockerfile = _relative(context, dockerfile_text or "Dockerfile")
    return context, dockerfile


def _compose_environment(value: Any) -> Iterator[tuple[str, int, int]]:
    as_map = mapping(value)
    if as_map is not None:
        for key, _, line, column in pairs(as_map):
            if _ENV_NAME.match(key):
                yield key, line, column
        return
    listed = sequence(value)
    if listed is None:
        return
    for item, line, column in items(listed):
        text = scalar(item)
        if text is None:
            continue
        name = text.split("=", 1)[0].strip()
        if _ENV_NAME.match(name):
            yield name, line, column


def _compose_env_files(value: Any, at: tuple[int, int]) -> Iterator[tuple[str, int, int]]:
    text = scalar(value)
    if text is not None:
        yield text, at[0], at[1]
        return
    listed = sequence(value)
    if listed is None:
        return
    for item, line, column in items(listed):
        path = scalar(item)
        if path is None and mapping(item) is not None:
            path = scalar(item.get("path"))
        if path is not None:
            yield path, line, column


# -- kubernetes ----------------------------------------------------------------------------------


def _kubernetes(document: Any, facts: DeployFacts) -> None:
    root = mapping(document)
    if root is None:
        return
    kind = scalar(root.get("kind")) or ""
    metadata = mapping(root.get("metadata"))
    name = (scalar(metadata.get("name")) if metadata is not None else None) or ""
    if kind in ("ConfigMap", "Secret"):
        keys: list[ConfigKey] = []
        for section in ("data", "stringData"):
            block = mapping(root.get(section))
            if block is not None:
                keys.extend(_keys(block))
        facts.config_keys.append(ConfigKeys(name=name, keys=keys))
        return
    if kind == "SealedSecret":
        spec = mapping(root.get("spec"))
        encrypted = mapping(spec.get("encryptedData")) if spec is not None else None
        keys = _keys(encrypted) if encrypted is not None else []
        facts.config_keys.append(ConfigKeys(name=name, keys=keys))
        return
    if kind == "Kustomization" or "configMapGenerator" in root or "secretGenerator" in root:
        for section in ("configMapGenerator", "secretGenerator"):
            for generator, _, _ in items(sequence(root.get(section)) or _EMPTY):
                spec = mapping(generator)
                if spec is None:
                    continue
                literals = [
                    ConfigKey(
                        name=text.split("=", 1)[0],
                        line=line,
                        column=column,
                        end_line=line,
                        end_column=column,
                    )
                    for value, line, column in items(sequence(spec.get("literals")) or _EMPTY)
                    if (text := scalar(value)) is not None and "=" in text
                ]
                facts.config_keys.append(
                    ConfigKeys(name=scalar(spec.get("name")) or "", keys=literals)
                )
    for pod in _pod_specs(root, 0):
        for section, init in (("initContainers", True), ("containers", False)):
            for container, line, column in items(sequence(pod.get(section)) or _EMPTY):
                _container(kind, name, mapping(container), line, column, init, facts)


_EMPTY: Any = []


def _keys(block: Any) -> list[ConfigKey]:
    return [
        ConfigKey(name=key, line=line, column=column, end_line=line, end_column=column)
        for key, _, line, column in pairs(block)
    ]


def _pod_specs(node: Any, depth: int) -> Iterator[Any]:
    """Every mapping with a `containers` list, at any depth (Deployment, CronJob, CRDs)."""
    if depth > 12:
        return
    as_map = mapping(node)
    if as_map is not None:
        if sequence(as_map.get("containers")) is not None:
            yield as_map
            return
        for value in as_map.values():
            yield from _pod_specs(value, depth + 1)
        return
    listed = sequence(node)
    if listed is not None:
        for value in listed:
            yield from _pod_specs(value, depth + 1)


def _container(
    kind: str,
    owner: str,
    container: Any,
    line: int,
    column: int,
    init: bool,
    facts: DeployFacts,
) -> None:
    if container is None:
        return
    name = scalar(container.get("name")) or "?"
    image = scalar(container.get("image"))
    role = "init container" if init else "container"
    origin = f"{role} `{name}` of {kind or 'a manifest'} `{owner}`"
    command = _argv(container.get("command"))
    facts.workloads.append(
        Workload(
            source="kubernetes",
            name=name,
            origin=origin,
            line=line,
            column=column,
            end_line=line,
            end_column=column,
            image=image,
            command=[*command, *_argv(container.get("args"))] if command else [],
            entrypoint=[],
            working_dir=scalar(container.get("workingDir")),
            init=init,
        )
    )
    if command == [] and sequence(container.get("args")) is not None:
        facts.workloads[-1] = facts.workloads[-1].model_copy(
            update={"command": _argv(container.get("args"))}
        )
    scope = {"image": image, "origin": origin, "source": "kubernetes"}
    for entry, _, _ in items(sequence(container.get("env")) or _EMPTY):
        spec = mapping(entry)
        variable = scalar(spec.get("name")) if spec is not None else None
        if spec is not None and variable is not None and _ENV_NAME.match(variable):
            vline, vcolumn = key_position(spec, "name")
            facts.variables.append(SetVariable.at(variable, vline, vcolumn, **scope))
    for entry, eline, ecolumn in items(sequence(container.get("envFrom")) or _EMPTY):
        source = mapping(entry)
        if source is None:
            continue
        for reference in ("configMapRef", "secretRef"):
            ref = mapping(source.get(reference))
            ref_name = scalar(ref.get("name")) if ref is not None else None
            if ref_name is not None:
                facts.env_from.append(
                    EnvFrom(
                        ref=ref_name,
                        kind="config",
                        line=eline,
                        column=ecolumn,
                        end_line=eline,
                        end_column=ecolumn,
                        **scope,
                    )
                )


# -- Helm values and CI workflows ----------------------------------------------------------------


def _helm_values(document: Any, facts: DeployFacts) -> None:
    for name, line, column in _env_entries(document, 0):
        facts.variables.append(
            SetVariable.at(name, line, column, source="helm", origin="Helm values")
        )


def _env_entries(node: Any, depth: int) -> Iterator[tuple[str, int, int]]:
    """Variables under env-like keys: `- name: X` lists and `X: value` mappings."""
    if depth > 12:
        return
    as_map = mapping(node)
    if as_map is not None:
        for key, value, _, _ in pairs(as_map):
            if key in _ENV_KEYS:
                yield from _env_block(value)
            else:
                yield from _env_entries(value, depth + 1)
        return
    listed = sequence(node)
    if listed is not None:
        for value in listed:
            yield from _env_entries(value, depth + 1)


def _env_block(value: Any) -> Iterator[tuple[str, int, int]]:
    listed = sequence(value)
    if listed is not None:
        for entry, _, _ in items(listed):
            spec = mapping(entry)
            name = scalar(spec.get("name")) if spec is not None else None
            if spec is not None and name is not None and _ENV_NAME.match(name):
                line, column = key_position(spec, "name")
                yield name, line, column
        return
    as_map = mapping(value)
    if as_map is not None:
        for key, _, line, column in pairs(as_map):
            if re.match(r"^[A-Z][A-Z0-9_]*$", key):
                yield key, line, column


def _workflow(rel: str, document: Any, facts: DeployFacts) -> None:
    workflow = rel.rsplit("/", 1)[-1]
    for name, line, column in _workflow_env(document, 0, gitlab=workflow == ".gitlab-ci.yml"):
        facts.variables.append(
            SetVariable.at(name, line, column, source="workflow", origin=f"CI workflow {workflow}")
        )


def _workflow_env(node: Any, depth: int, *, gitlab: bool) -> Iterator[tuple[str, int, int]]:
    if depth > 8:
        return
    as_map = mapping(node)
    if as_map is None:
        listed = sequence(node)
        for value in listed if listed is not None else ():
            yield from _workflow_env(value, depth + 1, gitlab=gitlab)
        return
    if not gitlab and "uses" in as_map and "run" not in as_map:
        return  # a step running an action: its env is the action's (a script in the YAML)
    for key, value, _, _ in pairs(as_map):
        if key == "services":
            continue  # service containers (postgres, redis) read their own variables
        if key == ("variables" if gitlab else "env"):
            block = mapping(value)
            for name, _, line, column in pairs(block) if block is not None else ():
                if _ENV_NAME.match(name):
                    yield name, line, column
        else:
            yield from _workflow_env(value, depth + 1, gitlab=gitlab)


def shell_words(text: str) -> list[str]:
    """Shell words of a command line; the raw split when quoting is unbalanced."""
    try:
        return shlex.split(text, comments=True)
    except ValueError:
        return text.split()


def dockerfile_for_image(image: str | None, dockerfiles: list[str]) -> str | None:
    """The repository Dockerfile an image reference is built from, judged by name alone.

    `ghcr.io/acme/api:1.2` matches `api/Dockerfile`, `Dockerfile.api` or `api.Dockerfile` (and
    `acme-api` matches a directory `api`); an official image (`postgres:16`, no owner) or one
    named by a template never matches.
    """
    if image is None or TEMPLATE_PLACEHOLDER in image or "$" in image:
        return None
    repository = image.split("@", 1)[0]
    if "/" not in repository:
        return None
    last = repository.rsplit("/", 1)[-1].split(":", 1)[0]
    for dockerfile in dockerfiles:
        directory = posixpath.dirname(dockerfile)
        name = dockerfile.rsplit("/", 1)[-1]
        stems = {posixpath.basename(directory)} if directory else set()
        stems.update(
            part
            for part in name.split(".")
            if part and part not in ("Dockerfile", "Containerfile", "dockerfile")
        )
        if any(last == stem or last.endswith((f"-{stem}", f"_{stem}")) for stem in stems):
            return dockerfile
    return None
