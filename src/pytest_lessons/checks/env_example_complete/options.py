"""The options of `env-example-complete`, shared by its halves (defaults in the lesson's TOML)."""

from __future__ import annotations

import re
from fnmatch import fnmatchcase
from functools import cached_property

from pathspec import GitIgnoreSpec
from pydantic import field_validator

from pytest_lessons.options import LessonOptions
from pytest_lessons.workspace import gitignore_spec

__all__ = ["EnvExampleCompleteOptions"]


class EnvExampleCompleteOptions(LessonOptions):
    example_files: tuple[str, ...]
    """File-name globs of env example files (`.env.example`, `.env.*.example`, ...)."""
    platform_variables: tuple[str, ...]
    """Variable-name globs the platform or runtime sets (`NODE_ENV`, `VERCEL_*`): never flagged."""
    exclude_globs: tuple[str, ...]
    """Gitignore-style patterns of files whose reads do not count (tests set their own env)."""
    allow_defaulted: bool
    """Do not flag reads that carry a fallback (`?? "d"`, `os.getenv("X", "d")`, field defaults)."""

    @field_validator("exclude_globs")
    @classmethod
    def _valid_patterns(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for pattern in value:
            try:
                gitignore_spec([pattern])
            except (ValueError, re.error) as error:  # `[z-a]` fails in `re`, not in pathspec
                raise ValueError(
                    f"{pattern!r} is not a valid gitignore pattern ({error})"
                ) from None
        return value

    @cached_property
    def _excluded(self) -> GitIgnoreSpec:
        return gitignore_spec(self.exclude_globs)

    def excludes(self, rel: str) -> bool:
        """Whether the file at `rel` is under `exclude-globs` (its reads do not count)."""
        return self._excluded.match_file(rel)

    def is_example_file(self, rel: str) -> bool:
        name = rel.rsplit("/", 1)[-1]
        return any(fnmatchcase(name, pattern) for pattern in self.example_files)

    def example_rank(self, path: str) -> int:
        """The position of the first `example-files` glob the file matches (best first)."""
        name = path.rsplit("/", 1)[-1]
        for index, pattern in enumerate(self.example_files):
            if fnmatchcase(name, pattern):
                return index
        return len(self.example_files)
