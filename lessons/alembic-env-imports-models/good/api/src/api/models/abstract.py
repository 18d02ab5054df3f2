"""Only abstract bases here: no table, so env.py need not import this module."""

from api.models.base import Base


class Auditable(Base):
    __abstract__ = True
