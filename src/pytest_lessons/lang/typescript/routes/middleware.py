"""A Next.js `middleware.ts` / `proxy.ts`: where it runs (its matcher) and whether it says no.

A middleware `rejects` when its own body answers with 401/403 (`NextResponse.json(...,
{status: 401})`, `new Response(..., {status: 403})`, `res.status(401)`, a status named
UNAUTHORIZED/FORBIDDEN) or rewrites/redirects to a 401/403 page. A middleware that only redirects
to a login page does not reject: an API caller gets a 3xx and the handler never sees it, which is
protection only by accident, so the lesson gets `redirects` and `calls` and decides.
"""

from __future__ import annotations

import re
from typing import Literal

from ast_grep_py import SgNode

from pytest_lessons.lang.typescript.routes.bindings import (
    Export,
    ModuleScope,
    module_exports,
    unwrap,
)
from pytest_lessons.lang.typescript.routes.facts import MiddlewareFacts
from pytest_lessons.lang.typescript.routes.middleware_paths import path_gates
from pytest_lessons.lang.typescript.routes.next_paths import script_stem
from pytest_lessons.lang.typescript.syntax import (
    call_arguments,
    callee_name,
    dotted_name,
    object_properties,
    string_value,
)

_MIDDLEWARE_STEMS = frozenset({"middleware", "proxy"})
_REJECT_STATUS = re.compile(r"^(401|403)$")
_REJECT_NAMES = re.compile(r"UNAUTHORI[SZ]ED|FORBIDDEN", re.IGNORECASE)


def _middleware_project(rel: str) -> str | None:
    """The project dir of a Next middleware file, or None when the file cannot be one."""
    parts = rel.split("/")
    stem = script_stem(parts[-1])
    if stem not in _MIDDLEWARE_STEMS:
        return None
    folders = parts[:-1]
    if any(
        f
        in (
            "app",
            "pages",
            "node_modules",
            "lib",
            "utils",
            "middleware",
            "middlewares",
            "server",
            "api",
            "routes",
        )
        for f in folders
    ):
        return None
    if folders and folders[-1] == "src":
        folders = folders[:-1]
    return "/".join(folders)


def middleware_facts(root: SgNode, scope: ModuleScope, rel: str) -> MiddlewareFacts | None:
    project = _middleware_project(rel)
    if project is None:
        return None
    exports, _ = module_exports(root)
    chosen: Export | None = None
    exported_as: Literal["middleware", "proxy", "default"] = "default"
    for wanted in ("middleware", "proxy", "default"):
        chosen = next((e for e in exports if e.name == wanted), None)
        if chosen is not None:
            exported_as = (
                "middleware"
                if wanted == "middleware"
                else ("proxy" if wanted == "proxy" else "default")
            )
            break
    if chosen is None:
        return None
    config = next((e for e in exports if e.name == "config"), None)
    nextish = (
        config is not None
        or exported_as != "default"
        or any(
            module.startswith(("next", "@clerk", "@auth", "@supabase", "@kinde"))
            for module, _ in scope.imports.values()
        )
    )
    if not nextish:
        return None
    wrappers, ref, function = chosen.resolve(scope)
    matchers, conditional, dynamic = _matchers(config.value if config is not None else None, scope)
    body = function if function is not None else None
    calls: list[str] = []
    rejects = False
    redirects = False
    if body is not None:
        for call in body.find_all(kind="call_expression"):
            name = callee_name(call)
            if name is not None and name not in calls:
                calls.append(name)
        rejects, redirects = _rejection(body)
    return MiddlewareFacts(
        matchers=matchers,
        conditional_matchers=conditional,
        matcher_dynamic=dynamic,
        rejects=rejects,
        redirects=redirects,
        calls=calls,
        exported_as=exported_as,
        wrapped_by=wrappers,
        handler=ref,
        project_root=project,
        path_gates=path_gates(scope, function, wrappers, chosen.value),
        **chosen.where,
    )


def _matchers(value: SgNode | None, scope: ModuleScope) -> tuple[list[str] | None, list[str], bool]:
    """(matcher sources or None, the ones with has/missing conditions, not a literal)."""
    config = unwrap(value)
    if config is None:
        return None, [], False
    if config.kind() == "identifier" and config.text() in scope.values:
        config = unwrap(scope.values[config.text()])
    if config is None or config.kind() != "object":
        return [], [], True
    matcher = dict(object_properties(config)).get("matcher")
    if matcher is None:
        return None, [], False
    node = unwrap(matcher)
    if node is not None and node.kind() == "identifier" and node.text() in scope.values:
        node = unwrap(scope.values[node.text()])
    if node is None:
        return [], [], True
    entries = [c for c in node.children() if c.is_named()] if node.kind() == "array" else [node]
    sources: list[str] = []
    conditional: list[str] = []
    dynamic = False
    for entry in entries:
        entry = unwrap(entry) or entry
        if entry.kind() == "comment":
            continue
        text = string_value(entry)
        if text is not None:
            sources.append(text)
            continue
        if entry.kind() == "object":
            properties = dict(object_properties(entry))
            source = string_value(unwrap(properties.get("source")))
            if source is None:
                dynamic = True
                continue
            sources.append(source)
            if "has" in properties or "missing" in properties:
                conditional.append(source)
            continue
        dynamic = True
    return sources, conditional, dynamic


def _rejection(body: SgNode) -> tuple[bool, bool]:
    """(answers 401/403 somewhere, redirects somewhere) in a middleware body."""
    rejects = False
    for pair in body.find_all(kind="pair"):
        key = pair.field("key")
        value = pair.field("value")
        if key is None or value is None or key.text().strip("'\"") != "status":
            continue
        if _REJECT_STATUS.match(value.text()) or _REJECT_NAMES.search(value.text()):
            rejects = True
    redirects = False
    for call in body.find_all(kind="call_expression"):
        name = callee_name(call) or ""
        last = name.rsplit(".", 1)[-1]
        arguments = call_arguments(call)
        if last == "status" and arguments and _REJECT_STATUS.match(arguments[0].text()):
            rejects = True
        if last in ("redirect", "rewrite"):
            target = arguments[0].text() if arguments else ""
            if re.search(r"['\"`]/?(401|403|unauthori[sz]ed|forbidden)\b", target, re.I):
                rejects = True
            elif last == "redirect":
                redirects = True
    for new in body.find_all(kind="new_expression"):
        constructor = dotted_name(new.field("constructor")) or ""
        arguments = call_arguments(new)
        if (
            constructor in ("Response", "NextResponse")
            and len(arguments) >= 2
            and _REJECT_STATUS.match(arguments[1].text())
        ):
            rejects = True
    return rejects, redirects
