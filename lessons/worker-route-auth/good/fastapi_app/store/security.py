import jwt

from store.settings import settings


def decode_token(token: str) -> dict[str, str]:
    return jwt.decode(token, settings.JWT_SIGNING_KEY, algorithms=["HS256"])
