"""A pattern lesson's rule: ast-grep's rule object, validated once when the lesson loads.

The keys and their meaning are ast-grep's (`pattern`, `kind`, `regex`, `nthChild`, `range`,
`inside`/`has`/`precedes`/`follows` with `stopBy` and `field`, `all`/`any`/`not`, `matches`,
beside `constraints`, `utils` and `transform`), and matching is ast-grep's own engine: this module
checks the shape of the tables so that a typo is reported at its key path (`rule.inside.patern`),
then compiles the rule once with ast-grep, so a rule ast-grep would reject never reaches a run.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from pytest_lessons.patterns.languages import Language, language_named, language_names

RULE_KEYS = (
    "pattern",
    "kind",
    "regex",
    "nthChild",
    "range",
    "inside",
    "has",
    "precedes",
    "follows",
    "all",
    "any",
    "not",
    "matches",
)
RELATIONS = ("inside", "has", "precedes", "follows")
RELATION_KEYS = (*RULE_KEYS, "stopBy", "field")
PATTERN_KEYS = ("context", "selector", "strictness")
STRICTNESS = ("cst", "smart", "ast", "relaxed", "signature", "template")
FIX_KEYS = ("template", "expandStart", "expandEnd")

METAVARIABLE = re.compile(r"(?P<dollars>\${1,3})(?P<name>[A-Z_][A-Z0-9_]*)")
"""`$NAME`, `$$NAME` (one node, unnamed ones too) and `$$$NAME` (a list), as ast-grep reads
them in patterns, fix templates and messages."""


class RuleError(ValueError):
    """A malformed rule: `key` is the dotted path of the offending key (`rule.inside.pattern`)."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(f"`{key}`: {message}")
        self.key = key
        self.message = message


@dataclass(frozen=True)
class PatternRule:
    """Everything of a pattern lesson that decides what it matches, and its fix."""

    language: Language
    rule: Mapping[str, Any]
    constraints: Mapping[str, Any] | None = None
    utils: Mapping[str, Any] | None = None
    transform: Mapping[str, Any] | None = None
    autofix: str | Mapping[str, Any] | None = None
    message: str | None = None

    def config(self) -> dict[str, Any]:
        """The object ast-grep-py's `find_all` takes."""
        config: dict[str, Any] = {"rule": self.rule}
        if self.constraints:
            config["constraints"] = self.constraints
        if self.utils:
            config["utils"] = self.utils
        if self.transform:
            config["transform"] = self.transform
        return config

    @property
    def fix_template(self) -> str | None:
        if self.autofix is None:
            return None
        if isinstance(self.autofix, str):
            return self.autofix
        template: str = self.autofix["template"]
        return template

    def expansion(self, side: str) -> Mapping[str, Any] | None:
        """The `expandStart`/`expandEnd` relation of a fix table, if any."""
        if isinstance(self.autofix, Mapping):
            found: Mapping[str, Any] | None = self.autofix.get(side)
            return found
        return None

    def captured(self) -> set[str]:
        """The metavariables the rule can bind: those of its patterns, and transform's."""
        names = {
            match.group("name")
            for text in _pattern_texts(self.rule, self.utils)
            for match in METAVARIABLE.finditer(text)
        }
        names.update(self.transform or {})
        return names


def build_rule(
    language: str,
    rule: Any,
    *,
    constraints: Any = None,
    utils: Any = None,
    transform: Any = None,
    autofix: Any = None,
    message: str | None = None,
) -> PatternRule:
    """Validate every table and compile the rule with ast-grep; raises RuleError."""
    found = language_named(language)
    if found is None:
        raise RuleError(
            "language",
            f"ast-grep does not parse {language!r}; use one of {', '.join(language_names())}",
        )
    _check_rule(rule, "rule")
    for table, name in ((constraints, "constraints"), (utils, "utils")):
        if table is None:
            continue
        if not isinstance(table, dict):
            raise RuleError(name, "must be a table of rules")
        for key, value in table.items():
            _check_rule(value, f"{name}.{key}")
    if transform is not None:
        if not isinstance(transform, dict):
            raise RuleError("transform", "must be a table: new variable name -> transformation")
        for key, value in transform.items():
            if not isinstance(value, (str, dict)):
                raise RuleError(f"transform.{key}", "must be a string or a table")
    _check_autofix(autofix)
    pattern_rule = PatternRule(
        language=found,
        rule=rule,
        constraints=constraints,
        utils=utils,
        transform=transform,
        autofix=autofix,
        message=message,
    )
    _compile(pattern_rule)
    _check_references(pattern_rule)
    return pattern_rule


def _check_rule(rule: Any, at: str, *, relation: bool = False) -> None:
    if not isinstance(rule, dict):
        raise RuleError(at, "must be a rule table (pattern, kind, regex, inside, has, ...)")
    allowed = RELATION_KEYS if relation else RULE_KEYS
    for key, value in rule.items():
        where = f"{at}.{key}"
        if key not in allowed:
            raise RuleError(
                where,
                f"unknown key; an ast-grep {'relation' if relation else 'rule'} has "
                f"{', '.join(allowed)}",
            )
        if key == "pattern":
            _check_pattern(value, where)
        elif key in ("kind", "regex", "matches", "field"):
            if not isinstance(value, str) or not value:
                raise RuleError(where, "must be a non-empty string")
        elif key in RELATIONS:
            _check_rule(value, where, relation=True)
        elif key in ("all", "any"):
            if not isinstance(value, list) or not value:
                raise RuleError(where, "must be a non-empty array of rule tables")
            for index, item in enumerate(value):
                _check_rule(item, f"{where}[{index}]")
        elif key == "not":
            _check_rule(value, where)
        elif key == "stopBy":
            if isinstance(value, str):
                if value not in ("neighbor", "end"):
                    raise RuleError(where, "must be 'neighbor', 'end' or a rule table")
            else:
                _check_rule(value, where)
        elif key == "nthChild" and not isinstance(value, (int, str, dict)):
            raise RuleError(where, "must be a number, a formula like '2n+1', or a table")
        elif key == "range" and not isinstance(value, dict):
            raise RuleError(where, "must be a table with `start` and `end`")


def _check_pattern(value: Any, at: str) -> None:
    if isinstance(value, str):
        if not value.strip():
            raise RuleError(at, "must not be empty")
        return
    if not isinstance(value, dict):
        raise RuleError(at, "must be a string, or a table with `context` (and `selector`)")
    for key, item in value.items():
        if key not in PATTERN_KEYS:
            raise RuleError(f"{at}.{key}", f"unknown key; a pattern table has {PATTERN_KEYS}")
        if not isinstance(item, str):
            raise RuleError(f"{at}.{key}", "must be a string")
    if "context" not in value:
        raise RuleError(at, "a pattern table needs `context`")
    strictness = value.get("strictness")
    if strictness is not None and strictness not in STRICTNESS:
        raise RuleError(f"{at}.strictness", f"must be one of {', '.join(STRICTNESS)}")


def _check_autofix(autofix: Any) -> None:
    if autofix is None or isinstance(autofix, str):
        return
    if not isinstance(autofix, dict):
        raise RuleError("autofix", "must be a template string or a table with `template`")
    for key, value in autofix.items():
        if key not in FIX_KEYS:
            raise RuleError(f"autofix.{key}", f"unknown key; a fix table has {FIX_KEYS}")
        if key == "template" and not isinstance(value, str):
            raise RuleError("autofix.template", "must be a string")
        if key in ("expandStart", "expandEnd"):
            _check_rule(value, f"autofix.{key}", relation=True)
    if "template" not in autofix:
        raise RuleError("autofix", "a fix table needs `template`")


def _compile(pattern_rule: PatternRule) -> None:
    """Compile with ast-grep over an empty file: what it rejects, it rejects here."""
    from ast_grep_py import SgRoot

    root: Any = SgRoot("", pattern_rule.language.name).root()
    try:
        root.find_all(pattern_rule.config())
    except Exception as error:  # ast-grep raises RuntimeError or ValueError, with a chain
        key, detail = _explain(str(error))
        raise RuleError(key, f"ast-grep rejects it: {detail}") from None
    for side in ("expandStart", "expandEnd"):
        relation = pattern_rule.expansion(side)
        if relation is None:
            continue
        rule = {key: value for key, value in relation.items() if key not in ("stopBy", "field")}
        config: dict[str, Any] = {"rule": rule}
        if pattern_rule.utils:
            config["utils"] = pattern_rule.utils
        try:
            root.find_all(config)
        except Exception as error:
            raise RuleError(
                f"autofix.{side}", f"ast-grep rejects it: {_explain(str(error))[1]}"
            ) from None


_TABLES = ("constraints", "utils", "transform", "rule")


def _explain(text: str) -> tuple[str, str]:
    """(the table at fault, ast-grep's reasons on one line) from its error chain.

    ast-grep-py raises `cannot get matcher` with the reasons in a `Caused by:` list, followed by
    a Rust backtrace when RUST_BACKTRACE is set; only the reasons are for the user.
    """
    text = text.split("Stack backtrace:", 1)[0]
    reasons: list[str] = []
    for line in text.split("Caused by:", 1)[-1].splitlines():
        numbered = re.match(r"^\s*\d+:\s*(.*)$", line)
        if numbered is not None or not reasons:
            reasons.append((numbered.group(1) if numbered else line).strip())
        elif line.strip():  # a reason that runs over several lines (a regex error's caret)
            reasons[-1] += " " + line.strip()
    reasons = [reason for reason in reasons if reason]
    key = "rule"
    for reason in reasons:
        named = re.match(r"`(\w+)` is not configured correctly", reason)
        if named is not None and named.group(1) in _TABLES:
            key = named.group(1)
    detail = "; ".join(
        reason.rstrip(".") for reason in reasons if "is not configured correctly" not in reason
    )
    return key, detail or " ".join(text.split())


def _check_references(pattern_rule: PatternRule) -> None:
    """`message` and `autofix` may only use metavariables the rule can bind: a typo in `$NAME`
    would silently print or insert nothing."""
    captured = pattern_rule.captured()
    for key, text in (("message", pattern_rule.message), ("autofix", pattern_rule.fix_template)):
        if text is None:
            continue
        for match in METAVARIABLE.finditer(text):
            name = match.group("name")
            if name not in captured and name != "_":
                known = ", ".join(f"${n}" for n in sorted(captured)) or "none"
                raise RuleError(
                    key,
                    f"uses {match.group(0)}, which no pattern of the rule captures "
                    f"(captured: {known})",
                )


def _pattern_texts(rule: Any, utils: Mapping[str, Any] | None) -> Iterator[str]:
    """Every pattern string of the rule and its utils (a pattern table's context too)."""
    stack: list[Any] = [rule, *(utils or {}).values()]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, value in item.items():
                if key == "pattern":
                    if isinstance(value, str):
                        yield value
                    elif isinstance(value, dict) and isinstance(value.get("context"), str):
                        yield value["context"]
                else:
                    stack.append(value)
        elif isinstance(item, list):
            stack.extend(item)
