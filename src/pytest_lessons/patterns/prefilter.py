r"""A pattern lesson's prefilter, derived from its rule: literals every matching file contains.

Sound by construction: a literal is only taken where ast-grep cannot match without it. A named
leaf of a pattern (an identifier, a string's content, a number) matches only a node with the
same text (ast-grep compares the text of named leaves under every strictness but `signature`);
a `regex` matches only text holding the literal characters its every match spells out (`^(httpx\.
Client|requests\.Session)\(` needs `httpx.Client` or `requests.Session`: one literal of each
alternative, none from an optional part, a class like `[Ss]`, or a case-insensitive regex).
From there, a rule's requirement is a set of clauses that all hold, each a set of literals of
which the file holds one:

- a rule object's keys must all hold, so each key's clauses are required;
- `inside`/`has`/`precedes`/`follows` name another node of the same file, so its clauses count;
  `all` requires each item's; `any` requires one clause out of every branch (a branch with none
  makes the `any` require nothing); `not`, `kind`, `nthChild`, `range` and pattern tables with
  `signature` strictness give nothing;
- `matches` follows the util it names; a constraint counts for a metavariable of the rule's
  top-level pattern (bound in every match).

A file is parsed when it satisfies every clause kept (the most selective few).
A rule from which nothing can be derived gets no prefilter: its language's files are all parsed.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pytest_lessons.patterns.rule import METAVARIABLE, PatternRule

Literals = frozenset[str]
"""One clause: a file must contain at least one of these."""
Requirements = frozenset[Literals]
"""Clauses that all hold (empty: nothing is required)."""

_PLACEHOLDER = "zzplmvzz"
"""What a metavariable becomes before the pattern is parsed for its leaves: an identifier in
every grammar, never taken as a literal."""
_WORDS = re.compile(r"^\^?([A-Za-z0-9_]+)\$?$")
_SHORTEST = 2
_MOST_CLAUSES = 8
"""Clauses kept per rule, the most selective first: each is a scan of the file's bytes, and
after a few of them the rest rarely rule out a file the first ones let through."""
_MOST_PRODUCT = 128
"""Clauses an `any` may expand into (see `_either`)."""
_MOST_KEPT = 16
"""Clauses kept of each part of a rule, the most selective: what a part requires is then small
whatever the rule's size, and deriving it stays quick."""


def rule_prefilter(pattern_rule: PatternRule) -> tuple[bytes, ...]:
    """The most selective clause of `rule_requirements`: byte strings of which a file must
    contain one to be worth parsing; () for none."""
    clauses = rule_requirements(pattern_rule)
    return clauses[0] if clauses else ()


def rule_requirements(pattern_rule: PatternRule) -> tuple[tuple[bytes, ...], ...]:
    """Clauses a file must all satisfy (holding one byte string of each) to be worth parsing,
    the most selective first; () when nothing is required.

    Requiring several literals at once is what makes a prefilter sharp on a large repository:
    `Refund` alone is in every module of a billing service, `Refund` together with `.create`
    in the few that call the API."""
    language = pattern_rule.language.name
    rule = pattern_rule.rule
    utils = pattern_rule.utils or {}
    found = set(_required(rule, utils, language, frozenset()))
    found.update(_constraint_requirements(pattern_rule, utils, language))
    useful = (clause for clause in _simplified(frozenset(found)) if not clause & _EVERYWHERE)
    ordered = sorted(useful, key=_selectivity)[:_MOST_CLAUSES]
    return tuple(tuple(sorted(literal.encode("ascii") for literal in c)) for c in ordered)


def _constraint_requirements(
    pattern_rule: PatternRule, utils: Mapping[str, Any], language: str
) -> Requirements:
    """A constraint on a metavariable of the rule's own top-level pattern holds for every
    match: the pattern binds it whenever the rule matches. (A metavariable of a relation or of
    an `any` branch may be left unbound, and an unbound one is not checked.)"""
    pattern = pattern_rule.rule.get("pattern")
    if not isinstance(pattern, str) or not pattern_rule.constraints:
        return frozenset()
    bound = {
        match.group("name")
        for match in METAVARIABLE.finditer(pattern)
        if match.group("dollars") == "$" and not match.group("name").startswith("_")
    }
    found: set[Literals] = set()
    for name, constraint in pattern_rule.constraints.items():
        if name in bound:
            found.update(_required(constraint, utils, language, frozenset()))
    return frozenset(found)


def _required(
    rule: Any, utils: Mapping[str, Any], language: str, following: frozenset[str]
) -> Requirements:
    if not isinstance(rule, dict):
        return frozenset()
    found: set[Literals] = set()
    for key, value in rule.items():
        if key == "pattern" and isinstance(value, str):
            found.update(_pattern_literals(value, language))
        elif key == "pattern" and isinstance(value, dict):
            found.update(_pattern_table_literals(value, language))
        elif key == "regex" and isinstance(value, str):
            found.update(_regex_literals(value))
        elif key in ("inside", "has", "precedes", "follows"):
            found.update(_required(value, utils, language, following))
        elif key == "all" and isinstance(value, list):
            for item in value:
                found.update(_required(item, utils, language, following))
        elif key == "any" and isinstance(value, list):
            found.update(_either([_required(item, utils, language, following) for item in value]))
        elif key == "matches" and isinstance(value, str) and value not in following:
            found.update(_required(utils.get(value), utils, language, following | {value}))
    return _kept(frozenset(found))


_EVERYWHERE = frozenset(
    {
        *("import", "from", "return", "True", "False", "None", "self", "def", "class", "async"),
        *("await", "const", "export", "function", "default", "string", "type", "package", "func"),
    }
)
"""Words nearly every source file holds (keywords, mostly): a clause that one of them satisfies
rules out next to nothing and costs a scan, so it is left out (which only weakens the
requirement), and so is every clause of an `any` made with one."""


def _either(branches: Sequence[Requirements]) -> Requirements:
    """What holds when one of the branches does: (a and b) or (c) is (a or c) and (b or c), one
    clause per way of picking a clause of every branch. The branches are cut to their most
    selective clauses first when the picks would be too many; a branch with none requires
    nothing, and neither does the `any`."""
    # A pick holding a clause that nearly every file satisfies is no better than none.
    kept = [sorted((c for c in b if not c & _EVERYWHERE), key=_selectivity) for b in branches]
    if not kept or not all(kept):
        return frozenset()
    while _product(len(clauses) for clauses in kept) > _MOST_PRODUCT:
        longest = max(range(len(kept)), key=lambda index: len(kept[index]))
        kept[longest].pop()
    picks: list[Literals] = [frozenset()]
    for clauses in kept:
        picks = [pick | clause for pick in picks for clause in clauses]
    return _kept(frozenset(picks))


def _product(sizes: Iterable[int]) -> int:
    total = 1
    for size in sizes:
        total *= size
    return total


def _kept(clauses: Requirements) -> Requirements:
    """`clauses` simplified, and only the most selective of them (fewer is weaker: sound)."""
    return frozenset(sorted(_simplified(clauses), key=_selectivity)[:_MOST_KEPT])


def _simplified(clauses: Requirements) -> Requirements:
    """The same requirement with less to look for. In a clause, a literal holding another one is
    redundant (a file with `ClientSession` has `Client`); a clause that another one implies
    (every literal of the other holds one of its own) is redundant too."""
    reduced = {_reduced(clause) for clause in clauses}
    return frozenset(
        clause
        for clause in reduced
        if not any(other != clause and _implies(other, clause) for other in reduced)
    )


def _reduced(clause: Literals) -> Literals:
    return frozenset(
        literal
        for literal in clause
        if not any(other != literal and other in literal for other in clause)
    )


def _implies(stronger: Literals, weaker: Literals) -> bool:
    return all(any(literal in held for literal in weaker) for held in stronger)


def _selectivity(clause: Literals) -> tuple[bool, int, int, tuple[str, ...]]:
    """Most selective first: no word that is everywhere, the longest shortest literal, then the
    fewest literals."""
    return (
        bool(clause & _EVERYWHERE),
        -min(len(literal) for literal in clause),
        len(clause),
        tuple(sorted(clause)),
    )


def _pattern_table_literals(table: Mapping[str, Any], language: str) -> Requirements:
    """A pattern table matches the `selector` node of its `context` (ast-grep takes the first
    node of that kind), so only the leaves under that node count; `signature` strictness
    compares no text at all."""
    context = table.get("context")
    if not isinstance(context, str) or table.get("strictness") == "signature":
        return frozenset()
    selector = table.get("selector")
    return _pattern_literals(context, language, selector if isinstance(selector, str) else None)


def _pattern_literals(pattern: str, language: str, selector: str | None = None) -> Requirements:
    """Each named leaf of the pattern (an identifier, a string's content, a number) is a clause
    of its own: ast-grep matches such a leaf only to a node of the same text."""
    from ast_grep_py import SgRoot

    text = METAVARIABLE.sub(_PLACEHOLDER, pattern.replace("$$$", _PLACEHOLDER))
    try:
        found: Any = SgRoot(text, language).root()
        if selector is not None:
            found = found.find(kind=selector)
    except Exception:  # the rule compiled, so this does not happen; no literal then
        return frozenset()
    if found is None:
        return frozenset()
    leaves: set[Literals] = set()
    stack = [found]
    while stack:
        node = stack.pop()
        kind = node.kind()
        if kind == "ERROR" or "comment" in kind:
            continue
        children = node.children()
        if not children and node.is_named():
            leaf = node.text()
            if _PLACEHOLDER not in leaf and leaf.isascii() and len(leaf) >= _SHORTEST:
                leaves.add(frozenset({leaf}))
        stack.extend(children)
    return frozenset(leaves)


def _regex_literals(regex: str) -> Requirements:
    match = _WORDS.match(regex)
    if match is not None:
        word = match.group(1)
        return frozenset({frozenset({word})}) if len(word) >= _SHORTEST else frozenset()
    if _regex_parser is None or _RUST_ONLY_CLASSES.search(regex):
        return frozenset()
    try:
        parsed = _regex_parser.parse(regex)
    except Exception:  # syntax only ast-grep's engine reads: no literal, never a wrong one
        return frozenset()
    if parsed.state.flags & _CASE_OR_LAYOUT:
        return frozenset()
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


def _sequence_literals(items: list[tuple[Any, Any]]) -> Requirements:
    """What one branch of a regex needs: each run of literal characters, and what a group, an
    alternation (one literal per alternative) or a repeat of at least one needs."""
    found: set[Literals] = set()
    run: list[str] = []
    for op, argument in items:
        if op is _regex_ops.LITERAL:
            run.append(chr(argument))
            continue
        found.update(_run_literal(run))
        run = []
        if op is _regex_ops.SUBPATTERN:
            _group, add_flags, _del_flags, inner = argument
            if not add_flags & _CASE_OR_LAYOUT:
                found.update(_sequence_literals(list(inner)))
        elif op is _regex_ops.BRANCH:
            found.update(_either([_sequence_literals(list(branch)) for branch in argument[1]]))
        elif op in _REPEATS and argument[0] >= 1:
            found.update(_sequence_literals(list(argument[2])))
    found.update(_run_literal(run))
    return _kept(frozenset(found))


def _run_literal(run: list[str]) -> Requirements:
    text = "".join(run)
    if len(text) < _SHORTEST or not text.isascii():
        return frozenset()
    return frozenset({frozenset({text})})
