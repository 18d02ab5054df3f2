"""What a `url-id-lookup` finding says, in the same words for a Next.js page and a FastAPI route."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["param_message"]


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
