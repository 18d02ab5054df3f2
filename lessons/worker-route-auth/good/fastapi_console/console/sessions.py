import hashlib

SESSIONS: dict[str, str] = {}


def member_for(token: str) -> str | None:
    return SESSIONS.get(hashlib.sha256(token.encode()).hexdigest())
