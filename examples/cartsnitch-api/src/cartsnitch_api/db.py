from sqlalchemy import create_engine
from sqlalchemy.orm import DeclarativeBase, sessionmaker

from cartsnitch_api.settings import settings


class Base(DeclarativeBase):
    pass


# create_engine takes the URL as it is: configparser is not involved here.
engine = create_engine(settings.database_url, pool_pre_ping=True)
SessionLocal = sessionmaker(bind=engine)
