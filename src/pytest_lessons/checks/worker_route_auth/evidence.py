"""What both halves of `worker-route-auth` record per function: the evidence its text shows.

Evidence kinds (each half's docstring says how its language shows them): `secret`, a secret
compared with something that is not a literal; `signature`, a signature check; `reject`, a
401/403 answer; `answers-only` (TypeScript) and `dispatch` (Python), a body that serves nothing
itself; `forwards-caller` (TypeScript), a proxy passing the caller's own credentials to a
service that checks them. Whom a unit calls is kept by name; the judge follows the names across
files.
"""

from __future__ import annotations

import re

from pydantic import Field

from pytest_lessons.lang.common.records import Record

__all__ = ["CHECK_IN_TRY", "Evidence"]

CHECK_IN_TRY = re.compile(
    r"\b\w*(?:verif|decode|auth|token|session|jwt|signature|credential|unsign|validate"
    r"|login|permission|user|api_?key|secret|construct_?event)\w*\s*\(",
    re.IGNORECASE,
)
"""A `try` around such a call is the check itself (`try { decode(token) } catch { 401 }`,
`try: jwt.decode(...) except JWTError: raise HTTPException(401)`): its catch/except answering
401 is the check's "no", and stays evidence. Any other catch/except (a wrapper's catch around
`handler(req)` that logs the caller, an error mapper) runs after the work has started, and
nothing in it is evidence. Broad on purpose: a name that might be a check keeps the catch."""


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
    platform_webhook: bool = False
    """The body hands the request to a chat-platform SDK's webhook table (`bot.webhooks.slack(
    request)`): evidence when the project depends on such an SDK, whose adapters verify the
    platform's signature or secret before any handler runs."""
    webhook_owners: list[str] = Field(default_factory=list)
    """Who holds that webhook table (`bot` of `bot.webhooks.slack`): the SDK may be a dependency
    of the workspace package the bot is imported from rather than of the route's own."""
    unset_reads: list[str] = Field(default_factory=list)
    """Secrets read in place (`env.X`, `process.env.X`) by a guard an unset variable lets through
    (`if (body.field !== env.X) return 403`: `undefined !== undefined` is false)."""
    if_unset: Evidence | None = None
    """The unit's evidence without those guards: what counts when a read variable may be unset
    (the judge decides from the env schema)."""
    directory_sync: bool = False
    """The body hands the request to a directory-sync (SCIM) handler's `requests.handle(...)`:
    evidence when the handler comes from SAML Jackson, which checks the directory's bearer
    token before acting."""
    compares: bool = False
    """The body compares two non-literal values (`===`, `==`, `timingSafeEqual`,
    `compare_digest`...)."""
