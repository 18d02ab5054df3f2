"""`dockerfile-ships-migrations`: an image that runs alembic without alembic.ini or the scripts.

alembic reads `alembic.ini` (or the `-c` file) from the directory it runs in, and the ini's
`script_location` (relative to that directory, or to the ini with `%(here)s`) must hold `env.py`
and the versions. An image that runs `alembic upgrade head` (its CMD or ENTRYPOINT, an entrypoint
script it copies, or a compose service or Kubernetes init container started from it) but whose
final stage never copies those files fails at start-up with "No 'script_location' key found in
configuration", or with a missing env.py.

For every Dockerfile the judge:

1. finds the commands that run alembic: the final stage's ENTRYPOINT + CMD, compose services
   built from it (or sharing its image) and Kubernetes containers whose image is named after it
   (`command`, `args`, `working_dir`), directly or through a shell script the image holds;
2. infers the build context: a compose `build.context`, else whichever of the Dockerfile's own
   directory and the repository root holds the most of its COPY sources;
3. maps `<workdir>/alembic.ini` and `<workdir>/<script_location>/env.py` back through the COPY/ADD
   instructions (`image`) to context paths, which must exist and not be excluded by the context's
   `.dockerignore` (or the Dockerfile's own `<name>.dockerignore`).

Nothing is reported when the repository holds no alembic ini at all, or the command's working
directory cannot be known (a `cd $VAR`).
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass

from pytest_lessons.checks.base import ByHalf, Check, FactsByHalf
from pytest_lessons.checks.dockerfile_ships_migrations.halves import (
    DockerfileHalf,
    DockerignoreHalf,
    IniFacts,
    IniHalf,
    PathHalf,
    ScriptFacts,
    ScriptHalf,
    WorkloadHalf,
)
from pytest_lessons.checks.dockerfile_ships_migrations.image import context_source
from pytest_lessons.findings import Finding
from pytest_lessons.lang.deploy.dockerfile import ImageFacts
from pytest_lessons.lang.deploy.shell import AlembicRun, alembic_runs, python_runs, scripts_run
from pytest_lessons.lang.deploy.workloads import DeployFacts, Workload, dockerfile_for_image
from pytest_lessons.options import NoOptions
from pytest_lessons.workspace import gitignore_spec

__all__ = ["DockerfileShipsMigrations"]

_PATH = ("/usr/local/bin", "/usr/bin", "/bin", "/usr/local/sbin")
"""Where a command named without a directory is found, as in the python images' PATH."""


@dataclass(frozen=True)
class _Run:
    """alembic run by the image: how it is started, from where, with which ini."""

    how: str
    line: int
    """The Dockerfile line to report on."""
    workdir: str | None
    config: str
    program: str | None = None
    """A Python program that runs alembic through its API (its ini path is computed, so the
    files only have to be somewhere in the image)."""


class DockerfileShipsMigrations(Check[NoOptions, ByHalf]):
    options_model = NoOptions
    halves = (DockerfileHalf, DockerignoreHalf, WorkloadHalf, ScriptHalf, IniHalf, PathHalf)

    def judge_halves(self, facts: FactsByHalf) -> Iterable[Finding]:
        images = facts.of(DockerfileHalf)
        inis = {p: f for p, f in facts.of(IniHalf).items() if f.script_location is not None}
        if not images or not inis:
            return
        judge = _Judge(
            paths=facts.paths,
            api_runners={p for p, f in facts.of(PathHalf).items() if f.runs_alembic},
            inis=inis,
            scripts=facts.of(ScriptHalf),
            ignores={p: f.patterns for p, f in facts.of(DockerignoreHalf).items()},
            workloads=facts.of(WorkloadHalf),
            dockerfiles=sorted(images),
        )
        for path in sorted(images):
            yield from judge.image(self, path, images[path])


class _Judge:
    def __init__(
        self,
        *,
        paths: list[str],
        api_runners: set[str],
        inis: Mapping[str, IniFacts],
        scripts: Mapping[str, ScriptFacts],
        ignores: Mapping[str, list[str]],
        workloads: Mapping[str, DeployFacts],
        dockerfiles: list[str],
    ) -> None:
        self.files = set(paths)
        self.api_runners = api_runners
        self.directories: set[str] = set()
        for path in paths:
            directory = posixpath.dirname(path)
            while directory and directory not in self.directories:
                self.directories.add(directory)
                directory = posixpath.dirname(directory)
        self.inis = inis
        self.scripts = scripts
        self.ignores = ignores
        self.workloads = [w for facts in workloads.values() for w in facts.workloads]
        self.dockerfiles = dockerfiles

    def exists(self, path: str) -> bool:
        if path.endswith("/"):
            return path.rstrip("/") in self.directories or path == "/"
        return path in self.files or path in self.directories or path == ""

    # -- which workloads use this image --------------------------------------------------------

    def _users(self, path: str) -> list[Workload]:
        users: list[Workload] = []
        for workload in self.workloads:
            if workload.source == "compose":
                dockerfile = workload.dockerfile
                if dockerfile is None and workload.build_context is not None:
                    dockerfile = posixpath.join(workload.build_context, "Dockerfile").lstrip("/")
                if dockerfile == path:
                    users.append(workload)
            elif dockerfile_for_image(workload.image, self.dockerfiles) == path:
                users.append(workload)
        return users

    def context(self, path: str, image: ImageFacts, users: list[Workload]) -> str:
        for workload in users:
            if workload.source == "compose" and workload.build_context is not None:
                return workload.build_context
        own = posixpath.dirname(path)
        if not own:
            return ""
        sources = [
            source.rstrip("/")
            for stage in image.stages
            for copy in stage.copies
            if copy.from_stage is None and not copy.heredoc
            for source in copy.sources
            if source not in (".", "./") and not any(ch in source for ch in "*?[$")
        ]

        def score(context: str) -> int:
            return sum(
                1 for s in sources if self.exists(posixpath.normpath(posixpath.join(context, s)))
            )

        return "" if score("") > score(own) else own

    # -- what runs alembic ---------------------------------------------------------------------

    def runs(self, image: ImageFacts, context: str, users: list[Workload]) -> Iterator[_Run]:
        final = image.stages[-1]
        own = [
            *(final.entrypoint.argv if final.entrypoint else []),
            *(final.cmd.argv if final.cmd else []),
        ]
        starter = final.entrypoint or final.cmd
        line = starter.line if starter is not None else final.line
        if own:
            yield from self._runs_of(
                " ".join(own), "its CMD/ENTRYPOINT", line, final.workdir, image, context
            )
        for workload in users:
            command = [*workload.entrypoint, *workload.command]
            if not command:
                continue
            workdir = workload.working_dir or final.workdir
            yield from self._runs_of(
                " ".join(command), workload.origin, final.line, workdir, image, context
            )

    def _runs_of(
        self, command: str, how: str, line: int, workdir: str, image: ImageFacts, context: str
    ) -> Iterator[_Run]:
        for run in alembic_runs(command.replace("&&", "\n").replace(";", "\n")):
            yield self._run(run, how, line, workdir)
        yield from self._programs(python_runs(command), how, line, workdir, image, context)
        for script in scripts_run(command):
            places = [posixpath.normpath(posixpath.join(workdir, script))]
            if "/" not in script:  # found through PATH
                places.extend(f"{directory}/{script}" for directory in _PATH)
            facts: ScriptFacts | None = None
            for image_path in places:
                source = context_source(
                    image_path, image.stages, len(image.stages) - 1, context, self.exists
                )
                facts = self.scripts.get(source) if source is not None else None
                if facts is not None:
                    break
            for run in facts.runs if facts is not None else ():
                yield self._run(run, f"{how}, through {script}", line, workdir)
            if facts is not None:
                through = f"{how}, through {script}"
                yield from self._programs(facts.python, through, line, workdir, image, context)

    def _programs(
        self,
        programs: list[str],
        how: str,
        line: int,
        workdir: str,
        image: ImageFacts,
        context: str,
    ) -> Iterator[_Run]:
        """Python programs that run alembic through its API."""
        final = len(image.stages) - 1
        for program in programs:
            if program.endswith(".py"):
                relatives = [program]
            else:
                stem = program.replace(".", "/")
                relatives = [f"{stem}.py", f"{stem}/__main__.py", f"{stem}/__init__.py"]
            found: str | None = None
            for relative in relatives:
                image_path = posixpath.normpath(posixpath.join(workdir, relative))
                source = context_source(image_path, image.stages, final, context, self.exists)
                if source in self.api_runners:
                    found = source
                    break
            if found is None and not program.endswith(".py"):  # an installed package
                tails = tuple(f"/{relative}" for relative in relatives)
                found = next(
                    (
                        p
                        for p in sorted(self.api_runners)
                        if (not context or p.startswith(context + "/")) and f"/{p}".endswith(tails)
                    ),
                    None,
                )
            if found is not None:
                yield _Run(
                    how=f"{how}, through {program}",
                    line=line,
                    workdir=workdir,
                    config="alembic.ini",
                    program=found,
                )

    @staticmethod
    def _run(run: AlembicRun, how: str, line: int, workdir: str) -> _Run:
        directory: str | None = workdir
        if run.cwd_unknown:
            directory = None
        elif run.cwd is not None:
            directory = posixpath.normpath(posixpath.join(workdir, run.cwd))
        return _Run(how=how, line=line, workdir=directory, config=run.config or "alembic.ini")

    # -- the verdict ---------------------------------------------------------------------------

    def image(
        self, check: DockerfileShipsMigrations, path: str, image: ImageFacts
    ) -> Iterator[Finding]:
        if not image.stages:
            return
        users = self._users(path)
        context = self.context(path, image, users)
        for run in self.runs(image, context, users):
            if run.workdir is None:
                continue
            message = self._missing(run, image, context, path)
            if message is not None:
                yield check.finding(path, run.line, 1, message)
                return

    def _missing(self, run: _Run, image: ImageFacts, context: str, path: str) -> str | None:
        assert run.workdir is not None
        if run.program is not None:
            return self._missing_anywhere(run, image, context, path)
        final = len(image.stages) - 1
        ini_image = posixpath.normpath(posixpath.join(run.workdir, run.config))
        ini = context_source(ini_image, image.stages, final, context, self.exists)
        ignored = self._ignored(context, path)
        shown = context or "."
        problems: list[str] = []
        why = self._absent(ini, ignored, "no COPY/ADD brings it")
        if why is not None:
            candidate = self._ini_in(context, posixpath.dirname(path))
            if candidate is None:
                return None  # no alembic ini in this context: nothing to ship from it
            problems.append(
                f"alembic reads {ini_image}, but {why} (the build context {shown} has it at "
                f"{candidate})"
            )
            ini = candidate
        if ini is None or ini not in self.inis:
            return None if not problems else self._message(run, problems, context)
        location = self.inis[ini].script_location
        if location is None:
            return None if not problems else self._message(run, problems, context)
        if "%(here)s" in location:
            scripts = posixpath.normpath(location.replace("%(here)s", posixpath.dirname(ini_image)))
        else:
            scripts = posixpath.normpath(posixpath.join(run.workdir, location))
        env = context_source(
            posixpath.join(scripts, "env.py"), image.stages, final, context, self.exists
        )
        why = self._absent(env, ignored, "no COPY/ADD brings its env.py")
        if why is not None:
            wanted = self._scripts_in(context, location, ini)
            problems.append(
                f"script_location `{location}` ({ini}) is {scripts} in the image, but {why}"
                + (f" (the build context has it at {wanted})" if wanted else "")
            )
        return self._message(run, problems, context) if problems else None

    def _absent(
        self, found: str | None, ignored: Callable[[str], bool], uncopied: str
    ) -> str | None:
        """Why the context path an image path maps to is not in the image, or None if it is."""
        if found is None or found not in self.files:
            return uncopied
        if ignored(found):
            return f"{found} is excluded by .dockerignore"
        return None

    def _missing_anywhere(
        self, run: _Run, image: ImageFacts, context: str, path: str
    ) -> str | None:
        """A program computing its ini path: the context's ini and scripts must be copied
        somewhere into the image."""
        ini = self._ini_in(context, posixpath.dirname(path))
        if ini is None:
            return None
        ignored = self._ignored(context, path)
        problems: list[str] = []
        if not self._copied(ini, image, len(image.stages) - 1, context) or ignored(ini):
            problems.append(f"no COPY/ADD brings {ini} into the image")
        location = self.inis[ini].script_location or ""
        scripts = self._scripts_in(context, location, ini)
        if scripts is not None:
            env = posixpath.join(scripts, "env.py")
            if not self._copied(env, image, len(image.stages) - 1, context) or ignored(env):
                problems.append(f"no COPY/ADD brings {scripts}/ (its script_location)")
        if not problems:
            return None
        return (
            f"this image runs alembic ({run.how}, in {run.workdir}) without its migrations: "
            + "; ".join(problems)
            + ". The container fails when it starts; COPY the ini file and the script_location "
            f"directory into the final stage where {run.program} looks for them"
        )

    def _copied(
        self, source: str, image: ImageFacts, index: int, context: str, depth: int = 0
    ) -> bool:
        """Whether some COPY/ADD of the stage (or those it builds on) takes `source` from the
        build context, directly or through a stage it copies `--from`."""
        if depth > 10:
            return False
        names = {s.name.lower(): i for i, s in enumerate(image.stages) if s.name}
        current: int | None = index
        while current is not None:
            stage = image.stages[current]
            for copy in stage.copies:
                if copy.heredoc:
                    continue
                if copy.from_stage is not None:
                    origin = names.get(copy.from_stage.lower())
                    if origin is not None and self._copied(
                        source, image, origin, context, depth + 1
                    ):
                        return True
                    continue
                for written in copy.sources:
                    covered = posixpath.normpath(
                        posixpath.join(context, written.rstrip("/") or ".")
                    )
                    covered = "" if covered == "." else covered
                    if any(ch in written for ch in "*?["):
                        from fnmatch import fnmatchcase

                        if fnmatchcase(source, covered):
                            return True
                    elif not covered or source == covered or source.startswith(covered + "/"):
                        return True
            current = stage.parent
        return False

    def _message(self, run: _Run, problems: list[str], context: str) -> str:
        failure = (
            " (\"No 'script_location' key found in configuration\")"
            if problems[0].startswith("alembic reads")
            else ""
        )
        return (
            f"this image runs alembic ({run.how}, in {run.workdir}) without its migrations: "
            + "; ".join(problems)
            + f". The container fails when it starts{failure}; COPY alembic.ini and the "
            f"script_location directory into {run.workdir} in the final stage"
        )

    def _ini_in(self, context: str, near: str) -> str | None:
        """The alembic ini of the build context nearest the Dockerfile."""

        def shared(path: str) -> int:
            depth = 0
            for a, b in zip(path.split("/")[:-1], near.split("/"), strict=False):
                if a != b:
                    break
                depth += 1
            return depth

        found = sorted(
            (p for p in self.inis if not context or p.startswith(context + "/")),
            key=lambda p: (-shared(p), p.count("/"), p),
        )
        return found[0] if found else None

    def _scripts_in(self, context: str, location: str, ini: str) -> str | None:
        if "%(here)s" in location:
            location = location.replace("%(here)s", posixpath.dirname(ini) or ".")
            candidate = posixpath.normpath(location)
        else:
            candidate = posixpath.normpath(posixpath.join(context, location))
        return candidate if self.exists(posixpath.join(candidate, "env.py")) else None

    def _ignored(self, context: str, dockerfile: str) -> Callable[[str], bool]:
        patterns = self.ignores.get(f"{dockerfile}.dockerignore")
        if patterns is None:
            patterns = self.ignores.get(posixpath.join(context, ".dockerignore").lstrip("/"), [])
        spec = gitignore_spec(_anchored(p) for p in patterns) if patterns else None

        def ignored(path: str) -> bool:
            if spec is None:
                return False
            relative = path[len(context) + 1 :] if context else path
            return spec.match_file(relative)

        return ignored


def _anchored(pattern: str) -> str:
    """Docker matches `.dockerignore` patterns from the context root (`tmp` is `/tmp` only)."""
    negated = pattern.startswith("!")
    body = pattern[1:] if negated else pattern
    body = body.lstrip("/")
    if not body.startswith("**"):
        body = "/" + body
    return ("!" if negated else "") + body
