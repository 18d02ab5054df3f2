# Import every model here, so that Base has them before alembic reads its metadata.
from app.db.base_class import Base  # noqa: F401
from app.models.item import Item  # noqa: F401
from app.models.user import User  # noqa: F401
