import base64
import json


def member_from_link(token: str) -> int:
    # decoded, never verified: anyone can write a link for any member
    return json.loads(base64.urlsafe_b64decode(token))["member"]
