"""Functions an auth library runs inside the request that signs a user in: request paths too.

NextAuth/Auth.js `callbacks` (`signIn`, `jwt`, `session`, `redirect`, `authorized`) and
better-auth `hooks` (`before`/`after`, often through `createAuthMiddleware`) and `databaseHooks`
(`user.create.after`, ...) are awaited by the library while it answers the sign-in, callback or
session request, and nothing between them and the request catches: a rejection there fails that
request just as it would in a route handler. NextAuth's `events` (`createUser`, `signIn`, ...) are
awaited too but are not request paths in this sense: NextAuth v4 and Auth.js wrap every event
handler in a try/catch that logs the error (`eventsErrorHandler`), so they are left out. No
route file names these functions, so they are found here, per file, from the configuration
object:

* the argument of a call of a function imported from the library (`NextAuth({...})`,
  `betterAuth({...})`, `SvelteKitAuth(...)`), an options object given by name and declared in the
  file (`NextAuth(authOptions)`), or the object a lazy initialiser returns
  (`NextAuth((req) => ({...}))`);
* a declaration typed with one of the library's types (`export const authOptions:
  NextAuthOptions = {...}`, `{...} satisfies NextAuthConfig`), since the options are often
  declared in `lib/auth.ts` and handed to the library from another file.

Inside it, each function under `callbacks` (NextAuth) or `hooks`/`databaseHooks` (better-auth;
nested objects followed) is one `AuthCallback`: its span when written inline, or the name of the
function it refers to (declared in the file or imported).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from ast_grep_py import SgNode

from pytest_lessons.lang.common.records import Record
from pytest_lessons.lang.typescript.nodes import FUNCTION_KINDS, file_nodes
from pytest_lessons.lang.typescript.runtime import ImportedName, imported_names
from pytest_lessons.lang.typescript.syntax import callee_name, dotted_name, span
from pytest_lessons.source import SourceFile

__all__ = ["AuthCallback", "AuthLibrary", "auth_callbacks"]

AuthLibrary = Literal["next-auth", "better-auth"]

_CALLBACK_KEYS: dict[AuthLibrary, frozenset[str]] = {
    "next-auth": frozenset({"callbacks"}),  # not `events`: the library catches their errors
    "better-auth": frozenset({"hooks", "databaseHooks"}),
}
_MAX_DEPTH = 4  # databaseHooks.user.create.after
_TRANSPARENT = frozenset(
    {"parenthesized_expression", "as_expression", "satisfies_expression", "non_null_expression"}
)


class AuthCallback(Record):
    """One function an auth library calls during its own requests."""

    library: AuthLibrary
    name: str
    """Its place in the configuration: `events.createUser`, `databaseHooks.user.create.after`."""
    line: int | None = None
    column: int | None = None
    end_line: int | None = None
    end_column: int | None = None
    """The span of an inline function (or of the call wrapping it: `createAuthMiddleware(...)`)."""
    function: str | None = None
    """A function of this file the configuration names (`signIn: onSignIn`)..."""
    module: str | None = None
    """...or the module an imported one comes from, with its name there (`imported`)."""
    imported: str | None = None

    @property
    def label(self) -> str:
        library = "NextAuth" if self.library == "next-auth" else "better-auth"
        kind = "hook" if self.name.split(".", 1)[0] in ("hooks", "databaseHooks") else "callback"
        return f"the {library} `{self.name}` {kind}"


def _library_of(source: str) -> AuthLibrary | None:
    if source == "next-auth" or source.startswith(("next-auth/", "@auth/")):
        return "next-auth"
    if source == "better-auth" or source.startswith("better-auth/"):
        return "better-auth"
    return None


def auth_callbacks(file: SourceFile) -> list[AuthCallback]:
    """The auth-library callbacks a file configures, read once per run."""
    return file.derived("js-auth-callbacks-v1", _extract)


def _extract(file: SourceFile) -> list[AuthCallback]:
    imports = imported_names(file)
    from_library: dict[str, tuple[AuthLibrary, str, str]] = {}
    for imported in imports:
        library = _library_of(imported.source)
        if library is not None and imported.local is not None:
            from_library[imported.local] = (library, imported.source, imported.imported or "")
    if not from_library:
        return []
    reader = _Reader(file_nodes(file).root, from_library, imports)
    return list(reader.callbacks())


def _unwrap(node: SgNode | None) -> SgNode | None:
    while node is not None and node.kind() in _TRANSPARENT:
        node = next((c for c in node.children() if c.is_named()), None)
    return node


class _Reader:
    def __init__(
        self,
        root: SgNode,
        from_library: dict[str, tuple[AuthLibrary, str, str]],
        imports: list[ImportedName],
    ) -> None:
        self.root = root
        self.from_library = from_library
        self.imported: dict[str, tuple[str, str]] = {
            i.local: (i.source, i.imported or i.local) for i in imports if i.local is not None
        }
        self.declared: dict[str, SgNode] = {}
        self.functions: set[str] = set()
        for declarator in root.find_all(kind="variable_declarator"):
            name = declarator.field("name")
            value = declarator.field("value")
            if name is not None and name.kind() == "identifier" and value is not None:
                self.declared.setdefault(name.text(), value)
        for declaration in root.find_all(kind="function_declaration"):
            name = declaration.field("name")
            if name is not None:
                self.functions.add(name.text())

    def callbacks(self) -> Iterator[AuthCallback]:
        seen: set[tuple[int, int]] = set()
        for library, config in self._configs():
            where = config.range().start.index, config.range().end.index
            if where in seen:
                continue
            seen.add(where)
            for key, value in _members(config):
                if key in _CALLBACK_KEYS[library]:
                    yield from self._walk(library, key, value, 1)

    # -- where the configuration objects are ----------------------------------------------

    def _configs(self) -> Iterator[tuple[AuthLibrary, SgNode]]:
        for call in self.root.find_all(kind="call_expression"):
            name = callee_name(call)
            bound = self.from_library.get(name or "")
            if bound is None:
                continue
            arguments = call.field("arguments")
            for argument in arguments.children() if arguments is not None else []:
                if argument.is_named():
                    yield from ((bound[0], o) for o in self._objects_of(argument, 0))
        for declarator in self.root.find_all(kind="variable_declarator"):
            library = self._typed_as_config(declarator)
            if library is not None:
                value = declarator.field("value")
                if value is not None:
                    yield from ((library, o) for o in self._objects_of(value, 0))

    def _typed_as_config(self, declarator: SgNode) -> AuthLibrary | None:
        """`const x: NextAuthOptions = ...`, `const x = {...} satisfies NextAuthConfig`."""
        types: list[SgNode] = []
        annotation = declarator.field("type")
        if annotation is not None:
            types.append(annotation)
        value = declarator.field("value")
        while value is not None and value.kind() in _TRANSPARENT:
            if value.kind() in ("satisfies_expression", "as_expression"):
                types.extend(c for c in value.children()[1:] if c.is_named())
            value = next((c for c in value.children() if c.is_named()), None)
        for node in types:
            for identifier in node.find_all(kind="type_identifier"):
                bound = self.from_library.get(identifier.text())
                if bound is not None:
                    return bound[0]
        return None

    def _objects_of(self, node: SgNode, depth: int) -> Iterator[SgNode]:
        """The object literals an argument or declaration evaluates to."""
        value = _unwrap(node)
        if value is None or depth > 2:
            return
        kind = value.kind()
        if kind == "object":
            yield value
        elif kind == "identifier" and value.text() in self.declared:
            yield from self._objects_of(self.declared[value.text()], depth + 1)
        elif (
            kind in FUNCTION_KINDS
        ):  # `NextAuth((req) => ({ ... }))`, `async () => { return {...} }`
            body = value.field("body")
            if body is None:
                return
            if body.kind() != "statement_block":
                yield from self._objects_of(body, depth + 1)
                return
            for statement in body.find_all(kind="return_statement"):
                returned = next((c for c in statement.children() if c.is_named()), None)
                if returned is not None:
                    yield from self._objects_of(returned, depth + 1)

    # -- the callbacks inside one ---------------------------------------------------------

    def _walk(
        self, library: AuthLibrary, name: str, value: SgNode, depth: int
    ) -> Iterator[AuthCallback]:
        node = _unwrap(value)
        if node is None:
            return
        kind = node.kind()
        if kind == "object":
            if depth >= _MAX_DEPTH:
                return
            for key, member in _members(node):
                yield from self._walk(library, f"{name}.{key}", member, depth + 1)
        elif (
            kind in FUNCTION_KINDS
            or kind == "method_definition"
            or (kind == "call_expression" and _wraps_function(node))
        ):
            where = span(node)
            yield AuthCallback(
                library=library,
                name=name,
                line=where.line,
                column=where.column,
                end_line=where.end_line,
                end_column=where.end_column,
            )
        elif kind in ("identifier", "shorthand_property_identifier"):
            local = node.text()
            if local in self.imported:
                module, imported = self.imported[local]
                yield AuthCallback(library=library, name=name, module=module, imported=imported)
            elif local in self.functions or local in self.declared:
                yield AuthCallback(library=library, name=name, function=local)
        elif kind == "member_expression" and dotted_name(node) is not None:
            return  # `...authConfig.callbacks.session`: configured elsewhere


def _wraps_function(call: SgNode) -> bool:
    """`createAuthMiddleware(async (ctx) => ...)`: a call handed a function to run later."""
    arguments = call.field("arguments")
    return arguments is not None and any(
        child.kind() in FUNCTION_KINDS for child in arguments.children()
    )


def _members(node: SgNode) -> Iterator[tuple[str, SgNode]]:
    """(key, value) of an object literal's pairs, and (name, method) of its methods."""
    for child in node.children():
        kind = child.kind()
        if kind == "pair":
            key = child.field("key")
            value = child.field("value")
            if key is not None and value is not None:
                yield key.text().strip("'\""), value
        elif kind == "method_definition":
            key = child.field("name")
            if key is not None:
                yield key.text(), child
        elif kind == "shorthand_property_identifier":
            yield child.text(), child
