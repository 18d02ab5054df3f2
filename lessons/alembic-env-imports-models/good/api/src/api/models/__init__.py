from api.models.base import Base
from api.models.store import Store
from api.models.user import User

__all__ = ["Base", "Store", "User"]
