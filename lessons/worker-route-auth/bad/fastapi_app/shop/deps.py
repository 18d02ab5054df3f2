from fastapi import Header, HTTPException, Security
from fastapi.security import APIKeyHeader

from shop.flags import FLAGS

api_key_header = APIKeyHeader(name="X-API-Key")


def get_api_key(api_key: str = Security(api_key_header)) -> str:
    # Reads the key and hands it on; nothing compares it with anything.
    return api_key


def require_key(x_api_key: str = Header(default="")) -> str:
    # Only asks whether a key was sent: any value passes.
    if not x_api_key:
        raise HTTPException(status_code=401, detail="missing key")
    return x_api_key


def require_feature(name: str):
    def gate() -> None:
        # A feature gate answers 403 when a flag is off, whoever calls.
        if not FLAGS.get(name, False):
            raise HTTPException(status_code=403, detail="feature disabled")

    return gate


def current_caller(x_caller: str = Header(default="")) -> str:
    # Whoever the header says, unchecked.
    return x_caller
