"""A pattern lesson's prefilter, derived from its rule: literals every matching file contains.

Sound by construction: a literal is only taken where ast-grep cannot match without it. A named
leaf of a pattern (an identifier, a string's content, a number) matches only a node with the
same text (ast-grep compares the text of named leaves under every strictness but `signature`);
a `regex` made of word characters alone matches only text holding it. From there:

- a rule object's keys must all hold, so any one key's literals will do (the longest is kept:
  the rarer, the more files it rules out);
- `inside`/`has`/`precedes`/`follows` name another node of the same file, so its literals
  count; `any` needs one literal of every branch; `not`, `kind`, `nthChild`, `range` and pattern
  tables with a `selector` give nothing;
- `matches` follows the util it names.

A rule from which nothing can be derived gets no prefilter: its language's files are all parsed.
"""

from __future__ import annotations

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
    if match is None or len(match.group(1)) < _SHORTEST:
        return None
    return frozenset({match.group(1)})
