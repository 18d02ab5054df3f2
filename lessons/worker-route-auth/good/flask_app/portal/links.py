from itsdangerous import URLSafeTimedSerializer

from portal.settings import SECRET_KEY

links = URLSafeTimedSerializer(SECRET_KEY)


def member_from_link(token: str) -> int:
    # a forged or expired link raises BadSignature here, before any work
    return links.loads(token, max_age=3600)
