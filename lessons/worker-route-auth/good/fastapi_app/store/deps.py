import hmac
from typing import Annotated

from fastapi import Depends, Header, HTTPException
from fastapi.security import OAuth2PasswordBearer

from store.security import decode_token
from store.settings import settings

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="login")


class User:
    id: int
    role: str


def get_current_user(token: str = Depends(oauth2_scheme)) -> User:
    claims = decode_token(token)  # verified in another module
    user = User()
    user.id = int(claims["sub"])
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


def verify_worker_token(x_worker_token: str = Header(default="")) -> None:
    if not hmac.compare_digest(x_worker_token, settings.WORKER_SECRET):
        raise HTTPException(status_code=401)


class RoleChecker:
    def __init__(self, roles: list[str]) -> None:
        self.roles = roles

    def __call__(self, user: CurrentUser) -> User:
        if user.role not in self.roles:
            raise HTTPException(status_code=403, detail="not allowed")
        return user


require_admin = RoleChecker(["admin"])
