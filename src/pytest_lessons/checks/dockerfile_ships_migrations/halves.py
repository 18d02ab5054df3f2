"""What each kind of file tells `dockerfile-ships-migrations`.

Dockerfiles (`lang.deploy.dockerfile`), `.dockerignore` patterns, the compose services and
Kubernetes containers that run an image (`lang.deploy.workloads`), the alembic runs of shell
scripts (`lang.deploy.shell`), the `script_location` of alembic ini files, and the bare paths of
the project's Python, TOML, requirements and lock files: an image can only be judged against the
files its build context really holds, and which directory is that context is inferred from them.
"""

from __future__ import annotations

import configparser
import re

from pydantic import Field

from pytest_lessons.checks.base import Half
from pytest_lessons.lang.common.records import Record
from pytest_lessons.lang.deploy.dockerfile import ImageFacts, image_facts
from pytest_lessons.lang.deploy.shell import AlembicRun, alembic_runs, python_runs
from pytest_lessons.lang.deploy.workloads import DeployFacts, deploy_facts, is_compose_file
from pytest_lessons.options import NoOptions
from pytest_lessons.source import FileKind, SourceFile

__all__ = [
    "DockerfileHalf",
    "DockerignoreHalf",
    "IgnoreFacts",
    "IniFacts",
    "IniHalf",
    "PathFacts",
    "PathHalf",
    "ScriptFacts",
    "ScriptHalf",
    "WorkloadHalf",
]


class DockerfileHalf(Half[NoOptions, ImageFacts]):
    name = "dockerfile"
    facts_model = ImageFacts
    file_kinds = frozenset({FileKind.DOCKERFILE})

    def extract(self, file: SourceFile) -> ImageFacts:
        return image_facts(file)


class IgnoreFacts(Record):
    patterns: list[str] = Field(default_factory=list)


class DockerignoreHalf(Half[NoOptions, IgnoreFacts]):
    name = "dockerignore"
    facts_model = IgnoreFacts
    file_kinds = frozenset({FileKind.DOCKERIGNORE})

    def extract(self, file: SourceFile) -> IgnoreFacts:
        lines = (line.strip() for line in file.text.splitlines())
        return IgnoreFacts(patterns=[line for line in lines if line and not line.startswith("#")])

    def is_subject(self, facts: IgnoreFacts) -> bool:
        return False


class WorkloadHalf(Half[NoOptions, DeployFacts]):
    name = "workloads"
    facts_model = DeployFacts
    file_kinds = frozenset({FileKind.YAML})
    prefilter = (b"alembic", b"build", b"image")

    def extract(self, file: SourceFile) -> DeployFacts:
        text = file.text
        if not is_compose_file(file.rel) and ("containers:" not in text or "kind:" not in text):
            return DeployFacts()
        return deploy_facts(file)

    def is_subject(self, facts: DeployFacts) -> bool:
        return False


class ScriptFacts(Record):
    runs: list[AlembicRun] = Field(default_factory=list)
    python: list[str] = Field(default_factory=list)
    """Python programs the script starts (`-m` modules and script paths)."""


class ScriptHalf(Half[NoOptions, ScriptFacts]):
    name = "scripts"
    facts_model = ScriptFacts
    file_kinds = frozenset({FileKind.BASH})
    prefilter = (b"alembic", b"python")

    def extract(self, file: SourceFile) -> ScriptFacts:
        return ScriptFacts(runs=alembic_runs(file.text), python=python_runs(file.text))

    def is_subject(self, facts: ScriptFacts) -> bool:
        return False


class IniFacts(Record):
    script_location: str | None = None


class IniHalf(Half[NoOptions, IniFacts]):
    name = "ini"
    facts_model = IniFacts
    file_kinds = frozenset({FileKind.INI})
    prefilter = (b"script_location",)

    def extract(self, file: SourceFile) -> IniFacts:
        parser = configparser.RawConfigParser(strict=False)
        try:
            parser.read_string(file.text)
        except configparser.Error:
            return IniFacts()  # alembic-percent-escape reports broken ini files
        for section in parser.sections():
            if parser.has_option(section, "script_location"):
                return IniFacts(script_location=parser.get(section, "script_location").strip())
        return IniFacts()

    def is_subject(self, facts: IniFacts) -> bool:
        return False


class PathFacts(Record):
    """The path (the file exists in the repository), and for a Python module whether it runs
    alembic through its API (`command.upgrade(config, "head")`, `alembic.config.main(...)`)."""

    runs_alembic: bool = False


_API_RUN = re.compile(
    r"\bcommand\.(?:upgrade|downgrade|stamp)\s*\(|\balembic\.config\.main\s*\("
    r"|\bCommandLine\s*\(\s*\)"
)


class PathHalf(Half[NoOptions, PathFacts]):
    name = "paths"
    facts_model = PathFacts
    file_kinds = frozenset(
        {FileKind.PYTHON, FileKind.TOML, FileKind.REQUIREMENTS, FileKind.LOCK, FileKind.ENV}
    )

    def extract(self, file: SourceFile) -> PathFacts:
        if file.kind is FileKind.PYTHON and b"alembic" in file.data:
            return PathFacts(runs_alembic=_API_RUN.search(file.text) is not None)
        return PathFacts()

    def is_subject(self, facts: PathFacts) -> bool:
        return False
