"""`pytest-lessons new ID --language L`: a pattern lesson's folder, ready to edit and test.

It writes `<lessons>/<ID>/lesson.toml` (identity, the texts to fill in, the incident with its
date and link, a `[rule]` that already works), a `bad/` and a `good/` file with an expectation
comment on the flagged line, and, once per lessons folder, a test module that runs every lesson
of the folder over its examples with `pytest_lessons.testing`. The skeleton's rule flags a debug
print, so the fresh lesson passes its own test before anything is edited; the TODOs say what to
replace. The repository's `pyproject.toml` gets `lesson-paths` (and an `exclude` for the lessons
folder, whose bad examples would otherwise be flagged) when that can be done by adding lines;
otherwise the lines to add are returned as advice.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pytest_lessons.lesson_spec import LESSON_ID
from pytest_lessons.patterns.languages import Language, language_named
from pytest_lessons.toml_io import load_toml

DEFAULT_LESSONS_DIR = "lint/lessons"
TEST_MODULE = "test_lessons.py"


@dataclass(frozen=True)
class Template:
    """What a language's skeleton flags: a debug print, in a bad and a good file."""

    file: str
    pattern: str
    message: str
    bad: str
    """The bad file; `{expect}` is the comment that marks the flagged line."""
    good: str
    snippet_bad: str
    snippet_good: str


_TEMPLATES: dict[str, Template] = {
    "python": Template(
        "orders.py",
        "print($$$ARGS)",
        "print() left in the code",
        "def place(order):\n    print(order)  {expect}\n    return order.save()\n",
        "import logging\n\nlog = logging.getLogger(__name__)\n\n\ndef place(order):\n"
        '    log.info("placing order %s", order.id)\n    return order.save()\n',
        "print(order)",
        'log.info("placing order %s", order.id)',
    ),
    "typescript": Template(
        "orders.ts",
        "console.log($$$ARGS)",
        "console.log() left in the code",
        "export function place(order: Order): Promise<void> {\n"
        "  console.log(order); {expect}\n  return order.save();\n}\n",
        "export function place(order: Order): Promise<void> {\n"
        '  logger.info("placing order", { id: order.id });\n  return order.save();\n}\n',
        "console.log(order);",
        'logger.info("placing order", { id: order.id });',
    ),
    "go": Template(
        "orders.go",
        # A Go call alone is ambiguous to the parser (a conversion?): ast-grep's way is a
        # context that makes it a statement, and the node kind to match in it.
        '{ context = "func _() { fmt.Println($$$ARGS) }", selector = "call_expression" }',
        "fmt.Println() left in the code",
        'package orders\n\nimport "fmt"\n\nfunc Place(o Order) error {\n'
        "\tfmt.Println(o) {expect}\n\treturn o.Save()\n}\n",
        'package orders\n\nimport "log/slog"\n\nfunc Place(o Order) error {\n'
        '\tslog.Info("placing order", "id", o.ID)\n\treturn o.Save()\n}\n',
        "fmt.Println(o)",
        'slog.Info("placing order", "id", o.ID)',
    ),
    "rust": Template(
        "orders.rs",
        "println!($$$ARGS)",
        "println!() left in the code",
        'pub fn place(order: &Order) {\n    println!("{:?}", order); {expect}\n'
        "    order.save();\n}\n",
        'pub fn place(order: &Order) {\n    tracing::info!(id = order.id, "placing order");\n'
        "    order.save();\n}\n",
        'println!("{:?}", order);',
        'tracing::info!(id = order.id, "placing order");',
    ),
    "java": Template(
        "Orders.java",
        "System.out.println($$$ARGS)",
        "System.out.println() left in the code",
        "class Orders {\n    void place(Order order) {\n"
        "        System.out.println(order); {expect}\n        order.save();\n    }\n}\n",
        "class Orders {\n    void place(Order order) {\n"
        '        log.info("placing order {}", order.id());\n        order.save();\n    }\n}\n',
        "System.out.println(order);",
        'log.info("placing order {}", order.id());',
    ),
    "ruby": Template(
        "orders.rb",
        "puts($$$ARGS)",
        "puts left in the code",
        "def place(order)\n  puts(order) {expect}\n  order.save\nend\n",
        'def place(order)\n  Rails.logger.info("placing order #{order.id}")\n  order.save\nend\n',
        "puts(order)",
        'Rails.logger.info("placing order #{order.id}")',
    ),
}
_TEMPLATES["javascript"] = Template(
    "orders.js",
    "console.log($$$ARGS)",
    "console.log() left in the code",
    "export function place(order) {\n  console.log(order); {expect}\n  return order.save();\n}\n",
    "export function place(order) {\n"
    '  logger.info("placing order", { id: order.id });\n  return order.save();\n}\n',
    "console.log(order);",
    'logger.info("placing order", { id: order.id });',
)
_TEMPLATES["tsx"] = Template(
    "Order.tsx",
    "console.log($$$ARGS)",
    "console.log() left in the code",
    "export function Order({ order }: Props) {\n  console.log(order); {expect}\n"
    "  return <li>{order.id}</li>;\n}\n",
    "export function Order({ order }: Props) {\n  return <li>{order.id}</li>;\n}\n",
    "console.log(order);",
    "return <li>{order.id}</li>;",
)


def template_languages() -> list[str]:
    return sorted(_TEMPLATES)


class ScaffoldError(ValueError):
    """A lesson that cannot be written as asked (bad id, unknown language, existing folder)."""


@dataclass
class Scaffolded:
    folder: Path
    written: list[Path] = field(default_factory=list)
    advice: list[str] = field(default_factory=list)
    """Lines to add to the config by hand, when they could not be added safely."""


def new_lesson(
    root: Path,
    lesson_id: str,
    language: str | Sequence[str],
    *,
    lessons_dir: str | None = None,
    title: str | None = None,
    incident: str | None = None,
    link: str | None = None,
    date: datetime.date | None = None,
) -> Scaffolded:
    """Write the lesson's folder under `root/<lessons_dir>` (default: the first configured
    `lesson-paths` entry, else `lint/lessons`), its test module, and the config lines."""
    if not LESSON_ID.match(lesson_id):
        raise ScaffoldError(
            f"{lesson_id!r} is not a lesson id: lowercase words joined by '-', like 'no-ack-first'"
        )
    languages: list[Language] = []
    for name in [language] if isinstance(language, str) else language:
        found = language_named(name)
        if found is None or found.name not in _TEMPLATES:
            raise ScaffoldError(
                f"no template for language {name!r}; use one of "
                f"{', '.join(template_languages())} (any language ast-grep parses works in a "
                "lesson.toml written by hand)"
            )
        if found not in languages:
            languages.append(found)
    if not languages:
        raise ScaffoldError("name at least one --language")
    where = lessons_dir or _configured_lessons_dir(root) or DEFAULT_LESSONS_DIR
    folder = root / where / lesson_id
    if folder.exists():
        raise ScaffoldError(f"{folder} already exists; choose another id or edit that lesson")
    result = Scaffolded(folder)
    _write(
        result,
        folder / "lesson.toml",
        _lesson_toml(lesson_id, languages, title, incident, link, date),
    )
    for found in languages:
        template = _TEMPLATES[found.name]
        expect = _expect_comment(found, lesson_id)
        _write(result, folder / "bad" / template.file, template.bad.replace("{expect}", expect))
        _write(result, folder / "good" / template.file, template.good)
    tests = root / where / TEST_MODULE
    if not tests.exists():
        _write(result, tests, _TEST_MODULE)
    result.advice = _configure(root, where, result)
    return result


def _write(result: Scaffolded, path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    result.written.append(path)


def _expect_comment(language: Language, lesson_id: str) -> str:
    opener = language.comment
    if opener == "<!--":
        return f"<!-- lessons: expect[{lesson_id}] -->"
    if opener == "/*":
        return f"/* lessons: expect[{lesson_id}] */"
    return f"{opener} lessons: expect[{lesson_id}]"


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _lesson_toml(
    lesson_id: str,
    languages: Sequence[Language],
    title: str | None,
    incident: str | None,
    link: str | None,
    date: datetime.date | None,
) -> str:
    day = (date or datetime.date.today()).isoformat()
    first = _TEMPLATES[languages[0].name]
    head = f"""\
id = "{lesson_id}"
title = {_toml_string(title or "TODO: what must (not) happen, in one line")}
severity = "error"  # "warning": findings are reported but fail nothing
why = \"\"\"
TODO: two or three sentences, in your own words: what went wrong in the incident, and why code of
this shape causes it again.
\"\"\"
fix = \"\"\"
TODO: what to write instead (shown under every finding).
\"\"\"
"""
    source = f"""
[source]
incident = {_toml_string(incident or "TODO: the incident (postmortem, ticket)")}
summary = "TODO: one sentence on what happened and what it cost."
date = {day}
link = {_toml_string(link or "TODO: the postmortem's or the ticket's URL")}
"""
    examples = f"""
# Short snippets for the README and `pytest --lessons-explain {lesson_id}`; the full examples
# are the files in bad/ (each flagged line carries `lessons: expect[{lesson_id}]`) and good/.
[examples]
bad = {_toml_string(first.snippet_bad)}
good = {_toml_string(first.snippet_good)}
"""
    for language in languages[1:]:
        template = _TEMPLATES[language.name]
        examples += f"""
[[examples.also]]
language = "{language.fence}"
bad = {_toml_string(template.snippet_bad)}
good = {_toml_string(template.snippet_good)}
"""
    if len(languages) == 1:
        return (
            head
            + f"""
# A pattern lesson: ast-grep's rule language (https://ast-grep.github.io/reference/rule.html).
language = "{languages[0].name}"
# The finding's message; $NAME is the text a metavariable of the rule matched.
message = {_toml_string(first.message)}
"""
            + source
            + f"""
# What to flag. The skeleton flags a debug print; replace it with the code shape of the
# incident. Narrow it with relational keys, for example:
#   inside = {{ kind = "function_definition", stopBy = "end" }}
#   not = {{ has = {{ regex = "timeout", stopBy = "end" }} }}
[rule]
pattern = {_pattern(first)}
"""
            + examples
            + _options_example(languages[0].name, first)
        )
    rules = """
# A pattern lesson in several languages: one [[rules]] table per language, each an ast-grep
# rule (https://ast-grep.github.io/reference/rule.html) with its own `constraints`, `utils`,
# `message`, `files`... A file is read with the rules of its own language only. The skeleton
# flags a debug print; replace each rule with the code shape of the incident in that language.
"""
    for language in languages:
        template = _TEMPLATES[language.name]
        rules += f"""
[[rules]]
language = "{language.name}"
message = {_toml_string(template.message)}
rule = {{ pattern = {_pattern(template)} }}
"""
    return head + source + rules + examples


_CALL = re.compile(r"^([A-Za-z_][\w.]*)\(\$\$\$ARGS\)$")


_CALL_PATTERN_LANGUAGES = frozenset({"python", "typescript", "tsx", "javascript"})
"""Grammars where `$CALL($$$ARGS)` matches any call, dotted callee included (in Go and Java
the pattern parses as something narrower, so their skeletons get no options example)."""


def _options_example(language: str, template: Template) -> str:
    """A commented `[options]` table that does what the skeleton's rule does, for a lesson
    whose names should be the team's to set; written only where the rule is a plain call."""
    call = _CALL.match(template.pattern)
    if call is None or language not in _CALL_PATTERN_LANGUAGES:
        return ""
    return f"""
# Names that differ from team to team (calls nobody may leave in, decorators that make a handler
# safe) belong in an option rather than in the rule: a team then sets them in its config,
# `[tool.pytest-lessons.options.<id>]` with `debug-calls = [...]` (replacing the default) or
# `extend-debug-calls = [...]` (adding to it), instead of copying the lesson. The rule uses an
# option as an ast-grep util of the same name that matches a node holding one of the names as a
# whole word. To try it, replace the [rule] above with the lines below, uncommented:
# [options.debug-calls]
# default = [{_toml_string(call.group(1))}]
# description = "Calls no code here may leave in. Each is a whole name, or a dotted one."
#
# [rule]
# pattern = "$CALL($$$ARGS)"
#
# [constraints]
# CALL = {{ matches = "debug-calls" }}
"""


def _pattern(template: Template) -> str:
    return template.pattern if template.pattern.startswith("{") else _toml_string(template.pattern)


_TEST_MODULE = '''\
"""The lessons of this folder, each over its bad/ and good/ examples.

Every line a lesson must flag carries `lessons: expect[<id>]`; the findings must equal those
lines exactly, with the prefilter on and off.
"""

from pathlib import Path

import pytest

from pytest_lessons.testing import ExampleTree, check_example_tree, example_trees

LESSONS = Path(__file__).parent


@pytest.mark.parametrize("prefilter", [True, False], ids=["prefilter", "no-prefilter"])
@pytest.mark.parametrize("tree", example_trees(LESSONS), ids=str)
def test_lesson_examples(tree: ExampleTree, prefilter: bool) -> None:
    check_example_tree(tree, use_prefilter=prefilter)
'''


def _configured_lessons_dir(root: Path) -> str | None:
    table = _config_table(root)
    paths = table.get("lesson-paths") if table else None
    if isinstance(paths, list) and paths and isinstance(paths[0], str):
        return paths[0]
    return None


def _config_table(root: Path) -> dict[str, object] | None:
    pyproject = root / "pyproject.toml"
    if not pyproject.is_file():
        return None
    table = load_toml(pyproject).get("tool", {}).get("pytest-lessons")
    return table if isinstance(table, dict) else None


_HEADER = re.compile(r"^\[tool\.(?:pytest-lessons|\"pytest-lessons\")\]\s*(?:#.*)?$", re.M)


def _configure(root: Path, lessons_dir: str, result: Scaffolded) -> list[str]:
    """Add `lesson-paths` and an `exclude` of the lessons folder to the config, by adding lines
    only; what cannot be added that way comes back as advice."""
    pyproject = root / "pyproject.toml"
    wanted = {
        "lesson-paths": lessons_dir,
        "exclude": lessons_dir.rstrip("/") + "/",
    }
    lines = {key: f"{key} = [{_toml_string(value)}]" for key, value in wanted.items()}
    if not pyproject.is_file():
        _write(result, pyproject, "[tool.pytest-lessons]\n" + "\n".join(lines.values()) + "\n")
        return []
    text = pyproject.read_text(encoding="utf-8")
    table = _config_table(root)
    if table is None:  # no table yet: a new one at the end
        separator = "" if text.endswith("\n") or not text else "\n"
        table_text = "[tool.pytest-lessons]\n" + "\n".join(lines.values()) + "\n"
        pyproject.write_text(text + separator + "\n" + table_text, encoding="utf-8")
        result.written.append(pyproject)
        return []
    header = _HEADER.search(text)
    if header is None:  # written as dotted keys or an inline table: not ours to reshape
        return [f"add to [tool.pytest-lessons] in {pyproject}: {line}" for line in lines.values()]
    advice: list[str] = []
    added: list[str] = []
    for key, value in wanted.items():
        present = table.get(key)
        if present is None:
            added.append(lines[key])
        elif not (isinstance(present, list) and value in present):
            advice.append(
                f"add {_toml_string(value)} to `{key}` in [tool.pytest-lessons] of {pyproject}"
            )
    if added:
        cut = header.end()
        pyproject.write_text(text[:cut] + "\n" + "\n".join(added) + text[cut:], encoding="utf-8")
        result.written.append(pyproject)
    return advice
