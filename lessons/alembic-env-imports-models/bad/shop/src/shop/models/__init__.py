"""Only the auth models are re-exported here; the catalogue lives in shop.catalog."""

from shop.models.base import Base
from shop.models.user import User

__all__ = ["Base", "User"]
