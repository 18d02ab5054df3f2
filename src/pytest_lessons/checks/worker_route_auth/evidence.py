"""What both halves of `worker-route-auth` record per function: the evidence its text shows.

Evidence kinds (each half's docstring says how its language shows them): `secret`, a secret
compared with something that is not a literal; `signature`, a signature check; `reject`, a
401/403 answer; `refuse-only` (TypeScript) and `dispatch` (Python), a body that serves nothing
itself. Whom a unit calls is kept by name; the judge follows the names across files.
"""

from __future__ import annotations

from pydantic import Field

from pytest_lessons.lang.common.records import Record

__all__ = ["Evidence"]


class Evidence(Record):
    """What one unit (a function, a class, a top-level binding) shows by itself, and whom it
    calls."""

    kinds: list[str] = Field(default_factory=list)
    calls: list[str] = Field(default_factory=list)
    secret_calls: list[str] = Field(default_factory=list)
    """Callees handed a secret as an argument (`secretMatches(header, process.env.X)`,
    `tokens_match(header, settings.WORKER_SECRET)`): evidence when the callee compares its
    arguments."""
    idle_verifies: list[str] = Field(default_factory=list)
    """Signature checks whose result cannot stop the request (a promise tested without `await`,
    a true/false verdict dropped): named in the message, never evidence."""
    compares: bool = False
    """The body compares two non-literal values (`===`, `==`, `timingSafeEqual`,
    `compare_digest`...)."""
