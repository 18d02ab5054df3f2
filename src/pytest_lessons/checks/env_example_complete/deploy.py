"""The deployment half of `env-example-complete`: what compose files, Kubernetes manifests, Helm
values and CI workflows set (see `pytest_lessons.lang.deploy.workloads`), and where the
Dockerfiles are, so a container's image can be traced to the code it runs."""

from __future__ import annotations

import re

from pytest_lessons.checks.base import Half
from pytest_lessons.checks.env_example_complete.options import EnvExampleCompleteOptions
from pytest_lessons.lang.common.records import Record
from pytest_lessons.lang.deploy.workloads import (
    DeployFacts,
    deploy_facts,
    is_compose_file,
    is_helm_values,
    is_workflow_file,
)
from pytest_lessons.source import FileKind, SourceFile

__all__ = ["DeployHalf", "DockerfileFacts", "DockerfilesHalf"]

_MANIFEST = re.compile(r"^apiVersion:.*$\n(?:.*\n)*?^kind:|^kind:.*$\n(?:.*\n)*?^apiVersion:", re.M)


class DeployHalf(Half[EnvExampleCompleteOptions, DeployFacts]):
    name = "deploy"
    facts_model = DeployFacts
    file_kinds = frozenset({FileKind.YAML})
    prefilter = (b"env", b"variables", b"kind:")

    def reads(self, file: SourceFile) -> bool:
        return not self.options.excludes(file.rel)

    def extract(self, file: SourceFile) -> DeployFacts:
        rel = file.rel
        named = is_compose_file(rel) or is_workflow_file(rel) or is_helm_values(rel)
        if not named and _MANIFEST.search(file.text) is None:
            return DeployFacts()  # some other YAML (OpenAPI, i18n, fixtures): not deployment
        return deploy_facts(file)

    def is_subject(self, facts: DeployFacts) -> bool:
        return bool(facts.variables or facts.config_keys)


class DockerfileFacts(Record):
    """Nothing but the file's existence: where images are built from."""


class DockerfilesHalf(Half[EnvExampleCompleteOptions, DockerfileFacts]):
    name = "dockerfiles"
    facts_model = DockerfileFacts
    file_kinds = frozenset({FileKind.DOCKERFILE})

    def extract(self, file: SourceFile) -> DockerfileFacts:
        return DockerfileFacts()

    def is_subject(self, facts: DockerfileFacts) -> bool:
        return False
