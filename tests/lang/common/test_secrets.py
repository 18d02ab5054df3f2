"""Secret-name evidence: the same rules over each language's reader and identifiers."""

from __future__ import annotations

import re
from collections.abc import Sequence

from pytest_lessons.lang.common.secrets import SecretEvidence, is_secret_name

PATTERNS = ("*SECRET*", "*TOKEN*")


def reads_env(text: str, patterns: Sequence[str]) -> bool:
    return any(is_secret_name(m, patterns) for m in re.findall(r"env\.(\w+)", text))


SCRIPT = SecretEvidence(reads_env, re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*"))
PYTHON = SecretEvidence(reads_env, re.compile(r"[A-Za-z_]\w*"))


def test_secret_names_match_the_patterns_case_insensitively() -> None:
    assert is_secret_name("cron_secret", PATTERNS)
    assert is_secret_name("API_TOKEN", ["*token"])
    assert not is_secret_name("DATABASE_URL", PATTERNS)


def test_a_secret_flows_through_bound_names_to_a_fixed_point() -> None:
    bindings = [
        ("expected", "hash(key + body)"),
        ("key", "env.CRON_SECRET"),
        ("header", "request.headers.get('x')"),
        ("again", "expected"),
    ]
    assert SCRIPT.bound_names(bindings, set(), PATTERNS) == {"key", "expected", "again"}
    assert SCRIPT.bound_names([("copy", "known")], {"known"}, PATTERNS) == {"copy"}


def test_mentions_use_the_languages_identifiers() -> None:
    assert SCRIPT.mentions("a === env.MY_TOKEN", (), PATTERNS)
    assert SCRIPT.mentions("check(key, header)", {"key"}, PATTERNS)
    # `$key` is one identifier in JavaScript, and `key` after a `$` in Python text
    assert not SCRIPT.mentions("`${x}$key`", {"key"}, PATTERNS)
    assert PYTHON.mentions("f'$key'", {"key"}, PATTERNS)
    assert not PYTHON.mentions("keyring", {"key"}, PATTERNS)
