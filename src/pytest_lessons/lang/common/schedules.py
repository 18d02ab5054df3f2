"""Which routes run background work: cron jobs and workers, in either language.

`worker-failure-event` asks it of a route's path, in both languages. A path is a worker's when
a scheduler declares it (Vercel's `crons` in `vercel.json`), when one of its segments is, or is
made of words like, `cron` or `worker` (`/api/cron/digest`, `/api/reorder-worker`,
`/internal/worker_tasks`), or when it matches a glob the team configured.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable

__all__ = ["is_worker_path"]

_WORDS = frozenset({"cron", "crons", "worker", "workers"})
_SPLIT = re.compile(r"[-_.]")


def is_worker_path(
    path: str | None, cron_paths: Iterable[str] = (), globs: Iterable[str] = ()
) -> bool:
    """Whether the route at `path` runs a cron job or a worker (see the module docstring)."""
    if not path:
        return False
    bare = path.split("?", 1)[0].rstrip("/") or "/"
    if any(bare == cron.split("?", 1)[0].rstrip("/") for cron in cron_paths):
        return True
    if any(fnmatch.fnmatchcase(candidate, glob) for glob in globs for candidate in (path, bare)):
        return True
    for segment in bare.lower().split("/"):
        if any(word in _WORDS for word in _SPLIT.split(segment.strip("[]{}<>:"))):
            return True
    return False
