"""The unique keys a Prisma schema declares, per model, keyed as the client spells the model.

A `schema.prisma` (or any `.prisma` file of a multi-file schema) declares each model's identity
with field attributes (`id String @id`, `email String @unique`) and block attributes
(`@@id([orgId, userId])`, `@@unique([slug, teamId], name: "slug_team")`). Lessons that ask
whether a set of fields picks out one row (an ordering's tiebreaker, a lookup key) read them here.

The grammar is small and line-based, and no parser of it exists for Python (ast-grep has no
Prisma grammar), so this reader is a few regular expressions: a block opens with
`model Name {` (or `view Name {`) and closes with a `}` line; `//` comments are dropped outside
strings. Enums, datasources and generators carry no keys and are skipped.
"""

from __future__ import annotations

import re

from pydantic import Field

from pytest_lessons.lang.common.records import Record
from pytest_lessons.source import SourceFile

__all__ = ["PrismaKeys", "client_name", "prisma_keys", "read_prisma_keys"]

_BLOCK = re.compile(r"^\s*(?P<type>model|view|enum|type|datasource|generator)\s+(?P<name>\w+)\s*\{")
_FIELD = re.compile(r"^\s*(?P<name>\w+)\s+\w")
_FIELD_KEY = re.compile(r"(?<![@\w])@(?:id|unique)\b")
_BLOCK_KEY = re.compile(r"^\s*@@(?:id|unique)\s*\(\s*(?:fields\s*:\s*)?\[(?P<fields>[^\]]*)\]")
_COMMENT = re.compile(r'"(?:[^"\\]|\\.)*"|(?P<comment>//.*)')


class PrismaKeys(Record):
    models: dict[str, list[list[str]]] = Field(default_factory=dict)
    """Client name of a model (`orderItem` for `model OrderItem`) -> its unique keys, each the
    list of fields that together pick out one row (`["email"]`, `["orgId", "userId"]`)."""


def client_name(model: str) -> str:
    """The property a Prisma client exposes a model as: `prisma.orderItem` for `OrderItem`."""
    return model[:1].lower() + model[1:]


def prisma_keys(file: SourceFile) -> PrismaKeys:
    """The keys of one `.prisma` file, read once per run and shared by the lessons that ask."""
    return file.derived("prisma-keys-v1", lambda f: read_prisma_keys(f.text))


def read_prisma_keys(text: str) -> PrismaKeys:
    models: dict[str, list[list[str]]] = {}
    inside = False
    keys: list[list[str]] | None = None
    """The keys of the model being read; None inside a block that has none (an enum)."""
    for raw in text.splitlines():
        line = _COMMENT.sub(lambda m: "" if m.group("comment") else m.group(0), raw)
        if not inside:
            block = _BLOCK.match(line)
            if block is None:
                continue
            inside = "}" not in line[block.end() :]
            keys = None
            if inside and block.group("type") in ("model", "view"):
                keys = models.setdefault(client_name(block.group("name")), [])
            continue
        if line.strip().startswith("}"):
            inside = False
            continue
        if keys is None:
            continue
        compound = _BLOCK_KEY.match(line)
        if compound is not None:
            fields = [_field_name(item) for item in compound.group("fields").split(",")]
            if all(fields):
                keys.append(fields)
            continue
        field = _FIELD.match(line)
        if field is not None and _FIELD_KEY.search(line, field.end()):
            keys.append([field.group("name")])
    return PrismaKeys(models={name: found for name, found in models.items() if found})


def _field_name(item: str) -> str:
    """`slug` of `slug`, `slug(sort: Desc)` or `slug(length: 10)`; "" when it is not a name."""
    found = re.match(r"\s*(\w+)", item)
    return found.group(1) if found else ""
