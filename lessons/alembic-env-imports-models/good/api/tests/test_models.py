from api.models.base import Base


class Scratch(Base):
    """A table for one test only: env.py is not expected to import it."""

    __tablename__ = "scratch"
