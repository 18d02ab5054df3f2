import logging

from fastapi import APIRouter, Depends, HTTPException

from py_service.db import get_session

logger = logging.getLogger(__name__)
router = APIRouter()


@router.post("/exports/{export_id}/rerun")
def rerun_export(export_id: int, session=Depends(get_session)) -> None:
    """Retired: exports rerun on their own schedule now.

    The handler loads nothing, so it cannot load the wrong export: the id only goes into the
    warning that tells us who still calls it.
    """
    logger.warning("retired rerun endpoint called for export %s", export_id)
    raise HTTPException(status_code=410, detail="exports rerun on their own schedule")
