"""A Dockerfile as the image it builds: stages, working directories, what is copied where.

Parsing is dockerfile-parse's (line continuations, comments, JSON and shell forms); two things it
does not know are added here: BuildKit heredocs (`RUN <<EOF ... EOF`, whose body lines it reads as
instructions) are folded back into their instruction, and `$VAR`/`${VAR}` in WORKDIR, COPY and
CMD are expanded from the stage's ARG defaults and ENV values with its own shell-word splitter.

`ImageFacts.stages[-1]` is the stage that becomes the image; `Stage.parent` names the stage it
is built FROM when that is a stage of the same file, so files and the working directory it
inherits can be followed.
"""

from __future__ import annotations

import io
import json
import posixpath
import re
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from dockerfile_parse import DockerfileParser
from dockerfile_parse.util import WordSplitter
from pydantic import Field

from pytest_lessons.findings import ProblemKind
from pytest_lessons.lang.common.records import Record
from pytest_lessons.source import AnalysisError, SourceFile

__all__ = ["Command", "Copy", "ImageFacts", "Stage", "image_facts"]

_HEREDOC = re.compile(r"<<-?\s*['\"]?([A-Za-z_][A-Za-z0-9_]*)['\"]?")


class Copy(Record):
    """`COPY`/`ADD`: context paths (or paths of another stage) to a path in the image."""

    line: int
    sources: list[str]
    destination: str
    """Absolute in the image (resolved against the WORKDIR in force)."""
    from_stage: str | None = None
    """`--from=<stage or image>`: sources are that stage's paths, not the build context's."""
    heredoc: bool = False


class Command(Record):
    """`CMD` or `ENTRYPOINT`: an argv (JSON form) or one shell string (shell form)."""

    line: int
    argv: list[str]
    shell: bool


class Stage(Record):
    line: int
    name: str | None
    base: str
    parent: int | None = None
    """Index of the stage this one is built FROM, when it is a stage of this file."""
    workdir: str = "/"
    """The WORKDIR in force at the end of the stage (inherited from `parent`)."""
    copies: list[Copy] = Field(default_factory=list)
    cmd: Command | None = None
    entrypoint: Command | None = None


class ImageFacts(Record):
    stages: list[Stage] = Field(default_factory=list)


def image_facts(file: SourceFile) -> ImageFacts:
    return file.derived("deploy-dockerfile-v1", _extract)


def _instructions(text: str) -> list[dict[str, Any]]:
    try:
        parser = DockerfileParser(fileobj=io.BytesIO(text.encode("utf-8")), env_replace=False)
        structure: list[dict[str, Any]] = list(parser.structure)
    except Exception as error:  # the parser's own failures carry no position
        raise AnalysisError(ProblemKind.PARSE, f"Dockerfile could not be parsed: {error}") from None
    folded: list[dict[str, Any]] = []
    terminator: str | None = None
    for instruction in structure:
        if terminator is not None:
            if instruction["content"].strip() == terminator:
                terminator = None
            continue
        if instruction["instruction"] == "COMMENT":
            continue
        folded.append(instruction)
        heredoc = _HEREDOC.search(instruction["value"])
        if heredoc is not None and instruction["instruction"] in ("RUN", "COPY", "ADD"):
            terminator = heredoc.group(1)
            instruction["heredoc"] = True
    return folded


@dataclass
class _Building:
    line: int
    name: str | None
    base: str
    parent: int | None
    workdir: str
    copies: list[Copy] = dataclass_field(default_factory=list)
    cmd: Command | None = None
    entrypoint: Command | None = None

    def done(self) -> Stage:
        return Stage(
            line=self.line,
            name=self.name,
            base=self.base,
            parent=self.parent,
            workdir=self.workdir,
            copies=self.copies,
            cmd=self.cmd,
            entrypoint=self.entrypoint,
        )


def _extract(file: SourceFile) -> ImageFacts:
    stages: list[_Building] = []
    stage_env: list[dict[str, str]] = []
    names: dict[str, int] = {}
    variables: dict[str, str] = {}
    global_args: dict[str, str] = {}
    current: _Building | None = None
    for instruction in _instructions(file.text):
        kind = instruction["instruction"]
        value: str = instruction["value"]
        line = int(instruction["startline"]) + 1
        if kind == "ARG" and current is None:
            global_args.update(_assignments(value, {}))
            continue
        if kind == "FROM":
            words = [w for w in _words(value, global_args) if not w.startswith("--")]
            base = words[0] if words else ""
            name = words[2] if len(words) >= 3 and words[1].lower() == "as" else None
            parent = names.get(base.lower())
            inherited = stages[parent] if parent is not None else None
            current = _Building(
                line=line,
                name=name,
                base=base,
                parent=parent,
                workdir=inherited.workdir if inherited is not None else "/",
                cmd=inherited.cmd if inherited is not None else None,
                entrypoint=inherited.entrypoint if inherited is not None else None,
            )
            stages.append(current)
            if name:
                names[name.lower()] = len(stages) - 1
            # a stage built FROM another keeps its ENV; each stage starts from the global ARGs
            variables = {**global_args, **(stage_env[parent] if parent is not None else {})}
            stage_env.append(variables)
            continue
        if current is None:
            continue
        if kind in ("ARG", "ENV"):
            variables.update(_assignments(value, variables))
        elif kind == "WORKDIR":
            words = _words(value, variables)
            if words:
                current.workdir = posixpath.normpath(posixpath.join(current.workdir, words[0]))
        elif kind in ("COPY", "ADD"):
            heredoc = bool(instruction.get("heredoc", False))
            copy = _copy(value, line, current.workdir, variables, heredoc)
            if copy is not None:
                current.copies.append(copy)
        elif kind in ("CMD", "ENTRYPOINT"):
            command = _command(_expand(value, variables), line)
            if kind == "CMD":
                current.cmd = command
            else:
                current.entrypoint = command
                current.cmd = None  # an ENTRYPOINT resets the CMD inherited so far
    return ImageFacts(stages=[stage.done() for stage in stages])


def _words(value: str, variables: dict[str, str]) -> list[str]:
    try:
        return list(WordSplitter(value, args=variables, envs={}).split(dequote=True))
    except Exception:
        return value.split()


def _assignments(value: str, variables: dict[str, str]) -> dict[str, str]:
    """`A=1 B="two"` or the legacy `A 1` of ENV."""
    words = _words(value, variables)
    found: dict[str, str] = {}
    if words and "=" not in words[0]:
        found[words[0]] = " ".join(words[1:])
        return found
    for word in words:
        key, _, default = word.partition("=")
        found[key] = default
    return found


def _copy(
    value: str, line: int, workdir: str, variables: dict[str, str], heredoc: bool
) -> Copy | None:
    stripped = value.strip()
    flags: list[str] = []
    while stripped.startswith("--"):
        flag, _, stripped = stripped.partition(" ")
        flags.append(flag)
        stripped = stripped.lstrip()
    if stripped.startswith("["):
        try:
            parts = [str(part) for part in json.loads(stripped)]
        except (ValueError, TypeError):
            parts = _words(stripped, variables)
    else:
        parts = _words(stripped, variables)
    if len(parts) < 2:
        return None
    *sources, destination = parts
    from_stage = next((f.split("=", 1)[1] for f in flags if f.startswith("--from=")), None)
    return Copy(
        line=line,
        sources=[s for s in sources if not s.startswith("<<")],
        destination=_absolute(workdir, destination),
        from_stage=from_stage,
        heredoc=heredoc,
    )


def _absolute(workdir: str, path: str) -> str:
    joined = posixpath.normpath(posixpath.join(workdir, path))
    return joined + "/" if path.endswith("/") and joined != "/" else joined


_VARIABLE = re.compile(r"\$\{(\w+)\}|\$(\w+)")


def _expand(value: str, variables: dict[str, str]) -> str:
    """`$VAR` and `${VAR}` replaced by the stage's ARG/ENV values (unknown ones kept)."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2)
        return variables.get(name, match.group(0))

    return _VARIABLE.sub(replace, value)


def _command(value: str, line: int) -> Command:
    stripped = value.strip()
    if stripped.startswith("["):
        try:
            return Command(line=line, argv=[str(p) for p in json.loads(stripped)], shell=False)
        except (ValueError, TypeError):
            pass
    return Command(line=line, argv=[stripped], shell=True)
