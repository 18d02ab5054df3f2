r"""A pattern lesson's prefilter, derived from its rule: literals every matching file contains.

Sound by construction: a literal is only taken where ast-grep cannot match without it. A named
leaf of a pattern (an identifier, a string's content, a number) matches only a node with the
same text (ast-grep compares the text of named leaves under every strictness but `signature`);
a `regex` matches only text holding the literal characters its every match spells out (`^(httpx\.
Client|requests\.Session)\(` needs `httpx.Client` or `requests.Session`: one literal of each
alternative, none from an optional part, a class like `[Ss]`, or a case-insensitive regex).
From there:

- a rule object's keys must all hold, so any one key's literals will do (the longest is kept:
  the rarer, the more files it rules out);
- `inside`/`has`/`precedes`/`follows` name another node of the same file, so its literals
  count; `any` needs one literal of every branch; `not`, `kind`, `nthChild`, `range` and pattern
  tables with a `selector` give nothing;
- `matches` follows the util it names.

A rule from which nothing can be derived gets no prefilter: its language's files are all parsed.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Mapping, Sequence
from typing import Any

from pytest_lessons.patterns.rule import METAVARIABLE, PatternRule

Literals = frozenset[str]
"""A file must contain at least one of these (None: no literal is required)."""

_PLACEHOLDER = "zzplmvzz"
"""What a metavariable becomes before the pattern is parsed for its leaves: an identifier in
every grammar, never taken as a literal."""
_WORDS = re.compile(r"^\^?([A-Za-z0-9_]+)\$?$")
_SHORTEST = 2


def rule_prefilter(pattern_rule: PatternRule) -> tuple[bytes, ...]:
    """The byte strings of which a file must contain one to be worth parsing; () for none."""
    literals = _required(
        pattern_rule.rule, pattern_rule.utils or {}, pattern_rule.language.name, frozenset()
    )
    if not literals:
        return ()
    return tuple(sorted(literal.encode("ascii") for literal in literals))


def _required(
    rule: Any, utils: Mapping[str, Any], language: str, following: frozenset[str]
) -> Literals | None:
    if not isinstance(rule, dict):
        return None
    options: list[Literals] = []
    for key, value in rule.items():
        found: Literals | None = None
        if key == "pattern" and isinstance(value, str):
            found = _pattern_literal(value, language)
        elif key == "pattern" and isinstance(value, dict):
            found = _pattern_table_literal(value, language)
        elif key == "regex" and isinstance(value, str):
            found = _regex_literal(value)
        elif key in ("inside", "has", "precedes", "follows"):
            found = _required(value, utils, language, following)
        elif key == "all" and isinstance(value, list):
            found = _best([_required(item, utils, language, following) for item in value])
        elif key == "any" and isinstance(value, list):
            branches = [_required(item, utils, language, following) for item in value]
            if branches and all(branch for branch in branches):
                found = frozenset().union(*(b for b in branches if b))
        elif key == "matches" and isinstance(value, str) and value not in following:
            found = _required(utils.get(value), utils, language, following | {value})
        if found:
            options.append(found)
    return _best(options)


def _best(options: Sequence[Literals | None]) -> Literals | None:
    """Of several requirements that all hold, the most selective: the longest shortest literal."""
    present = [option for option in options if option]
    if not present:
        return None
    return max(present, key=lambda option: (min(len(x) for x in option), -len(option)))


def _pattern_table_literal(table: Mapping[str, Any], language: str) -> Literals | None:
    """A pattern table matches the `selector` node of its `context` (ast-grep takes the first
    node of that kind), so only the leaves under that node count; `signature` strictness
    compares no text at all."""
    context = table.get("context")
    if not isinstance(context, str) or table.get("strictness") == "signature":
        return None
    selector = table.get("selector")
    return _pattern_literal(context, language, selector if isinstance(selector, str) else None)


def _pattern_literal(pattern: str, language: str, selector: str | None = None) -> Literals | None:
    from ast_grep_py import SgRoot

    text = METAVARIABLE.sub(_PLACEHOLDER, pattern.replace("$$$", _PLACEHOLDER))
    try:
        found: Any = SgRoot(text, language).root()
        if selector is not None:
            found = found.find(kind=selector)
    except Exception:  # the rule compiled, so this does not happen; no literal then
        return None
    if found is None:
        return None
    root = found
    best = ""
    stack = [root]
    while stack:
        node = stack.pop()
        kind = node.kind()
        if kind == "ERROR" or "comment" in kind:
            continue
        children = node.children()
        if not children and node.is_named():
            leaf = node.text()
            if _PLACEHOLDER not in leaf and leaf.isascii() and len(leaf) > len(best):
                best = leaf
        stack.extend(children)
    return frozenset({best}) if len(best) >= _SHORTEST else None


def _regex_literal(regex: str) -> Literals | None:
    match = _WORDS.match(regex)
    if match is not None:
        return frozenset({match.group(1)}) if len(match.group(1)) >= _SHORTEST else None
    if _regex_parser is None or _RUST_ONLY_CLASSES.search(regex):
        return None
    try:
        parsed = _regex_parser.parse(regex)
    except Exception:  # syntax only ast-grep's engine reads: no literal, never a wrong one
        return None
    if parsed.state.flags & _CASE_OR_LAYOUT:
        return None
    return _sequence_literals(list(parsed))


def _regex_modules() -> tuple[Any, Any]:
    """The regex parser of `re` itself (it reads the syntax ast-grep's regexes share) and its
    opcodes: private modules, so a Python that has neither gets no regex literals, never an
    error."""
    for parser, opcodes in (("re._parser", "re._constants"), ("sre_parse", "sre_constants")):
        try:
            return importlib.import_module(parser), importlib.import_module(opcodes)
        except ImportError:  # re._parser is new in 3.11; sre_parse is deprecated there
            continue
    return None, None


_regex_parser, _regex_ops = _regex_modules()
_CASE_OR_LAYOUT = re.IGNORECASE | re.VERBOSE
_REPEATS = tuple(
    getattr(_regex_ops, name, None) for name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")
)
_RUST_ONLY_CLASSES = re.compile(r"\[\[|\[:|&&|--|~~")
"""Character-class syntax only ast-grep's (Rust) engine reads: POSIX classes, nested classes and
set operations, which Python's parser takes for literal characters."""


def _sequence_literals(items: list[tuple[Any, Any]]) -> Literals | None:
    """What one branch of a regex needs: each run of literal characters is required, as is
    what a group, an alternation (one literal per alternative) or a repeat of at least one
    holds; the most selective of them is kept."""
    options: list[Literals | None] = []
    run: list[str] = []
    for op, argument in items:
        if op is _regex_ops.LITERAL:
            run.append(chr(argument))
            continue
        options.append(_run_literal(run))
        run = []
        if op is _regex_ops.SUBPATTERN:
            _group, add_flags, _del_flags, inner = argument
            if not add_flags & _CASE_OR_LAYOUT:
                options.append(_sequence_literals(list(inner)))
        elif op is _regex_ops.BRANCH:
            branches = [_sequence_literals(list(branch)) for branch in argument[1]]
            if branches and all(branches):
                options.append(frozenset().union(*(b for b in branches if b)))
        elif op in _REPEATS and argument[0] >= 1:
            options.append(_sequence_literals(list(argument[2])))
    options.append(_run_literal(run))
    return _best(options)


def _run_literal(run: list[str]) -> Literals | None:
    text = "".join(run)
    return frozenset({text}) if len(text) >= _SHORTEST and text.isascii() else None
