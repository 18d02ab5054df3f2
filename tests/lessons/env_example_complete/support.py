"""What the tests of `env-example-complete` share: the check, a run, and snippets."""

from __future__ import annotations

from typing import Any

from pytest_lessons.checks.env_example_complete import EnvExampleComplete
from pytest_lessons.findings import Finding
from pytest_lessons.testing import judge_files
from pytest_lessons.testing import make_check as build_check

LESSON_ID = "env-example-complete"


def make_check(**overrides: Any) -> EnvExampleComplete:
    check = build_check(LESSON_ID, **overrides)
    assert isinstance(check, EnvExampleComplete)
    return check


def run(files: dict[str, str], *, prefilter: bool = True, **overrides: Any) -> list[Finding]:
    return judge_files(make_check(**overrides), files, use_prefilter=prefilter)


def sites(files: dict[str, str], **overrides: Any) -> list[tuple[str | None, int]]:
    found = [(f.path, f.line) for f in run(files, **overrides)]
    assert found == [(f.path, f.line) for f in run(files, prefilter=False, **overrides)]
    return found


ROUTE = """\
export async function GET(request: Request) {
  const secret = process.env.CRON_SECRET;
  const key = process.env.POSTHOG_KEY ?? "";
  return Response.json({ db: process.env.DATABASE_URL, secret, key });
}
"""


CONFIG = """\
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict({prefix})

    secret_key: str
    jwt_secret: str


settings = Settings()
"""
