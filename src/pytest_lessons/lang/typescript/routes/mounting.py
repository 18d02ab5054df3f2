"""Where a Hono sub-app serves: the `app.route(path, sub)` mounts that reach it across files.

A route file registers `app.post("/", ...)` on a sub-app it exports (`export { app as
notesRouter }`, `export const notesRouter = app`); another file mounts it
(`routers.route("/notes", notesRouter)`), and that file's app may itself be mounted further up.
Extraction sees one file at a time (`routes.express`); this index joins the mounts across the
repository through the project's symbol index, so every lesson reads the same answer: the full
path prefix of a receiver, and each (file, mount) that mounts it, for a lesson to ask what runs
before the mount in the parent (its `use(...)` middlewares).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from pytest_lessons.lang.typescript.project_index import JsProject
from pytest_lessons.lang.typescript.routes.facts import Mount, RouteFileFacts

__all__ = ["MAX_MOUNT_DEPTH", "MountIndex"]

MAX_MOUNT_DEPTH = 6
"""Mount chains deeper than this are not followed (real apps nest three or four levels)."""


@dataclass
class MountIndex:
    """The Hono mounts of a repository, keyed by the (file, binding) they mount."""

    routes: Mapping[str, RouteFileFacts]
    project: JsProject
    _by_target: dict[tuple[str, str], list[tuple[str, Mount]]] | None = None
    _names: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    def names(self, rel: str, receiver: str) -> list[str]:
        """`receiver` and the module-level names it is known by in `rel`: a constant copying it
        (`export const notesRouter = app`) and the names either is exported as."""
        key = (rel, receiver)
        if key not in self._names:
            module = self.project.modules.get(rel)
            names = [receiver]
            if module is not None:
                names.extend(
                    name
                    for name, value in module.constants.items()
                    if value.kind == "alias" and value.alias == receiver
                )
                names.extend(
                    export.exported
                    for export in module.exports
                    if export.local in names and export.source is None
                )
            self._names[key] = list(dict.fromkeys(names))
        return self._names[key]

    def mounts_of(self, rel: str, receiver: str) -> list[tuple[str, Mount]]:
        """Each (parent file, mount) that mounts `receiver` of `rel` as a sub-app, in another
        file or in `rel` itself."""
        index = self._index()
        found: list[tuple[str, Mount]] = []
        for name in self.names(rel, receiver):
            found.extend(index.get((rel, name), []))
        return found

    def prefix(self, rel: str, receiver: str, depth: int = 0) -> str | None:
        """The path prefix the mounts put before `receiver`'s own routes (the first mount at each
        level), or None when nothing in another file mounts it."""
        if depth >= MAX_MOUNT_DEPTH:
            return None
        for parent, mount in self.mounts_of(rel, receiver):
            if mount.path is None:
                continue
            above = self.prefix(parent, mount.receiver, depth + 1)
            if parent == rel:  # extraction already put a same-file mount's path in the route's
                return above
            return _join(above, mount.path) if above is not None else mount.path
        return None

    def _index(self) -> dict[tuple[str, str], list[tuple[str, Mount]]]:
        if self._by_target is None:
            self._by_target = {}
            for rel, facts in self.routes.items():
                for mount in facts.mounts:
                    if mount.sub_app is None:
                        continue
                    target = self._target(rel, mount.sub_app)
                    if target is not None:
                        self._by_target.setdefault(target, []).append((rel, mount))
        return self._by_target

    def _target(self, rel: str, name: str) -> tuple[str, str] | None:
        symbols = self.project.symbols
        found = (
            symbols.resolve_dotted(rel, name) if "." in name else symbols.resolve_local(rel, name)
        )
        if found is None or found.name == "*":
            return None
        return found.rel, found.name


def _join(prefix: str, path: str) -> str:
    joined = prefix.rstrip("/") + "/" + path.lstrip("/")
    return joined.rstrip("/") or "/"
