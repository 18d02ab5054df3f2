import logging

from fastapi import APIRouter

from py_service.content import latest_posts, page_for

logger = logging.getLogger(__name__)
router = APIRouter()


@router.get("/docs/{lang}/intro")
def intro(lang: str) -> dict[str, str]:
    # a language segment selects a variant of the page, it names no entity
    logger.info("intro in %s", lang)
    return {"body": page_for("intro")}


@router.get("/feed/{page}")
def feed(page: int) -> dict[str, object]:
    return {"page": page, "posts": latest_posts()}
