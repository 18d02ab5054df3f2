"""Secret-name evidence in either language: which names hold a secret, and which text uses one.

A check that a request is authenticated looks for a secret compared with the request. What
reads a secret, and what an identifier looks like, are the language's (`process.env.CRON_SECRET`,
`settings.WORKER_SECRET`): each language layer builds one `SecretEvidence` with them. Which
variable names hold a secret (`secret-name-patterns`: fnmatch, case-insensitive) and how a
secret flows through local names, to a fixed point, are the same everywhere.
"""

from __future__ import annotations

import fnmatch
import functools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

__all__ = ["SecretEvidence", "SecretReader", "is_secret_name"]

SecretReader = Callable[[str, Sequence[str]], bool]
"""`reads_secret(text, patterns)`: whether source text reads a secret where its language keeps
them (the environment, settings)."""


def is_secret_name(name: str, patterns: Sequence[str]) -> bool:
    """Whether a variable name matches one of the secret-name patterns (case-insensitive)."""
    return _secret_name(name, tuple(patterns))


@functools.lru_cache(maxsize=16384)
def _secret_name(name: str, patterns: tuple[str, ...]) -> bool:
    """`is_secret_name`, once per name: the evidence readers ask of every text they keep, and
    a module's texts name the same few settings over and over."""
    upper = name.upper()
    return any(fnmatch.fnmatchcase(upper, pattern.upper()) for pattern in patterns)


@functools.lru_cache(maxsize=16384)
def _identifiers(identifier: re.Pattern[str], text: str) -> frozenset[str]:
    return frozenset(identifier.findall(text))


@dataclass(frozen=True)
class SecretEvidence:
    """How one language's source text shows a secret: read directly, or through a name."""

    reads_secret: SecretReader
    identifier: re.Pattern[str]
    """An identifier of the language, to find the names a text uses."""

    def mentions(self, text: str, names: Iterable[str], patterns: Sequence[str]) -> bool:
        """Whether `text` reads a secret itself, or uses one of the `names` bound to one."""
        if self.reads_secret(text, patterns):
            return True
        if not names:
            return False  # most units bind no secret: no need to find the text's names
        tokens = _identifiers(self.identifier, text)
        return any(name in tokens for name in names)

    def bound_names(
        self, bindings: Sequence[tuple[str, str]], known: set[str], patterns: Sequence[str]
    ) -> set[str]:
        """The names among `bindings` ((name, text of its value)) bound to a secret, directly or
        through other such names or the `known` ones (`expected = hash(SECRET + body)`), to a
        fixed point."""
        names: set[str] = set()
        changed = True
        while changed:
            changed = False
            for bound, source in bindings:
                if bound not in names and self.mentions(source, known | names, patterns):
                    names.add(bound)
                    changed = True
        return names
