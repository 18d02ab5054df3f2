"""The Prisma schema half of `pagination-tiebreaker`: each model's `@id`/`@unique` keys, so a
`findMany` ordered last by a field the schema declares unique is judged by the schema."""

from __future__ import annotations

from pytest_lessons.checks.base import Half
from pytest_lessons.checks.pagination_tiebreaker.options import PaginationTiebreakerOptions
from pytest_lessons.lang.typescript.prisma import PrismaKeys, prisma_keys
from pytest_lessons.source import FileKind, SourceFile

__all__ = ["PrismaHalf"]


class PrismaHalf(Half[PaginationTiebreakerOptions, PrismaKeys]):
    name = "prisma"
    facts_model = PrismaKeys
    file_kinds = frozenset({FileKind.PRISMA})
    prefilter = (b"@id", b"@unique")  # `@@id`, `@@unique` contain them

    def extract(self, file: SourceFile) -> PrismaKeys:
        return prisma_keys(file)
