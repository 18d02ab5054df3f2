"""Does a Next.js `middleware.ts` matcher run on a route? Evaluated the way Next.js does.

`worker-route-auth` accepts auth in middleware only when the middleware actually runs on the route,
and the most common matcher in real apps, `/((?!api|_next/static|_next/image|favicon.ico).*)`,
excludes every API route: an approximation ("it mentions /api, so it covers it") would turn
exactly the postmortem's bug into a pass. So this is a small port of what Next does with a matcher
source: path-to-regexp v6 (`parse` + `tokensToRegexp` with `delimiter: "/"`, `strict: true`,
case-insensitive), wrapped the way Next's `getMiddlewareMatchers` wraps it (an optional
`/_next/data/<build>` prefix and an optional `.json` suffix, `/` also matching `/index`).

An invalid matcher fails the Next.js build, so it matches nothing here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_DEFAULT_PATTERN = "[^\\/#\\?]+?"
_PREFIXES = "./"
_NAME_CHAR = re.compile(r"[0-9A-Za-z_]")


@dataclass(frozen=True)
class _Token:
    kind: str  # MODIFIER, ESCAPED_CHAR, OPEN, CLOSE, NAME, PATTERN, CHAR, END
    value: str


@dataclass(frozen=True)
class _Key:
    name: str
    prefix: str
    suffix: str
    pattern: str
    modifier: str


def _lex(source: str) -> list[_Token]:
    tokens: list[_Token] = []
    i = 0
    while i < len(source):
        char = source[i]
        if char in "*+?":
            tokens.append(_Token("MODIFIER", char))
            i += 1
        elif char == "\\":
            if i + 1 >= len(source):
                raise ValueError("trailing backslash")
            tokens.append(_Token("ESCAPED_CHAR", source[i + 1]))
            i += 2
        elif char == "{":
            tokens.append(_Token("OPEN", char))
            i += 1
        elif char == "}":
            tokens.append(_Token("CLOSE", char))
            i += 1
        elif char == ":":
            j = i + 1
            while j < len(source) and _NAME_CHAR.match(source[j]):
                j += 1
            if j == i + 1:
                raise ValueError(f"missing parameter name at {i}")
            tokens.append(_Token("NAME", source[i + 1 : j]))
            i = j
        elif char == "(":
            count = 1
            j = i + 1
            if j < len(source) and source[j] == "?":
                raise ValueError(f'pattern cannot start with "?" at {j}')
            pattern = ""
            while j < len(source):
                if source[j] == "\\":
                    pattern += source[j : j + 2]
                    j += 2
                    continue
                if source[j] == ")":
                    count -= 1
                    if count == 0:
                        j += 1
                        break
                elif source[j] == "(":
                    count += 1
                    if j + 1 >= len(source) or source[j + 1] != "?":
                        raise ValueError(f"capturing groups are not allowed at {j}")
                pattern += source[j]
                j += 1
            if count:
                raise ValueError(f"unbalanced pattern at {i}")
            if not pattern:
                raise ValueError(f"missing pattern at {i}")
            tokens.append(_Token("PATTERN", pattern))
            i = j
        else:
            tokens.append(_Token("CHAR", char))
            i += 1
    tokens.append(_Token("END", ""))
    return tokens


def _parse(source: str) -> list[str | _Key]:
    """path-to-regexp v6 `parse`: literal text and parameter keys."""
    tokens = _lex(source)
    result: list[str | _Key] = []
    key = 0
    i = 0
    path = ""

    def try_consume(kind: str) -> str | None:
        nonlocal i
        if i < len(tokens) and tokens[i].kind == kind:
            i += 1
            return tokens[i - 1].value
        return None

    def must_consume(kind: str) -> str:
        value = try_consume(kind)
        if value is None:
            found = tokens[i].kind if i < len(tokens) else "END"
            raise ValueError(f"unexpected {found}, expected {kind}")
        return value

    def consume_text() -> str:
        text = ""
        while True:
            value = try_consume("CHAR")
            if value is None:
                value = try_consume("ESCAPED_CHAR")
            if value is None:
                return text
            text += value

    while i < len(tokens):
        char = try_consume("CHAR")
        name = try_consume("NAME")
        pattern = try_consume("PATTERN")
        if name is not None or pattern is not None:
            prefix = char or ""
            if prefix not in _PREFIXES or not prefix:
                path += prefix
                prefix = ""
            if path:
                result.append(path)
                path = ""
            if name is None:
                name = str(key)
                key += 1
            result.append(
                _Key(name, prefix, "", pattern or _DEFAULT_PATTERN, try_consume("MODIFIER") or "")
            )
            continue
        value = char if char is not None else try_consume("ESCAPED_CHAR")
        if value is not None:
            path += value
            continue
        if path:
            result.append(path)
            path = ""
        if try_consume("OPEN") is not None:
            prefix = consume_text()
            name = try_consume("NAME") or ""
            pattern = try_consume("PATTERN") or ""
            suffix = consume_text()
            must_consume("CLOSE")
            if not name and pattern:
                name = str(key)
                key += 1
            result.append(
                _Key(
                    name,
                    prefix,
                    suffix,
                    _DEFAULT_PATTERN if name and not pattern else pattern,
                    try_consume("MODIFIER") or "",
                )
            )
            continue
        must_consume("END")
    return result


def _js_to_python(pattern: str) -> str:
    """The few JS regex spellings Python's `re` reads differently: named groups."""
    return re.sub(r"\(\?<(?![=!])", "(?P<", pattern)


def _to_regex(tokens: list[str | _Key]) -> str:
    """path-to-regexp v6 `tokensToRegexp` with `strict: true, end: true`."""
    route = "^"
    for token in tokens:
        if isinstance(token, str):
            route += re.escape(token)
            continue
        prefix = re.escape(token.prefix)
        suffix = re.escape(token.suffix)
        pattern = _js_to_python(token.pattern)
        if pattern:
            if prefix or suffix:
                if token.modifier in ("+", "*"):
                    mod = "?" if token.modifier == "*" else ""
                    repeat = f"(?:{suffix}{prefix}(?:{pattern}))*"
                    route += f"(?:{prefix}((?:{pattern}){repeat}){suffix}){mod}"
                else:
                    route += f"(?:{prefix}({pattern}){suffix}){token.modifier}"
            elif token.modifier in ("+", "*"):
                route += f"((?:{pattern}){token.modifier})"
            else:
                route += f"({pattern}){token.modifier}"
        else:
            route += f"(?:{prefix}{suffix}){token.modifier}"
    return route + "$"


@lru_cache(maxsize=512)
def compile_matcher(matcher: str) -> re.Pattern[str] | None:
    """The regex Next.js builds from a matcher source, or None when Next would reject it."""
    if not matcher.startswith("/"):
        return None
    if matcher == "/":
        # Next appends an optional `/index` group here; read literally, path-to-regexp would make
        # the slash optional too. The root matcher runs on the home page, so say exactly that.
        return re.compile(r"^/(?:index(?:\.json)?)?$", re.IGNORECASE)
    wrapped = "/:nextData(_next/data/[^/]{1,})?" + matcher + "{(\\.json)}?"
    try:
        return re.compile(_to_regex(_parse(wrapped)), re.IGNORECASE)
    except (ValueError, re.error):
        return None


def matcher_matches(matcher: str, path: str) -> bool:
    """Whether the middleware runs for a request to `path` under this matcher source."""
    compiled = compile_matcher(matcher)
    if compiled is None:
        return False
    # A leading optional parameter (`/:path*`) owns its slash, so its regex accepts "" for the
    # home page rather than "/"; Next runs such middleware on "/", so try both spellings.
    return compiled.match(path) is not None or (path == "/" and compiled.match("") is not None)


_PARAM = re.compile(r"^\[([^\[\]/]+)\]$")
_CATCH_ALL = re.compile(r"^\[\.\.\.([^\[\]/]+)\]$")
_OPTIONAL_CATCH_ALL = re.compile(r"^\[\[\.\.\.([^\[\]/]+)\]\]$")
_SAMPLE_SEGMENTS = ("sample-1", "42")


def sample_paths(route_path: str) -> list[str]:
    """Concrete URLs a route answers: each `[param]` filled with a word and a number,
    `[...slug]` with one and with two segments, `[[...slug]]` also with none."""
    paths = [""]
    for segment in route_path.strip("/").split("/"):
        if not segment:
            continue
        if _OPTIONAL_CATCH_ALL.match(segment):
            options = ["", "/sample-1", "/a/b"]
        elif _CATCH_ALL.match(segment):
            options = ["/sample-1", "/a/b"]
        elif _PARAM.match(segment) or segment.startswith(":"):
            options = [f"/{value}" for value in _SAMPLE_SEGMENTS]
        else:
            options = [f"/{segment}"]
        paths = [prefix + option for prefix in paths for option in options][:64]
    return [path or "/" for path in paths]


def covers_route(matchers: list[str] | None, route_path: str) -> bool:
    """Whether middleware with these matchers runs on every request the route can receive.

    `None` (no `config.matcher`) runs everywhere. Every sample URL of the route must be matched,
    by any matcher: a middleware that skips some ids of `/api/orders/[id]` protects none of them.
    """
    if matchers is None:
        return True
    return all(
        any(matcher_matches(matcher, path) for matcher in matchers)
        for path in sample_paths(route_path)
    )
