"""The base model for lesson options: kebab-case keys in TOML, strict about unknown keys."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


def kebab(name: str) -> str:
    return name.replace("_", "-")


class LessonOptions(BaseModel):
    """Options a lesson accepts; its TOML `[options]` table holds the defaults.

    Unknown keys are errors: a misspelt option silently ignored is a lesson silently weakened.
    """

    model_config = ConfigDict(
        extra="forbid", frozen=True, alias_generator=kebab, populate_by_name=True
    )


class NoOptions(LessonOptions):
    """For lessons with nothing to configure."""
