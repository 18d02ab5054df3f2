"""Where a path of the built image comes from in the build context.

The final stage's COPY/ADD instructions (and those of the stages it is built FROM, and of the
stages it copies `--from`) are read backwards from an image path: `COPY . /app` puts every
context path `P` at `/app/P`, `COPY api/ /srv/` puts `api/P` at `/srv/P`, `COPY alembic.ini ./`
puts the file at `<workdir>/alembic.ini`, a glob source copies the files it matches. The answer is
a path of the build context, or None when no instruction brings anything there.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from fnmatch import fnmatchcase

from pytest_lessons.lang.deploy.dockerfile import Copy, Stage

__all__ = ["context_source"]

Exists = Callable[[str], bool]
"""Whether a context path is a file or a directory of the repository."""


def context_source(
    image_path: str, stages: list[Stage], index: int, context: str, exists: Exists, depth: int = 0
) -> str | None:
    """The build-context path that lands at `image_path` in stage `index`, or None."""
    if depth > 10:
        return None
    chain: list[Stage] = []
    current: int | None = index
    while current is not None and len(chain) < 20:
        chain.append(stages[current])
        current = stages[current].parent
    names = {stage.name.lower(): i for i, stage in enumerate(stages) if stage.name}
    fallback: str | None = None

    def in_context(relative: str) -> bool:
        path = _context_path(context, relative.rstrip("/"))
        if path is None:
            return False
        return exists(path + "/" if relative.endswith("/") else path)

    def in_stage(relative: str) -> bool:
        return relative.endswith("/")

    for stage in chain:
        for copy in reversed(stage.copies):
            for source in copy.sources:
                found = _landing(
                    image_path, copy, source, in_stage if copy.from_stage else in_context
                )
                if found is None:
                    continue
                relative = found
                if copy.from_stage is not None:
                    origin = names.get(copy.from_stage.lower())
                    if origin is None:
                        continue  # copied from another image: not this repository's files
                    inner = context_source(
                        _image_absolute(relative), stages, origin, context, exists, depth + 1
                    )
                    if inner is not None:
                        return inner
                    continue
                candidate = _context_path(context, relative)
                if candidate is None:
                    continue
                if exists(candidate):
                    return candidate
                fallback = fallback or candidate
    return fallback


def _landing(image_path: str, copy: Copy, source: str, exists: Exists) -> str | None:
    """The source-side path (relative, as written under `source`) that lands at `image_path`
    through this one source of the instruction, or None."""
    if source.startswith(("http://", "https://", "git@")) or copy.heredoc:
        return None
    destination = copy.destination
    into_directory = destination.endswith("/") or len(copy.sources) > 1
    base = destination.rstrip("/") or "/"
    source_clean = source.rstrip("/") or "."
    if any(ch in source for ch in "*?["):
        parent = posixpath.dirname(source_clean)
        if posixpath.dirname(image_path) == base and fnmatchcase(
            posixpath.basename(image_path), posixpath.basename(source_clean)
        ):
            return posixpath.join(parent, posixpath.basename(image_path))
        return None
    is_directory = source.endswith("/") or source_clean == "." or _is_dir(source_clean, exists)
    if is_directory:
        if image_path == base:
            return source_clean
        if image_path.startswith(base.rstrip("/") + "/"):
            rest = image_path[len(base.rstrip("/")) + 1 :]
            return posixpath.normpath(posixpath.join(source_clean, rest))
        return None
    target = posixpath.join(base, posixpath.basename(source_clean)) if into_directory else base
    return source_clean if image_path == target else None


def _is_dir(source: str, exists: Exists) -> bool:
    return exists(source + "/")


def _context_path(context: str, relative: str) -> str | None:
    joined = posixpath.normpath(posixpath.join(context, relative.lstrip("/")))
    if joined.startswith(".."):
        return None
    return "" if joined == "." else joined


def _image_absolute(path: str) -> str:
    return posixpath.normpath("/" + path) if not path.startswith("/") else path
