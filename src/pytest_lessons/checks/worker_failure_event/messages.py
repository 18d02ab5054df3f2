"""The words of `worker-failure-event`'s findings, the same for both languages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

__all__ = ["ignored_message", "swallow_message"]

Language = Literal["Python", "TypeScript"]


def swallow_message(
    kind: Literal["catch", "promise-catch", "except"],
    logs: Sequence[str],
    where: str,
    language: Language,
) -> str:
    does = f"only logs it (`{'`, `'.join(dict.fromkeys(logs))}`)" if logs else "drops it silently"
    what = {
        "catch": "this per-item `catch`",
        "promise-catch": "this per-item `.catch(...)`",
        "except": "this per-item `except`",
    }[kind]
    rethrow = "`raise`" if language == "Python" else "`throw`"
    return (
        f"{what} in {where} {does}: a failing item leaves no failure event, so the run looks "
        f"healthy while items fail; emit a failure event (an analytics capture such as "
        f"`job_item_failed`, or an error tracker's capture) in it, or {rethrow} so the run fails"
    )


def ignored_message(call: str, where: str, language: Language) -> str:
    return (
        f"the results of {call} in {where} are never looked at: every rejected item is dropped "
        "without a trace; count the failures and emit a failure event (or a run-completed "
        "event with the failure count) from them"
    )
