"""A user-facing route: its per-row logging is not a background job's."""

import logging

from fastapi import APIRouter

from jobs.mail import import_row

logger = logging.getLogger(__name__)
router = APIRouter()


@router.post("/imports")
async def import_rows(rows: list[dict[str, str]]) -> dict[str, int]:
    for row in rows:
        try:
            await import_row(row)
        except ValueError:
            logger.warning("bad row %s", row)
    return {"rows": len(rows)}
