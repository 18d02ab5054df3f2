from sqlalchemy.orm import declarative_base

Base = declarative_base()
AuditBase = declarative_base()
