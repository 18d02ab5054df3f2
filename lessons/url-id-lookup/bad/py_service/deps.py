import logging

logger = logging.getLogger(__name__)


def note_delivery_view(delivery_id: int) -> None:
    # declares the path parameter, so FastAPI hands it over, and only logs it
    logger.info("delivery %s viewed", delivery_id)
