from fastapi import APIRouter, Depends
from sqlalchemy import select
from sqlalchemy.orm import Session

from cartsnitch_api.db import SessionLocal

router = APIRouter(prefix="/purchases")


def get_session():
    with SessionLocal() as session:
        yield session


@router.get("/")
def list_purchases(session: Session = Depends(get_session)) -> list[dict[str, str]]:
    rows = session.execute(select(1)).all()
    return [{"row": str(row)} for row in rows]
