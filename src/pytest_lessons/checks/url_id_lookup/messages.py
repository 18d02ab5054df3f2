"""What a `url-id-lookup` finding says, in the same words for a Next.js page and a FastAPI route."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["param_message", "untied_message"]


def param_message(
    name: str, where: str, verdict: str, calls: Sequence[str], other_lookup: str | None
) -> str:
    """`calls` are the display (or, for "permission", permission-check) calls to name, at most
    three, in the order to show them."""
    shown = ", ".join(f"`{call}`" for call in calls)
    via = f" ({shown})" if shown else ""
    if verdict == "unread":
        what = f"URL parameter `{name}` of {where} is never read"
    elif verdict == "checked":
        what = f"URL parameter `{name}` of {where} is read but never used"
    elif verdict == "permission":
        what = (
            f"URL parameter `{name}` of {where} is only used in a permission "
            f"check{via}, never as the key the record is looked up by"
        )
    else:
        what = (
            f"URL parameter `{name}` of {where} is only displayed, logged or "
            f"echoed{via}, never used as a lookup key"
        )
    if other_lookup:
        what += f"; data is fetched by `{other_lookup}` instead"
    return what


def untied_message(
    shape: str, where: str, param: str, other: str, call: str, check: str | None
) -> str:
    """Two values one handler never ties: two URL ids (`two-ids`), or the URL id and the key of
    a write taken from the request body (`body-write`, `body-override`)."""
    if shape == "two-ids":
        used = f" (`{check}`)" if check else ""
        return (
            f"URL parameters `{param}` and `{other}` of {where} are never tied together: "
            f"`{param}` is checked or loaded{used}, but the record is looked up by `{other}` "
            f"alone (`{call}`), so a record under any other `{param}` passes the same check; "
            f"look it up by both, or compare its `{param}` with the URL's"
        )
    if shape == "body-override":
        return (
            f"{where} loads the record by URL parameter `{param}`, then writes it with the "
            f"request body spread over it (`{call}`): an `id` in the body decides which record "
            "changes; spread the body first, or drop its id"
        )
    return (
        f"{where} uses URL parameter `{param}`, then writes a record keyed by the request body "
        f"instead (`{other}` in `{call}`): the URL id does not decide which record changes; "
        f"key the write by `{param}` too, or check the body's record against it first"
    )
