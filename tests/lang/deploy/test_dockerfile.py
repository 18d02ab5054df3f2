"""The Dockerfile layer: stages, working directories, copies and commands as the image has them."""

from __future__ import annotations

from pytest_lessons.lang.deploy.dockerfile import image_facts
from pytest_lessons.lang.deploy.shell import alembic_runs, python_runs, scripts_run
from pytest_lessons.source import SourceFile

DOCKERFILE = """\
# syntax=docker/dockerfile:1
ARG PY=3.12
FROM python:${PY}-slim AS base
ENV APP_HOME=/srv/app
WORKDIR $APP_HOME
COPY --chown=app:app pyproject.toml \\
     alembic.ini ./
RUN <<EOT
pip install .
COPY not-an-instruction /nowhere
EOT
FROM base AS final
WORKDIR api
COPY ["src/", "src/"]
COPY --from=base /srv/app/alembic.ini ./
CMD ["sh", "-c", "cd $APP_HOME && alembic upgrade head"]
"""


def test_stages_inherit_workdir_env_and_expand_variables() -> None:
    stages = image_facts(SourceFile.from_text("Dockerfile", DOCKERFILE)).stages
    base, final = stages
    assert (base.name, base.base, base.workdir) == ("base", "python:3.12-slim", "/srv/app")
    assert [(c.sources, c.destination) for c in base.copies] == [
        (["pyproject.toml", "alembic.ini"], "/srv/app/")
    ]  # the heredoc body is not read as instructions
    assert (final.parent, final.workdir) == (0, "/srv/app/api")
    assert [(c.sources, c.destination, c.from_stage) for c in final.copies] == [
        (["src/"], "/srv/app/api/src/", None),
        (["/srv/app/alembic.ini"], "/srv/app/api/", "base"),
    ]
    assert final.cmd is not None and final.cmd.line == 16
    assert final.cmd.argv == ["sh", "-c", "cd /srv/app && alembic upgrade head"]


def test_an_entrypoint_resets_the_inherited_cmd() -> None:
    text = 'FROM x AS a\nCMD ["a"]\nFROM a\nENTRYPOINT /entry.sh\n'
    final = image_facts(SourceFile.from_text("Dockerfile", text)).stages[-1]
    assert final.cmd is None
    assert final.entrypoint is not None and final.entrypoint.argv == ["/entry.sh"]
    assert final.entrypoint.shell


def test_alembic_runs_follow_cd_and_ignore_prose() -> None:
    script = (
        "#!/bin/sh\n"
        'echo "running alembic migrations"\n'
        "cd /app/api && alembic -c conf/alembic.ini upgrade head\n"
        "python -m alembic upgrade head\n"
        'cd "$DIR"\n'
        "alembic stamp head\n"
    )
    runs = alembic_runs(script)
    assert [(r.line, r.config, r.cwd, r.cwd_unknown) for r in runs] == [
        (3, "conf/alembic.ini", "/app/api", False),
        (4, None, "/app/api", False),
        (6, None, None, True),
    ]


def test_programs_and_scripts_a_command_starts() -> None:
    assert scripts_run("bash scripts/prestart.sh && ./entrypoint.sh") == [
        "scripts/prestart.sh",
        "./entrypoint.sh",
    ]
    assert python_runs("python -m pip install x && python -m app.migrate; python3 -u run.py") == [
        "app.migrate",
        "run.py",
    ]
