"""Not an alembic env.py: the application's own start-up bootstrap is another lesson's business."""

from sqlalchemy import create_engine

from app.models import Base

engine = create_engine("postgresql://app@db/app")


def init_db() -> None:
    with engine.connect() as connection:
        Base.metadata.create_all(connection)
        connection.commit()
