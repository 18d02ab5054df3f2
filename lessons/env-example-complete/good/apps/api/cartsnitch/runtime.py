import os
from os import environ as env

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cartsnitch.settings")  # a write, not a read
HOME = os.environ.get("HOME") or os.environ.get("USERPROFILE")
CACHE_ROOT = os.environ.get("LOCALAPPDATA")  # Windows sets it, like HOME elsewhere
REDIS_URL = os.getenv("REDIS_URL_OVERRIDE") or env.get("REDIS_URL")


def flag(name: str) -> str | None:
    return os.getenv(f"CARTSNITCH_FLAG_{name}")  # dynamic: no static name


os.environ["CARTSNITCH_BOOTED"] = "1"
