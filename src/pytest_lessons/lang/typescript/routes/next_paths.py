"""Next.js file-system routing: which files are routes, pages or API handlers, and their URL."""

from __future__ import annotations

import re

_SCRIPT_SUFFIXES = (".ts", ".tsx", ".js", ".jsx", ".mjs")

_GROUP = re.compile(r"^\(.*\)$")
_INTERCEPT = re.compile(r"^(\(\.{1,3}\))+")
_DYNAMIC = re.compile(r"^\[{1,2}(?:\.\.\.)?([^\[\]]+)\]{1,2}$")
_PAGES_SPECIAL = frozenset({"_app", "_document", "_error", "middleware_facts"})


def _app_dir_index(parts: list[str]) -> int | None:
    """Index of the App Router's `app` folder: `src/app` first, else the first `app` folder."""
    candidates = [i for i, part in enumerate(parts[:-1]) if part == "app"]
    for index in candidates:
        if index > 0 and parts[index - 1] == "src":
            return index
    return candidates[0] if candidates else None


def _pages_dir_index(parts: list[str]) -> int | None:
    candidates = [i for i, part in enumerate(parts[:-1]) if part == "pages"]
    for index in candidates:
        if index > 0 and parts[index - 1] == "src":
            return index
    return candidates[0] if candidates else None


def script_stem(name: str) -> str | None:
    for suffix in _SCRIPT_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return None


def next_route_kind(rel: str) -> tuple[str, int] | None:
    """("app-route" | "app-page" | "pages-api" | "pages-page", index of the router dir)."""
    parts = rel.split("/")
    stem = script_stem(parts[-1])
    if stem is None or stem.endswith(".d"):
        return None
    app = _app_dir_index(parts)
    if app is not None and stem in ("route", "page"):
        return ("app-route" if stem == "route" else "app-page", app)
    pages = _pages_dir_index(parts)
    if pages is not None and app is None:
        if len(parts) > pages + 2 and parts[pages + 1] == "api":
            return "pages-api", pages
        return "pages-page", pages
    return None


def next_route_path(rel: str) -> str | None:
    """The URL path of an App Router `route`/`page` file or a Pages Router file, else None.

    `(group)` and `@slot` folders vanish from the URL, interception markers (`(.)photo`) are
    dropped, `[param]`/`[...slug]`/`[[...slug]]` are kept as written, and `_private` folders (and
    Pages Router `_app`/`_document`) are not routable at all.
    """
    kind = next_route_kind(rel)
    if kind is None:
        return None
    route_kind, index = kind
    parts = rel.split("/")
    folders = parts[index + 1 : -1]
    stem = script_stem(parts[-1]) or ""
    if route_kind.startswith("pages"):
        if stem in _PAGES_SPECIAL:
            return None
        if stem != "index":
            folders = [*folders, stem]
    segments: list[str] = []
    for folder in folders:
        if folder.startswith("_"):
            return None
        if route_kind.startswith("app"):
            if folder.startswith("@") or _GROUP.match(folder):
                continue
            folder = _INTERCEPT.sub("", folder)
        segments.append(folder)
    return "/" + "/".join(segments)


def route_params(path: str | None) -> list[str]:
    """Dynamic segment names of a Next (`[id]`, `[...slug]`) or express-style (`:id`) path."""
    if path is None:
        return []
    names: list[str] = []
    for segment in path.split("/"):
        match = _DYNAMIC.match(segment)
        if match:
            names.append(match.group(1))
        names.extend(re.findall(r":([A-Za-z_$][\w$]*)", segment))
    return names


def next_project_root(rel: str) -> str | None:
    kind = next_route_kind(rel)
    if kind is None:
        return None
    parts = rel.split("/")[: kind[1]]
    if parts and parts[-1] == "src":
        parts = parts[:-1]
    return "/".join(parts)
